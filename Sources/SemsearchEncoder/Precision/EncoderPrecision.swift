import SemsearchCore
import CPUFeatures
import CBLAS

/// The arithmetic of the encoder's dense layers (the Q/K/V, attention-output and feed-forward
/// matrices, about 95% of a pass's FLOPs).
///
/// - `fp32`: OpenBLAS `sgemm` on the fp32 weights — the reference every golden test holds.
/// - `int8`: weights quantized to int8 at load (per output channel, and per block of 32 inputs where the activations are in blocks on AVX-512 VNNI), activations to 8 bits per token
///   or per block of 32 by layer role (`ActivationWidth`), products summed in int32
///   (`Int8ByteGEMM.c`, `Int8BlockGEMM.c`; `Int8GEMM.c`'s 16-bit kernels on CPUs without VNNI).
///   Norms, softmax, attention scores, the residual stream, pooling and the Dense head stay fp32.
public enum EncoderPrecision: String, Sendable, CaseIterable, Codable {
    case fp32
    case int8

    /// What `--precision` accepts, for messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}

extension EncoderPrecision {
    /// The kernel this precision's dense layers run on this CPU, as the benchmarks name it.
    public var kernelName: String {
        switch self {
        case .fp32:
            let core = openblas_get_corename().map { String(cString: $0) } ?? "?"
            let replaced = String(cString: semsearch_openblas_replaced_core())
            return "OpenBLAS sgemm, \(core) kernels" + (replaced.isEmpty ? "" : " (OpenBLAS chose \(replaced))")
        case .int8:
            return ["portable C", "AVX2 vpmaddwd", "AVX-512BW vpmaddwd", "AVX-512 VNNI vpdpbusd"][Int(semsearch_int8_kernel())]
        }
    }
}
