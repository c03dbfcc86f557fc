import SemsearchCore
import Foundation

/// Rows of a 2-D tensor in a mapped safetensors file, converted to `Float` on request.
public struct TensorRows: @unchecked Sendable {
    // `Data` from `.alwaysMapped` is immutable and shared read-only between threads.
    let data: Data
    let offset: Int
    let dtype: TensorDType
    public let rows: Int
    public let width: Int

    /// Writes row `index` as `Float` to `out` (`width` values).
    public func row(_ index: Int, into out: UnsafeMutablePointer<Float>) {
        precondition((0..<rows).contains(index))
        data.withUnsafeBytes { raw in
            SafeTensorsFile.convert(raw.baseAddress! + offset + index * width * dtype.byteCount, dtype: dtype, count: width, into: out)
        }
    }
}
