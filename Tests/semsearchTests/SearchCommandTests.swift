import Foundation
import Testing
import SemsearchTestSupport

/// `semsearch search`, `eval` and `bench search` driven as a user would, on a small real index.
@Suite(.serialized) struct SearchCommandTests {
    typealias CLI = CommandLineRunner

    /// A folder of notes and its index; removed by `cleanup`.
    struct Fixture {
        let dir: URL
        let docs: URL
        let db: String

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-search-\(UUID().uuidString)")
            docs = dir.appendingPathComponent("notes")
            try FileManager.default.createDirectory(at: docs.appendingPathComponent("kitchen"), withIntermediateDirectories: true)
            let files = [
                "kitchen/bread.md": "# Bread\n\nKnead the dough.\nLet the sourdough rise overnight, then bake it in a hot oven.\n",
                "kitchen/soup.md": "# Soup\n\nSimmer onions and carrots\tin stock for an hour.\n",
                "rivers.md": "# Rivers\n\n## Rhine\n\nThe Rhine flows from the Swiss Alps to the North Sea.\n\n## Danube\n\nThe Danube ends in the Black Sea.\n",
                "codes.txt": "Error codes\nThe service answers ERR-7731-QX when the disk quota is exceeded.\n",
                "größe.txt": "Die Größe des Bodensees ändert sich mit den Jahreszeiten.\n",
            ]
            try TestCorpus.write(files, in: docs)
            db = dir.appendingPathComponent("index.sqlite").path
            let result = try CLI.run(["index", "--quiet", "--db", db, docs.path])
            guard result.status == 0 else { throw FixtureError(message: "indexing the fixture failed: \(result.stderr)") }
        }

