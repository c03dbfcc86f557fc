import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// The searcher over a real index built with the built-in model.
@Suite(.serialized) struct SearcherTests {
    let model = TestSupport.model

    func makeIndex(_ dir: URL, layers: [Int]? = nil) throws -> IndexStore {
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs.appendingPathComponent("cooking"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: docs.appendingPathComponent("travel"), withIntermediateDirectories: true)
        try "# Bread\n\nKnead the sourdough, let it rise overnight, then bake it in a hot oven.\n"
            .write(to: docs.appendingPathComponent("cooking/bread.md"), atomically: true, encoding: .utf8)
        try "# Soup\n\nSimmer onions and carrots in stock for an hour.\n"
            .write(to: docs.appendingPathComponent("cooking/soup.md"), atomically: true, encoding: .utf8)
        try "# Rhine\n\nThe Rhine flows from the Swiss Alps to the North Sea through Germany.\n"
            .write(to: docs.appendingPathComponent("travel/rhine.md"), atomically: true, encoding: .utf8)
        try "# Error codes\n\nThe service answers ERR-7731-QX when the disk quota is exceeded.\n"
            .write(to: docs.appendingPathComponent("travel/codes.txt"), atomically: true, encoding: .utf8)
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        var options = IndexOptions()
        options.layers = layers
        _ = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        return store
    }

