import SemsearchCore
import SemsearchEncoder

/// Reads one layer's stored vector BLOBs, whatever their format: a BLOB's length says which
/// (2 bytes a dimension for fp16, else the layer quantizer's packed codes), so a layer being
/// converted, or a run killed mid-conversion, reads back whole. A layer predicted from deeper
/// layers (``LayerPrediction``) is read with the BLOBs of its whole chain, deepest last.
struct StoredVectorDecoder {
    /// Dimensions of a stored vector.
    let width: Int
    /// The quantizers of the layer and of the layers its prediction chain runs through (nil: fp16).
    let chain: [VectorQuantizer?]

    init(width: Int, chain: [VectorQuantizer?]) {
        self.width = width
        self.chain = chain.isEmpty ? [nil] : chain
    }

    init(width: Int, quantizer: VectorQuantizer?) {
        self.init(width: width, chain: [quantizer])
    }

    /// BLOBs a row carries: the layer's and its chain's.
    var blobCount: Int { chain.count }

    /// Decodes the first `dim` values of the layer from its chain's BLOBs (`blobs[0]` the layer's
    /// own) into `out`; false when a BLOB is missing or none of the formats. `scratch` holds at
    /// least `dim` values for each BLOB after the first.
    func decode(_ blobs: [(UnsafeRawPointer?, Int)], dim: Int, scratch: UnsafeMutablePointer<Float>,
                into out: UnsafeMutablePointer<Float>) -> Bool {
        // Deepest first: each decoded vector is the base of the one above it.
        var base: UnsafePointer<Float>? = nil
        for level in stride(from: chain.count - 1, through: 0, by: -1) {
            guard let blob = blobs[level].0 else { return false }
            let target = level == 0 ? out : scratch + (level - 1) * dim
            guard Self.decode(blob, bytes: blobs[level].1, dim: dim, width: width, quantizer: chain[level], base: base, into: target) else {
                return false
            }
            base = UnsafePointer(target)
        }
        return true
    }

    /// Decodes one unpredicted BLOB (a layer without a chain).
    func decode(_ blob: UnsafeRawPointer, bytes: Int, dim: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
        precondition(chain.count == 1)
        return Self.decode(blob, bytes: bytes, dim: dim, width: width, quantizer: chain[0], base: nil, into: out)
    }

    /// Decodes the first `dim` values of one BLOB of a `width`-wide layer with `quantizer`, given
    /// the base's decoded values when the quantizer predicts from one; false when the BLOB is none
    /// of the formats or a base is needed and missing.
    static func decode(_ blob: UnsafeRawPointer, bytes: Int, dim: Int, width: Int, quantizer: VectorQuantizer?, base: UnsafePointer<Float>?,
                       into out: UnsafeMutablePointer<Float>) -> Bool {
        if bytes >= 2 * dim && bytes == 2 * width || quantizer == nil && bytes >= 2 * dim {
            HalfPrecision.widen(blob, count: dim, into: out)
            return true
        }
        guard let quantizer, bytes == quantizer.codeBytes, dim <= quantizer.width else { return false }
        if quantizer.prediction != nil && base == nil { return false }
        quantizer.decode(blob, count: dim, base: base, into: out)
        return true
    }
}