        func cleanup() { try? FileManager.default.removeItem(at: dir) }
    }

    struct FixtureError: Error { let message: String }

    @Test func jsonLinesCarryTheDocumentedFieldsAndPointAtTheChunkBytes() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let result = try CLI.run(["search", "--db", f.db, "--json", "-k", "3", "where does the Rhine flow?"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try CLI.jsonObjects(result)
        #expect(rows.count == 3)
        let top = try #require(rows.first)
        for key in ["rank", "score", "path", "line_start", "line_end", "byte_start", "byte_end", "heading", "location", "text", "layer", "dim"] {
            #expect(top[key] != nil, "missing \(key)")
        }
        #expect(top["location"] is NSNull, "a Markdown file's lines are its location")
        #expect(top["query"] == nil)
        #expect(rows.map { $0["rank"] as? Int } == [1, 2, 3])
        #expect((top["path"] as? String)?.hasSuffix("rivers.md") == true)
        #expect((top["heading"] as? String)?.contains("Rivers") == true)
        #expect(top["layer"] as? Int == 6 && top["dim"] as? Int == 384)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: top["path"] as! String))
        let range = (top["byte_start"] as! Int)..<(top["byte_end"] as! Int)
        #expect(String(decoding: bytes[range], as: UTF8.self) == top["text"] as? String)
    }

    @Test func pipedOutputIsGrepStyleAndFilesAreUnique() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let grep = try CLI.run(["search", "--db", f.db, "-k", "5", "simmer carrots in stock"])
        #expect(grep.status == 0)
        #expect(grep.stdoutLines.count == 5)
        let first = try #require(grep.stdoutLines.first)
        let fields = first.split(separator: ":", maxSplits: 3).map(String.init)
        #expect(fields.count == 4 && fields[0].hasSuffix("kitchen/soup.md") && Int(fields[1]) == 3 && Float(fields[2]) != nil)
        #expect(fields[3].contains("\\t") && !fields[3].contains("\t"))
        // The number on each line is what the list is ordered by (JSON's relevance), never rising.
        let printed = grep.stdoutLines.compactMap { Float($0.split(separator: ":", maxSplits: 3)[2]) }
        #expect(printed.count == 5 && zip(printed, printed.dropFirst()).allSatisfy { $0 >= $1 }, "\(printed)")
        let json = try CLI.jsonObjects(try CLI.run(["search", "--db", f.db, "-k", "5", "--json", "simmer carrots in stock"]))
        #expect(json.compactMap { ($0["relevance"] as? Double).map { String(format: "%.4f", $0) } } == printed.map { String(format: "%.4f", $0) })
        #expect(json.allSatisfy { $0["score"] is Double })
        #expect(!grep.stdout.contains("\u{1B}["))
        let files = try CLI.run(["search", "--db", f.db, "-k", "10", "--files", "rivers and seas"])
        #expect(files.status == 0 && Set(files.stdoutLines).count == files.stdoutLines.count)
        #expect(files.stdoutLines.contains { $0.hasSuffix("rivers.md") })
    }

    @Test func exitStatusIsOneWhenNothingMatchesAndTwoOnBadInput() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let none = try CLI.run(["search", "--db", f.db, "--path", "*.pdf", "bread"])
        #expect(none.status == 1 && none.stdout.isEmpty && none.stderr.isEmpty)
        let kitchen = try CLI.run(["search", "--db", f.db, "--path", "kitchen", "--json", "rivers"])
        let kitchenRows = try CLI.jsonObjects(kitchen)
        #expect(kitchen.status == 0 && kitchenRows.allSatisfy { ($0["path"] as! String).contains("/kitchen/") })

        let notADatabase = f.dir.appendingPathComponent("notes.txt").path
        try "not a database".write(toFile: notADatabase, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["search", "--db", f.db, ""], "empty"),
            (["search", "--db", f.db, String(repeating: "a", count: 100 * 1024)], "102400 bytes"),
            (["search", "--db", f.dir.appendingPathComponent("missing.sqlite").path, "bread"], "no index"),
            (["search", "--db", notADatabase, "bread"], "not a semsearch index"),
            (["search", "--db", f.db, "--layer", "9", "bread"], "layer 9"),
            (["search", "--db", f.db, "--dim", "0", "bread"], "--dim"),
            (["search", "--db", f.db, "--dim", "999", "bread"], "dim 999"),
            (["search", "--db", f.db, "--nprobe", "4", "bread"], "no IVF index"),
            (["search", "--db", f.db, "--funnel", "two", "bread"], "--funnel"),
            (["calibrate", "--db", f.db], "at least 16 chunks"),
        ]
        for (arguments, expected) in cases {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments.prefix(4)): \(result.status)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(expected), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func pipeModeAnswersEveryStdinQueryInOrderFromOneProcess() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let topics = ["bread", "soup", "rivers", "error codes", "lake size"]
        let queries = (0..<50).map { "note \($0) about \(topics[$0 % topics.count])" }
        let input = Data((queries.joined(separator: "\n") + "\n\n").utf8)
        let result = try CLI.run(["search", "--db", f.db, "--json", "-k", "2", "-"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try CLI.jsonObjects(result)
        #expect(rows.count == 100)
        let answered = rows.compactMap { $0["query"] as? String }
        #expect(answered == queries.flatMap { [$0, $0] })
        // With no query argument and a pipe on stdin, pipe mode is implied.
        let implied = try CLI.run(["search", "--db", f.db, "-k", "1"], stdin: Data("sourdough\n".utf8))
        #expect(implied.status == 0 && implied.stdoutLines.count == 1 && implied.stdout.contains("bread.md"))
        // One bad line is reported with its line number; the others are answered.
        let mixed = try CLI.run(["search", "--db", f.db, "-k", "1", "--json"],
                                stdin: Data(("bread\n" + String(repeating: "x", count: 20_000) + "\nsoup\n").utf8))
        #expect(mixed.status == 2 && mixed.stderr.contains("stdin line 2"))
        #expect(try CLI.jsonObjects(mixed).compactMap { $0["query"] as? String } == ["bread", "soup"])
    }

    @Test func hybridExplainAndFunnelShowHowResultsWereRanked() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let hybrid = try CLI.run(["search", "--db", f.db, "--json", "--hybrid", "--explain", "-k", "3", "ERR-7731-QX"])
        #expect(hybrid.status == 0, "\(hybrid.stderr)")
        let top = try #require(try CLI.jsonObjects(hybrid).first)
        #expect((top["path"] as? String)?.hasSuffix("codes.txt") == true)
        #expect(top["bm25_rank"] as? Int == 1 && top["fused_score"] is Double && top["vector_score"] is Double)
        let funnel = try CLI.run(["search", "--db", f.db, "--json", "--explain", "--funnel", "2:64", "-k", "2", "sourdough"])
        #expect(funnel.status == 0)
        let rows = try CLI.jsonObjects(funnel)
        #expect(rows.count == 2 && rows.allSatisfy { $0["shortlist_rank"] is Int && ($0["method"] as? String)?.hasPrefix("funnel") == true })
    }

    @Test func beirEvalReportsTheGridAsJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-beir-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        let documents = [
            ("d1", "Sourdough", "Bread rises when yeast ferments the dough."),
            ("d2", "Rhine", "The Rhine is a river that flows into the North Sea."),
            ("d3", "Tax", "Income tax returns are due in April."),
            ("d4", "Chess", "A knight moves in an L shape on the board."),
        ]
        let corpus = documents.map { "{\"_id\":\"\($0.0)\",\"title\":\"\($0.1)\",\"text\":\"\($0.2)\"}" }.joined(separator: "\n")
        try corpus.write(to: dir.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try "{\"_id\":\"q1\",\"text\":\"why does bread rise\"}\n{\"_id\":\"q2\",\"text\":\"which river reaches the north sea\"}\n{\"_id\":\"q3\",\"text\":\"unjudged\"}\n"
            .write(to: dir.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td2\t1\nq2\td3\t0\n"
            .write(to: dir.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["eval", dir.path, "--layers", "1,6", "--dims", "32,384", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["queries"] as? Int == 2)
        let rows = try #require(object["results"] as? [[String: Any]])
        #expect(rows.map { "\($0["layer"]!)/\($0["dim"]!)" } == ["1/32", "1/384", "6/32", "6/384"])
        for row in rows {
            for key in ["ndcg@10", "recall@10", "recall@100", "mrr@10", "p50_ms"] { #expect(row[key] is Double, "\(key)") }
            #expect((row["recall@100"] as! Double) == 1)  // four documents: everything is in the top 100
        }
        let full = rows[3]
        #expect((full["ndcg@10"] as! Double) == 1 && (full["mrr@10"] as! Double) == 1)
        let bad = try CLI.run(["eval", dir.path, "--dims", "0"])
        #expect(bad.status == 2 && bad.stderrLines.count == 1)
    }

    static let msmarco = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/datasets/msmarco-5k")
    static let hasMsmarco = FileManager.default.fileExists(atPath: msmarco.appendingPathComponent("reference-minilm-l6.json").path)

    /// Reproduces the Hugging Face reference on msmarco-5k (whole passages) with the raw grid, and
    /// checks what calibration adds; skipped, with the reason printed, without the dataset.
    @Test(.enabled(if: hasMsmarco, "../shared/datasets/msmarco-5k is not there"))
    func msmarcoEvalReproducesTheReferenceAndCalibrationLiftsEarlyLayers() throws {
        let dataset = Self.msmarco
        let referenceData = try Data(contentsOf: dataset.appendingPathComponent("reference-minilm-l6.json"))
        let reference = try #require((try JSONSerialization.jsonObject(with: referenceData) as? [String: Any])?["table"] as? [String: [String: Double]])
        // fp16 reproduces the fp32 reference; the default format is measured against fp16 on the same build.
        // Whole passages, chunks alone, vectors alone: the reference's setting.
        let result = try CLI.run(["eval", dataset.path, "--chunk-tokens", "256", "--situate", "none", "--ranking", "vector",
                                  "--compare-raw", "--vectors", "fp16,compact", "--json"], timeout: 1800)
        #expect(result.status == 0, "\(result.stderr)")
        // The dataset's record, then the summary of the two formats.
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let all = try #require(object["results"] as? [[String: Any]])
        let rows = all.filter { $0["vectors"] as? String == "fp16" }
        let compactRows = all.filter { $0["vectors"] as? String == "compact" }
        #expect(compactRows.count == 55)
        var differences: [Double] = []
        for (a, b) in zip(rows, compactRows) {
            #expect(a["layer"] as? Int == b["layer"] as? Int && a["dim"] as? Int == b["dim"] as? Int && a["calibrated"] as? Bool == b["calibrated"] as? Bool)
            differences.append((b["ndcg@10"] as! Double) - (a["ndcg@10"] as! Double))
        }
        let full = try #require(zip(rows, compactRows).first { $0.0["layer"] as? Int == 6 && $0.0["dim"] as? Int == 384 })
        #expect(abs((full.1["ndcg@10"] as! Double) - (full.0["ndcg@10"] as! Double)) <= 0.005, "compact at L6/d384")
        #expect(abs(differences.reduce(0, +) / Double(max(1, differences.count))) <= 0.005, "compact's mean difference over the grid")
        #expect(differences.allSatisfy { $0 >= -0.02 }, "compact's worst cell: \(differences.min() ?? 0)")
        print("msmarco-5k: compact vs fp16 nDCG@10: worst \(differences.min() ?? 0), mean \(differences.reduce(0, +) / Double(max(1, differences.count)))")
        // 30 calibrated-grid rows (layer 6 is its own target, so not calibrated) and 25 raw ones.
        #expect(rows.count == 55)
        var raw: [String: Double] = [:], calibrated: [String: Double] = [:]
        for (index, row) in rows.enumerated() {
            let key = "L\(row["layer"]!)/d\(row["dim"]!)"
            let value = row["ndcg@10"] as! Double
            if index < 30 {
                calibrated[key] = value
                let layer = row["layer"] as! Int
                #expect(row["calibrated"] as? Bool == (layer < 6))
            } else {
                raw[key] = value
                #expect(row["calibrated"] as? Bool == false)
            }
        }
        for dim in [32, 64, 128, 256, 384] { raw["L6/d\(dim)"] = calibrated["L6/d\(dim)"] }
        var worst = 0.0
        for (key, cell) in reference {
            let measured = try #require(raw[key])
            let expected = try #require(cell["ndcg@10"])
            worst = max(worst, abs(measured - expected))
            #expect(abs(measured - expected) <= 0.01, "\(key): \(measured) vs \(expected)")
        }
        #expect(abs(raw["L6/d384"]! - 0.704) <= 0.005)
        print("msmarco-5k: largest raw nDCG@10 difference from the reference over 30 cells: \(worst)")
        #expect(calibrated["L1/d384"]! >= 0.55 && calibrated["L3/d384"]! >= 0.57 && calibrated["L5/d384"]! >= 0.62,
                "calibrated L1/L3/L5: \(calibrated["L1/d384"]!) \(calibrated["L3/d384"]!) \(calibrated["L5/d384"]!)")
        #expect(calibrated["L6/d384"]! >= raw["L6/d384"]! - 0.005)
    }

    @Test func syntheticFormatsAreMeasuredAgainstAnFp32Ranking() throws {
        let result = try CLI.run(["bench", "search", "--synthetic", "20000,64", "--vectors", "fp16,int8,binary", "--queries", "20", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let formats = try #require(object["formats"] as? [[String: Any]])
        #expect(formats.map { $0["vectors"] as? String } == ["fp16", "int8", "binary"])
        #expect(formats.map { $0["bytes_per_vector"] as? Int } == [128, 64 + 128, 8 + 128])
        for row in formats {
            #expect((row["recall@10"] as? Double ?? 0) >= 0.95, "\(row)")
            #expect(row["p50_ms"] is Double && row["p99_ms"] is Double)
        }
        #expect(formats[2]["shortlist"] as? Int == 2000 && (object["hamming_kernel"] as? String)?.isEmpty == false)
        #expect(object["exact"] == nil && (object["peak_rss_mb"] as? Double ?? 0) > 0)
    }

    @Test func searchBenchmarkOnSyntheticVectorsReportsRecallAndScannedFraction() throws {
        let result = try CLI.run(["bench", "search", "--synthetic", "4000,48", "--nlist", "32", "--nprobe", "2,32", "--queries", "30", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["vectors"] as? Int == 4000 && object["dim"] as? Int == 48)
        let exact = try #require(object["exact"] as? [String: Any])
        #expect(exact["p50_ms"] is Double && exact["p99_ms"] is Double && exact["qps"] is Double)
        let ivf = try #require(object["ivf"] as? [[String: Any]])
        #expect(ivf.map { $0["nprobe"] as? Int } == [2, 32])
        #expect((ivf[1]["recall@10"] as! Double) == 1 && (ivf[1]["scanned_fraction"] as! Double) == 1)
        #expect((ivf[0]["scanned_fraction"] as! Double) < 0.25)
    }
}
