#include "Int8BlockGEMM.h"
#include "Int8ByteGEMM.h"
#include "Int8GEMM.h"
#include "Int8QuadTiles.h"
#include "EncoderMath.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { PANEL = SEMSEARCH_INT8_PANEL, BLOCK = SEMSEARCH_INT8_BLOCK, K_BLOCK = SEMSEARCH_INT8_K_BLOCK, QUADS_PER_BLOCK = K_BLOCK / 4 };

static size_t quads_of(size_t k) { return (k + 3) / 4; }
static size_t panels_of(size_t n) { return (n + PANEL - 1) / PANEL; }
static size_t row_blocks_of(size_t m) { return (m + BLOCK - 1) / BLOCK; }
static size_t k_blocks_of(size_t k) { return (k + K_BLOCK - 1) / K_BLOCK; }

size_t semsearch_int8_block_weights_count(size_t n, size_t k) { return panels_of(n) * k_blocks_of(k) * PANEL; }

size_t semsearch_int8_block_scales_count(size_t m, size_t k) { return row_blocks_of(m) * k_blocks_of(k) * BLOCK; }

void semsearch_int8_pack_weight_blocks(const float *w, size_t n, size_t k, int8_t *packed, float *weight_scales, int32_t *block_sums) {
    size_t quads = quads_of(k), k_blocks = k_blocks_of(k), count = semsearch_int8_block_weights_count(n, k);
    memset(packed, 0, semsearch_int8_packed_weight_quads_size(n, k));
    memset(weight_scales, 0, count * sizeof(float));
    memset(block_sums, 0, count * sizeof(int32_t));
    int8_t values[K_BLOCK];
    for (size_t row = 0; row < n; row++) {
        size_t panel = row / PANEL, lane = row % PANEL;
        int8_t *target = packed + panel * quads * 4 * PANEL + lane * 4;
        for (size_t kb = 0; kb < k_blocks; kb++) {
            size_t start = kb * K_BLOCK, length = k - start < K_BLOCK ? k - start : K_BLOCK;
            size_t slot = (panel * k_blocks + kb) * PANEL + lane;
            weight_scales[slot] = semsearch_int8_quantize_weight_row(w + row * k + start, length, values);
            int32_t sum = 0;
            for (size_t i = 0; i < length; i++) {
                size_t j = start + i;
                target[(j / 4) * 4 * PANEL + j % 4] = values[i];
                sum += values[i];
            }
            block_sums[slot] = -128 * sum;
        }
    }
}

#if defined(__x86_64__)
/* One block of up to 32 values of one row, after the input function (`function`, a constant after
   inlining): GELU of them, or for the gated GELU GELU_tanh(gate) · up with the up values `up`
   floats further on. Lanes past the row load as zero, which both functions keep at zero. Then the
   largest magnitude, and q = round(a · 127 / max) (round to nearest even, as everywhere in the
   int8 path) as q + 128, written quad by quad. */
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline float quantize_block(const float *values, size_t up, size_t count, uint8_t *target, int function) {
    __mmask16 low = (__mmask16)(count >= 16 ? 0xffff : (1u << count) - 1);
    __mmask16 high = (__mmask16)(count >= 32 ? 0xffff : count > 16 ? (1u << (count - 16)) - 1 : 0);
    __m512 x0 = _mm512_maskz_loadu_ps(low, values), x1 = _mm512_maskz_loadu_ps(high, values + 16);
    if (function == SEMSEARCH_INT8_INPUT_GELU) {
        x0 = semsearch_gelu16(x0);
        x1 = semsearch_gelu16(x1);
    } else if (function == SEMSEARCH_INT8_INPUT_GATED_GELU_TANH) {
        x0 = semsearch_gated_gelu16(x0, _mm512_maskz_loadu_ps(low, values + up));
        x1 = semsearch_gated_gelu16(x1, _mm512_maskz_loadu_ps(high, values + up + 16));
    }
    /* The largest magnitude in every lane (no round trip through a scalar register), and the
       block's eight quads scattered straight from a register to their rows' slots: going through
       a stack array cost a failed store forwarding per block (perf: 40% of the quantizer). */
    __m512 most = _mm512_max_ps(_mm512_abs_ps(x0), _mm512_abs_ps(x1));
    most = _mm512_max_ps(most, _mm512_shuffle_f32x4(most, most, 0x4e));
    most = _mm512_max_ps(most, _mm512_shuffle_f32x4(most, most, 0xb1));
    most = _mm512_max_ps(most, _mm512_permute_ps(most, 0x4e));
    most = _mm512_max_ps(most, _mm512_permute_ps(most, 0xb1));
    /* A scalar division: vdivps on sixteen lanes has a quarter of divss's throughput. */
    float largest = _mm512_cvtss_f32(most);
    int usable = semsearch_int8_quantizable(largest);
    __m512 times = _mm512_set1_ps(usable ? 127.0f / largest : 0);
    const __m512i offset = _mm512_set1_epi32(128);
    __m128i bytes0 = _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(x0, times)), offset));
    __m128i bytes1 = _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(x1, times)), offset));
    __m256i quads = _mm256_inserti128_si256(_mm256_castsi128_si256(bytes0), bytes1, 1);
    const __m256i slots = _mm256_setr_epi32(0, BLOCK * 4, 2 * BLOCK * 4, 3 * BLOCK * 4, 4 * BLOCK * 4, 5 * BLOCK * 4,
                                            6 * BLOCK * 4, 7 * BLOCK * 4);
    _mm256_mask_i32scatter_epi32(target, (__mmask8)((1u << quads_of(count)) - 1), slots, quads, 1);
    return usable ? largest / 127.0f : 0;
}

