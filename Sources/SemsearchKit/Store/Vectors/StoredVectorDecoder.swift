import SemsearchCore
import SemsearchEncoder

/// Reads one layer's stored vector BLOBs, whatever their format: a BLOB's length says which
/// (2 bytes a dimension for fp16, else the layer quantizer's packed codes), so a layer being
/// converted, or a run killed mid-conversion, reads back whole.
struct StoredVectorDecoder {
    /// Dimensions of a stored vector.
    let width: Int
    /// The layer's quantizer, when it has one.
    let quantizer: VectorQuantizer?

    /// Decodes the first `dim` values of the BLOB at `blob` (`bytes` long) into `out`; false when
    /// the BLOB is none of the formats.
    func decode(_ blob: UnsafeRawPointer, bytes: Int, dim: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
        if bytes >= 2 * dim && bytes == 2 * width || quantizer == nil && bytes >= 2 * dim {
            HalfPrecision.widen(blob, count: dim, into: out)
            return true
        }
        guard let quantizer, bytes == quantizer.codeBytes, dim <= quantizer.width else { return false }
        quantizer.decode(blob, count: dim, into: out)
        return true
    }
}
