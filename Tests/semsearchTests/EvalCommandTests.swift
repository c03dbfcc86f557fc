import Foundation
import Testing

/// `semsearch eval` over several datasets and configurations, with its summary table.
@Suite(.serialized) struct EvalCommandTests {
    typealias CLI = CommandLineRunner

    /// A BEIR folder of four passages and a spans folder of two Markdown files, in `dir`.
    static func makeDatasets(in dir: URL) throws -> (beir: URL, spans: URL) {
        let beir = dir.appendingPathComponent("tiny-beir")
        try FileManager.default.createDirectory(at: beir.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        let documents = [
            ("d1", "Bread rises when yeast ferments the dough."),
            ("d2", "The Rhine is a river that flows into the North Sea."),
            ("d3", "Income tax returns are due in April."),
            ("d4", "A knight moves in an L shape on the board."),
        ]
        try documents.map { "{\"_id\":\"\($0.0)\",\"title\":\"\",\"text\":\"\($0.1)\"}" }.joined(separator: "\n")
            .write(to: beir.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try "{\"_id\":\"q1\",\"text\":\"why does bread rise\"}\n{\"_id\":\"q2\",\"text\":\"which river reaches the north sea\"}\n"
            .write(to: beir.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td2\t1\n".write(to: beir.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)

        let spans = dir.appendingPathComponent("tiny-spans")
        try FileManager.default.createDirectory(at: spans.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let kitchen = "# Kitchen\n\nKnead the dough and let the sourdough rise overnight before baking.\n\nSimmer onions and carrots in stock for an hour to make soup.\n"
        let garden = "# Garden\n\nTomatoes need full sun and water every morning in summer.\n\nPrune the roses in late winter, before new shoots appear.\n"
        try kitchen.write(to: spans.appendingPathComponent("docs/Kitchen.md"), atomically: true, encoding: .utf8)
        try garden.write(to: spans.appendingPathComponent("docs/Garden.md"), atomically: true, encoding: .utf8)
        func span(_ text: String, _ paragraph: String) -> (Int, Int) {
            let start = text.utf8.count - text.components(separatedBy: paragraph)[1].utf8.count - paragraph.utf8.count
            return (start, start + paragraph.utf8.count)
        }
        let questions = [
            ("how long should soup simmer", "Kitchen.md", span(kitchen, "Simmer onions and carrots in stock for an hour to make soup.")),
            ("when do roses get pruned", "Garden.md", span(garden, "Prune the roses in late winter, before new shoots appear.")),
        ]
        try questions.map { "{\"question\":\"\($0.0)\",\"file\":\"\($0.1)\",\"byte_start\":\($0.2.0),\"byte_end\":\($0.2.1)}" }
            .joined(separator: "\n").write(to: spans.appendingPathComponent("questions.jsonl"), atomically: true, encoding: .utf8)
        return (beir, spans)
    }

    @Test func severalDatasetsAndSettingsEndInOneSummary() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-evals-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (beir, spans) = try Self.makeDatasets(in: dir)
        let arguments = ["eval", beir.path, spans.path, "--chunk-tokens", "16,64", "--situate", "none,header", "--ranking", "all",
                         "--keyword-weight", "auto,0.5", "--layers", "6", "--dims", "384"]
        let result = try CLI.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        try #require(lines.count == 3)
        // One record per dataset, a row per chunk size × situating × ranking (vector, hybrid at two weights).
        #expect((lines[0]["results"] as? [[String: Any]])?.count == 2 * 2 * 3)
        #expect((lines[1]["results"] as? [[String: Any]])?.count == 2 * 2 * 3)
        let table = try #require(lines[2]["summary"] as? [String: Any])
        #expect(table["layer"] as? Int == 6 && table["dim"] as? Int == 384)
        #expect(table["metrics"] as? [String: String] == ["tiny-beir": "nDCG@10", "tiny-spans": "MRR@10"])
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.count == 12)
        #expect(Set(rows.map { "\($0["chunk_tokens"]!) \($0["situate"]!) \($0["keyword_weight"]!)" }).count == 12)
        for row in rows {
            let datasets = try #require(row["datasets"] as? [String: [String: Any]])
            let scores = try ["tiny-beir", "tiny-spans"].map { try #require(datasets[$0]?["score"] as? Double) }
            #expect(abs((row["mean"] as! Double) - (scores[0] + scores[1]) / 2) < 1e-3)
            #expect((datasets["tiny-beir"]?["bytes_per_document"] as? Int ?? 0) > 0)
        }
        // The summary's score is the dataset record's at layer 6 / dim 384, for the same settings.
        let beirRows = lines[0]["results"] as! [[String: Any]]
        let first = beirRows.first { $0["chunk_tokens"] as? Int == 16 && $0["situate"] as? String == "none" && $0["hybrid"] as? Bool == false }!
        let summaryFirst = rows.first { $0["chunk_tokens"] as? Int == 16 && $0["situate"] as? String == "none" && $0["hybrid"] as? Bool == false }!
        #expect(((summaryFirst["datasets"] as! [String: [String: Any]])["tiny-beir"]!["score"] as! Double) == first["ndcg@10"] as! Double)

        // As text, the table follows the per-dataset rows.
        let text = try CLI.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("summary at layer 6, dim 384: tiny-beir nDCG@10, tiny-spans MRR@10"))
        #expect(text.stdout.contains("hybrid×0.5"))
    }

    @Test func aMissingDatasetIsNamedBeforeAnythingRuns() throws {
        let result = try CLI.run(["eval", "/nonexistent/dataset", "--layers", "6"])
        #expect(result.status != 0 && result.stderrLines.count == 1 && result.stderr.contains("/nonexistent/dataset"))
    }
}
