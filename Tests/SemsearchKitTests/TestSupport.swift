import Foundation
import SemsearchKit
import SemsearchTestSupport

/// The golden reference files of this target (the built-in model and scratch folders are in
/// SemsearchTestSupport).
extension TestSupport {
    static func fixtureURL(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
    }

    /// Lines of a JSON-lines fixture, decoded.
    static func jsonLines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: fixtureURL(name))
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(T.self, from: Data($0)) }
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
