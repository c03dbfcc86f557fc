import SemsearchBench
import SemsearchKit

/// The object `semsearch eval --json` prints for a BEIR dataset: one row per chunk size, situating
/// mode, ranking and (layer, dim) cell, raw and calibrated.
struct BEIREvaluationRecord: Encodable {
    /// The dataset's folder name, its judged queries and its documents.
    var dataset: String
    var queries: Int
    var documents: Int
    var results: [Row]

    struct Row: Encodable {
        var situate: String
        /// The vector format the index was measured in.
        var vectors: String
        var layer: Int
        var dim: Int
        /// Whether the cell was searched through its layer's calibration adapter.
        var calibrated: Bool
        /// nDCG@10 (gain 2^grade − 1), Recall@10, Recall@100 and MRR@10, four decimals.
        var ndcgAt10: Double
        var recallAt10: Double
        var recallAt100: Double
        var mrrAt10: Double
        /// Median milliseconds per query: embedding it plus ranking the collection.
        var p50Milliseconds: Double
        /// Whether BM25 was fused in, and the chunk size the index was built with.
        var hybrid: Bool
        /// The BM25 ranking's weight in the fusion: a number, or `auto` (0 without hybrid).
        var keywordWeight: String
        var chunkTokens: Int

        enum CodingKeys: String, CodingKey {
            case situate, vectors, layer, dim, calibrated, ndcgAt10 = "ndcg@10", recallAt10 = "recall@10", recallAt100 = "recall@100"
            case mrrAt10 = "mrr@10", p50Milliseconds = "p50_ms", hybrid, keywordWeight = "keyword_weight", chunkTokens = "chunk_tokens"
        }

        init(setting: EvaluationSetting, format: VectorFormat, result: GridResult) {
            let m = result.metrics
            situate = setting.situate.rawValue
            vectors = format.rawValue
            layer = result.cell.layer
            dim = result.cell.dim
            calibrated = result.calibrated
            ndcgAt10 = JSONOutput.rounded(m.ndcgAt10)
            recallAt10 = JSONOutput.rounded(m.recallAt10)
            recallAt100 = JSONOutput.rounded(m.recallAt100)
            mrrAt10 = JSONOutput.rounded(m.mrrAt10)
            p50Milliseconds = JSONOutput.rounded(result.p50Milliseconds, places: 2)
            hybrid = setting.hybrid
            keywordWeight = setting.keywordWeight.description
            chunkTokens = setting.chunkTokens
        }
    }
}
