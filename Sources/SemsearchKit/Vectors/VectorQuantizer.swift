import Foundation
import SemsearchCore

/// Scalar quantization of one layer's vectors: each dimension's range, fitted on the index's own
/// vectors, cut into 2^bits steps, where each dimension has its own bit width (4 to 8; codes
/// packed with no gaps, in dimension order, so a Matryoshka prefix of the vector is a prefix of
/// its codes). A stored code `c` stands for `low[i] + step[i] × c`. Below 8 bits the extreme
/// values at each end of a dimension are clipped (0.5% with 4 bits, 0.2% with 5, 0.1% with 6,
/// 0.05% with 7), which spends the few steps where the values are. Queries are never quantized: a
/// search compares the float query with the decoded vectors (or, for IVF lists, with the codes
/// and the ranges folded into the query).
///
/// With a ``LayerPrediction`` the codes hold what the next deeper stored layer does not predict:
/// `x[i] = weight[i] × base[i] + low[i] + step[i] × c`, where `base` is that layer's vector as
/// decoded (``LayerQuantizers`` runs the chain).
public struct VectorQuantizer: Sendable, Equatable {
    /// Bits of each dimension's code.
    public let widths: [UInt8]
    public let low: [Float]
    public let step: [Float]
    /// Vectors in the collection when the ranges were fitted (a refit compares against it); for the
    /// IVF lists' quantizer, the training sample it was fitted on.
    public let fittedOn: Int
    /// How the vector is predicted from a deeper layer's, when it is.
    public let prediction: LayerPrediction?
    /// Where each dimension's code starts, in bits from the first byte; one more entry holds the total.
    private let offsets: [Int]

    public var width: Int { low.count }

    /// The bit width every dimension shares, or nil when they differ.
    public var bits: Int? {
        guard let first = widths.first, widths.allSatisfy({ $0 == first }) else { return nil }
        return Int(first)
    }

    public init(widths: [UInt8], low: [Float], step: [Float], fittedOn: Int, prediction: LayerPrediction? = nil) {
        precondition(widths.allSatisfy { (4...8).contains($0) }, "4- to 8-bit codes")
        precondition(low.count == step.count && widths.count == low.count)
        precondition(prediction.map { $0.weights.count == low.count } ?? true)
        self.widths = widths
        self.prediction = prediction
        self.low = low
        self.step = step
        self.fittedOn = fittedOn
        var offsets = [Int](repeating: 0, count: widths.count + 1)
        for (i, bits) in widths.enumerated() { offsets[i + 1] = offsets[i] + Int(bits) }
        self.offsets = offsets
    }

    /// A quantizer whose dimensions all take `bits`.
    public init(bits: Int, low: [Float], step: [Float], fittedOn: Int) {
        self.init(widths: [UInt8](repeating: UInt8(bits), count: low.count), low: low, step: step, fittedOn: fittedOn)
    }

    /// This quantizer's ranges, recorded as fitted on `count` vectors.
    public func recorded(fittedOn count: Int) -> VectorQuantizer {
        VectorQuantizer(widths: widths, low: low, step: step, fittedOn: count, prediction: prediction)
    }

    /// This quantizer with `prediction`.
    public func predicting(with prediction: LayerPrediction?) -> VectorQuantizer {
        VectorQuantizer(widths: widths, low: low, step: step, fittedOn: fittedOn, prediction: prediction)
    }

    /// Fits each dimension's range on `rows` (`count × width` values, row-major), `bits` for every dimension.
    public static func fit(rows: [Float], width: Int, bits: Int) -> VectorQuantizer {
        fit(rows: rows, widths: [UInt8](repeating: UInt8(bits), count: width))
    }

    /// Fits each dimension's range on `rows` (`count × widths.count` values, row-major), for codes
    /// of `widths[i]` bits at dimension `i`.
    public static func fit(rows: [Float], widths: [UInt8]) -> VectorQuantizer {
        let width = widths.count
        let count = rows.count / width
        precondition(count > 0)
        var low = [Float](repeating: 0, count: width), step = [Float](repeating: 0, count: width)
        var column = [Float](repeating: 0, count: count)
        for dimension in 0..<width {
            for row in 0..<count { column[row] = rows[row * width + dimension] }
            column.sort()
            let bits = Int(widths[dimension])
            let cut = Int(Double(count - 1) * clippedShare(bits: bits))
            let lo = column[cut], hi = column[count - 1 - cut]
            low[dimension] = lo
            // A constant dimension still gets a usable step.
            step[dimension] = max((hi - lo) / Float((1 << bits) - 1), 1e-9)
        }
        return VectorQuantizer(widths: widths, low: low, step: step, fittedOn: count)
    }

