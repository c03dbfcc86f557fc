import Foundation
import SemsearchCore

/// Scalar quantization of one layer's vectors: each dimension's range, fitted on the index's own
/// vectors, cut into 2^bits steps (4, 5 or 8 bits, packed with no gaps). A stored code `c` stands
/// for `low[i] + step[i] × c`. Below 8 bits the extreme values at each end of a dimension are
/// clipped (0.5% with 4 bits, 0.2% with 5), which spends the few steps where the values are.
/// Queries are never quantized: a search compares the float query with decoded vectors.
public struct VectorQuantizer: Sendable, Equatable {
    public let bits: Int
    public let low: [Float]
    public let step: [Float]
    /// Vectors the ranges were fitted on.
    public let fittedOn: Int

    public var width: Int { low.count }

    public init(bits: Int, low: [Float], step: [Float], fittedOn: Int) {
        precondition([4, 5, 8].contains(bits), "4-, 5- or 8-bit codes")
        precondition(low.count == step.count)
        self.bits = bits
        self.low = low
        self.step = step
        self.fittedOn = fittedOn
    }

    /// Fits each dimension's range on `rows` (`count × width` values, row-major).
    public static func fit(rows: [Float], width: Int, bits: Int) -> VectorQuantizer {
        let count = rows.count / width
        precondition(count > 0)
        let levels = Float((1 << bits) - 1)
        let clip = bits == 4 ? 0.005 : bits == 5 ? 0.002 : 0
        var low = [Float](repeating: 0, count: width), step = [Float](repeating: 0, count: width)
        var column = [Float](repeating: 0, count: count)
        for dimension in 0..<width {
            for row in 0..<count { column[row] = rows[row * width + dimension] }
            column.sort()
            let cut = Int(Double(count - 1) * clip)
            let lo = column[cut], hi = column[count - 1 - cut]
            low[dimension] = lo
            // A constant dimension still gets a usable step.
            step[dimension] = max((hi - lo) / levels, 1e-9)
        }
        return VectorQuantizer(bits: bits, low: low, step: step, fittedOn: count)
    }

    /// Bytes of one encoded vector.
    public var codeBytes: Int { (width * bits + 7) / 8 }

    /// `vector` (`width` values) as codes, `bits` each, packed from the lowest bit of the first byte.
    public func encode<C: Collection<Float>>(_ vector: C) -> Data {
        precondition(vector.count == width)
        let levels = Float((1 << bits) - 1)
        // One spare byte, so every code can be written as two bytes; dropped before returning.
        var bytes = [UInt8](repeating: 0, count: codeBytes + 1)
        for (i, value) in vector.enumerated() {
            let code = UInt16(min(levels, max(0, ((value - low[i]) / step[i]).rounded())))
            let offset = i * bits, shifted = code << UInt16(offset % 8)
            bytes[offset / 8] |= UInt8(truncatingIfNeeded: shifted)
            bytes[offset / 8 + 1] |= UInt8(truncatingIfNeeded: shifted >> 8)
        }
        return Data(bytes.prefix(codeBytes))
    }

    /// Decodes the first `count` dimensions of the codes at `codes` into `out`.
    public func decode(_ codes: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let bytes = codes.assumingMemoryBound(to: UInt8.self)
        if bits == 8 {
            for i in 0..<count { out[i] = low[i] + step[i] * Float(bytes[i]) }
            return
        }
        let mask = UInt16((1 << bits) - 1), last = codeBytes - 1
        for i in 0..<count {
            let offset = i * bits, byte = offset / 8
            let pair = UInt16(bytes[byte]) | (byte < last ? UInt16(bytes[byte + 1]) << 8 : 0)
            out[i] = low[i] + step[i] * Float((pair >> UInt16(offset % 8)) & mask)
        }
    }

    /// The values as stored in the database: low and step as fp32 BLOBs.
    var lowBlob: Data { low.withUnsafeBytes { Data($0) } }
    var stepBlob: Data { step.withUnsafeBytes { Data($0) } }
}
