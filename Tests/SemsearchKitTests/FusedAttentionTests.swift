import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// `FusedAttention` (Attention.h) against softmax(scale · Q Kᵀ) V computed in Double, on every kernel
/// this CPU runs, for head sizes and key counts on both sides of each vector and block boundary.
@Suite struct FusedAttentionTests {
    /// Rows of `width` floats at `stride` (extra floats between rows hold NaN, which must never be read).
    private static func rows(_ count: Int, width: Int, stride: Int, random: inout XorShift, spread: Float) -> [Float] {
        var values = [Float](repeating: .nan, count: max(1, count * stride))
        for r in 0..<count {
            for d in 0..<width { values[r * stride + d] = (Float(random.next() % 20_001) / 10_000 - 1) * spread }
        }
        return values
    }

    @Test func matchesTheDefinitionForEveryShape() throws {
        var random = XorShift(seed: 26)
        var checked = 0
        for headSize in [8, 16, 32, 48, 64] {
            // Asking for AVX-512 where only AVX2 runs gives AVX2 again: each kernel once.
            var seen = Set<Int32>()
            let kernels = [Int32(2), 1].compactMap { FusedAttention(headSize: headSize, kernel: $0) }.filter { seen.insert($0.kernel).inserted }
            if kernels.count == 1 && headSize % 16 == 0 {
                print("FusedAttentionTests: head size \(headSize) checked on \(kernels[0].name) only: this CPU (or SEMSEARCH_INT8_KERNEL) has no other kernel")
            }
            for (queryCount, keyCount) in [(1, 1), (2, 2), (3, 3), (5, 5), (4, 15), (16, 16), (17, 17), (31, 31), (32, 32), (33, 33),
                                           (82, 82), (130, 130), (9, 40)] {
                let stride = 3 * headSize + 5
                let q = Self.rows(queryCount, width: headSize, stride: stride, random: &random, spread: 3)
                let k = Self.rows(keyCount, width: headSize, stride: stride, random: &random, spread: 3)
                let v = Self.rows(keyCount, width: headSize, stride: stride, random: &random, spread: 2)
                let scale = 1 / Float(headSize).squareRoot()
                let want = Self.reference(q, k, v, stride: stride, queries: queryCount, keys: keyCount, headSize: headSize, scale: scale)
                for kernel in kernels where kernel.headSize == headSize {
                    var out = [Float](repeating: .nan, count: queryCount * (headSize + 3))
                    var scratch = [Float](repeating: .nan, count: kernel.scratchCount(keyCount: keyCount))
                    q.withUnsafeBufferPointer { q in
                        k.withUnsafeBufferPointer { k in
                            v.withUnsafeBufferPointer { v in
                                kernel.attend(queries: q.baseAddress!, queryStride: stride, queryCount: queryCount,
                                              keys: k.baseAddress!, values: v.baseAddress!, keyStride: stride, keyCount: keyCount,
                                              scale: scale, into: &out, outStride: headSize + 3, scratch: &scratch)
                            }
                        }
                    }
                    var worst = 0.0
                    for i in 0..<queryCount {
                        for d in 0..<headSize { worst = max(worst, abs(Double(out[i * (headSize + 3) + d]) - want[i * headSize + d])) }
                        for d in headSize..<(headSize + 3) { #expect(out[i * (headSize + 3) + d].isNaN, "\(kernel.name) wrote past a row") }
                    }
                    // fp32 rounding of scores near 10 gives about 3e-6 on values up to 2; a wrong lane gives 0.1 or more.
                    #expect(worst < 1e-5, "\(kernel.name), head \(headSize), \(queryCount) queries × \(keyCount) keys: off by \(worst)")
                    checked += 1
                }
            }
        }
        if checked == 0 { print("FusedAttentionTests: nothing checked: this CPU (or SEMSEARCH_INT8_KERNEL) runs no fused attention kernel") }
    }

    @Test func headSizesOffTheVectorWidthTakeNoKernel() {
        #expect(FusedAttention(headSize: 12) == nil)
        #expect(FusedAttention(headSize: 0) == nil)
        #expect(FusedAttention(headSize: 32, kernel: 0) == nil)
        if let eight = FusedAttention(headSize: 24) { #expect(eight.kernel == 1, "24 floats is three AVX2 vectors, not whole AVX-512 ones") }
    }

    /// softmax(scale · q·k) · v in Double.
    private static func reference(_ q: [Float], _ k: [Float], _ v: [Float], stride: Int, queries: Int, keys: Int, headSize: Int,
                                  scale: Float) -> [Double] {
        var out = [Double](repeating: 0, count: queries * headSize)
        for i in 0..<queries {
            let scores = (0..<keys).map { j in
                Double(scale) * (0..<headSize).reduce(0.0) { $0 + Double(q[i * stride + $1]) * Double(k[j * stride + $1]) }
            }
            let largest = scores.max()!
            let weights = scores.map { Foundation.exp($0 - largest) }
            let total = weights.reduce(0, +)
            for j in 0..<keys {
                for d in 0..<headSize { out[i * headSize + d] += weights[j] / total * Double(v[j * stride + d]) }
            }
        }
        return out
    }
}
