import SemsearchKit
import SemsearchCore
import SemsearchEncoder
import Foundation

/// Runs a spans dataset (`docs/` + `questions.jsonl`) against an index of its `docs/` folder.
public enum SpanEvaluation {
    /// Reads `questions.jsonl` of the dataset folder.
    public static func questions(dataset: String) throws -> [SpanQuestion] {
        let path = (dataset as NSString).appendingPathComponent("questions.jsonl")
        guard let data = FileManager.default.contents(atPath: path) else { throw CorpusError.notFound(path) }
        var result: [SpanQuestion] = []
        for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            do { result.append(try JSONDecoder().decode(SpanQuestion.self, from: Data(line))) } catch {
                throw CorpusError.malformedLine(path: path, line: i + 1, reason: "expected question, file, byte_start, byte_end")
            }
        }
        if result.isEmpty { throw CorpusError.empty(path) }
        return result
    }

    /// Searches every question (already embedded, in `embeddings`) as `semsearch search` would at
    /// `cell` — through its adapter when `calibrated`, BM25 fused when `hybrid` — and scores the top
    /// 10 against the answer spans. `docsRoot` is the indexed `docs/` folder.
    public static func run(searcher: Searcher, questions: [SpanQuestion], embeddings: [LayerEmbeddings], docsRoot: String,
                           cell: MatryoshkaCell, calibrated: Bool = true, hybrid: Bool = false,
                           keywordWeight: KeywordWeight = SearchOptions().keywordWeight) throws -> SpanMetrics {
        let root = URL(fileURLWithPath: docsRoot).standardizedFileURL.path
        var options = SearchOptions()
        options.k = 10
        options.layer = cell.layer
        options.dim = cell.dim
        options.calibrated = calibrated
        options.hybrid = hybrid
        options.keywordWeight = keywordWeight
        options.method = .exact
        var reciprocal = 0.0, hits1 = 0, hits5 = 0, hits10 = 0
        var latencies: [Double] = []
        for (question, embedding) in zip(questions, embeddings) {
            let response = try searcher.search(embedding: embedding, query: question.question, options: options)
            latencies.append(response.searchMilliseconds)
            let target = root + "/" + question.file
            let rank = response.results.firstIndex { result in
                result.chunk.path == target && result.chunk.byteRange.overlaps(question.byteStart..<question.byteEnd)
            }
            if let rank {
                reciprocal += 1 / Double(rank + 1)
                if rank < 1 { hits1 += 1 }
                if rank < 5 { hits5 += 1 }
                hits10 += 1
            }
        }
        let n = Double(questions.count)
        latencies.sort()
        return SpanMetrics(queries: questions.count, mrrAt10: reciprocal / n, recallAt1: Double(hits1) / n,
                           recallAt5: Double(hits5) / n, recallAt10: Double(hits10) / n,
                           p50Milliseconds: latencies[latencies.count / 2])
    }
}
