import CPUFeatures

/// Scaled dot-product attention of one head in one pass (`Attention.h`): scores, softmax and the
/// weighted sum of values without the two sgemm calls and the separate softmax. Available for heads
/// whose size is a multiple of 16 on AVX-512 and of 8 on AVX2 (MiniLM's 32 and BERT-base's 64 on
/// both); elsewhere the encoders keep sgemm.
///
/// Measured on a MiniLM pass (2-core Emerald Rapids, msmarco passages): the sgemm calls and the
/// softmax took 19.5% of an int8 pass, this kernel takes 13% of a pass that is 6–11% shorter; on
/// EmbeddingGemma (heads of 256) it saves about 1.5%.
package struct FusedAttention {
    /// `Attention.h`'s kernel: 2 AVX-512F, 1 AVX2 and FMA.
    package let kernel: Int32
    package let headSize: Int

    /// Nil when no fused kernel runs heads of `headSize` on this CPU (or `SEMSEARCH_INT8_KERNEL` caps
    /// it away), or when `kernel` is 0; `kernel` asks for a narrower one than the best, for tests.
    package init?(headSize: Int, kernel: Int32 = .max) {
        let chosen = min(kernel, semsearch_attention_kernel(headSize))
        guard chosen > 0 else { return nil }
        self.kernel = chosen
        self.headSize = headSize
    }

    /// The kernel's name, for test messages.
    package var name: String { kernel >= 2 ? "AVX-512" : "AVX2" }

    /// Floats of scratch `attend` needs for `keyCount` keys.
    package func scratchCount(keyCount: Int) -> Int { semsearch_attention_scratch_count(keyCount, headSize) }

    /// softmax(scale · Q Kᵀ) V for `queryCount` query rows against `keyCount` key and value rows,
    /// each `headSize` floats at the given strides, into `out` (row stride `outStride`).
    package func attend(queries: UnsafePointer<Float>, queryStride: Int, queryCount: Int,
                        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyStride: Int, keyCount: Int,
                        scale: Float, into out: UnsafeMutablePointer<Float>, outStride: Int, scratch: UnsafeMutablePointer<Float>) {
        semsearch_attention(kernel, queries, queryStride, queryCount, keys, values, keyStride, keyCount,
                            headSize, scale, out, outStride, scratch)
    }
}
