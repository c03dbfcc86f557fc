#include "Int8ByteGEMM.h"
#include "Int8GEMM.h"
#include "Int8QuadTiles.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { PANEL = SEMSEARCH_INT8_PANEL, BLOCK = SEMSEARCH_INT8_BLOCK };

static size_t quads_of(size_t k) { return (k + 3) / 4; }
static size_t panels_of(size_t n) { return (n + PANEL - 1) / PANEL; }
static size_t blocks_of(size_t m) { return (m + BLOCK - 1) / BLOCK; }

int semsearch_int8_byte_kernel_available(void) { return semsearch_int8_kernel() >= 3; }

size_t semsearch_int8_packed_weight_quads_size(size_t n, size_t k) { return panels_of(n) * quads_of(k) * 4 * PANEL; }

size_t semsearch_int8_packed_byte_rows_size(size_t m, size_t k) { return blocks_of(m) * quads_of(k) * 4 * BLOCK; }

void semsearch_int8_pack_weight_quads(const float *w, size_t n, size_t k, int8_t *packed, float *scales, int32_t *column_sums) {
    size_t quads = quads_of(k);
    memset(packed, 0, semsearch_int8_packed_weight_quads_size(n, k));
    memset(scales, 0, semsearch_int8_weight_scales_count(n) * sizeof(float));
    memset(column_sums, 0, semsearch_int8_weight_scales_count(n) * sizeof(int32_t));
    int8_t *row_values = malloc(k > 0 ? k : 1);
    if (row_values == NULL) abort();
    for (size_t row = 0; row < n; row++) {
        scales[row] = semsearch_int8_quantize_weight_row(w + row * k, k, row_values);
        int8_t *target = packed + (row / PANEL) * quads * 4 * PANEL + (row % PANEL) * 4;
        int32_t sum = 0;
        for (size_t j = 0; j < k; j++) {
            target[(j / 4) * 4 * PANEL + j % 4] = row_values[j];
            sum += row_values[j];
        }
        column_sums[row] = sum;
    }
    free(row_values);
}

#if defined(__x86_64__)
/* The same largest magnitude, reciprocal and round-to-nearest-even as the 16-bit quantizer with a
   limit of 127, so both give the same q. */
__attribute__((target("avx512f,avx512bw")))
static void quantize_avx512(const float *a, size_t m, size_t k, size_t lda, uint8_t *packed, float *row_scales) {
    size_t quads = quads_of(k);
    size_t vectors = k / 16 * 16;
    for (size_t r = 0; r < blocks_of(m) * BLOCK; r++) {
        uint8_t *block = packed + ((r / BLOCK) * quads * BLOCK + r % BLOCK) * 4;
        if (r >= m) {
            for (size_t q = 0; q < quads; q++) memset(block + q * BLOCK * 4, 128, 4);
            continue;
        }
        const float *row = a + r * lda;
        __m512 most = _mm512_setzero_ps();
        for (size_t j = 0; j < vectors; j += 16) most = _mm512_max_ps(most, _mm512_abs_ps(_mm512_loadu_ps(row + j)));
        float largest = _mm512_reduce_max_ps(most);
        for (size_t j = vectors; j < k; j++) largest = fmaxf(largest, fabsf(row[j]));
        int usable = semsearch_int8_quantizable(largest);
        row_scales[r] = usable ? largest / 127.0f : 0;
        float inverse = usable ? 127.0f / largest : 0;
        __m512 times = _mm512_set1_ps(inverse);
        const __m512i offset = _mm512_set1_epi32(128);
        size_t j = 0;
        for (; j < vectors; j += 16) {
            __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(row + j), times)), offset);
            __m128i bytes = _mm512_cvtepi32_epi8(q);
            uint32_t words[4];
            _mm_storeu_si128((__m128i *)words, bytes);
            for (int i = 0; i < 4; i++) memcpy(block + ((j / 4) + i) * BLOCK * 4, &words[i], 4);
        }
        for (; j < quads * 4; j++) {
            long q = 0;
            if (j < k) {
                q = lrintf(row[j] * inverse);
                if (q > 127) q = 127;
                if (q < -127) q = -127;
            }
            block[(j / 4) * BLOCK * 4 + j % 4] = (uint8_t)(q + 128);
        }
    }
}

