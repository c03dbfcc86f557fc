import SemsearchBench
import SemsearchKit

/// The last line of `semsearch eval --json` over several datasets or configurations: each
/// configuration's headline score per dataset at the cell a plain search uses, and the mean.
struct EvaluationSummaryRecord: Encodable {
    var summary: Table

    struct Table: Encodable {
        var layer: Int
        var dim: Int
        /// Each dataset's headline metric: `nDCG@10` (BEIR) or `MRR@10` (spans).
        var metrics: [String: String]
        var rows: [Row]
    }

    struct Row: Encodable {
        var chunkTokens: Int
        var situate: String
        var hybrid: Bool
        /// The BM25 ranking's weight in the fusion: a number, or `auto` (0 without hybrid).
        var keywordWeight: String
        var vectors: String
        /// Score and database bytes a document, by dataset name.
        var datasets: [String: Entry]
        var mean: Double

        enum CodingKeys: String, CodingKey { case chunkTokens = "chunk_tokens", situate, hybrid, keywordWeight = "keyword_weight", vectors, datasets, mean }
    }

    struct Entry: Encodable {
        var score: Double
        var bytesPerDocument: Int

        enum CodingKeys: String, CodingKey { case score, bytesPerDocument = "bytes_per_document" }
    }

    init(_ evaluation: EvaluationSummary, cell: MatryoshkaCell) {
        let rows = evaluation.keys.map { key in
            var datasets: [String: Entry] = [:]
            for name in evaluation.datasets {
                if let entry = evaluation.entry(key, dataset: name) {
                    datasets[name] = Entry(score: JSONOutput.rounded(entry.score), bytesPerDocument: Int(entry.bytesPerDocument.rounded()))
                }
            }
            return Row(chunkTokens: key.setting.chunkTokens, situate: key.setting.situate.rawValue, hybrid: key.setting.hybrid,
                       keywordWeight: key.setting.keywordWeight.description,
                       vectors: key.format.rawValue, datasets: datasets, mean: JSONOutput.rounded(evaluation.meanScore(key)))
        }
        summary = Table(layer: cell.layer, dim: cell.dim, metrics: evaluation.metrics, rows: rows)
    }
}
