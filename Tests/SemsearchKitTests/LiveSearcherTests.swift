import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing

/// A long-lived searcher follows commits made through another connection, as another process's
/// index run makes them, and marks results whose files changed since indexing.
@Suite(.serialized) struct LiveSearcherTests {
    @Test func anotherConnectionsCommitReloadsTheSearcherAndChangedFilesAreStale() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let docs = root.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let bread = docs.appendingPathComponent("bread.md")
        try "# Bread\n\nKnead the dough and bake it.".write(to: bread, atomically: true, encoding: .utf8)
        let db = root.appendingPathComponent("index.sqlite").path
        let writer = try Indexer(store: try SQLiteIndexStore(path: db, create: true), model: TestSupport.model, options: IndexOptions())
        _ = try writer.index(roots: [docs.path])

        let live = try LiveSearcher(try Searcher(store: try SQLiteIndexStore(path: db, create: false), model: TestSupport.model))
        let first = try live.current()
        #expect(try first.search("baking bread").results.first?.isStale == false)
        #expect(try live.current() === first && live.reloads == 0, "nothing changed: the same searcher")

        try "The Danube ends in the Black Sea.".write(to: docs.appendingPathComponent("danube.md"), atomically: true, encoding: .utf8)
        _ = try writer.index(roots: [docs.path])
        let second = try live.current()
        #expect(second !== first && live.reloads == 1)
        #expect(try second.search("where does the Danube end").results.first?.chunk.path.hasSuffix("danube.md") == true)

        // Edited after indexing: still found, but marked.
        try "# Bread\n\nKnead the dough, let it rise overnight, and bake it.".write(to: bread, atomically: true, encoding: .utf8)
        #expect(try live.current().search("baking bread").results.first?.isStale == true)

        try FileManager.default.removeItem(atPath: db)
        #expect(throws: StoreError.empty(db)) { try live.current() }
    }
}