/* Six rows × two panels (32 channels): per quad of k, two 64-byte weight loads and twelve
   vpdpbusd, each with its row's four bytes broadcast. */
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void tile_vnni(const uint8_t *rows, const int8_t *panel0, const int8_t *panel1, size_t quads, const float *row_scales,
                      const float *scales0, const float *scales1, const int32_t *sums0, const int32_t *sums1, size_t valid_rows,
                      size_t columns0, size_t columns1, float *c, size_t ldc, int accumulate, const float *bias) {
    __m512i s00 = _mm512_setzero_si512(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;
    __m512i s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;
    const int32_t *x = (const int32_t *)rows;
    for (size_t q = 0; q < quads; q++) {
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
    __m512i sums[BLOCK][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}, {s40, s41}, {s50, s51}};
    __mmask16 mask0 = (__mmask16)((1u << columns0) - 1), mask1 = (__mmask16)((1u << columns1) - 1);
    /* 128 · Σw per channel: what the +128 offset added to every sum. */
    __m512i offset0 = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(mask0, sums0), 7);
    __m512i offset1 = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(mask1, sums1), 7);
    __m512 scale0 = _mm512_maskz_loadu_ps(mask0, scales0), scale1 = _mm512_maskz_loadu_ps(mask1, scales1);
    for (size_t r = 0; r < valid_rows; r++) {
        __m512 rs = _mm512_set1_ps(row_scales[r]);
        __m512 v0 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(sums[r][0], offset0)), _mm512_mul_ps(rs, scale0));
        __m512 v1 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(sums[r][1], offset1)), _mm512_mul_ps(rs, scale1));
        semsearch_quad_tile_store_row(c + r * ldc, v0, v1, mask0, mask1, accumulate, bias);
    }
}
#endif

void semsearch_int8_quantize_byte_rows(const float *a, size_t m, size_t k, size_t lda, uint8_t *packed, float *row_scales) {
#if defined(__x86_64__)
    if (semsearch_int8_byte_kernel_available()) quantize_avx512(a, m, k, lda, packed, row_scales);
#endif
}

#if defined(__x86_64__)
/* One product's operands, for the tile walk's callback. */
struct byte_product {
    const uint8_t *rows;
    const float *row_scales;
    const int8_t *weights;
    const float *weight_scales;
    const int32_t *column_sums;
    size_t quads, panel_bytes, block_bytes, ldc;
    float *c;
    int accumulate;
    const float *bias;
};

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void byte_tile(const struct semsearch_quad_tile *t, void *context) {
    const struct byte_product *p = context;
    const int8_t *w0 = p->weights + t->panel * p->panel_bytes;
    size_t second = t->pair ? PANEL : 0;
    tile_vnni(p->rows + t->block * p->block_bytes, w0, t->pair ? w0 + p->panel_bytes : w0, p->quads, p->row_scales + t->row,
              p->weight_scales + t->column, p->weight_scales + t->column + second, p->column_sums + t->column,
              p->column_sums + t->column + second, t->rows, t->columns0, t->columns1, p->c + t->row * p->ldc + t->column, p->ldc,
              p->accumulate, p->bias != NULL ? p->bias + t->column : NULL);
}
#endif

void semsearch_int8_byte_gemm(const uint8_t *packed_rows, const float *row_scales, size_t m, size_t k,
                              const int8_t *packed_weights, const float *weight_scales, const int32_t *column_sums, size_t n,
                              size_t panel_start, size_t panel_end, float *c, size_t ldc, int accumulate, const float *bias) {
#if defined(__x86_64__)
    if (!semsearch_int8_byte_kernel_available()) return;
    size_t quads = quads_of(k);
    struct byte_product product = {packed_rows, row_scales, packed_weights, weight_scales, column_sums,
                                   quads, quads * 4 * PANEL, quads * 4 * BLOCK, ldc, c, accumulate, bias};
    semsearch_quad_tiles_for_each(m, n, panel_start, panel_end, product.block_bytes, byte_tile, &product);
#endif
}
