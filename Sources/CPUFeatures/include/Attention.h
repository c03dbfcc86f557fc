#ifndef SEMSEARCH_ATTENTION_H
#define SEMSEARCH_ATTENTION_H

#include <stddef.h>

/// Scaled dot-product attention for one head of one sequence in a single pass over registers:
/// softmax(scale · Q Kᵀ) V, with no mask (the encoders pack sequences without padding).
///
/// Why: for small heads (MiniLM's 32, BERT-base's 64) and short sequences (msmarco passages average
/// 82 tokens) the two sgemm calls per head spend a quarter of their time packing 80×32 operands,
/// and the separate softmax pass reduces each short row on its own: together they took 19.5% of an int8
/// MiniLM pass (perf, 2-core Emerald Rapids), the same absolute time as in fp32. Here four query rows
/// are scored at once against Kᵀ (transposed into the scratch), their softmax runs interleaved, and
/// their context rows are summed from V in registers, scaled by 1 / Σ at the store: 13% of an int8
/// MiniLM pass that is 6–11% shorter.
///
/// Kernels: 2 AVX-512F (sixteen lanes), 1 AVX2 and FMA (eight lanes), 0 none (the caller keeps the
/// sgemm path); the exp is EncoderMath.h's, the one softmax uses elsewhere.

/// The widest kernel for heads of `head_size` floats on this CPU: 2 when AVX-512 runs and
/// `head_size` is a multiple of 16, 1 when AVX2 and FMA run and it is a multiple of 8, else 0. At
/// most `SEMSEARCH_INT8_KERNEL` (which caps every encoder kernel) when that holds a lower number.
int semsearch_attention_kernel(size_t head_size);

/// Floats of scratch `semsearch_attention` needs for `key_count` keys of `head_size`.
size_t semsearch_attention_scratch_count(size_t key_count, size_t head_size);

/// For each of `query_count` query rows (row `i` at `queries + i * query_stride`), the softmax over
/// `key_count` keys of `scale` times its dot products with them, times the value rows: written to
/// `out + i * out_stride`. Keys and values share `key_stride`; every row has `head_size` floats.
/// `kernel` is capped at `semsearch_attention_kernel(head_size)`; with 0 nothing is written.
/// `scratch` holds `semsearch_attention_scratch_count(key_count, head_size)` floats.
void semsearch_attention(int kernel, const float *queries, size_t query_stride, size_t query_count,
                         const float *keys, const float *values, size_t key_stride, size_t key_count,
                         size_t head_size, float scale, float *out, size_t out_stride, float *scratch);

#endif
