#ifndef SEMSEARCH_INT8_GEMM_H
#define SEMSEARCH_INT8_GEMM_H

#include <stddef.h>
#include <stdint.h>

/// The int8 encoder's matrix product on CPUs without AVX-512 VNNI (AVX-512BW, AVX2, portable C), and
/// the reference the VNNI kernels are tested against: C[m×n] (+)= A[m×k] · Wᵀ with W (n×k, a PyTorch
/// `Linear` weight) quantized to int8 per output channel and each row of A quantized per token to
/// at most `limit` levels, multiplied with 16-bit multiply-adds (`vpmaddwd`, `vpdpwssd`) into
/// 32-bit sums.
///
/// Why 16 bits: without VNNI no 8-bit multiply-add sums u8 × s8 products without saturating
/// (`vpmaddubsw` does), so 8-bit activations would run no faster; layers that take one 8-bit scale
/// per token run here at a limit of 127 (the same integer sums as `Int8ByteGEMM.h`), layers that
/// take 8-bit blocks (`Int8BlockGEMM.h`) at the widest limit, more precise than blocks. On VNNI
/// CPUs this file's `vpdpwssd` tile (1.55–1.8× OpenBLAS's sgemm) is only the fallback; the byte
/// tile runs at about twice its speed. The activations keep
/// `semsearch_int8_activation_limit(k)` levels (5,504 for k = 3,072, 32,767 for k ≤ 516) with no
/// 32-bit overflow possible: k · limit · 127 < 2³¹.
///
/// Layouts (so the kernel reads both operands in order):
/// - packed weights: panels of 16 output channels; per panel, per pair of k, 32 int16s — the pairs
///   (w[n][2p], w[n][2p+1]) of channels 0…7 of the panel, then of channels 8…15. Rows past n and
///   the k past an odd k are zero. The int8 values are stored 16 bits wide, twice the memory, so
///   the tiles load them without a sign extension (AVX2 tile 81 → 92 GMAC/s per Zen 4 core with
///   the loop unrolled twice as well).
/// - packed rows: blocks of 6 rows; per block, per pair of k, the six rows' pairs (12 int16s).

/// Output channels per weight panel, rows per row block.
enum { SEMSEARCH_INT8_PANEL = 16, SEMSEARCH_INT8_BLOCK = 6 };

/// Which kernel `semsearch_int8_gemm` runs on this CPU: 3 AVX-512 VNNI (`vpdpwssd`; the encoders'
/// layers, all 8-bit, then run on `Int8ByteGEMM.h`'s and `Int8BlockGEMM.h`'s `vpdpbusd`), 2 AVX-512BW
/// (`vpmaddwd` on 512 bits), 1 AVX2 (`vpmaddwd` on 256 bits), 0 portable C; at most
/// `SEMSEARCH_INT8_KERNEL` when that environment variable holds a lower number.
int semsearch_int8_kernel(void);

/// int16 elements of the packed form of an n×k weight matrix.
size_t semsearch_int8_packed_weights_count(size_t n, size_t k);

/// Floats of the per-channel scales of an n×k weight matrix (n rounded up to whole panels).
size_t semsearch_int8_weight_scales_count(size_t n);

/// Whether a row or block whose largest magnitude is `largest` is quantized, or stored as zeros
/// with scale 0: it must be finite and above 1e-30, so that limit / largest (up to 32,767 / largest)
/// stays finite. Smaller values contribute nothing an fp32 sum could keep beside the residual
/// stream. Below about 4e-37, 127 / largest overflows to infinity and the bytes would be garbage;
/// a GeGLU far in its negative tail (GELU_tanh(g)·u for g near −10) gives values that small.
static inline int semsearch_int8_quantizable(float largest) { return largest > 1e-30f && largest <= 3.4028235e38f; }
/// One output channel's weights (k floats) to int8 with scale max|w| / 127, rounded to nearest and
/// clamped to ±127, into `quantized`; returns the scale (0, with zeros, for a row that is not
/// `semsearch_int8_quantizable`).
float semsearch_int8_quantize_weight_row(const float *source, size_t k, int8_t *quantized);

/// Quantizes W (n×k, row-major fp32) per output channel (scale = max|w| / 127, round to nearest)
/// into `packed` (`semsearch_int8_packed_weights_count(n, k)` int16s) and `scales`.
void semsearch_int8_pack_weights(const float *w, size_t n, size_t k, int16_t *packed, float *scales);

/// int16 elements of the packed form of m rows of width k.
size_t semsearch_int8_packed_rows_count(size_t m, size_t k);

/// Largest quantized activation magnitude for rows of width k: min(32767, ⌊(2³¹ − 1) / (127 · k′)⌋),
/// k′ = k rounded up to even.
int semsearch_int8_activation_limit(size_t k);

/// Quantizes m rows of A (row stride `lda` floats) per row (scale = max|a| / limit, `limit` at most
/// `semsearch_int8_activation_limit(k)`, 0 for that widest) into `packed`
/// and `row_scales` (m floats) with `kernel` (at most the best this CPU has).
void semsearch_int8_quantize_rows(int kernel, const float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed, float *row_scales);

/// `semsearch_int8_quantize_rows` of GELU(A) on AVX2 (BERT's feed-forward): each row is replaced by
/// GELU of it (½x(1 + erf(x/√2)), `EncoderMath.h`'s eight-lane form) in the pass that finds its
/// largest magnitude, so GELU costs no pass of its own. A holds GELU(A) afterwards. Requires
/// `semsearch_int8_kernel()` ≥ 1.
void semsearch_int8_quantize_gelu_rows(float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed, float *row_scales);

/// C[m×n] = A·Wᵀ (accumulate 0) or C += A·Wᵀ (accumulate 1), row stride `ldc`, for the weight panels
/// [panel_start, panel_end) only (so threads can split the columns), with `kernel`.
void semsearch_int8_gemm(int kernel, const int16_t *packed_rows, const float *row_scales, size_t m, size_t k,
                         const int16_t *packed_weights, const float *weight_scales, size_t n,
                         size_t panel_start, size_t panel_end, float *c, size_t ldc, int accumulate);

#endif
