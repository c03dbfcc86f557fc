import SemsearchCore
import SemsearchEncoder
import Foundation

/// Vectors as fp16 little-endian BLOBs: half the bytes of fp32 and, for pooled hidden states,
/// far more precision than retrieval can tell apart.
public enum VectorCodec {
    /// `values` as an fp16 BLOB.
    public static func encode<C: Collection<Float>>(_ values: C) -> Data {
        var data = Data(count: values.count * 2)
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: Float16(v).bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        }
        return data
    }

    /// Decodes the first `count` values of an fp16 BLOB into `out`; returns false when the BLOB is too short.
    @discardableResult
    public static func decode(_ data: Data, count: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
        guard data.count >= count * 2 else { return false }
        data.withUnsafeBytes { raw in HalfPrecision.widen(raw.baseAddress!, count: count, into: out) }
        return true
    }

    /// Decodes a whole fp16 BLOB.
    public static func decode(_ data: Data) -> [Float] {
        let count = data.count / 2
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            decode(data, count: count, into: buffer.baseAddress!)
            initialized = count
        }
    }
}
