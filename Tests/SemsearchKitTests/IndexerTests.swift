import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite(.serialized) struct IndexerTests {
    let model = TestSupport.model

    func makeCorpus() throws -> URL {
        let root = try TestSupport.temporaryDirectory()
        let docs = [
            "rivers.md": "# Rivers\n\nThe Rhine flows from the Swiss Alps to the North Sea.\n\n## Delta\n\nIt splits into many branches in the Netherlands.",
            "bread.txt": "Knead the dough, let it rise for an hour, then bake it at 220 degrees.",
            "code/sort.swift": "func sort(_ values: [Int]) -> [Int] {\n    values.sorted()\n}\n",
            "empty.txt": "",
        ]
        try TestCorpus.write(docs, in: root)
        return root
    }

    func options(_ situate: SituateMode = .none, layers: [Int]? = nil) -> IndexOptions {
        var options = IndexOptions()
        options.situate = situate
        options.layers = layers
        return options
    }

    @Test func indexesStoresEveryLayerAndIsIncremental() throws {
        let root = try makeCorpus()
        defer { try? FileManager.default.removeItem(at: root) }
        let db = root.appendingPathComponent(".index.sqlite").path
        let store = try SQLiteIndexStore(path: db, create: true)
        var summary = try Indexer(store: store, model: model, options: options()).index(roots: [root.path])
        #expect(summary.added == 4 && summary.filesSeen == 4 && summary.chunks == 3)
        var stats = try store.statistics()
        #expect(stats.files == 4 && stats.chunks == 3)
        for layer in 1...6 { #expect(try store.vectors(layer: layer, dim: 384).chunkIDs.count == 3) }

        // The stored final-layer vector is the model's embedding of the chunk text.
        let stored = try store.vectors(layer: 6, dim: 384)
        let ids = stored.chunkIDs, matrix = stored.matrix
        let expected = model.embed(["Knead the dough, let it rise for an hour, then bake it at 220 degrees."])[0].final
        let best = (0..<ids.count).map { VectorMath.cosine(matrix[($0 * 384)..<($0 * 384 + 384)], expected) }.max()!
        #expect(best > 0.999)

        summary = try Indexer(store: store, model: model, options: options()).index(roots: [root.path])
        #expect(summary.unchanged == 4 && summary.chunks == 0)

        try "Proof the dough overnight in the fridge.".write(to: root.appendingPathComponent("bread.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: root.appendingPathComponent("code/sort.swift"))
        summary = try Indexer(store: store, model: model, options: options()).index(roots: [root.path])
        #expect(summary.updated == 1 && summary.removed == 1 && summary.unchanged == 2)
        stats = try store.statistics()
        #expect(stats.files == 3 && stats.chunks == 2)
        for layer in 1...6 { #expect(try store.vectors(layer: layer, dim: 64).chunkIDs.count == 2) }
        #expect(try store.removeRoot(root.path))
        #expect(try store.statistics().chunks == 0)
        #expect(try store.vectors(layer: 3, dim: 8).chunkIDs.isEmpty)
    }

    @Test func storesOnlyTheChosenLayersAndRefusesChangedSettings() throws {
        let root = try makeCorpus()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try SQLiteIndexStore(path: root.appendingPathComponent(".index.sqlite").path, create: true)
        _ = try Indexer(store: store, model: model, options: options(layers: [2, 6])).index(roots: [root.path])
        #expect(try store.settings()?.layers == [2, 6])
        #expect(try store.vectors(layer: 3, dim: 384).chunkIDs.isEmpty)
        #expect(try store.vectors(layer: 2, dim: 384).chunkIDs.count == 3)
        #expect(throws: IndexerError.self) { try Indexer(store: store, model: self.model, options: self.options(.header, layers: [2, 6])) }
    }

    @Test func situatingModesChangeTheVectorsAsDesigned() throws {
        let chunk = TextChunk(text: "It splits into many branches.", byteRange: 0..<29, lineStart: 5, lineEnd: 5,
                              heading: "# Rhine › ## Delta", tokenCount: 7)
        #expect(SituatedInput.header(title: "rhine", heading: chunk.heading) == "rhine › Delta")
        let tokenizer = model.tokenizer
        let none = SituatedInput(tokenizer: tokenizer, mode: .none).input(chunk: chunk, title: "rhine")
        let header = SituatedInput(tokenizer: tokenizer, mode: .header).input(chunk: chunk, title: "rhine")
        let late = SituatedInput(tokenizer: tokenizer, mode: .late).input(chunk: chunk, title: "rhine")
        #expect(none.poolRange == nil && header.poolRange == nil)
        #expect(header.ids == late.ids)
        #expect(Array(late.ids[late.poolRange!]) == Array(none.ids.dropFirst().dropLast()))
        let vectors = model.encoder.encode([none.ids, header.ids, late.ids],
                                           poolRanges: [0..<none.ids.count, 0..<header.ids.count, late.poolRange!])
        #expect(VectorMath.cosine(vectors[1].final, vectors[2].final) < 0.9999)
        #expect(VectorMath.cosine(vectors[0].final, vectors[2].final) > 0.8)
    }

    @Test func aDatabaseThatIsNotSQLiteIsReportedNotOverwritten() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.sqlite").path
        let content = Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8)
        try content.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path)) { try SQLiteIndexStore(path: path, create: true) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(throws: StoreError.empty(dir.path + "/missing.sqlite")) { try SQLiteIndexStore(path: dir.path + "/missing.sqlite", create: false) }
    }

    @Test func aSecondIndexerOnTheSameDatabaseIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("index.sqlite").path
        let lock = try IndexLock(databasePath: path)
        #expect(throws: StoreError.self) { try IndexLock(databasePath: path) }
        withExtendedLifetime(lock) {}
    }
}

