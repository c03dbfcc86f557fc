import SemsearchCore
import Foundation

/// Reading a family's `config.json`: the file, its decoding into the family's configuration type,
/// and a one-line error naming what is wrong.
enum ModelConfigurationFile {
    /// Decodes `config.json` at `path` as `type`; `family` names the family in the error.
    static func decode<T: Decodable>(_ type: T.Type, path: String, family: String) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelError.unreadable(path: path, reason: error.localizedDescription)
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw ModelError.unsupportedConfig(path: path, reason: "not a \(family) config.json (\(DecodingFailure.describe(error)))")
        }
    }
}

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
