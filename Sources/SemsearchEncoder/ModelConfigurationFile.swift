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
