#ifndef SEMSEARCH_INT8_BLOCK_GEMM_H
#define SEMSEARCH_INT8_BLOCK_GEMM_H

#include <stddef.h>
#include <stdint.h>

/// The int8 encoder's product for layers whose activations take 8 bits in blocks: each token's row
/// is quantized in blocks of 32 values (`SEMSEARCH_INT8_K_BLOCK`), each block with its own scale
/// max|a| / 127, as llama.cpp's Q8_0 does. A channel 20–40 times the row's rms (MiniLM's and
/// EmbeddingGemma's outliers, `bench embed --outliers`) then costs only its own block's precision,
/// not the whole row's: MiniLM with every layer so is 0.9994 cosine to fp32 on msmarco passages,
/// against 0.9979 with one scale per token.
///
/// The weights are quantized the same way, one scale per output channel and block of 32 inputs:
/// with one scale per channel they carried most of what remained (MiniLM on 300 msmarco passages,
/// fp32 activations times dequantized weights: 0.99954 cosine per channel, 0.99986 per block).
///
/// It runs on AVX-512 VNNI only: the same `vpdpbusd` tile as `Int8ByteGEMM.h`, on quad-packed
/// weights and q + 128 activation bytes, adds each block's exact int32 sum (the offset taken out
/// with that block's weight sums) to fp32 accumulators times the row's and the channels' block
/// scales, one multiply and one fused multiply-add per block. 16-bit activations (`Int8GEMM.h`)
/// cost twice as many instructions.
///
/// Layouts, beside `Int8ByteGEMM.h`'s packed weights and rows:
/// - block weights: per panel of 16 output channels, per block of k, the 16 channels' weight
///   scales, and in the same layout their −128 · Σw over the block (the block sums).
/// - block scales: per block of 6 rows, per block of k, the six rows' scales.

/// Values of k per activation block.
enum { SEMSEARCH_INT8_K_BLOCK = 32 };

/// Floats of the weight scales, and int32s of the block sums, of an n×k weight matrix.
size_t semsearch_int8_block_weights_count(size_t n, size_t k);

/// Quantizes W (n×k, row-major) per output channel and block of k as
/// `semsearch_int8_quantize_weight_row` does a row, packed in `Int8ByteGEMM.h`'s quad layout
/// (`semsearch_int8_packed_weight_quads_size(n, k)` bytes), with the scales in `weight_scales` and
/// −128 · Σq per block in `block_sums` (both `semsearch_int8_block_weights_count(n, k)`).
void semsearch_int8_pack_weight_blocks(const float *w, size_t n, size_t k, int8_t *packed, float *weight_scales, int32_t *block_sums);

/// Floats of the block scales of m rows of width k.
size_t semsearch_int8_block_scales_count(size_t m, size_t k);

/// What the block quantizer applies to each value before quantizing it, so a feed-forward's
/// activation costs no pass of its own (BERT's GELU took 11% of an int8 MiniLM pass as a separate
/// eight-lane pass): nothing; GELU ½x(1 + erf(x/√2)); or EmbeddingGemma's GeGLU, where each row
/// of A holds `[gate | up]` (2k floats, so `lda` ≥ 2k) and the value j is
/// GELU_tanh(gate_j) · up_j.
enum { SEMSEARCH_INT8_INPUT_AS_IS = 0, SEMSEARCH_INT8_INPUT_GELU = 1, SEMSEARCH_INT8_INPUT_GATED_GELU_TANH = 2 };

/// Quantizes m rows of f(A) (row stride `lda`; f per `input_function`, k values a row) in blocks of
/// k: q = round(v · 127 / max|v| over the block), stored as q + 128 in `Int8ByteGEMM.h`'s row
/// layout, the scales in `block_scales`. A itself is not written. Requires
/// `semsearch_int8_byte_kernel_available()`.
void semsearch_int8_quantize_byte_blocks(const float *a, size_t m, size_t k, size_t lda, int input_function, uint8_t *packed,
                                         float *block_scales);

/// C[m×n] = A·Wᵀ (accumulate 0) or C += A·Wᵀ (accumulate 1), plus `bias` (n floats, added to every
/// row) unless it is NULL, row stride `ldc`, for the weight panels [panel_start, panel_end) only;
/// W as `semsearch_int8_pack_weight_blocks` packs it. Requires `semsearch_int8_byte_kernel_available()`.
void semsearch_int8_byte_block_gemm(const uint8_t *packed_rows, const float *block_scales, size_t m, size_t k,
                                    const int8_t *packed_weights, const float *weight_scales, const int32_t *block_sums, size_t n,
                                    size_t panel_start, size_t panel_end, float *c, size_t ldc, int accumulate, const float *bias);

#endif
