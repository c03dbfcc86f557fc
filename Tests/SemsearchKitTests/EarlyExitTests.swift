import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite(.serialized) struct EarlyExitTests {
    let model = TestSupport.model

    @Test func theEncoderCanStopEarlyWithTheSameLeadingLayers() {
        let ids = model.tokenize(["early exit keeps the first layers exactly"]).map(\.ids)
        let full = model.encoder.encode(ids, threads: 1)[0]
        let three = model.encoder.encode(ids, threads: 1, depth: 3)[0]
        #expect(three.layerCount == 3 && three.pooled.count == 3 * 384)
        // The same computation; only BLAS's blocking may round the last bit differently.
        for layer in 1...3 {
            #expect(zip(three.raw(layer: layer), full.raw(layer: layer)).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func anEarlyExitIndexStoresOnlyItsLayersCalibratesThemAndRefusesDeeperOnes() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let topics = ["rivers and their deltas", "baking sourdough bread", "sorting algorithms", "mountain weather", "filing tax returns"]
        for i in 0..<60 {
            try "Note \(i) is about \(topics[i % topics.count]), with detail \(i * 7 % 13)."
                .write(to: docs.appendingPathComponent(String(format: "n%03d.txt", i)), atomically: true, encoding: .utf8)
        }
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        var options = IndexOptions()
        options.encodeLayers = 2
        options.calibrationSample = 24
        options.commitTokens = 256  // several batches, so the sample is only part of the corpus
        let summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        let settings = try #require(try store.settings())
        #expect(settings.layers == [1, 2] && settings.encodedLayers == 2)
        #expect(try store.vectorCount(layer: 6) == 0 && store.vectorCount(layer: 2) == 60)
        let sampled = try store.calibrationTargetCount()
        #expect(sampled >= 24 && sampled < 60)
        #expect(summary.calibrated?.map(\.layer) == [1, 2] && summary.calibrated?.first?.targetLayer == 6)

        let searcher = try Searcher(store: store, model: model)
        let response = try searcher.search("baking bread")
        #expect(response.cell.layer == 2 && response.calibrated)
        #expect(response.results.first?.chunk.text.contains("sourdough") == true)
        #expect(throws: SearchError.layerNotEncoded(layer: 6, encoded: 2)) { try searcher.cell(layer: 6, dim: nil) }

        // A later run with another depth is refused rather than mixed in.
        options.encodeLayers = nil
        #expect(throws: IndexerError.self) { try Indexer(store: store, model: model, options: options) }
    }
}
