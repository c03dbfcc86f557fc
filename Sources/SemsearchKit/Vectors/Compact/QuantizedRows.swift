import Dispatch
import SemsearchCore

/// Unit vectors held in memory as 8-bit codes (a quarter of fp32, half of fp16), scored against a
/// float query without decoding: with `x[i] = low[i] + step[i] × c[i]`,
/// `q·x = Σ q[i]·low[i] + Σ (q[i]·step[i])·c[i]` — one precomputed bias and one multiply-add a
/// dimension. Scanned whole by `bench search` (its `int8` row); ``dot(_:_:)``-style scoring also
/// reads the IVF lists' 8-bit codes.
public struct QuantizedRows: Sendable {
    public let dim: Int
    public let count: Int
    private let quantizer: VectorQuantizer
    private let codes: [UInt8]

    /// `rows` (`count × dim` floats, row-major), quantized with ranges fitted on them.
    public init(rows: [Float], dim: Int) {
        precondition(dim > 0 && rows.count % dim == 0)
        self.dim = dim
        count = rows.count / dim
        let sampleRows = min(count, 50_000), stride = max(1, count / max(1, sampleRows))
        var sample: [Float] = []
        sample.reserveCapacity(sampleRows * dim)
        for row in Swift.stride(from: 0, to: count, by: stride) { sample.append(contentsOf: rows[(row * dim)..<((row + 1) * dim)]) }
        quantizer = VectorQuantizer.fit(rows: sample, width: dim, bits: 8)
        var codes = [UInt8](repeating: 0, count: rows.count)
        let levels: Float = 255
        for row in 0..<count {
            for i in 0..<dim {
                codes[row * dim + i] = UInt8(min(levels, max(0, ((rows[row * dim + i] - quantizer.low[i]) / quantizer.step[i]).rounded())))
            }
        }
        self.codes = codes
    }

    /// Bytes the codes take in memory.
    public var bytes: Int { codes.count }

    /// The query folded into the codes' scale: weights a dimension and a constant.
    public func prepare(_ query: [Float]) -> (weights: [Float], bias: Float) {
        quantizer.foldedQuery(query)
    }

    /// The approximate dot product of `query` with every row.
    public func scores(_ query: [Float], threads: Int = 2) -> [Float] {
        let prepared = prepare(query)
        var out = [Float](repeating: 0, count: count)
        let parts = max(1, min(threads, count * dim / (1 << 20)))
        let per = (count + parts - 1) / parts
        let dim = self.dim
        codes.withUnsafeBufferPointer { all in
            prepared.weights.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { result in
                    let shared = DisjointWrites(base: result.baseAddress!)
                    nonisolated(unsafe) let c = all.baseAddress!, weights = w.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        for row in (part * per)..<min(count, (part + 1) * per) {
                            shared.base[row] = Self.dot(c + row * dim, weights, dim) + prepared.bias
                        }
                    }
                }
            }
        }
        return out
    }

    /// Σ weights[i] × codes[i], eight lanes at a time.
    static func dot(_ codes: UnsafePointer<UInt8>, _ weights: UnsafePointer<Float>, _ dim: Int) -> Float {
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var i = 0
        let rawCodes = UnsafeRawPointer(codes), rawWeights = UnsafeRawPointer(weights)
        while i + 16 <= dim {
            let c0 = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: rawCodes.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self)))
            let c1 = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: rawCodes.loadUnaligned(fromByteOffset: i + 8, as: SIMD8<UInt8>.self)))
            a.addProduct(c0, rawWeights.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
            b.addProduct(c1, rawWeights.loadUnaligned(fromByteOffset: 4 * (i + 8), as: SIMD8<Float>.self))
            i += 16
        }
        var sum = (a + b).sum()
        while i < dim { sum += Float(codes[i]) * weights[i]; i += 1 }
        return sum
    }
}
