import SemsearchKit
import Foundation
import SemsearchCore
import SemsearchEncoder

/// One configuration `semsearch eval` compares: how the index was chunked and situated, and
/// whether BM25 was fused into the ranking.
public struct EvaluationSetting: Sendable, Hashable {
    /// Content tokens per chunk.
    public var chunkTokens: Int
    public var situate: SituateMode
    /// BM25 fused with the vector ranking (reciprocal rank fusion).
    public var hybrid: Bool
    /// The BM25 ranking's weight in the fusion when `hybrid`.
    public var keywordWeight: KeywordWeight

    public init(chunkTokens: Int, situate: SituateMode, hybrid: Bool, keywordWeight: KeywordWeight = SearchOptions().keywordWeight) {
        self.chunkTokens = chunkTokens
        self.situate = situate
        self.hybrid = hybrid
        self.keywordWeight = hybrid ? keywordWeight : .fixed(0)
    }

    /// `vector`, `hybrid`, or `hybrid×0.5` when the BM25 weight is not the default.
    public var ranking: String {
        guard hybrid else { return "vector" }
        return keywordWeight == SearchOptions().keywordWeight ? "hybrid" : "hybrid×\(keywordWeight)"
    }
}
