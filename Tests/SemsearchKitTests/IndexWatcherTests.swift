import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing

/// The watcher behind `semsearch index --watch`, in-process: inotify coverage, the limit, and the
/// fallback to timed scans.
@Suite(.serialized) struct IndexWatcherTests {
    @Test func theWatchLimitIsReportedAndTimedScansStillPickUpChanges() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for folder in ["a", "b", "c/d"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "Lighthouses guide ships at night.".write(to: root.appendingPathComponent("a/light.txt"), atomically: true, encoding: .utf8)
        #expect(try FolderWatcher(roots: [root.path]).watchedFolders == 5)
        #expect(try FolderWatcher(roots: [root.path], watchLimit: 2).coverage == .limitReached(watched: 2))

        let store = try SQLiteIndexStore(path: root.appendingPathComponent(".index.sqlite").path, create: true)
        let indexer = try Indexer(store: store, model: TestSupport.model, options: IndexOptions())
        _ = try indexer.index(roots: [root.path])
        // The watcher runs on this thread; the change comes from another, once it is watching.
        let reports = Reports()
        var events = IndexWatcher.Events()
        events.watching = { _, coverage in reports.items.append("coverage \(coverage)") }
        events.updated = { summary, _ in reports.items.append("updated \(summary.added) new") }
        let file = root.appendingPathComponent("c/d/ice.txt")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            try? "Glaciers carve valleys over millennia.".write(to: file, atomically: true, encoding: .utf8)
        }
        let deadline = Date().addingTimeInterval(10)
        try IndexWatcher(indexer: indexer, roots: [root.path], scanInterval: 1, watchLimit: 1)
            .run(shouldStop: { reports.items.contains("updated 1 new") || Date() > deadline }, events: events)
        #expect(reports.items.first == "coverage limitReached(watched: 1)")
        #expect(reports.items.contains("updated 1 new"), "a timed scan found the new file: \(reports.items)")
        let hits = try Searcher(store: store, model: TestSupport.model).search("ice shaping valleys").results
        #expect(hits.first?.chunk.path.hasSuffix("c/d/ice.txt") == true)
    }
}

extension IndexWatcherTests {
    /// A watched root deleted and made again: its files leave the index, then come back, although
    /// the root's own watch went with it.
    @Test func aRootThatComesBackIsIndexedAgain() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = dir.appendingPathComponent("notes")
        try TestCorpus.write(["tide.txt": "Tides rise and fall twice a day with the moon."], in: root)
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        let indexer = try Indexer(store: store, model: TestSupport.model, options: IndexOptions())
        _ = try indexer.index(roots: [root.path])
        let reports = Reports()
        var events = IndexWatcher.Events()
        events.problem = { message in reports.items.append(message) }
        events.updated = { summary, _ in reports.items.append("updated \(summary.added) new") }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            try? FileManager.default.removeItem(at: root)
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                try? TestCorpus.write(["tide.txt": "Tides rise and fall twice a day with the moon."], in: root)
            }
        }
        let deadline = Date().addingTimeInterval(15)
        try IndexWatcher(indexer: indexer, roots: [root.path])
            .run(shouldStop: { reports.items.contains("updated 1 new") || Date() > deadline }, events: events)
        #expect(reports.items.contains { $0.contains("is gone") }, "\(reports.items)")
        #expect(reports.items.contains("updated 1 new"), "the root came back and was indexed: \(reports.items)")
        #expect(try store.statistics().files == 1)
    }
}

/// What the watcher reported, in order (filled and read on the watcher's thread).
private final class Reports {
    var items: [String] = []
}
