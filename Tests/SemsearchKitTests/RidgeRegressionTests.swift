import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

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
