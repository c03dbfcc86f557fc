import Foundation
import SemsearchKit

/// Shared fixtures: the built-in model (loaded once) and the golden reference files.
enum TestSupport {
    static let model: EmbeddingModel = {
        do { return try EmbeddingModel.load(directory: ModelStore().resolve(nil)) } catch {
            fatalError("the built-in model must load for tests: \(error)")
        }
    }()

    static func fixtureURL(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
    }

    /// Lines of a JSON-lines fixture, decoded.
    static func jsonLines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: fixtureURL(name))
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(T.self, from: Data($0)) }
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// One entry of `minilm-l6-tokens.jsonl`.
struct GoldenTokens: Decodable {
    var text: String
    var ids: [Int32]
    var untruncated_length: Int
}

/// One entry of `minilm-l6-embeddings.jsonl`.
struct GoldenEmbedding: Decodable {
    var text: String
    var max_length: Int
    var mean_pooled_by_layer: [[Float]]
    var normalized_final: [Float]
}
