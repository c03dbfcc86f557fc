import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct KernelsTests {
    @Test func expIsAccurateAcrossItsRange() {
        var worst: Double = 0
        var x: Float = -80
        while x < 80 {
            let values = Kernels.Vector((0..<8).map { x + Float($0) * 0.013 })
            let got = Kernels.exp(values)
            for lane in 0..<8 {
                let want = Foundation.exp(Double(values[lane]))
                worst = max(worst, abs(Double(got[lane]) - want) / want)
            }
            x += 0.37
        }
        #expect(worst < 3e-7)
    }

    @Test func geluMatchesTheErfDefinition() {
        let xs = stride(from: Float(-9), through: 9, by: 0.0101).map { $0 }
        var values = xs
        values.withUnsafeMutableBufferPointer { Kernels.gelu($0.baseAddress!, count: $0.count) }
        for (x, got) in zip(xs, values) {
            let want = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            #expect(abs(Double(got) - want) < 2e-6, "gelu(\(x)) = \(got), want \(want)")
        }
    }

    @Test func softmaxSumsToOneForEveryTailLength() {
        for count in [1, 5, 8, 13, 64, 257] {
            var row = (0..<count).map { Float(($0 * 37) % 11) - 5 }
            let expected = row.map { Foundation.exp(Double($0)) }
            let total = expected.reduce(0, +)
            row.withUnsafeMutableBufferPointer { Kernels.softmax($0.baseAddress!, count: count) }
            #expect(abs(row.reduce(0) { $0 + Double($1) } - 1) < 1e-5)
            for (got, want) in zip(row, expected) { #expect(abs(Double(got) - want / total) < 1e-6) }
        }
    }

    @Test func layerNormCentersAndScales() {
        let count = 13
        var row = (0..<count).map { Float($0) * 1.5 + 3 }
        let scale = [Float](repeating: 2, count: count), bias = [Float](repeating: 1, count: count)
        row.withUnsafeMutableBufferPointer { p in
            Kernels.layerNorm(p.baseAddress!, count: count, scale: scale, bias: bias, epsilon: 1e-12)
        }
        let normalized = row.map { ($0 - 1) / 2 }
        let mean = normalized.reduce(0, +) / Float(count)
        let variance = normalized.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(count)
        #expect(abs(mean) < 1e-5)
        #expect(abs(variance - 1) < 1e-4)
    }
}
