import Foundation
import SemsearchKit
import SemsearchTestSupport
import Testing

/// The same index in PostgreSQL as in SQLite: what is stored, how it is searched (the server's
/// search of the default cell (a scan, or its IVFFlat index), client-side scans elsewhere, BM25 by the server), locks between
/// writers, and readers following commits by LISTEN/NOTIFY. Against a real server with pgvector.
@Suite(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.skipReason)), .serialized)
struct PostgresIndexStoreTests {
    static let corpus = [
        "bread.md": "# Bread\n\nKnead the dough, let it rise overnight and bake it in a hot oven until the crust is brown.",
        "danube.md": "# Rivers\n\nThe Danube flows from the Black Forest to the Black Sea through ten countries.",
        "tides.md": "# Tides\n\nThe moon's gravity pulls the oceans, which rise and fall twice a day along the coasts.",
        "compiler.md": "# Compilers\n\nA compiler parses source code into a syntax tree, checks types and emits machine code.",
        "notes/garden.md": "# Garden\n\nTomatoes need sun, water at the roots and stakes once the plants grow tall.",
        "notes/xylophone.md": "# Music\n\nThe xylophone is struck with mallets; its wooden bars are tuned by shaving them.",
    ]

    func indexBoth(_ docs: URL, _ sqlitePath: String, _ postgres: String) throws -> (any IndexStore, any IndexStore) {
        let sqlite = try SQLiteIndexStore(path: sqlitePath, create: true)
        let server = try IndexLocation.open(postgres, create: true)
        for store in [sqlite, server] as [any IndexStore] {
            _ = try Indexer(store: store, model: TestSupport.model, options: IndexOptions()).index(roots: [docs.path])
        }
        return (sqlite, server)
    }

    func options(k: Int, layer: Int? = nil, dim: Int? = nil, paths: [String] = [], hybrid: Bool = true) -> SearchOptions {
        var options = SearchOptions()
        options.k = k
        options.layer = layer
        options.dim = dim
        options.paths = paths
        options.hybrid = hybrid
        return options
    }

    func paths(_ response: SearchResponse) -> [String] { response.results.map { ($0.chunk.path as NSString).lastPathComponent } }

    @Test func indexesSearchesAndUpdatesAsSQLiteDoes() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let docs = root.appendingPathComponent("docs")
        try TestCorpus.write(Self.corpus, in: docs)
        let url = TestPostgres.freshIndex("same")
        let (sqlite, server) = try indexBoth(docs, root.appendingPathComponent("index.sqlite").path, url)
        #expect(!server.address.contains("@") || !server.address.contains(":secret"))
        #expect(try server.statistics().files == 6 && server.statistics().chunks == sqlite.statistics().chunks)
        #expect(try server.settings() == sqlite.settings())
        #expect(try server.vectorFormat() == sqlite.vectorFormat())
        #expect(try server.layerQuantizers() == sqlite.layerQuantizers(), "the same vectors fit the same quantizers")

