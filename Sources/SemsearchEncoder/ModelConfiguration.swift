import SemsearchCore

/// A family's decoded `config.json`, checked against what its encoder can run.
public protocol ModelConfiguration: Decodable {
    /// The family's name in errors ("BERT", "Gemma 3").
    static var familyName: String { get }
    /// Throws ``ModelError/unsupportedConfig(path:reason:)`` for a configuration the encoder cannot run.
    func validate(path: String) throws
}

extension ModelConfiguration {
    /// Reads, decodes and validates `config.json` at `path`.
    public static func load(path: String) throws -> Self {
        let config = try ModelConfigurationFile.decode(Self.self, path: path, family: familyName)
        try config.validate(path: path)
        return config
    }
}
