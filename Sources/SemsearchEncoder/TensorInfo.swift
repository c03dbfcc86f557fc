import SemsearchCore
import Foundation

/// One tensor's entry in a safetensors header.
public struct TensorInfo: Sendable, Equatable {
    public var dtype: TensorDType
    public var shape: [Int]
    /// Byte range inside the data section (after the header).
    public var dataRange: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}