        let a = try Searcher(store: sqlite, model: TestSupport.model), b = try Searcher(store: server, model: TestSupport.model)
        #expect(b.serverIndexedCell == MatryoshkaCell(layer: 6, dim: 384))
        for query in ["baking bread at home", "which river reaches the Black Sea", "how does the moon move the sea", "xylophone"] {
            for hybrid in [false, true] {
                let options = self.options(k: 3, hybrid: hybrid)
                let (x, y) = (try a.search(query, options: options), try b.search(query, options: options))
                #expect(paths(x) == paths(y), "\(query), hybrid \(hybrid)")
                #expect(y.method.vectorDescription == "server exact scan", "below 20,000 chunks the server scans: \(y.method)")
                for (p, q) in zip(x.results, y.results) { #expect(abs(p.score - q.score) < 0.02, "\(query): cosine \(p.score) against \(q.score)") }
            }
            // Another cell: a client-side scan of the stored codes, decoded as SQLite decodes them.
            let small = self.options(k: 3, layer: 3, dim: 128, hybrid: false)
            let (x, y) = (try a.search(query, options: small), try b.search(query, options: small))
            #expect(paths(x) == paths(y) && y.method.vectorDescription == "exact", "\(query) at L3/d128: \(y.method)")
            for (p, q) in zip(x.results, y.results) { #expect(abs(p.score - q.score) < 1e-4) }
        }
        // BM25 by the server ranks like FTS5 on words both tokenize alike.
        let keyword = try server.scoredKeywordSearch("mallets wooden bars", limit: 5)
        let fts = try sqlite.scoredKeywordSearch("mallets wooden bars", limit: 5)
        #expect(keyword.ids.count == fts.ids.count && !keyword.ids.isEmpty)
        #expect(try server.chunks(ids: [keyword.ids[0]]).first?.value.path.hasSuffix("xylophone.md") == true)
        for (s, f) in zip(keyword.scores, fts.scores) { #expect(abs(s - f) / f < 0.35, "BM25 \(s) against FTS5 \(f)") }
        // A path filter reaches the server's search too.
        let filtered = try b.search("which river reaches the Black Sea", options: self.options(k: 3, paths: ["notes/**"], hybrid: false))
        #expect(!filtered.results.isEmpty && filtered.results.allSatisfy { $0.chunk.path.contains("/notes/") })

        // The server's IVFFlat index: with every list probed it answers as the scan does.
        let built = try #require(try server.updateNearestNeighborIndex(.lists(2)))
        let indexed = try server.statistics().chunks
        #expect(built.nlist == 2 && built.trainedOn == indexed)
        let probed = try Searcher(store: IndexLocation.open(url, create: false), model: TestSupport.model)
        for query in ["baking bread at home", "which river reaches the Black Sea"] {
            let (x, y) = (try a.search(query, options: self.options(k: 3, hybrid: false)), try probed.search(query, options: self.options(k: 3, hybrid: false)))
            #expect(paths(x) == paths(y) && y.method.vectorDescription == "server ivfflat probes 2/2", "\(y.method)")
        }
        #expect(try server.updateNearestNeighborIndex(.off) == nil && server.nearestNeighborIndex() == nil)

        // Change one file, delete another: the old chunks, their vectors and their words go.
        try "# Tides\n\nSpring tides come with the full and the new moon.".write(to: docs.appendingPathComponent("tides.md"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: docs.appendingPathComponent("compiler.md"))
        for store in [sqlite, server] {
            let summary = try Indexer(store: store, model: TestSupport.model, options: IndexOptions()).index(roots: [docs.path])
            #expect(summary.updated == 1 && summary.removed == 1)
        }
        let chunks = try server.statistics().chunks
        #expect(chunks == (try sqlite.statistics().chunks))
        for layer in 1...6 { #expect(try server.vectorCount(layer: layer) == chunks, "layer \(layer)") }
        #expect(try server.scoredKeywordSearch("compiler syntax tree", limit: 5).ids.isEmpty)
        let reopened = try Searcher(store: IndexLocation.open(url, create: false), model: TestSupport.model)
        #expect(paths(try reopened.search("spring tide and the full moon", options: self.options(k: 1))) == ["tides.md"])
        #expect(try server.removeRoot(docs.path) && server.statistics().chunks == 0 && server.vectorCount(layer: 6) == 0)
    }

    @Test func indexersOfOtherRootsRunAtOnceAndASecondOnTheSameRootIsRefused() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (left, right) = (root.appendingPathComponent("left"), root.appendingPathComponent("right"))
        try TestCorpus.write(Dictionary(uniqueKeysWithValues: (0..<12).map { ("l\($0).md", "Left note \($0): " + String(repeating: "about bread and rivers and tides. ", count: 20)) }), in: left)
        try TestCorpus.write(Dictionary(uniqueKeysWithValues: (0..<12).map { ("r\($0).md", "Right note \($0): " + String(repeating: "about gardens and music and ships. ", count: 20)) }), in: right)
        let url = TestPostgres.freshIndex("writers")
        let first = try IndexLocation.open(url, create: true), second = try IndexLocation.open(url, create: false)

        let leftLock = try first.lock(for: .indexingRoots([left.path]))
        let rightLock = try second.lock(for: .indexingRoots([right.path]))
        #expect(throws: StoreError.self) { try second.lock(for: .indexingRoots([left.path])) }
        do {
            _ = try IndexLocation.open(url, create: false).lock(for: .indexingRoots([left.path]))
            Issue.record("a second indexer of the same root was let in")
        } catch let error as StoreError {
            #expect(error.description.contains(left.path) && error.description.contains("server pid"), "\(error)")
        }
        #expect(throws: StoreError.self, "a whole-index write waits for no root run") { try IndexLocation.open(url, create: false).lock(for: .indexing) }
        #expect(try IndexLocation.open(url, create: false).lockHolder(for: .indexing) != nil)

        // Both runs at once, each on its own connection, while a third connection searches.
        nonisolated(unsafe) var failures: [String] = []
        let lock = NSLock()
        let group = DispatchGroup()
        for (store, folder) in [(first, left), (second, right)] {
            DispatchQueue.global().async(group: group) {
                do {
                    var options = IndexOptions()
                    options.commitTokens = 256
                    _ = try Indexer(store: store, model: TestSupport.model, options: options).index(roots: [folder.path])
                } catch { lock.withLock { failures.append("\(error)") } }
            }
        }
        let reader = try IndexLocation.open(url, create: false)
        while group.wait(timeout: .now() + 0.05) == .timedOut {
            do { _ = try reader.scoredKeywordSearch("bread", limit: 3); _ = try reader.statistics() } catch { failures.append("search: \(error)") }
        }
        #expect(failures.isEmpty, "\(failures)")
        withExtendedLifetime((leftLock, rightLock)) {}
        let files = try reader.filePaths().map(\.path)
        #expect(files.count == 24 && Set(files).count == 24, "every file once: \(files.count)")
        #expect(try reader.vectorCount(layer: 6) == reader.statistics().chunks)
        #expect(try reader.lockHolder(for: .indexing) != nil, "the locks are still held")
    }

    @Test func aLongLivedReaderLearnsOfCommitsByNotify() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let docs = root.appendingPathComponent("docs")
        try TestCorpus.write(["bread.md": Self.corpus["bread.md"]!], in: docs)
        let url = TestPostgres.freshIndex("notify")
        let writer = try Indexer(store: try IndexLocation.open(url, create: true), model: TestSupport.model, options: IndexOptions())
        _ = try writer.index(roots: [docs.path])
        let live = try LiveSearcher(try Searcher(store: IndexLocation.open(url, create: false), model: TestSupport.model))
        let first = try live.current()
        #expect(try live.current() === first && live.reloads == 0)

        try TestCorpus.write(["danube.md": Self.corpus["danube.md"]!], in: docs)
        _ = try writer.index(roots: [docs.path])
        var waited = 0
        while try live.current() === first, waited < 50 { usleep(20_000); waited += 1 }
        #expect(live.reloads == 1)
        #expect(try live.current().search("where does the Danube end", options: self.options(k: 1)).results.first?.chunk.path.hasSuffix("danube.md") == true)
    }

    @Test func badConnectionsAreOneLineErrorsWithoutThePassword() throws {
        let url = try #require(TestPostgres.url)
        let port = try #require(url.split(separator: ":").last?.split(separator: "/").first.map(String.init))
        func error(_ url: String) -> String {
            do { _ = try IndexLocation.open(url, create: true); return "" } catch { return "\(error)" }
        }
        let wrong = error("postgres://semsearch_pw:not-the-password@127.0.0.1:\(port)/semsearch_test?schema=never")
        #expect(wrong.contains("password authentication failed") && !wrong.contains("not-the-password") && !wrong.contains("\n"), "\(wrong)")
        #expect(wrong.contains("postgres://semsearch_pw@127.0.0.1"), "the URL is shown without its password: \(wrong)")
        let missing = "postgres://semsearch_pw:semsearch-test@127.0.0.1:\(port)/semsearch_test?schema=t_none_\(UUID().uuidString.prefix(6).lowercased())"
        do {
            _ = try IndexLocation.open(missing, create: false)
            Issue.record("opened an index that does not exist")
        } catch let error as StoreError {
            #expect("\(error)".contains("no index at") && !"\(error)".contains("semsearch-test"), "\(error)")
        }
        let unreachable = error("postgres://postgres@127.0.0.1:1/semsearch_test")
        #expect(unreachable.contains("127.0.0.1") && unreachable.contains("refused") && !unreachable.contains("\n"), "\(unreachable)")
        let plain = url.replacingOccurrences(of: "://postgres@", with: "://semsearch_plain@").replacingOccurrences(of: "/semsearch_test", with: "/semsearch_novector")
        let noVector = error(plain)
        #expect(noVector.contains("pgvector") && noVector.contains("semsearch_novector") && !noVector.contains("\n"), "\(noVector)")
        #expect(throws: StoreError.self) { try IndexLocation.open(url + "?schema=Not-Plain", create: true) }
    }
}