    @Test func searchesFindTheRightFileAtAnyCellAndFilterByPath() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try Searcher(store: try makeIndex(dir), model: model)
        let response = try searcher.search("which river runs to the north sea?")
        #expect(response.results.first?.chunk.path.hasSuffix("travel/rhine.md") == true)
        // Hybrid by default: ranked by the fusion, each score still the result's cosine.
        #expect(response.cell == MatryoshkaCell(layer: 6, dim: 384) && response.method == RankingMethod(vectors: .exact, fusesKeywords: true))
        #expect(response.results.map(\.rank) == Array(1...response.results.count))
        #expect(response.results.allSatisfy { $0.score == $0.explanation.vectorScore && $0.explanation.fusedScore != nil })
        var vectorsOnly = SearchOptions()
        vectorsOnly.hybrid = false
        let plain = try searcher.search("which river runs to the north sea?", options: vectorsOnly)
        #expect(plain.method == RankingMethod(vectors: .exact))
        #expect(zip(plain.results, plain.results.dropFirst()).allSatisfy { $0.score >= $1.score })
        var options = SearchOptions()
        options.layer = 3
        options.dim = 64
        options.k = 2
        let small = try searcher.search("baking bread in an oven", options: options)
        #expect(small.cell == MatryoshkaCell(layer: 3, dim: 64) && small.results.count == 2)
        options = SearchOptions()
        options.paths = ["cooking"]
        let filtered = try searcher.search("which river runs to the north sea?", options: options)
        #expect(!filtered.results.isEmpty && filtered.results.allSatisfy { $0.chunk.path.contains("/cooking/") })
    }

    @Test func hybridFindsAnExactIdentifierAndExplainsTheFusion() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try Searcher(store: try makeIndex(dir), model: model)
        var options = SearchOptions()
        options.hybrid = true
        let response = try searcher.search("ERR-7731-QX", options: options)
        let top = try #require(response.results.first)
        #expect(top.chunk.path.hasSuffix("codes.txt"))
        #expect(top.explanation.keywordRank == 1 && top.explanation.fusedScore != nil && top.explanation.vectorScore != nil)
        #expect(response.method.fusesKeywords && response.method.description == "exact + bm25")
        // Ordered by the fusion: the relevance shown never rises down the list and is 1 for a chunk
        // first by meaning and by keywords; the score stays the cosine.
        let relevance = response.results.map(\.relevance)
        #expect(zip(relevance, relevance.dropFirst()).allSatisfy { $0 >= $1 }, "\(relevance)")
        #expect(relevance[0] <= 1.0001 && relevance[0] > 0)
        #expect(response.results.allSatisfy { $0.score == $0.explanation.vectorScore })
        if top.explanation.vectorRank == 1 { #expect(abs(relevance[0] - 1) < 1e-5) }
        var vectorsOnly = options
        vectorsOnly.hybrid = false
        #expect(try searcher.search("ERR-7731-QX", options: vectorsOnly).results.allSatisfy { $0.relevance == $0.score })
    }

    @Test func stopWordsAloneFindNoKeywordMatches() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try makeIndex(dir)
        // "the" and "to" occur in every note: matching on them would rank grammar, not meaning.
        #expect(try store.keywordSearch("what is the", limit: 10).isEmpty)
        #expect(try store.keywordSearch("the sea", limit: 10).count == 1)
        // Words in more chunks than the cap are left out (on a large index, "common" is thousands).
        #expect(try store.scoredKeywordSearch("sea Rhine", limit: 10, allowedFiles: nil, commonWordChunks: 0).ids.isEmpty)
        #expect(try store.scoredKeywordSearch("sea Rhine", limit: 10, allowedFiles: nil, commonWordChunks: 1).ids.count == 1)
        let response = try Searcher(store: store, model: model).search("what is the")
        #expect(!response.results.isEmpty && response.results.allSatisfy { $0.explanation.keywordRank == nil })
    }

    @Test func theFunnelReRanksItsShortlistWithTheFullCell() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try Searcher(store: try makeIndex(dir), model: model)
        var options = SearchOptions()
        options.funnel = MatryoshkaCell(layer: 2, dim: 32)
        let funnel = try searcher.search("simmering vegetables in stock", options: options)
        let exact = try searcher.search("simmering vegetables in stock")
        // The shortlist holds every chunk here, so the re-ranked order is the exact one.
        #expect(funnel.results.map(\.chunk.id) == exact.results.map(\.chunk.id))
        // Exact search scans fp16 copies of the vectors, the re-ranking reads them in fp32: equal to ~1e-3.
        #expect(zip(funnel.results, exact.results).allSatisfy { abs($0.score - $1.score) < 3e-3 })
        #expect(funnel.results.allSatisfy { $0.explanation.shortlistRank != nil })
    }

    @Test func badQueriesAndCellsAreRefusedWithReasons() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let searcher = try Searcher(store: try makeIndex(dir, layers: [2, 6]), model: model)
        #expect(throws: SearchError.emptyQuery) { try searcher.search("   ") }
        let long = String(repeating: "word ", count: 5000)
        #expect(throws: SearchError.queryTooLong(bytes: long.utf8.count, limit: Searcher.maxQueryBytes)) { try searcher.search(long) }
        #expect(throws: SearchError.layerNotStored(layer: 3, stored: [2, 6])) { try searcher.cell(layer: 3, dim: nil) }
        #expect(throws: ModelError.self) { try searcher.cell(layer: 7, dim: nil) }
        #expect(throws: ModelError.self) { try searcher.cell(layer: nil, dim: 385) }
        var options = SearchOptions()
        options.method = .ivf(nprobe: 4)
        #expect(throws: SearchError.noIVFIndex) { try searcher.search("bread", options: options) }
    }

    @Test func anIndexBuiltByAnotherModelIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try makeIndex(dir)
        let tinyDirectory = dir.appendingPathComponent("tiny")
        try TinyBert().write(to: tinyDirectory)
        let tiny = try EmbeddingModel.load(directory: tinyDirectory.path)
        #expect(throws: StoreError.modelMismatch(path: store.address, indexed: model.descriptor.name, requested: "tiny")) {
            try Searcher(store: store, model: tiny)
        }
        let empty = try SQLiteIndexStore(path: dir.appendingPathComponent("empty.sqlite").path, create: true)
        #expect(throws: StoreError.empty(empty.path)) { try Searcher(store: empty, model: model) }
        // Another copy under the same name is told apart from another model.
        let sameName = StoreError.modelMismatch(path: "i.sqlite", indexed: "gemma", requested: "gemma").description
        #expect(sameName.contains("another copy of model gemma") && !sameName.contains("not gemma"), "\(sameName)")
        let otherName = StoreError.modelMismatch(path: "i.sqlite", indexed: "gemma", requested: "tiny").description
        #expect(otherName.contains("indexed with model gemma, not tiny"), "\(otherName)")
    }
}
