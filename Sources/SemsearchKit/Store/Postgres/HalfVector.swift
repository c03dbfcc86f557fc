import Foundation

/// pgvector's `halfvec` in its binary wire format: the dimension count and a zero (two big-endian
/// int16), then each value as a big-endian IEEE half. Vectors are L2-normalized first: the server
/// ranks by inner product (`<#>`), which on unit vectors is cosine.
enum HalfVector {
    /// The first `dim` values of `vector`, normalized, as a `halfvec` parameter.
    static func wire(_ vector: [Float], dim: Int) -> Data {
        let count = min(dim, vector.count)
        var norm: Float = 0
        for i in 0..<count { norm += vector[i] * vector[i] }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        var data = Data(count: 4 + 2 * count)
        data.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt16(count).bigEndian, toByteOffset: 0, as: UInt16.self)
            raw.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
            for i in 0..<count {
                raw.storeBytes(of: Float16(vector[i] * scale).bitPattern.bigEndian, toByteOffset: 4 + 2 * i, as: UInt16.self)
            }
        }
        return data
    }
}
