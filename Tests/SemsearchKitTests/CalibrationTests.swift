import Foundation
import Testing
import SemsearchKit

@Suite struct RidgeRegressionTests {
    @Test func recoversAKnownAffineMap() throws {
        let p = 12, q = 5, n = 400
        var rng = SplitMix64(seed: 3)
        let weights = (0..<(q * p)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bias = (0..<q).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        let truth = LinearMap(inputDim: p, outputDim: q, weights: weights, bias: bias)
        let inputs = (0..<(n * p)).map { _ in Float.random(in: -1...1, using: &rng) }
        let targets = truth.apply(rows: inputs, count: n)
        let fit = try RidgeRegression.fit(inputs: inputs, targets: targets, count: n, inputDim: p, outputDim: q, lambda: 1e-7)
        for i in 0..<(q * p) { #expect(abs(fit.map.weights[i] - weights[i]) < 1e-3, "w[\(i)]") }
        for j in 0..<q { #expect(abs(fit.map.bias[j] - bias[j]) < 1e-3, "b[\(j)]") }
        #expect(fit.meanSquaredResidual < 1e-6)
    }

    @Test func ridgeShrinksTowardsTheMeanAndRefusesTooFewRows() throws {
        let p = 4, n = 64
        var rng = SplitMix64(seed: 11)
        let inputs = (0..<(n * p)).map { _ in Float.random(in: -1...1, using: &rng) }
        let targets = (0..<n).map { r in inputs[r * p] * 2 + 1 }
        let loose = try RidgeRegression.fit(inputs: inputs, targets: targets, count: n, inputDim: p, outputDim: 1, lambda: 1e-6)
        let tight = try RidgeRegression.fit(inputs: inputs, targets: targets, count: n, inputDim: p, outputDim: 1, lambda: 100)
        #expect(abs(loose.map.weights[0] - 2) < 1e-3)
        #expect(abs(tight.map.weights[0]) < abs(loose.map.weights[0]) && tight.meanSquaredResidual > loose.meanSquaredResidual)
        #expect(throws: CalibrationError.tooFewSamples(8)) {
            try RidgeRegression.fit(inputs: Array(inputs.prefix(8 * p)), targets: Array(targets.prefix(8)), count: 8, inputDim: p, outputDim: 1)
        }
    }
}

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
        let store = try IndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
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
        let remembered = try store.meta("calibration_pca")
        #expect(rotated.map(\.layer) == [1, 2, 3, 4, 5, 6] && remembered == "1")
        let turned = try Searcher(store: store, model: model)
        var full = SearchOptions()
        full.k = 3
        let withRotation = try turned.search("how to bake bread", options: full)
        full.calibrated = false
        let without = try turned.search("how to bake bread", options: full)
        #expect(withRotation.calibrated && withRotation.results.map(\.chunk.id) == without.results.map(\.chunk.id))
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
        let store = try IndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
        var options = IndexOptions()
        options.layers = [1, 3]
        let summary = try Indexer(store: store, model: model, options: options).index(roots: [docs.path])
        let none = try store.adapters()
        #expect(summary.calibrated == nil && none.isEmpty)
        #expect(throws: CalibrationError.targetLayerMissing(6)) { try LayerCalibration.fit(store: store) }
    }
}

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
        let store = try IndexStore(path: dir.appendingPathComponent("index.sqlite").path, create: true)
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

@Suite struct PrincipalAxesTests {
    @Test func theRotationIsOrthogonalAndPutsTheWidestDirectionFirst() throws {
        let dim = 6, count = 500
        var rng = SplitMix64(seed: 5)
        let spread: [Float] = [1, 0.2, 0.1, 3, 0.05, 0.5]  // dimension 3 varies most, then 0, then 5
        let rows = (0..<(count * dim)).map { i in Float.random(in: -1...1, using: &rng) * spread[i % dim] }
        let rotation = try PrincipalAxes.rotation(of: rows, count: count, dim: dim)
        #expect(abs(abs(rotation.weights[0 * dim + 3]) - 1) < 0.01)
        #expect(abs(abs(rotation.weights[1 * dim + 0]) - 1) < 0.01)
        #expect(abs(abs(rotation.weights[2 * dim + 5]) - 1) < 0.02)
        for a in 0..<dim {
            for b in 0..<dim {
                let dot = (0..<dim).reduce(Float(0)) { $0 + rotation.weights[a * dim + $1] * rotation.weights[b * dim + $1] }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-4)
            }
        }
        // Full-width dot products survive the rotation.
        let x = Array(rows[0..<dim]), y = Array(rows[dim..<(2 * dim)])
        let before = zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let after = zip(rotation.apply(x), rotation.apply(y)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(before - after) < 1e-4)
    }

    @Test func composedMapsApplyOneAfterTheOther() {
        let first = LinearMap(inputDim: 2, outputDim: 3, weights: [1, 2, 0, 1, 3, 0], bias: [1, 0, -1])
        let second = LinearMap(inputDim: 3, outputDim: 2, weights: [1, 0, 1, 0, 2, 0], bias: [0.5, 0])
        let x: [Float] = [2, -1]
        #expect(first.followed(by: second).apply(x) == second.apply(first.apply(x)))
    }
}
