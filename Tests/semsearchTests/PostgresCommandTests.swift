import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing

/// `--db postgres://…` as a user drives it: bad connections and a newer schema as one line and
/// status 2 with nothing written, an indexer killed with -9 and started again, two indexer
/// processes of different roots beside a search loop, and `semsearch copy` both ways.
@Suite(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.skipReason)), .serialized)
struct PostgresCommandTests {
    typealias CLI = CommandLineRunner

    func folder(_ files: Int, _ topic: String, in dir: URL) throws -> URL {
        try TestCorpus.write(Dictionary(uniqueKeysWithValues: (0..<files).map {
            ("\(topic)-\($0).md", "# \(topic) \($0)\n\nNote \($0) on \(topic): detail \($0 * 7 % 13), place \($0 % 17), and more about \(topic).")
        }), in: dir)
        return dir
    }

    func schemaExists(_ schema: String) throws -> Bool {
        try TestPostgres.psql("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'") == "1"
    }

    var port: String { TestPostgres.url!.split(separator: ":").last!.split(separator: "/").first.map(String.init)! }

    @Test func badConnectionsAndANewerSchemaAreOneLineStatusTwoAndWriteNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = try folder(3, "rivers", in: dir.appendingPathComponent("docs"))
        let untouched = "t_untouched_\(UUID().uuidString.prefix(6).lowercased())"
        let cases = [
            ("postgres://semsearch_pw:wrong-secret@127.0.0.1:\(port)/semsearch_test?schema=\(untouched)", "password authentication failed"),
            ("postgres://postgres@127.0.0.1:1/semsearch_test?schema=\(untouched)", "refused"),
            (TestPostgres.url!.replacingOccurrences(of: "://postgres@", with: "://semsearch_plain@")
                .replacingOccurrences(of: "/semsearch_test", with: "/semsearch_novector") + "?schema=\(untouched)", "pgvector"),
        ]
        for (url, expected) in cases {
            for arguments in [["index", "--db", url, docs.path], ["search", "--db", url, "rivers"], ["status", "--db", url]] {
                let result = try CLI.run(arguments)
                #expect(result.status == 2 && result.stderrLines.count == 1 && result.stderr.hasPrefix("semsearch: "), "\(arguments[0]): \(result.stderr)")
                #expect(!result.stderr.contains("wrong-secret") && !result.stdout.contains("wrong-secret"))
                if arguments[0] == "index" { #expect(result.stderr.contains(expected), "\(result.stderr)") }
            }
        }
        #expect(try !schemaExists(untouched), "nothing was created")

        // An index written by a newer semsearch: refused before anything is read or written.
        let url = TestPostgres.freshIndex("newer")
        #expect(try CLI.run(["index", "--quiet", "--db", url, docs.path]).status == 0)
        let schema = String(url.split(separator: "=").last!)
        try TestPostgres.psql("UPDATE \(schema).meta SET value = '99' WHERE key = 'schema_version'")
        try FileManager.default.removeItem(at: docs.appendingPathComponent("rivers-0.md"))
        for arguments in [["index", "--db", url, docs.path], ["search", "--db", url, "rivers"], ["status", "--db", url]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2 && result.stderrLines.count == 1 && result.stderr.contains("newer semsearch"), "\(result.stderr)")
        }
        #expect(try TestPostgres.psql("SELECT count(*) FROM \(schema).files") == "3", "the removed file is still indexed: nothing was written")

    }

    @Test func ivfAsksForTheServersIVFFlatIndex() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = try folder(30, "rivers", in: dir.appendingPathComponent("docs"))
        let url = TestPostgres.freshIndex("ivf")
        #expect(try CLI.run(["index", "--quiet", "--ivf", "3", "--db", url, docs.path]).status == 0)
        let status = try CLI.run(["status", "--db", url])
        #expect(status.stdout.contains("IVFFlat index, 3 lists"), "\(status.stdout)")
        let json = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", url])).first)
        #expect((json["server_index"] as? [String: Any])?["lists"] as? Int == 3)
        let explained = try CLI.jsonObjects(try CLI.run(["search", "--json", "--explain", "--no-hybrid", "--nprobe", "3", "-k", "1", "--db", url, "rivers note 4"]))
        #expect("\(explained)".contains("ivfflat probes 3/3"), "\(explained)")
        #expect(try CLI.run(["index", "--quiet", "--ivf", "off", "--db", url, docs.path]).status == 0)
        #expect(try CLI.run(["status", "--db", url]).stdout.contains("the server scans layer 6, dim 384"))
        let schema = String(url.split(separator: "=").last!)
        #expect(try TestPostgres.psql("SELECT count(*) FROM pg_indexes WHERE schemaname = '\(schema)' AND indexname LIKE 'ann_vectors_ivf%'") == "0")
    }

    @Test func statusShowsTheURLWithoutItsPassword() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = try folder(2, "tides", in: dir.appendingPathComponent("docs"))
        let url = "postgres://semsearch_pw:semsearch-test@127.0.0.1:\(port)/semsearch_test?schema=t_pw_\(UUID().uuidString.prefix(6).lowercased())"
        let indexed = try CLI.run(["index", "--db", url, docs.path])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let status = try CLI.run(["status", "--db", url])
        #expect(status.status == 0 && status.stdout.contains("postgres://semsearch_pw@127.0.0.1:\(port)/semsearch_test"), "\(status.stdout)")
        for output in [indexed.stdout, indexed.stderr, status.stdout, status.stderr] { #expect(!output.contains("semsearch-test@")) }
        let json = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json"], environment: ["SEMSEARCH_DB": url])).first)
        #expect(json["files"] as? Int == 2 && !"\(json)".contains("semsearch-test@"))
    }

    @Test func killDashNineMidRunThenAgainIndexesEveryFileOnce() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = try folder(400, "bread", in: dir.appendingPathComponent("docs"))
        let url = TestPostgres.freshIndex("kill")
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["index", "--quiet", "--commit-tokens", "1024", "--threads", "1", "--db", url, docs.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let schema = String(url.split(separator: "=").last!)
        var committed = 0
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, committed == 0 {
            usleep(100_000)
            committed = Int((try? TestPostgres.psql("SELECT count(*) FROM \(schema).files")) ?? "") ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        committed = Int(try TestPostgres.psql("SELECT count(*) FROM \(schema).files") ?? "") ?? 0
        #expect(committed > 0 && committed < 400, "the kill should land mid-run (committed \(committed))")

        let resumed = try CLI.run(["index", "--db", url, docs.path])
        #expect(resumed.status == 0 && resumed.stderrLines.last?.contains("\(committed) unchanged") == true, "\(resumed.stderr)")
        #expect(try TestPostgres.psql("SELECT count(*), count(DISTINCT path) FROM \(schema).files") == "400|400")
        #expect(try TestPostgres.psql("SELECT (SELECT count(*) FROM \(schema).chunks) = (SELECT count(*) FROM \(schema).ann_vectors)") == "t")
        #expect(try TestPostgres.psql("SELECT (SELECT count(*) FROM \(schema).chunks) = (SELECT chunks FROM \(schema).keyword_totals)") == "t")
    }

    @Test func twoIndexersOfOtherRootsAndASearchLoopAtOnce() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = TestPostgres.freshIndex("two")
        let seed = try folder(2, "seed", in: dir.appendingPathComponent("seed"))
        #expect(try CLI.run(["index", "--quiet", "--db", url, seed.path]).status == 0)
        let left = try folder(150, "rivers", in: dir.appendingPathComponent("left")), right = try folder(150, "gardens", in: dir.appendingPathComponent("right"))
        let indexers = try [left, right].map { root -> (Process, Pipe) in
            let process = Process(), errors = Pipe()
            process.executableURL = CLI.executable
            process.arguments = ["index", "--quiet", "--commit-tokens", "512", "--threads", "1", "--db", url, root.path]
            process.standardError = errors
            try process.run()
            return (process, errors)
        }
        var searches = 0, failures: [String] = []
        while indexers.contains(where: { $0.0.isRunning }) {
            let search = try CLI.run(["search", "--json", "-k", "3", "--db", url, "notes on rivers"])
            if search.status == 2 { failures.append(search.stderr) }
            searches += 1
        }
        for (process, errors) in indexers {
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(message)")
        }
        #expect(failures.isEmpty && searches > 0, "\(failures)")
        let schema = String(url.split(separator: "=").last!)
        #expect(try TestPostgres.psql("SELECT count(*), count(DISTINCT path) FROM \(schema).files") == "302|302")
        let found = try CLI.jsonObjects(try CLI.run(["search", "--json", "-k", "1", "--db", url, "gardens note 7"]))
        #expect((found.first?["path"] as? String)?.contains("/right/") == true)
    }

    @Test func copyMovesAnIndexBothWaysWithoutReembedding() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = try folder(40, "tides", in: dir.appendingPathComponent("docs"))
        let original = dir.appendingPathComponent("original.sqlite").path, back = dir.appendingPathComponent("back.sqlite").path
        #expect(try CLI.run(["index", "--quiet", "--db", original, docs.path]).status == 0)
        let url = TestPostgres.freshIndex("copy")
        let there = try CLI.run(["copy", original, url])
        #expect(there.status == 0 && there.stdout.contains("copied 40 files"), "\(there.stderr)")
        #expect(try CLI.run(["copy", url, back]).status == 0)
        let again = try CLI.run(["copy", original, url])
        #expect(again.status == 2 && again.stderr.contains("already holds an index"), "\(again.stderr)")
        let queries = "tides detail 5\nnote 12 on tides\nplace 3\n"
        let answers = try [original, url, back].map { db in
            try CLI.jsonObjects(try CLI.run(["search", "--json", "-k", "5", "--db", db, "-"], stdin: Data(queries.utf8)))
                .map { "\($0["path"]!) \($0["byte_start"]!)" }
        }
        #expect(answers[0] == answers[2], "SQLite → PostgreSQL → SQLite gives the same answers")
        #expect(answers[0] == answers[1], "the copy in PostgreSQL answers as the original")
    }
}
