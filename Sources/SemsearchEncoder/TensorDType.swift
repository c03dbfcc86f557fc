import SemsearchCore
import Foundation

/// Element types parsed from a safetensors header: F32/F16/BF16 weights, and I64 (parsed so its byte
/// size can be checked, then refused on read).
public enum TensorDType: String, Sendable, Codable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i64 = "I64"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .i64: return 8
        }
    }
}
