/// How many bits an int8 layer's activations keep per token, chosen per layer role by measurement:
/// mean cosine of the final embedding to fp32 on the golden texts (`Int8EncoderTests`,
/// `GemmaEncoderTests`, which hold int8 to ≥ 0.999) and on 300 msmarco passages (`bench embed
/// --precision fp32,int8`).
///
/// - `bits8`: q ∈ [−127, 127] per token. On AVX-512 VNNI the product runs on `vpdpbusd`
///   (`Int8ByteGEMM.h`), twice the multiply-adds per instruction of the 16-bit form; elsewhere the
///   16-bit kernels run with an activation limit of 127, which gives the same integer sums, so an
///   index is the same whichever CPU built it.
/// - `bits16`: up to `semsearch_int8_activation_limit(k)` levels (5,504–32,767).
///
/// EmbeddingGemma: 8 bits for the attention output and the gate/up projection, 16 for Q, K/V and
/// the down-projection (inputs up to 34× their rms). All at 8 bits: msmarco 0.9985; down at 16:
/// 0.9990; Q, K/V and down at 16: 0.9994 (golden 0.9993, lowest layer 0.9974). The Gemma encoder
/// then runs at 1.9–2.0× fp32 on a 2-core Emerald Rapids Xeon, against 1.6× with every layer at 16.
///
/// MiniLM (BERT): 16 bits for every layer. Its short texts are sensitive everywhere: golden mean
/// with Q/K/V at 16 and the rest at 8, 0.9985; adding the down-projection, 0.9989; adding the
/// up-projection too, 0.9994. The attention output alone at 8 bits (8% of the multiply-adds) moved
/// one msmarco-5k cell's nDCG@10 by −0.011, past the 0.01 the int8 path is held to.
public enum ActivationWidth: Sendable {
    case bits8
    case bits16

    /// The largest quantized magnitude, as `semsearch_int8_quantize_rows` takes it (0: the widest).
    var limit: Int32 { self == .bits8 ? 127 : 0 }
}
