#ifndef SEMSEARCH_INT8_BYTE_GEMM_H
#define SEMSEARCH_INT8_BYTE_GEMM_H

#include <stddef.h>
#include <stdint.h>

/// The int8 encoder's product for layers whose activations take 8 bits: the same per-channel int8
/// weights as `Int8GEMM.h`, activations quantized per token to q ∈ [−127, 127] and stored as the
/// unsigned byte q + 128, multiplied with `vpdpbusd` (AVX-512 VNNI: 64 multiply-adds per
/// instruction, twice `vpdpwssd`'s). The offset is taken back out exactly with each output channel's
/// weight sum: Σ(q+128)·w − 128·Σw = Σq·w, so the int32 sums equal those of the 16-bit kernels run
/// with an activation limit of 127, and such a layer gives the same vectors whichever kernel ran it.
///
/// Layouts:
/// - packed weights: panels of 16 output channels; per panel, per quad of k, 64 bytes — channel
///   c's four weights at byte 4c. Rows past n and the k past a partial quad are zero.
/// - packed rows: blocks of 6 rows; per block, per quad of k, the six rows' four bytes.

/// Whether this CPU runs the byte kernel: AVX-512 VNNI, and `SEMSEARCH_INT8_KERNEL` not below 3.
int semsearch_int8_byte_kernel_available(void);

/// Bytes of the packed form of an n×k weight matrix.
size_t semsearch_int8_packed_weight_quads_size(size_t n, size_t k);

/// Quantizes W (n×k, row-major fp32) per output channel exactly as `semsearch_int8_pack_weights`
/// does, into the quad layout, `scales` and `column_sums` (both `semsearch_int8_weight_scales_count(n)`).
void semsearch_int8_pack_weight_quads(const float *w, size_t n, size_t k, int8_t *packed, float *scales, int32_t *column_sums);

/// Bytes of the packed form of m rows of width k.
size_t semsearch_int8_packed_byte_rows_size(size_t m, size_t k);

/// Quantizes m rows of A (row stride `lda`) per row to q = round(a · 127 / max|a|) as q + 128.
void semsearch_int8_quantize_byte_rows(const float *a, size_t m, size_t k, size_t lda, uint8_t *packed, float *row_scales);

/// C[m×n] = A·Wᵀ (accumulate 0) or C += A·Wᵀ (accumulate 1), plus `bias` (n floats, added to every
/// row) unless it is NULL, row stride `ldc`, for the weight panels [panel_start, panel_end) only.
/// Requires `semsearch_int8_byte_kernel_available()`.
void semsearch_int8_byte_gemm(const uint8_t *packed_rows, const float *row_scales, size_t m, size_t k,
                              const int8_t *packed_weights, const float *weight_scales, const int32_t *column_sums, size_t n,
                              size_t panel_start, size_t panel_end, float *c, size_t ldc, int accumulate, const float *bias);

#endif
