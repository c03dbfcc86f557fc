import SemsearchBench
import SemsearchKit

/// The object `semsearch eval --json` prints for a spans dataset (questions answered by a byte
/// span of a file): one row per chunk size, situating mode, ranking and (layer, dim) cell.
struct SpanEvaluationRecord: Encodable {
    /// The dataset folder as given and its questions.
    var dataset: String
    var queries: Int
    var results: [Row]

    struct Row: Encodable {
        var situate: String
        /// The vector format the index was measured in.
        var vectors: String
        var layer: Int
        var dim: Int
        /// Whether the cell was searched through its layer's calibration adapter.
        var calibrated: Bool
        /// MRR@10 and Recall@1/5/10 of the first chunk that overlaps the answer span, four decimals.
        var mrrAt10: Double
        var recallAt1: Double
        var recallAt5: Double
        var recallAt10: Double
        /// Median milliseconds per question to rank the chunks (the question already embedded).
        var p50Milliseconds: Double
        /// Whether BM25 was fused in, and the chunk size the index was built with.
        var hybrid: Bool
        /// The BM25 ranking's weight in the fusion: a number, or `auto` (0 without hybrid).
        var keywordWeight: String
        var chunkTokens: Int

        enum CodingKeys: String, CodingKey {
            case situate, vectors, layer, dim, calibrated, mrrAt10 = "mrr@10", recallAt1 = "recall@1", recallAt5 = "recall@5"
            case recallAt10 = "recall@10", p50Milliseconds = "p50_ms", hybrid, keywordWeight = "keyword_weight", chunkTokens = "chunk_tokens"
        }

        init(setting: EvaluationSetting, format: VectorFormat, cell: MatryoshkaCell, calibrated: Bool, metrics m: SpanMetrics) {
            situate = setting.situate.rawValue
            hybrid = setting.hybrid
            keywordWeight = setting.keywordWeight.description
            chunkTokens = setting.chunkTokens
            vectors = format.rawValue
            layer = cell.layer
            dim = cell.dim
            self.calibrated = calibrated
            mrrAt10 = JSONOutput.rounded(m.mrrAt10)
            recallAt1 = JSONOutput.rounded(m.recallAt1)
            recallAt5 = JSONOutput.rounded(m.recallAt5)
            recallAt10 = JSONOutput.rounded(m.recallAt10)
            p50Milliseconds = JSONOutput.rounded(m.p50Milliseconds, places: 2)
        }
    }
}
