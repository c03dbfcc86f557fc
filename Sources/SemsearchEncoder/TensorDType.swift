import SemsearchCore
import Foundation

/// Element types a safetensors file may hold that BERT weights come in.
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
