import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

@Suite(.serialized) struct IVFIndexTests {
    let model = TestSupport.model

    func writePassages(_ range: Range<Int>, in dir: URL) throws {
        let topics = ["rivers", "bread", "taxes", "sorting", "weather", "music", "chess", "gardens"]
        for i in range {
            try "Note \(i) about \(topics[i % topics.count]) and \(topics[(i * 3) % topics.count]) number \(i % 11)."
                .write(to: dir.appendingPathComponent("n\(i).txt"), atomically: true, encoding: .utf8)
        }
    }

    /// 80 passages in `dir/docs`, indexed with an IVF index of 6 lists and fp16 vectors.
    func fp16IVFIndex(in dir: URL) throws -> (store: IndexStore, docs: URL, options: IndexOptions, summary: IndexSummary) {
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try writePassages(0..<80, in: docs)
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("i.sqlite").path, create: true)
        var options = IndexOptions()
        options.ivf = .lists(6)
        options.vectorFormat = .fp16
        let summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        return (store, docs, options, summary)
    }

    @Test func buildsProbesAndFollowsTheCollection() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // fp16 lists, so probing every list must give exactly the exact ranking (8-bit lists, the
        // compact formats', are checked for overlap in VectorFormatTests).
        let setup = try fp16IVFIndex(in: dir)
        let (store, docs) = (setup.store, setup.docs)
        var (options, summary) = (setup.options, setup.summary)
        #expect(summary.ivf == IVFState(layer: 6, dim: 384, nlist: 6, trainedOn: 80))

        let ivf = try #require(try IVFIndex.load(store: store))
        let flat = FlatIndex(try store.vectors(layer: 6, dim: 384))
        for text in ["baking bread", "chess openings", "tax forms"] {
            let q = model.embed([text])[0].final
            let exact = flat.search(q, k: 5).map(\.chunkID)
            let all = try ivf.search(q, nprobe: 6, k: 5)
            #expect(all.hits.map(\.chunkID) == exact)
            #expect(all.scanned == 80)
            let one = try ivf.search(q, nprobe: 1, k: 5)
            #expect(one.scanned < 80 && one.hits.first.map { exact.contains($0.chunkID) } == true)
        }

        // New files are filed under existing lists; deleted ones leave them; nothing is retrained.
        try writePassages(80..<100, in: docs)
        for i in 0..<10 { try FileManager.default.removeItem(at: docs.appendingPathComponent("n\(i).txt")) }
        options.ivf = nil
        summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        #expect(summary.ivf?.trainedOn == 80 && summary.ivf?.nlist == 6)
        let reloaded = try #require(try IVFIndex.load(store: store))
        #expect(try reloaded.search(model.embed(["x"])[0].final, nprobe: 6, k: 1).scanned == 90)

        // Growing past twice the training size retrains.
        try writePassages(100..<200, in: docs)
        summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        #expect(summary.ivf?.trainedOn == 190)

        options.ivf = .off
        summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        #expect(summary.ivf == nil)
        #expect(try IVFIndex.load(store: store) == nil)
    }

    @Test func convertingTheFormatRewritesTheListsToo() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try fp16IVFIndex(in: dir).store
        #expect(try store.vectorQuantizers()[0] == nil, "fp16 lists")
        let query = model.embed(["baking bread"])[0].final
        let before = try #require(try IVFIndex.load(store: store)).search(query, nprobe: 6, k: 5).hits.map(\.chunkID)
        let bytes = try store.usedBytes()

        // To compact: the lists hold 8-bit codes with ranges of their own, and still rank alike.
        try VectorCompaction.convert(store: store, to: .compact)
        #expect(try store.vectorQuantizers()[0]?.bits == 8)
        let compact = try #require(try IVFIndex.load(store: store)).search(query, nprobe: 6, k: 5)
        #expect(compact.scanned == 80 && compact.hits.first?.chunkID == before.first)
        #expect(Set(compact.hits.map(\.chunkID)).intersection(before).count >= 4)
        #expect(try store.usedBytes() < bytes)
        #expect(try store.rewriteIVFEntries(for: .int8) == 0, "already codes: nothing to do")

        // And back: fp16 lists again, the exact ranking when every list is probed.
        try VectorCompaction.convert(store: store, to: .fp16)
        #expect(try store.vectorQuantizers()[0] == nil)
        // The lists come back from their own 8-bit codes and the rows from the layer's (scores differ by
        // about 4e-4), and score through BLAS against the flat index's own scan: alike up to near-ties.
        let back = try #require(try IVFIndex.load(store: store)).search(query, nprobe: 6, k: 5).hits.map { ($0.chunkID, $0.score) }
        let flat = FlatIndex(try store.vectors(layer: 6, dim: 384)).search(query, k: 5).map { ($0.chunkID, $0.score) }
        #expect(RankingAgreement.agree(back, flat, tolerance: 2e-3), "\(back) against \(flat)")
    }

    @Test func autoStaysExactForSmallCollections() throws {
        #expect(IVFIndex.autoListCount(40_000) == 800)
        #expect(IVFSetting("auto") == .auto && IVFSetting("off") == .off && IVFSetting("64") == .lists(64))
        #expect(IVFSetting("0") == nil && IVFSetting("many") == nil)
    }
}
