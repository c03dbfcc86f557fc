import CPUFeatures
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

    /// Both widths: the eight-lane Swift kernels and, where the CPU has AVX-512, the sixteen-lane C ones.
    private static func widths() -> [(name: String, gelu: (UnsafeMutablePointer<Float>, Int) -> Void,
                                      softmax: (UnsafeMutablePointer<Float>, Int, Int) -> Void)] {
        var result: [(name: String, gelu: (UnsafeMutablePointer<Float>, Int) -> Void, softmax: (UnsafeMutablePointer<Float>, Int, Int) -> Void)] = [
            ("eight lanes", { Kernels.geluEightLanes($0, count: $1) },
             { p, rows, count in for r in 0..<rows { Kernels.softmaxEightLanes(p + r * count, count: count) } }),
        ]
        if Kernels.sixteenLanes {
            result.append(("sixteen lanes", { Kernels.gelu($0, count: $1) }, { Kernels.softmax($0, rows: $1, count: $2) }))
        } else {
            print("KernelsTests: the sixteen-lane GELU and softmax are not checked: this CPU has no AVX-512 (or SEMSEARCH_INT8_KERNEL caps it)")
        }
        if semsearch_cpu_has_haswell() != 0 {
            // The eight-lane C GELU, with the Swift softmax beside it.
            result.append(("eight lanes in C", { semsearch_gelu_eight_lanes($0, $1) },
                           { p, rows, count in for r in 0..<rows { Kernels.softmaxEightLanes(p + r * count, count: count) } }))
        } else {
            print("KernelsTests: the eight-lane C GELU is not checked: this CPU has no AVX2 and FMA")
        }
        return result
    }

    @Test func geluMatchesTheErfDefinition() {
        let all = Array(stride(from: Float(-9), through: 9, by: 0.0101))
        for width in Self.widths() {
            for count in [all.count, 1, 15, 17] {
                let xs = Array(all.suffix(count))
                var values = xs
                values.withUnsafeMutableBufferPointer { width.gelu($0.baseAddress!, $0.count) }
                for (x, got) in zip(xs, values) {
                    let want = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
                    #expect(abs(Double(got) - want) < 2e-6, "\(width.name): gelu(\(x)) = \(got), want \(want)")
                }
            }
        }
    }

    @Test func gatedGELUMatchesTheTanhDefinition() {
        let widths: [(String, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void)] =
            [("eight lanes", { Kernels.gatedGELUEightLanes($0, into: $1, rows: $2, width: $3) })]
            + (Kernels.sixteenLanes ? [("sixteen lanes", { Kernels.gatedGELU($0, into: $1, rows: $2, width: $3) })] : [])
        for (name, gatedGELU) in widths {
            for width in [1, 15, 17, 1152] {
                let rows = 3
                let gateUp = (0..<(rows * 2 * width)).map { Float(($0 * 7919) % 2001) / 100 - 10 }
                var out = [Float](repeating: .nan, count: rows * width)
                out.withUnsafeMutableBufferPointer { gatedGELU(gateUp, $0.baseAddress!, rows, width) }
                for r in 0..<rows {
                    for j in 0..<width {
                        let g = Double(gateUp[r * 2 * width + j]), u = Double(gateUp[r * 2 * width + width + j])
                        let want = 0.5 * g * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (g + 0.044715 * g * g * g))) * u
                        #expect(abs(Double(out[r * width + j]) - want) < 2e-6 * max(1, abs(u)), "\(name): width \(width), row \(r), \(j)")
                    }
                }
            }
        }
    }

    @Test func softmaxSumsToOneForEveryTailLength() {
        for width in Self.widths() {
            for count in [1, 5, 8, 13, 16, 17, 64, 257] {
                let rows = 3
                let original = (0..<(rows * count)).map { Float(($0 * 37) % 11) - 5 + Float($0 / count) * 40 }
                var values = original
                values.withUnsafeMutableBufferPointer { width.softmax($0.baseAddress!, rows, count) }
                for r in 0..<rows {
                    let row = values[(r * count)..<((r + 1) * count)]
                    let expected = original[(r * count)..<((r + 1) * count)].map { Foundation.exp(Double($0)) }
                    let total = expected.reduce(0, +)
                    #expect(abs(row.reduce(0) { $0 + Double($1) } - 1) < 1e-5, "\(width.name), count \(count), row \(r)")
                    for (got, want) in zip(row, expected) { #expect(abs(Double(got) - want / total) < 1e-6, "\(width.name), count \(count)") }
                }
            }
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
