import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

@Suite(.serialized) struct IndexCommandTests {
    typealias CLI = CommandLineRunner

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A folder of `count` short passages (created when missing).
    func passages(_ count: Int, in dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let topics = ["rivers and deltas", "baking sourdough bread", "sorting algorithms", "mountain weather", "tax returns"]
        for i in 0..<count {
            let text = "Passage \(i) is about \(topics[i % topics.count]). It mentions detail \(i * 7 % 13) and place \(i % 17)."
            try text.write(to: dir.appendingPathComponent(String(format: "p%04d.txt", i)), atomically: true, encoding: .utf8)
        }
    }

    @Test func badInputIsCountedAndTheRunSucceeds() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try "A good note about rivers.".write(to: docs.appendingPathComponent("good.md"), atomically: true, encoding: .utf8)
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0]).write(to: docs.appendingPathComponent("program"))
        try Data([0xC3, 0x28, 0xA0, 0xA1, 0xFF, 0xFE, 0xFD]).write(to: docs.appendingPathComponent("broken.txt"))
        try Data().write(to: docs.appendingPathComponent("empty.txt"))
        _ = FileManager.default.createFile(atPath: docs.appendingPathComponent("huge.txt").path, contents: nil)
        let huge = try FileHandle(forWritingTo: docs.appendingPathComponent("huge.txt"))
        try huge.truncate(atOffset: 50 << 20)  // a 50 MB file
        try huge.close()
        try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("loop").path, withDestinationPath: docs.path)
        let secret = docs.appendingPathComponent("secret.txt")
        try "private".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: secret.path)
        try Data("%PDF-1.4 not really a pdf".utf8).write(to: docs.appendingPathComponent("paper.pdf"))
        let db = dir.appendingPathComponent("index.sqlite").path

        let result = try CLI.run(["index", "--db", db, docs.path])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(result.stderrLines.last)
        if ExternalTool.which("pdftotext") != nil {
            #expect(result.stderr.contains("paper.pdf: text extraction failed"), "\(result.stderr)")
        } else {
            #expect(summary.contains("1 no extractor") && result.stderr.contains("needs pdftotext"), "\(result.stderr)")
        }
        #expect(summary.contains("1 binary") && summary.contains("1 not text") && summary.contains("1 too large")
                && summary.contains("1 symlink loop"), "\(summary)")
        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        let readable = getuid() == 0 ? 3 : 2  // root can read a mode-000 file
        #expect(status["files"] as? Int == readable)
        #expect(status["layers"] as? [Int] == [1, 2, 3, 4, 5, 6])
        #expect(status["version"] as? String == SemsearchVersion.current)
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.stdout == SemsearchVersion.current + "\n")

        let missing = try CLI.run(["index", "--db", db, dir.appendingPathComponent("nope").path])
        #expect(missing.status == 2 && missing.stderrLines.count == 1 && missing.stderr.contains("no such file or folder"))
    }

    @Test func aFileThatIsNotAnIndexIsLeftAlone() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("thesis.docx")
        let content = Data(String(repeating: "my thesis, not a database. ", count: 500).utf8)
        try content.write(to: db)
        try passages(3, in: dir)
        for arguments in [["index", "--db", db.path, dir.path], ["status", "--db", db.path]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2 && result.stderrLines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("is not a semsearch index"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: db) == content)
        let empty = try CLI.run(["status", "--db", dir.appendingPathComponent("none.sqlite").path])
        #expect(empty.status == 2 && empty.stderr.contains("no index at"))
    }

    @Test func killDashNineMidRunThenResumeEqualsACleanBuild() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try passages(600, in: docs)
        let interrupted = dir.appendingPathComponent("interrupted.sqlite").path
        let clean = dir.appendingPathComponent("clean.sqlite").path

        // Start an index run with small commits, kill it hard once something is committed.
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["index", "--quiet", "--commit-tokens", "1024", "--threads", "1", "--db", interrupted, docs.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        var committed = 0
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline {
            usleep(100_000)
            if let status = try? CLI.jsonObjects(try CLI.run(["status", "--json", "--db", interrupted])).first {
                committed = status["files"] as? Int ?? 0
                if committed > 0 { break }
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Another batch may have committed between the last look and the kill: count again.
        let afterKill = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", interrupted])).first)
        #expect((afterKill["files"] as? Int ?? 0) >= committed)
        committed = afterKill["files"] as? Int ?? 0
        #expect(committed > 0 && committed < 600, "the kill should land mid-run (committed \(committed))")

        let resumed = try CLI.run(["index", "--db", interrupted, docs.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderrLines.last?.contains("\(committed) unchanged") == true, "\(resumed.stderr)")
        let fresh = try CLI.run(["index", "--db", clean, docs.path])
        #expect(fresh.status == 0)

        let a = try SQLiteIndexStore(path: interrupted, create: false), b = try SQLiteIndexStore(path: clean, create: false)
        #expect(try a.statistics().files == 600 && a.statistics().chunks == b.statistics().chunks)
        // The same queries get the same answers from both databases.
        let model = try EmbeddingModel.load(directory: ModelStore().resolve(nil))
        // The two runs encoded in other batches on other thread counts, so near-tied passages may
        // swap on another CPU: the same answers up to a rounding.
        for query in ["sourdough bread", "sorting algorithms detail 5", "weather in the mountains"] {
            let (x, y) = (try topPaths(query, a, model), try topPaths(query, b, model))
            #expect(RankingAgreement.agree(x, y, tolerance: 2e-3), "\(query): \(x) against \(y)")
        }
    }

    /// The paths of the 5 nearest chunks by exact cosine at layer 6, with their scores.
    func topPaths(_ query: String, _ store: IndexStore, _ model: EmbeddingModel) throws -> [(id: String, score: Float)] {
        let q = model.embed([query])[0].final
        let stored = try store.vectors(layer: 6, dim: 384)
        let ids = stored.chunkIDs, matrix = stored.matrix
        let scores = ids.indices.map { i in (0..<384).reduce(Float(0)) { $0 + matrix[i * 384 + $1] * q[$1] } }
        let top = ids.indices.sorted { scores[$0] > scores[$1] }.prefix(5)
        let records = try store.chunks(ids: top.map { ids[$0] })
        return top.map { index in ((records[ids[index]]!.path as NSString).lastPathComponent, scores[index]) }
    }

    @Test func earlyExitOptionsThatLeaveNothingToStoreAreRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try passages(3, in: dir)
        let db = dir.appendingPathComponent("index.sqlite").path
        let result = try CLI.run(["index", "--db", db, "--encode-layers", "3", "--layers", "5,6", dir.path])
        #expect(result.status == 2 && result.stderrLines.count == 1 && result.stderr.contains("--encode-layers 3"), "\(result.stderr)")
        let outOfRange = try CLI.run(["index", "--db", db, "--encode-layers", "9", dir.path])
        #expect(outOfRange.status == 2 && outOfRange.stderr.contains("out of range"))
        // Nothing was recorded, so a valid early-exit run can still start on this database.
        let valid = try CLI.run(["index", "--quiet", "--db", db, "--encode-layers", "2", dir.path])
        #expect(valid.status == 0, "\(valid.stderr)")
        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["encoded_layers"] as? Int == 2 && status["layers"] as? [Int] == [1, 2])
    }

    @Test func optionsLeftOutAreTheIndexsOwn() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try passages(3, in: docs)
        let db = dir.appendingPathComponent("index.sqlite").path
        let first = try CLI.run(["index", "--quiet", "--db", db, "--chunk-tokens", "128", "--situate", "none", "--layers", "2,6", docs.path])
        #expect(first.status == 0, "\(first.stderr)")
        // A plain run (as after an upgrade that changed the defaults) keeps updating it.
        try passages(4, in: docs)
        let again = try CLI.run(["index", "--db", db, docs.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect((again.stdout + again.stderr).contains("1 new"), "\(again.stdout)\(again.stderr)")
        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["layers"] as? [Int] == [2, 6])
        // An explicit change is still refused, in one line.
        let changed = try CLI.run(["index", "--db", db, "--chunk-tokens", "64", docs.path])
        #expect(changed.status != 0 && changed.stderrLines.count == 1 && changed.stderr.contains("--chunk-tokens 128 → 64"))
    }

    @Test func thePrecisionIsTheIndexsOwnUntilChangedExplicitly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try passages(3, in: docs)
        let db = dir.appendingPathComponent("index.sqlite").path
        let first = try CLI.run(["index", "--quiet", "--db", db, "--precision", "int8", docs.path])
        #expect(first.status == 0, "\(first.stderr)")
        try passages(4, in: docs)
        let again = try CLI.run(["index", "--quiet", "--db", db, docs.path])
        #expect(again.status == 0, "\(again.stderr)")
        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["precision"] as? String == "int8" && status["files"] as? Int == 4)
        let changed = try CLI.run(["index", "--db", db, "--precision", "fp32", docs.path])
        #expect(changed.status == 2 && changed.stderrLines.count == 1 && changed.stderr.contains("--precision int8 → fp32"), "\(changed.stderr)")
        // Queries are fp32 whatever the documents were: a search finds the passage it names.
        let search = try CLI.run(["search", "--db", db, "--json", "-k", "1", "baking sourdough bread"])
        #expect(search.status == 0 && search.stdout.contains("p0001.txt"), "\(search.stdout)\(search.stderr)")
        let bad = try CLI.run(["index", "--db", db, "--precision", "int4", docs.path])
        #expect(bad.status != 0 && bad.stderr.contains("fp32") && bad.stderr.contains("int8"), "\(bad.stderr)")
    }

    @Test func removeForgetsARootAndStatusReportsIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try passages(5, in: dir)
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        #expect(try CLI.run(["index", "--db", db, "--layers", "1,6", dir.path]).status == 0)
        var status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["files"] as? Int == 5 && status["layers"] as? [Int] == [1, 6])
        #expect((status["db_bytes"] as? Int ?? 0) > 0 && status["model"] as? String == "all-MiniLM-L6-v2")
        let changed = try CLI.run(["index", "--db", db, "--layers", "all", dir.path])
        #expect(changed.status == 2 && changed.stderr.contains("other settings"))
        #expect(try CLI.run(["index", "--remove", "--db", db, dir.path]).status == 0)
        status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["files"] as? Int == 0 && status["chunks"] as? Int == 0)
    }

    @Test func aConversionKilledMidWayLeavesAUsableIndexAndFinishesOnTheNextRun() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try passages(600, in: docs)
        let db = dir.appendingPathComponent("index.sqlite").path
        #expect(try CLI.run(["index", "--quiet", "--vectors", "fp16", "--db", db, docs.path]).status == 0)
        let query = "baking sourdough bread"
        let before = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "10", query])).map { $0["path"] as? String }
        let fp16 = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(fp16["vectors"] as? String == "fp16" && fp16["vector_bytes"] as? Int == 6 * 384 * 2)

        // Kill the conversion at some point inside it; whatever was committed must read back.
        for delay in [30_000, 120_000] as [useconds_t] {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["index", "--vectors", "compact", "--db", db]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let search = try CLI.run(["search", "--db", db, "--json", "-k", "10", query])
            #expect(search.status == 0, "\(search.stderr)")
            #expect(try CLI.jsonObjects(search).count == 10)
        }
        let converted = try CLI.run(["index", "--vectors", "compact", "--db", db])
        #expect(converted.status == 0, "\(converted.stderr)")
        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["vectors"] as? String == "compact" && status["vector_bytes"] as? Int == 384 + 5 * 264)
        // 2,904 bytes fewer for each of the 600 chunks (the rest of the file, text and adapters, stays).
        #expect((status["db_bytes"] as? Int ?? 0) < (fp16["db_bytes"] as? Int ?? 0) - 600 * 2904 * 9 / 10)
        let after = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "10", query])).map { $0["path"] as? String }
        #expect(Set(before).intersection(after).count >= 9, "the top 10 stays: \(Set(before).intersection(after).count) of 10")
        // The format is remembered: a later run keeps it and stores codes directly.
        try "Passage extra is about baking sourdough bread again.".write(to: docs.appendingPathComponent("extra.txt"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["index", "--quiet", "--db", db, docs.path]).status == 0)
        let later = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(later["vectors"] as? String == "compact" && later["vector_bytes"] as? Int == 384 + 5 * 264)
        // Its layer-1 codes, predicted from layer 2's and so on down the chain, read back as its own.
        let early = try CLI.jsonObjects(try CLI.run(["search", "--db", db, "--json", "-k", "3", "--layer", "1", "--raw", "--no-hybrid",
                                                     "Passage extra is about baking sourdough bread again."]))
        #expect(early.first?["path"] as? String == docs.appendingPathComponent("extra.txt").path, "\(early.map { $0["path"] ?? "" })")
    }
}