extension IndexerTests {
    /// A first index stores codes once it holds `earlyCompactionChunks` chunks (and refits as it
    /// doubles) instead of fp16 until the end, so its file stays near its final size.
    @Test func aLargeFirstIndexStoresCodesBeforeItsRunEnds() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let topics = ["rivers", "bread", "glaciers", "lighthouses", "volcanoes", "orchards", "tides", "comets"]
        var files: [String: String] = [:]
        for i in 0..<64 {
            files["docs/note\(i).txt"] = "Note \(i) is about \(topics[i % topics.count]): entry number \(i) of a long notebook."
        }
        try TestCorpus.write(files, in: root)
        let store = try SQLiteIndexStore(path: root.appendingPathComponent("index.sqlite").path, create: true)
        var options = IndexOptions()
        options.commitTokens = 64
        options.earlyCompactionChunks = 16
        var seen: [(chunks: Int, fittedOn: Int?)] = []
        let summary = try Indexer(store: store, model: model, options: options)
            .index(roots: [root.appendingPathComponent("docs").path], progress: { progress in
                guard progress.stage == .embedding else { return }
                seen.append((progress.chunksDone, try? store.layerQuantizers()[6]?.fittedOn))
            })
        #expect(summary.chunks == 64 && seen.count > 4, "\(seen)")
        // Before 16 chunks no quantizer; from 16 on one, refitted when the count doubled.
        #expect(seen.allSatisfy { $0.chunks < 16 ? $0.fittedOn == nil : ($0.fittedOn ?? 0) >= 16 }, "\(seen)")
        #expect(seen.contains { $0.chunks >= 32 && ($0.fittedOn ?? 0) >= 32 }, "refitted at twice the first fit: \(seen)")
        #expect(try store.vectorBytes().perChunk < Double(6 * 384 * 2) / 2, "the stored rows are codes")
        let hit = try Searcher(store: store, model: model).search("comets", options: SearchOptions()).results.first
        #expect(hit.map { $0.chunk.text.contains("comets") } == true)
    }
}
