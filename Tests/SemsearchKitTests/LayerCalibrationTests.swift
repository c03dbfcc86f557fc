import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

@Suite(.serialized) struct LayerCalibrationTests {
    let model = TestSupport.model

    func passages(_ range: Range<Int>, in dir: URL) throws {
        let topics = ["rivers and their deltas", "baking sourdough bread", "sorting algorithms in code", "mountain weather",
                      "filing tax returns", "training for a marathon", "growing tomatoes", "the history of Rome"]
        for i in range {
            let text = "Note \(i) is about \(topics[i % topics.count]). It mentions detail \(i * 7 % 13) and the place \(i % 17)."
            try text.write(to: dir.appendingPathComponent(String(format: "p%04d.txt", i)), atomically: true, encoding: .utf8)
        }
    }

    @Test func indexingFitsAdaptersThatSearchAppliesAndKeepsThemUntilTheCollectionGrows() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try passages(0..<40, in: docs)
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        let first = try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [docs.path])
        #expect(first.calibrated?.map(\.layer) == [1, 2, 3, 4, 5])
        let adapters = try store.adapters()
        #expect(adapters.count == 5 && adapters[1]?.fittedOn == 40 && adapters[1]?.targetLayer == 6)
        // An adapter brings layer 1 closer to the final embedding than the raw layer is.
        let raw = try store.vectors(layer: 1, dim: 384), final = try store.vectors(layer: 6, dim: 384)
        var rawResidual = 0.0
        for i in 0..<raw.matrix.count { let d = Double(raw.matrix[i] - final.matrix[i]); rawResidual += d * d }
        rawResidual /= Double(raw.chunkIDs.count)
        #expect(adapters[1]!.residual < rawResidual / 2, "\(adapters[1]!.residual) vs raw \(rawResidual)")

        let searcher = try Searcher(store: store, model: model)
        var options = SearchOptions()
        options.layer = 2
        options.dim = 128
        let calibrated = try searcher.search("how to bake bread", options: options)
        #expect(calibrated.calibrated && calibrated.results.first?.chunk.text.contains("sourdough") == true)
        options.calibrated = false
        #expect(try searcher.search("how to bake bread", options: options).calibrated == false)
        options.layer = 6
        options.calibrated = true
        #expect(try searcher.search("how to bake bread", options: options).calibrated == false)

        // A calibrated query vector is the adapter applied to v(layer, full width), cut and renormalized.
        let embedding = try searcher.embed("rivers")
        let cell = MatryoshkaCell(layer: 2, dim: 64)
        let expected = adapters[2]!.vector(embedding.vector(layer: 2, dim: 384), dim: 64)
        #expect(try searcher.queryVector(embedding, cell: cell) == expected)
        #expect(abs(expected.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5 && expected.count == 64, "cut, then renormalized")
        #expect(VectorMath.cosine(expected, embedding.vector(layer: 2, dim: 64)) < 0.9999, "the adapter moved the vector")

        // With principal axes, the last layer gets its rotation and full-width scores do not move.
        let rotated = try LayerCalibration.fit(store: store, principalAxes: true)
        let remembered = try store.meta(.calibrationRotates)
        #expect(rotated.map(\.layer) == [1, 2, 3, 4, 5, 6] && remembered == true)
        let turned = try Searcher(store: store, model: model)
        var full = SearchOptions()
        full.k = 3
        let withRotation = try turned.search("how to bake bread", options: full)
        full.calibrated = false
        let without = try turned.search("how to bake bread", options: full)
        // The rotated rows are rounded to fp16 in another basis: the same ranking up to near-ties.
        #expect(withRotation.calibrated)
        #expect(RankingAgreement.agree(withRotation.results.map { ($0.chunk.id, $0.relevance) }, without.results.map { ($0.chunk.id, $0.relevance) },
                                       tolerance: 3e-3))
        #expect(zip(withRotation.results, without.results).allSatisfy { abs($0.score - $1.score) < 3e-3 })
        _ = try LayerCalibration.fit(store: store, principalAxes: false)

        // A small change keeps the adapters; growing by more than a fifth refits them.
        try passages(40..<44, in: docs)
        let second = try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [docs.path])
        let kept = try store.adapters()
        #expect(second.calibrated == nil && kept[1]?.fittedOn == 40)
        try passages(44..<60, in: docs)
        let third = try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [docs.path])
        let refitted = try store.adapters()
        #expect(third.calibrated?.count == 5 && refitted[1]?.fittedOn == 60)
    }

    @Test func anIndexWithoutTheLastLayerCannotBeCalibrated() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try passages(0..<20, in: docs)
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        var options = IndexOptions()
        options.layers = [1, 3]
        let summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        let none = try store.adapters()
        #expect(summary.calibrated == nil && none.isEmpty)
        #expect(throws: CalibrationError.targetLayerMissing(6)) { try LayerCalibration.fit(store: store) }
    }
}