    /// The share of values clipped at each end of a dimension with `bits`-bit codes.
    static func clippedShare(bits: Int) -> Double {
        switch bits {
        case 4: return 0.005
        case 5: return 0.002
        case 6: return 0.001
        case 7: return 0.0005
        default: return 0
        }
    }

    /// Bytes of one encoded vector.
    public var codeBytes: Int { (offsets[width] + 7) / 8 }

    /// Bytes of the codes of the first `dim` dimensions (what a search at that dim reads).
    public func prefixBytes(dim: Int) -> Int { (offsets[min(dim, width)] + 7) / 8 }

    /// `vector` (`width` values) as codes, packed from the lowest bit of the first byte; `base` is
    /// the deeper layer's decoded vector when the quantizer predicts from it.
    public func encode<C: Collection<Float>>(_ vector: C, base: [Float]? = nil) -> Data {
        precondition(vector.count == width)
        precondition(prediction == nil || base?.count == width, "a predicted layer is encoded with its base")
        // One spare byte, so every code can be written as two bytes; dropped before returning.
        var bytes = [UInt8](repeating: 0, count: codeBytes + 1)
        for (i, original) in vector.enumerated() {
            let value = prediction.map { original - $0.weights[i] * base![i] } ?? original
            let levels = Float((1 << Int(widths[i])) - 1)
            let code = UInt16(min(levels, max(0, ((value - low[i]) / step[i]).rounded())))
            let offset = offsets[i], shifted = code << UInt16(offset % 8)
            bytes[offset / 8] |= UInt8(truncatingIfNeeded: shifted)
            bytes[offset / 8 + 1] |= UInt8(truncatingIfNeeded: shifted >> 8)
        }
        return Data(bytes.prefix(codeBytes))
    }

    /// Decodes the first `count` dimensions of the codes at `codes` into `out`; `base` (at least
    /// `count` values) is the deeper layer's decoded vector when the quantizer predicts from it.
    public func decode(_ codes: UnsafeRawPointer, count: Int, base: UnsafePointer<Float>? = nil, into out: UnsafeMutablePointer<Float>) {
        let bytes = codes.assumingMemoryBound(to: UInt8.self)
        if bits == 8 {
            for i in 0..<count { out[i] = low[i] + step[i] * Float(bytes[i]) }
        } else {
            let last = codeBytes - 1
            for i in 0..<count {
                let offset = offsets[i], byte = offset / 8
                let mask = UInt16((1 << Int(widths[i])) - 1)
                let pair = UInt16(bytes[byte]) | (byte < last ? UInt16(bytes[byte + 1]) << 8 : 0)
                out[i] = low[i] + step[i] * Float((pair >> UInt16(offset % 8)) & mask)
            }
        }
        if let prediction {
            precondition(base != nil, "a predicted layer is decoded with its base")
            for i in 0..<count { out[i] += prediction.weights[i] * base![i] }
        }
    }

    /// `query` folded into the codes' scale, so `q·x = bias + Σ weights[i] · c[i]` scores codes
    /// without decoding them (an unpredicted quantizer; `query` at most `width` long).
    public func foldedQuery(_ query: [Float]) -> (weights: [Float], bias: Float) {
        var bias: Float = 0
        var weights = [Float](repeating: 0, count: query.count)
        for i in query.indices {
            weights[i] = query[i] * step[i]
            bias += query[i] * low[i]
        }
        return (weights, bias)
    }

    /// Decodes a whole encoded vector; `base` as for ``decode(_:count:base:into:)``.
    public func decode(_ codes: Data, base: [Float]? = nil) -> [Float] {
        var out = [Float](repeating: 0, count: width)
        codes.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { out in
                if let base {
                    base.withUnsafeBufferPointer { decode(raw.baseAddress!, count: width, base: $0.baseAddress!, into: out.baseAddress!) }
                } else {
                    decode(raw.baseAddress!, count: width, into: out.baseAddress!)
                }
            }
        }
        return out
    }

    /// The values as stored in the database: low and step as fp32 BLOBs, the widths a byte each
    /// (nil when every dimension has the same width, which the `bits` column then holds).
    var lowBlob: Data { low.withUnsafeBytes { Data($0) } }
    var stepBlob: Data { step.withUnsafeBytes { Data($0) } }
    var widthsBlob: Data? { bits == nil ? Data(widths) : nil }
    /// The `bits` column: the common width, or the widest when they differ.
    var bitsColumn: Int { Int(widths.max() ?? 8) }
}
