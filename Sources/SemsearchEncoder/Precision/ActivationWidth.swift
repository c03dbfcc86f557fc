/// How many bits an int8 layer's activations keep, chosen per layer role by measurement: mean
/// cosine of the final embedding to fp32 on the golden texts (`Int8EncoderTests`,
/// `GemmaEncoderTests`) and on 300 msmarco passages (`bench embed --precision fp32,int8`), and
/// msmarco-5k nDCG@10 per (layer, dim) cell (`eval --precision int8`).
///
/// - `bits8`: q ∈ [−127, 127] with one scale per token. On AVX-512 VNNI the product runs on
///   `vpdpbusd` (`Int8ByteGEMM.h`); elsewhere the 16-bit kernels run with an activation limit of
///   127, which gives the same integer sums.
/// - `bits8Blocks`: q ∈ [−127, 127] with one scale per block of 32 values of a token, so an outlier
///   channel costs only its block's precision. On AVX-512 VNNI it runs on `vpdpbusd` with one fp32
///   multiply-add per block (`Int8BlockGEMM.h`); elsewhere on the 16-bit kernels at their widest,
///   which is more precise (the integer sums differ, so vectors built there differ from VNNI ones
///   in the fourth decimal of their cosine, as int8 differs from fp32).
/// - `bits16`: up to `semsearch_int8_activation_limit(k)` levels (5,504–32,767) per token.
///
/// EmbeddingGemma: blocks for Q, K/V, gate/up and the down-projection (inputs up to 34× their rms),
/// one scale per token for the attention output. On 300 msmarco passages (2-core Emerald Rapids):
/// that mix, cosine 0.99948 mean / 0.9983 worst text at 2.36× fp32; every layer in blocks, 0.99952 /
/// 0.9983 at 2.19×; blocks for Q, K/V and down only, 0.99931 / 0.9900 at 2.52×; the earlier Q, K/V
/// and down at 16 bits, 0.9994 / 0.9913 at 1.9–2.0×; every layer per token, 0.9985.
///
/// MiniLM (BERT): blocks everywhere. Its short texts are sensitive: one scale per token on every
/// layer gives golden mean 0.9971 (msmarco 0.9979), blocks of 32 give 0.99917 (msmarco 0.99937),
/// blocks of 64 0.9990, of 128 0.9985. msmarco-5k nDCG@10 moves at most 0.0099 in any cell, −0.0048
/// at the default cell. 1.7× fp32 on VNNI (2-core Emerald Rapids), against 1.3× with every layer at 16 bits;
/// 2.2× since GELU runs sixteen lanes wide inside the quantizer (`ProductInput`). With the weights
/// also scaled per block of 32 on VNNI (`Int8BlockGEMM.h`): golden mean 0.99960, msmarco 0.99970,
/// default cell −0.0029, worst cell −0.0075, 1.95–2.02× fp32 (about 3% slower). With attention in
/// one pass (`FusedAttention`, which changes only fp32 rounding): default cell −0.0018, worst cell
/// −0.0124 (the same cell: layer 5, dim 256, calibrated; a rank flip among 43 queries), 1.93–2.25×.
public enum ActivationWidth: Sendable {
    case bits8
    case bits8Blocks
    case bits16

    /// The largest quantized magnitude, as `semsearch_int8_quantize_rows` takes it (0: the widest),
    /// when the layer runs on the 16-bit kernels.
    var limit: Int32 { self == .bits8 ? 127 : 0 }
}