/* Six rows × two panels (32 channels) in blocks of 8 quads: per block, the twelve int32 sums start
   at the block's −128·Σw, take Int8ByteGEMM.c's vpdpbusd steps, and are added to fp32 sums with
   the product of their row's and their channels' block scales (one multiply and one fused
   multiply-add per accumulator and block). */
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void block_tile(const uint8_t *rows, const float *block_scales, const int8_t *panel0, const int8_t *panel1,
                       const int32_t *sums0, const int32_t *sums1, const float *scales0, const float *scales1, size_t quads,
                       size_t k_blocks, size_t valid_rows, size_t columns0, size_t columns1, float *c, size_t ldc,
                       int accumulate, const float *bias) {
    __m512 f00 = _mm512_setzero_ps(), f01 = f00, f10 = f00, f11 = f00, f20 = f00, f21 = f00;
    __m512 f30 = f00, f31 = f00, f40 = f00, f41 = f00, f50 = f00, f51 = f00;
    const int32_t *x = (const int32_t *)rows;
    for (size_t kb = 0; kb < k_blocks; kb++) {
        __m512i b0 = _mm512_loadu_si512((const void *)(sums0 + kb * PANEL));
        __m512i b1 = _mm512_loadu_si512((const void *)(sums1 + kb * PANEL));
        __m512i s00 = b0, s01 = b1, s10 = b0, s11 = b1, s20 = b0, s21 = b1;
        __m512i s30 = b0, s31 = b1, s40 = b0, s41 = b1, s50 = b0, s51 = b1;
        size_t end = (kb + 1) * QUADS_PER_BLOCK < quads ? (kb + 1) * QUADS_PER_BLOCK : quads;
        for (size_t q = kb * QUADS_PER_BLOCK; q < end; q++) {
            __m512i w0 = _mm512_loadu_si512((const void *)(panel0 + q * 64));
            __m512i w1 = _mm512_loadu_si512((const void *)(panel1 + q * 64));
            const int32_t *xq = x + q * BLOCK;
            __m512i a;
            a = _mm512_set1_epi32(xq[0]); s00 = _mm512_dpbusd_epi32(s00, a, w0); s01 = _mm512_dpbusd_epi32(s01, a, w1);
            a = _mm512_set1_epi32(xq[1]); s10 = _mm512_dpbusd_epi32(s10, a, w0); s11 = _mm512_dpbusd_epi32(s11, a, w1);
            a = _mm512_set1_epi32(xq[2]); s20 = _mm512_dpbusd_epi32(s20, a, w0); s21 = _mm512_dpbusd_epi32(s21, a, w1);
            a = _mm512_set1_epi32(xq[3]); s30 = _mm512_dpbusd_epi32(s30, a, w0); s31 = _mm512_dpbusd_epi32(s31, a, w1);
            a = _mm512_set1_epi32(xq[4]); s40 = _mm512_dpbusd_epi32(s40, a, w0); s41 = _mm512_dpbusd_epi32(s41, a, w1);
            a = _mm512_set1_epi32(xq[5]); s50 = _mm512_dpbusd_epi32(s50, a, w0); s51 = _mm512_dpbusd_epi32(s51, a, w1);
        }
        const float *s = block_scales + kb * BLOCK;
        __m512 ws0 = _mm512_loadu_ps(scales0 + kb * PANEL), ws1 = _mm512_loadu_ps(scales1 + kb * PANEL), r;
        r = _mm512_set1_ps(s[0]); f00 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s00), _mm512_mul_ps(r, ws0), f00); f01 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s01), _mm512_mul_ps(r, ws1), f01);
        r = _mm512_set1_ps(s[1]); f10 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s10), _mm512_mul_ps(r, ws0), f10); f11 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s11), _mm512_mul_ps(r, ws1), f11);
        r = _mm512_set1_ps(s[2]); f20 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s20), _mm512_mul_ps(r, ws0), f20); f21 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s21), _mm512_mul_ps(r, ws1), f21);
        r = _mm512_set1_ps(s[3]); f30 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s30), _mm512_mul_ps(r, ws0), f30); f31 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s31), _mm512_mul_ps(r, ws1), f31);
        r = _mm512_set1_ps(s[4]); f40 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s40), _mm512_mul_ps(r, ws0), f40); f41 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s41), _mm512_mul_ps(r, ws1), f41);
        r = _mm512_set1_ps(s[5]); f50 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s50), _mm512_mul_ps(r, ws0), f50); f51 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s51), _mm512_mul_ps(r, ws1), f51);
    }
    __m512 sums[BLOCK][2] = {{f00, f01}, {f10, f11}, {f20, f21}, {f30, f31}, {f40, f41}, {f50, f51}};
    __mmask16 mask0 = (__mmask16)((1u << columns0) - 1), mask1 = (__mmask16)((1u << columns1) - 1);
    for (size_t row = 0; row < valid_rows; row++) semsearch_quad_tile_store_row(c + row * ldc, sums[row][0], sums[row][1], mask0, mask1, accumulate, bias);
}
#endif

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl")))
static void quantize_rows(const float *a, size_t m, size_t k, size_t lda, uint8_t *packed, float *block_scales, int function) {
    size_t quads = quads_of(k), k_blocks = k_blocks_of(k);
    for (size_t r = 0; r < row_blocks_of(m) * BLOCK; r++) {
        uint8_t *target = packed + ((r / BLOCK) * quads * BLOCK + r % BLOCK) * 4;
        float *scales = block_scales + (r / BLOCK) * k_blocks * BLOCK + r % BLOCK;
        if (r >= m) {
            /* Padding rows: q = 0 and scale 0, so they add nothing. */
            for (size_t q = 0; q < quads; q++) memset(target + q * BLOCK * 4, 128, 4);
            for (size_t kb = 0; kb < k_blocks; kb++) scales[kb * BLOCK] = 0;
            continue;
        }
        const float *row = a + r * lda;
        for (size_t kb = 0; kb < k_blocks; kb++) {
            size_t start = kb * K_BLOCK, count = k - start < K_BLOCK ? k - start : K_BLOCK;
            scales[kb * BLOCK] = quantize_block(row + start, k, count, target + kb * QUADS_PER_BLOCK * BLOCK * 4, function);
        }
    }
}
#endif

