/// fp16 → fp32 conversion of packed little-endian values, shared by the model loader (fp16
/// weights) and the store (fp16 vectors).
public enum HalfPrecision {
    /// Converts `count` fp16 values at `bytes` into `out`. Eight at a time: with F16C this is one
    /// conversion instruction per eight values.
    public static func widen(_ bytes: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= count {
            let half = bytes.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<Float16>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: SIMD8<Float>(half), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            out[i] = Float(Float16(bitPattern: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
            i += 1
        }
    }
}
