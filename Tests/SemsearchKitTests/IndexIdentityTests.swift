import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite(.serialized) struct IndexIdentityTests {
    let model = TestSupport.model

    @Test func unreadableSettingsAreRefusedAndLeftUnchanged() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try "The Rhine flows from the Swiss Alps to the North Sea.".write(to: root.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let db = root.appendingPathComponent(".index.sqlite").path
        let store = try SQLiteIndexStore(path: db, create: true)
        _ = try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [root.path])
        let vectors = try store.vectorCount(layer: 6)
        #expect(vectors == 1)
        // Another program (here Python's sqlite3) wrote settings this semsearch cannot read.
        let readMeta = """
            import sqlite3
            db = sqlite3.connect('.index.sqlite')
            print(db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()[0], end='')
            """
        try ExternalTool.python("""
            import sqlite3
            db = sqlite3.connect('.index.sqlite')
            db.execute("UPDATE meta SET value = ? WHERE key = 'settings'", ('{"model": 42}',))
            db.commit()
            """, in: root)

        #expect(throws: StoreError.self) { try store.settings() }
        #expect {
            try Indexer(store: store, model: self.model, options: IndexOptions())
        } throws: { error in
            guard case StoreError.unreadableSettings = error else { return false }
            return !"\(error)".contains("\n")
        }
        #expect(throws: StoreError.self) { try Searcher(store: store, model: self.model) }
        #expect(try ExternalTool.pythonOutput(readMeta, in: root) == #"{"model": 42}"#, "nothing was written over the old settings")
        #expect(try store.vectorCount(layer: 6) == vectors)
    }

    @Test func aFileReachedThroughNestedRootsIsEmbeddedOnce() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let docs = root.appendingPathComponent("docs"), inner = docs.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try "Bread rises with yeast.".write(to: docs.appendingPathComponent("top.md"), atomically: true, encoding: .utf8)
        for i in 0..<3 {
            try "Inner note \(i) about rivers and deltas.".write(to: inner.appendingPathComponent("n\(i).md"), atomically: true, encoding: .utf8)
        }
        let store = try SQLiteIndexStore(path: root.appendingPathComponent("index.sqlite").path, create: true)
        func run(_ folder: URL) throws -> IndexSummary {
            try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [folder.path])
        }
        var summary = try run(docs)
        #expect(summary.added == 4)
        summary = try run(inner)
        #expect(summary.added == 0 && summary.updated == 0 && summary.unchanged == 3 && summary.chunks == 0)
        summary = try run(docs)
        #expect(summary.added == 0 && summary.updated == 0 && summary.unchanged == 4 && summary.chunks == 0)
        #expect(try store.statistics().files == 4)

        // A change under the inner folder is seen from either root, once.
        try "Inner note 0, now about bread.".write(to: inner.appendingPathComponent("n0.md"), atomically: true, encoding: .utf8)
        summary = try run(docs)
        #expect(summary.updated == 1 && summary.added == 0)
        try FileManager.default.removeItem(at: inner.appendingPathComponent("n1.md"))
        summary = try run(inner)
        #expect(summary.removed == 1 && summary.unchanged == 2)
        #expect(try store.statistics().files == 3)
    }
}
