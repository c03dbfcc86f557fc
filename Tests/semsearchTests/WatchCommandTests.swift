import Foundation
import Testing

/// `semsearch index --watch` as a user runs it: edits, new folders, save-by-rename, moves and
/// deletions become searchable (or gone) within seconds; a kill -9 loses nothing committed.
@Suite(.serialized) struct WatchCommandTests {
    typealias CLI = CommandLineRunner

    /// Polls `semsearch search --json` until `condition` holds for the top results of `query`.
    func eventually(_ db: String, _ query: String, within seconds: Double = 5,
                    _ condition: ([[String: Any]]) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let result = try CLI.run(["search", "--db", db, "--json", "-k", "3", query])
            if result.status <= 1, condition(try CLI.jsonObjects(result)) { return true }
            usleep(200_000)
        } while Date() < deadline
        return false
    }

    static func paths(_ results: [[String: Any]]) -> [String] { results.compactMap { $0["path"] as? String } }

    @Test func changesUnderAWatchedFolderAreSearchableWithinFiveSeconds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs.appendingPathComponent("kitchen"), withIntermediateDirectories: true)
        try "# Bread\n\nKnead the dough and let it rise.\n".write(to: docs.appendingPathComponent("kitchen/bread.md"), atomically: true, encoding: .utf8)
        try "# Rivers\n\nThe Rhine flows to the North Sea.\n".write(to: docs.appendingPathComponent("rivers.md"), atomically: false, encoding: .utf8)
        // The index lives inside the watched folder: its own writes must not start runs.
        let db = docs.appendingPathComponent("index.sqlite").path
        let log = dir.appendingPathComponent("watch.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let watcher = Process()
        watcher.executableURL = CLI.executable
        watcher.arguments = ["index", "--watch", "--db", db, docs.path]
        watcher.standardError = try FileHandle(forWritingTo: log)
        watcher.standardOutput = FileHandle.nullDevice
        try watcher.run()
        defer { if watcher.isRunning { kill(watcher.processIdentifier, SIGKILL) } }
        let started = Date().addingTimeInterval(60)
        while !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("watching"), Date() < started { usleep(100_000) }
        #expect(try String(contentsOf: log, encoding: .utf8).contains("watching 2 folders"))
        let status = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(status["watcher"] as? Int == Int(watcher.processIdentifier))

        // An edit in place.
        let rivers = docs.appendingPathComponent("rivers.md")
        let handle = try FileHandle(forWritingTo: rivers)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nThe Elbe passes Hamburg before the sea.\n".utf8))
        try handle.close()
        #expect(try eventually(db, "Elbe Hamburg") { ($0.first?["text"] as? String)?.contains("Elbe passes Hamburg") == true })

        // A new file in a new folder.
        let garden = docs.appendingPathComponent("garden")
        try FileManager.default.createDirectory(at: garden, withIntermediateDirectories: true)
        try "Tomatoes need sun and water every day.".write(to: garden.appendingPathComponent("tomatoes.txt"), atomically: false, encoding: .utf8)
        #expect(try eventually(db, "growing tomatoes") { Self.paths($0).first?.hasSuffix("garden/tomatoes.txt") == true })

        // An editor's save: write a hidden temporary file, rename it over the original.
        let temporary = docs.appendingPathComponent("kitchen/.bread.md.swp")
        try "# Bread\n\nBake the loaf at 230 degrees for forty minutes.\n".write(to: temporary, atomically: false, encoding: .utf8)
        _ = rename(temporary.path, docs.appendingPathComponent("kitchen/bread.md").path)
        #expect(try eventually(db, "oven temperature for a loaf") { ($0.first?["text"] as? String)?.contains("230 degrees") == true })

        // A folder moved, then a file deleted.
        try FileManager.default.moveItem(at: garden, to: docs.appendingPathComponent("allotment"))
        #expect(try eventually(db, "growing tomatoes") { Self.paths($0).first?.hasSuffix("allotment/tomatoes.txt") == true })
        try FileManager.default.removeItem(at: rivers)
        #expect(try eventually(db, "Elbe Hamburg") { !Self.paths($0).contains(rivers.path) })

        // A kill -9 keeps every committed change; the next run finds nothing to do.
        kill(watcher.processIdentifier, SIGKILL)
        watcher.waitUntilExit()
        let after = try CLI.run(["index", "--db", db, docs.path])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderrLines.last?.contains("(0 new, 0 changed, 2 unchanged, 0 removed)") == true, "\(after.stderr)")
        let stopped = try #require(try CLI.jsonObjects(try CLI.run(["status", "--json", "--db", db])).first)
        #expect(stopped["watcher"] is NSNull)
        let runs = try String(contentsOf: log, encoding: .utf8).components(separatedBy: "updated").count - 1
        #expect(runs >= 5 && runs <= 12, "one run per change, not a loop on the index's own writes: \(runs)")
    }

    @Test func ctrlCStopsTheWatcherCleanly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try "Some note about lighthouses.".write(to: dir.appendingPathComponent("docs/a.txt"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("i.sqlite").path
        let watcher = Process(), errors = Pipe()
        watcher.executableURL = CLI.executable
        watcher.arguments = ["index", "--watch", "--db", db, dir.appendingPathComponent("docs").path]
        watcher.standardError = errors
        try watcher.run()
        var seen = ""
        while !seen.contains("watching") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        // Test threads block SIGINT and a child inherits the mask: the command unblocks it itself.
        kill(watcher.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(5)
        while watcher.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!watcher.isRunning)
        if watcher.isRunning { kill(watcher.processIdentifier, SIGKILL) }
        watcher.waitUntilExit()
        #expect(watcher.terminationStatus == 0)
        #expect(try CLI.run(["search", "--db", db, "lighthouse"]).status == 0)
    }
}