void semsearch_int8_quantize_byte_blocks(const float *a, size_t m, size_t k, size_t lda, int input_function, uint8_t *packed,
                                         float *block_scales) {
#if defined(__x86_64__)
    if (!semsearch_int8_byte_kernel_available()) return;
    /* One copy of the loop per function, so the choice is not made in the inner one. */
    switch (input_function) {
    case SEMSEARCH_INT8_INPUT_GELU: quantize_rows(a, m, k, lda, packed, block_scales, SEMSEARCH_INT8_INPUT_GELU); break;
    case SEMSEARCH_INT8_INPUT_GATED_GELU_TANH:
        quantize_rows(a, m, k, lda, packed, block_scales, SEMSEARCH_INT8_INPUT_GATED_GELU_TANH);
        break;
    default: quantize_rows(a, m, k, lda, packed, block_scales, SEMSEARCH_INT8_INPUT_AS_IS); break;
    }
#endif
}

#if defined(__x86_64__)
/* One product's operands, for the tile walk's callback. */
struct block_product {
    const uint8_t *rows;
    const float *block_scales;
    const int8_t *weights;
    const float *weight_scales;
    const int32_t *block_sums;
    /* panel_sums: the block sums (and the weight scales) of one panel. */
    size_t quads, k_blocks, panel_bytes, panel_sums, block_bytes, ldc;
    float *c;
    int accumulate;
    const float *bias;
};

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void block_product_tile(const struct semsearch_quad_tile *t, void *context) {
    const struct block_product *p = context;
    const int8_t *w0 = p->weights + t->panel * p->panel_bytes;
    const int32_t *sums0 = p->block_sums + t->panel * p->panel_sums;
    const float *scales0 = p->weight_scales + t->panel * p->panel_sums;
    block_tile(p->rows + t->block * p->block_bytes, p->block_scales + t->block * p->k_blocks * BLOCK, w0,
               t->pair ? w0 + p->panel_bytes : w0, sums0, t->pair ? sums0 + p->panel_sums : sums0, scales0,
               t->pair ? scales0 + p->panel_sums : scales0, p->quads, p->k_blocks, t->rows, t->columns0, t->columns1,
               p->c + t->row * p->ldc + t->column, p->ldc, p->accumulate, p->bias != NULL ? p->bias + t->column : NULL);
}
#endif

void semsearch_int8_byte_block_gemm(const uint8_t *packed_rows, const float *block_scales, size_t m, size_t k,
                                    const int8_t *packed_weights, const float *weight_scales, const int32_t *block_sums, size_t n,
                                    size_t panel_start, size_t panel_end, float *c, size_t ldc, int accumulate, const float *bias) {
#if defined(__x86_64__)
    if (!semsearch_int8_byte_kernel_available()) return;
    size_t quads = quads_of(k), k_blocks = k_blocks_of(k);
    struct block_product product = {packed_rows, block_scales, packed_weights, weight_scales, block_sums, quads, k_blocks,
                                     quads * 4 * PANEL, k_blocks * PANEL, quads * 4 * BLOCK, ldc, c, accumulate, bias};
    semsearch_quad_tiles_for_each(m, n, panel_start, panel_end, product.block_bytes, block_product_tile, &product);
#endif
}
