import Foundation
import Testing
import SemsearchKit

@Suite struct IgnoreRulesTests {
    @Test func followsGitignoreSemantics() {
        let rules = IgnoreRules("""
        # comment
        *.log
        !keep.log
        build/
        /top.txt
        docs/**/draft-*.md
        **/cache
        [abc].tmp
        """)
        func ignored(_ path: String, dir: Bool = false) -> Bool { rules.verdict(relativePath: path, isDirectory: dir) ?? false }
        #expect(ignored("debug.log") && ignored("sub/deep/x.log"))
        #expect(!ignored("keep.log"))
        #expect(ignored("build", dir: true) && !ignored("build"))
        #expect(ignored("top.txt") && !ignored("sub/top.txt"))
        #expect(ignored("docs/draft-1.md") && ignored("docs/a/b/draft-2.md") && !ignored("docs/final.md"))
        #expect(ignored("x/y/cache", dir: true) && ignored("cache"))
        #expect(ignored("a.tmp") && !ignored("d.tmp"))
        #expect(rules.verdict(relativePath: "notes.md", isDirectory: false) == nil)
    }
}

@Suite struct CrawlerAndExtractorTests {
    @Test func crawlSkipsHiddenIgnoredOversizedAndLoops() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("a.md", "# A")
        try write("sub/b.txt", "b")
        try write("sub/skip.log", "log")
        try write(".hidden/c.md", "c")
        try write(".git/config", "x")
        try write("node_modules/d.js", "d")
        try write(".gitignore", "node_modules/\n")
        try write("sub/.semsearchignore", "*.log\n")
        try write("big.txt", String(repeating: "x", count: 2000))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("sub/loop").path, withDestinationPath: root.path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path, withDestinationPath: "/nonexistent/file")
        let report = try Crawler(maxFileSize: 1000).crawl(root: root.path)
        #expect(report.files.map { String($0.path.dropFirst(root.path.count + 1)) } == ["a.md", "sub/b.txt"])
        #expect(report.skipped[.symlinkLoop] == 1)
        #expect(report.skipped[.tooLarge] == 1)
        #expect((report.skipped[.ignored] ?? 0) == 2)
        #expect(report.warnings.contains { $0.contains("broken symbolic link") })
        #expect(throws: IngestError.rootNotFound("/nonexistent/root")) { try Crawler().crawl(root: "/nonexistent/root") }
    }

    @Test func extractorRefusesBinaryAndToleratesAFewBadBytes() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("image.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13]).write(to: binary)
        #expect(throws: IngestError.binary(binary.path)) { try Extractor().extract(path: binary.path) }
        let latin1 = dir.appendingPathComponent("latin1.txt")
        try Data([0xE9, 0xE8, 0xFF, 0xFE, 0x41, 0x42]).write(to: latin1)
        #expect(throws: IngestError.notText(latin1.path)) { try Extractor().extract(path: latin1.path) }
        let mostlyText = dir.appendingPathComponent("mostly.txt")
        try (Data(String(repeating: "good text ", count: 100).utf8) + Data([0xFF]) + Data(" end".utf8)).write(to: mostlyText)
        let document = try Extractor().extract(path: mostlyText.path)
        #expect(document.hadInvalidUTF8 && document.text.hasSuffix("\u{FFFD} end"))
        let html = dir.appendingPathComponent("page.html")
        try "<html><head><style>p{}</style><script>x()</script></head><body><h1>Title</h1><p>Fish &amp; chips</p></body></html>"
            .write(to: html, atomically: true, encoding: .utf8)
        let page = try Extractor().extract(path: html.path)
        #expect(page.text == "# Title\n\nFish & chips")
        #expect(page.kind == .markdown)
    }
}

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
        for (path, text) in docs {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
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
        let store = try IndexStore(path: db, create: true)
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
        let store = try IndexStore(path: root.appendingPathComponent(".index.sqlite").path, create: true)
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
        #expect(throws: StoreError.notADatabase(path)) { try IndexStore(path: path, create: true) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(throws: StoreError.empty(dir.path + "/missing.sqlite")) { try IndexStore(path: dir.path + "/missing.sqlite", create: false) }
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

@Suite struct FlatSearchTests {
    @Test func topKIsTheSortedPrefix() {
        let scores: [Float] = [0.1, 0.9, -0.3, 0.9, 0.5, 0.7, 0.2]
        #expect(TopK.select(scores, k: 3) == [1, 3, 5])
        #expect(TopK.select(scores, k: 10) == [1, 3, 5, 4, 6, 0, 2])
        #expect(TopK.select([], k: 3).isEmpty)
    }

    @Test func flatSearchRanksByCosineAndMixBlendsTheDocumentMean() {
        var vectors = StoredVectors(dim: 2, chunkIDs: [10, 11, 12], fileIDs: [1, 1, 2],
                                    matrix: [1, 0, 0, 1, 0.6, 0.8])
        let hits = FlatIndex(vectors).search([1, 0], k: 2)
        #expect(hits.map { $0.chunkID } == [10, 12])
        #expect(abs(hits[0].score - 1) < 1e-6)
        vectors = vectors.mixed(beta: 1)
        // File 1's mean direction is (1,1)/√2; chunk 10 moves towards it.
        let x: Float = vectors.matrix[0], y: Float = vectors.matrix[1]
        let norm: Float = x * x + y * y
        #expect(abs(norm - 1) < 1e-5)
        #expect(y > 0.3 && x > y)
    }
}

@Suite(.serialized) struct IndexIdentityTests {
    let model = TestSupport.model

    @Test func unreadableSettingsAreRefusedAndLeftUnchanged() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try "The Rhine flows from the Swiss Alps to the North Sea.".write(to: root.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let db = root.appendingPathComponent(".index.sqlite").path
        let store = try IndexStore(path: db, create: true)
        _ = try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [root.path])
        let vectors = try store.vectorCount(layer: 6)
        #expect(vectors == 1)
        try store.setMeta("settings", #"{"model": 42}"#)

        #expect(throws: StoreError.self) { try store.settings() }
        #expect {
            try Indexer(store: store, model: self.model, options: IndexOptions())
        } throws: { error in
            guard case StoreError.unreadableSettings = error else { return false }
            return !"\(error)".contains("\n")
        }
        #expect(throws: StoreError.self) { try Searcher(store: store, model: self.model) }
        #expect(try store.meta("settings") == #"{"model": 42}"#, "nothing was written over the old settings")
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
        let store = try IndexStore(path: root.appendingPathComponent("index.sqlite").path, create: true)
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
