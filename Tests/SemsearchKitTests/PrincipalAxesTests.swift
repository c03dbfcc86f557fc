import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

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
