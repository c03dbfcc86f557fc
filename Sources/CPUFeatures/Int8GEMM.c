#include "Int8GEMM.h"
#include "EncoderMath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { PANEL = SEMSEARCH_INT8_PANEL, BLOCK = SEMSEARCH_INT8_BLOCK };

static size_t pairs_of(size_t k) { return (k + 1) / 2; }
static size_t panels_of(size_t n) { return (n + PANEL - 1) / PANEL; }
static size_t blocks_of(size_t m) { return (m + BLOCK - 1) / BLOCK; }

size_t semsearch_int8_packed_weights_count(size_t n, size_t k) { return panels_of(n) * pairs_of(k) * 2 * PANEL; }

size_t semsearch_int8_weight_scales_count(size_t n) { return panels_of(n) * PANEL; }

size_t semsearch_int8_packed_rows_count(size_t m, size_t k) { return blocks_of(m) * pairs_of(k) * 2 * BLOCK; }

int semsearch_int8_activation_limit(size_t k) {
    size_t even = pairs_of(k) * 2;
    if (even == 0) return 32767;
    size_t limit = 2147483647u / (127u * even);
    return limit > 32767 ? 32767 : (int)limit;
}

float semsearch_int8_quantize_weight_row(const float *source, size_t k, int8_t *quantized) {
    float largest = 0;
    for (size_t j = 0; j < k; j++) largest = fmaxf(largest, fabsf(source[j]));
    if (!semsearch_int8_quantizable(largest)) {
        memset(quantized, 0, k);
        return 0;
    }
    float inverse = 127.0f / largest;
    for (size_t j = 0; j < k; j++) {
        long q = lrintf(source[j] * inverse);
        if (q > 127) q = 127;
        if (q < -127) q = -127;
        quantized[j] = (int8_t)q;
    }
    return largest / 127.0f;
}

void semsearch_int8_pack_weights(const float *w, size_t n, size_t k, int16_t *packed, float *scales) {
    size_t pairs = pairs_of(k);
    memset(packed, 0, semsearch_int8_packed_weights_count(n, k) * sizeof(int16_t));
    memset(scales, 0, semsearch_int8_weight_scales_count(n) * sizeof(float));
    int8_t *row_values = malloc(k > 0 ? k : 1);
    if (row_values == NULL) abort();
    for (size_t row = 0; row < n; row++) {
        scales[row] = semsearch_int8_quantize_weight_row(w + row * k, k, row_values);
        size_t panel = row / PANEL, lane = row % PANEL;
        int16_t *target = packed + panel * pairs * 2 * PANEL + (lane / 8) * 16 + (lane % 8) * 2;
        for (size_t j = 0; j < k; j++) target[(j / 2) * 2 * PANEL + (j % 2)] = row_values[j];
    }
    free(row_values);
}

/* Where row r's pair p lives in the packed rows. */
static size_t pair_index(size_t r, size_t p, size_t pairs) { return (((r / BLOCK) * pairs + p) * BLOCK + r % BLOCK) * 2; }

/* Zeroes row r's pairs: a padding row of the last block, or a row of zeros. */
static void zero_row(int16_t *packed, size_t r, size_t pairs) {
    for (size_t p = 0; p < pairs; p++) {
        int16_t *target = packed + pair_index(r, p, pairs);
        target[0] = 0;
        target[1] = 0;
    }
}

/* Zeroes what no row writes: the padding rows of the last block (an odd k's last half-pair is
   zeroed per row), so the rows themselves are written once, not cleared first. */
static void zero_padding_rows(int16_t *packed, size_t m, size_t k) {
    for (size_t r = m; r < blocks_of(m) * BLOCK; r++) zero_row(packed, r, pairs_of(k));
}

static float row_scale(float largest, int limit) { return semsearch_int8_quantizable(largest) ? largest / (float)limit : 0; }

static void quantize_portable(const float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed, float *row_scales) {
    size_t pairs = pairs_of(k);
    zero_padding_rows(packed, m, k);
    for (size_t r = 0; r < m; r++) {
        const float *row = a + r * lda;
        float largest = 0;
        for (size_t j = 0; j < k; j++) largest = fmaxf(largest, fabsf(row[j]));
        float scale = row_scale(largest, limit);
        row_scales[r] = scale;
        if (scale == 0) {
            zero_row(packed, r, pairs);
            continue;
        }
        if (k % 2 == 1) packed[pair_index(r, k / 2, pairs) + 1] = 0;
        float inverse = (float)limit / largest;
        for (size_t j = 0; j < k; j++) {
            long q = lrintf(row[j] * inverse);
            if (q > limit) q = limit;
            if (q < -limit) q = -limit;
            packed[pair_index(r, j / 2, pairs) + j % 2] = (int16_t)q;
        }
    }
}

/* The scalar tile: the same integer sums as the vector kernel, so results match it exactly. */
static void tile_portable(const int16_t *rows, const int16_t *panel, size_t pairs, int32_t sums[BLOCK][PANEL]) {
    memset(sums, 0, sizeof(int32_t) * BLOCK * PANEL);
    for (size_t p = 0; p < pairs; p++) {
        const int16_t *x = rows + p * BLOCK * 2;
        const int16_t *w = panel + p * 2 * PANEL;
        for (int r = 0; r < BLOCK; r++) {
            for (int lane = 0; lane < PANEL; lane++) {
                const int16_t *pair = w + (lane / 8) * 16 + (lane % 8) * 2;
                sums[r][lane] += (int32_t)x[r * 2] * pair[0] + (int32_t)x[r * 2 + 1] * pair[1];
            }
        }
    }
}

static void store_portable(const int32_t sums[BLOCK][PANEL], const float *row_scales, const float *weight_scales,
                           size_t rows, size_t columns, float *c, size_t ldc, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        for (size_t lane = 0; lane < columns; lane++) {
            float value = (float)sums[r][lane] * (row_scales[r] * weight_scales[lane]);
            c[r * ldc + lane] = accumulate ? c[r * ldc + lane] + value : value;
        }
    }
}

#if defined(__x86_64__)
/* With `gelu` (a constant after inlining) each row is first replaced by GELU of it, in the pass
   that finds its largest magnitude. */
__attribute__((target("avx2,fma"), always_inline))
static inline void quantize_avx2(float *gelu_rows, const float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed,
                                 float *row_scales, int gelu) {
    size_t pairs = pairs_of(k);
    size_t vectors = k / 8 * 8;
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    zero_padding_rows(packed, m, k);
    for (size_t r = 0; r < m; r++) {
        const float *row = a + r * lda;
        __m256 most = _mm256_setzero_ps();
        if (gelu) {
            float *target = gelu_rows + r * lda;
            for (size_t j = 0; j < vectors; j += 8) {
                __m256 v = semsearch_gelu8(_mm256_loadu_ps(target + j));
                _mm256_storeu_ps(target + j, v);
                most = _mm256_max_ps(most, _mm256_and_ps(v, magnitude));
            }
            if (vectors < k) {
                float tail[8] = {0};
                memcpy(tail, target + vectors, (k - vectors) * sizeof(float));
                _mm256_storeu_ps(tail, semsearch_gelu8(_mm256_loadu_ps(tail)));
                memcpy(target + vectors, tail, (k - vectors) * sizeof(float));
            }
        } else {
            for (size_t j = 0; j < vectors; j += 8) most = _mm256_max_ps(most, _mm256_and_ps(_mm256_loadu_ps(row + j), magnitude));
        }
        float lanes[8];
        _mm256_storeu_ps(lanes, most);
        float largest = 0;
        for (int i = 0; i < 8; i++) largest = fmaxf(largest, lanes[i]);
        for (size_t j = vectors; j < k; j++) largest = fmaxf(largest, fabsf(row[j]));
        float scale = row_scale(largest, limit);
        row_scales[r] = scale;
        if (scale == 0) {
            zero_row(packed, r, pairs);
            continue;
        }
        if (k % 2 == 1) packed[pair_index(r, k / 2, pairs) + 1] = 0;
        float inverse = (float)limit / largest;
        __m256 times = _mm256_set1_ps(inverse);
        int16_t *block = packed + pair_index(r, 0, pairs);
        size_t j = 0;
        for (; j < vectors; j += 8) {
            /* cvtps rounds to nearest even, as lrintf does in the portable path. */
            __m256i q = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + j), times));
            int32_t values[8];
            _mm256_storeu_si256((__m256i *)values, q);
            for (int i = 0; i < 8; i += 2) {
                int16_t *target = block + ((j + i) / 2) * BLOCK * 2;
                target[0] = (int16_t)values[i];
                target[1] = (int16_t)values[i + 1];
            }
        }
        for (; j < k; j++) {
            long q = lrintf(row[j] * inverse);
            if (q > limit) q = limit;
            if (q < -limit) q = -limit;
            block[(j / 2) * BLOCK * 2 + j % 2] = (int16_t)q;
        }
    }
}

__attribute__((target("avx2,fma"))) static void quantize_avx2_as_is(const float *a, size_t m, size_t k, size_t lda, int limit,
                                                                   int16_t *packed, float *row_scales) {
    quantize_avx2(NULL, a, m, k, lda, limit, packed, row_scales, 0);
}

__attribute__((target("avx2,fma"))) static void quantize_avx2_gelu(float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed,
                                                                  float *row_scales) {
    quantize_avx2(a, a, m, k, lda, limit, packed, row_scales, 1);
}

/* Six rows × sixteen channels: per pair of k, two loads of the weights, six broadcasts of a row's
   pair, twelve vpmaddwd and twelve vpaddd into twelve accumulators, the loop unrolled twice. With
   the weights stored as int8 and sign-extended here, and without the unrolling, the tile ran at 81
   GMAC/s on one Zen 4 core; as it is, 92 (a loop over one panel and 128 KB of rows, k = 384). */
__attribute__((target("avx2,fma")))
static void tile_avx2(const int16_t *rows, const int16_t *panel, size_t pairs, const float *row_scales, const float *weight_scales,
                      size_t valid_rows, size_t columns, float *c, size_t ldc, int accumulate) {
    __m256i s00 = _mm256_setzero_si256(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;
    __m256i s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;
    const int32_t *x = (const int32_t *)rows;
#pragma clang loop unroll_count(2)
    for (size_t p = 0; p < pairs; p++) {
        __m256i w0 = _mm256_loadu_si256((const __m256i *)(panel + p * 32));
        __m256i w1 = _mm256_loadu_si256((const __m256i *)(panel + p * 32 + 16));
        const int32_t *xp = x + p * BLOCK;
        __m256i a;
        a = _mm256_set1_epi32(xp[0]);
        s00 = _mm256_add_epi32(s00, _mm256_madd_epi16(a, w0));
        s01 = _mm256_add_epi32(s01, _mm256_madd_epi16(a, w1));
        a = _mm256_set1_epi32(xp[1]);
        s10 = _mm256_add_epi32(s10, _mm256_madd_epi16(a, w0));
        s11 = _mm256_add_epi32(s11, _mm256_madd_epi16(a, w1));
        a = _mm256_set1_epi32(xp[2]);
        s20 = _mm256_add_epi32(s20, _mm256_madd_epi16(a, w0));
        s21 = _mm256_add_epi32(s21, _mm256_madd_epi16(a, w1));
        a = _mm256_set1_epi32(xp[3]);
        s30 = _mm256_add_epi32(s30, _mm256_madd_epi16(a, w0));
        s31 = _mm256_add_epi32(s31, _mm256_madd_epi16(a, w1));
        a = _mm256_set1_epi32(xp[4]);
        s40 = _mm256_add_epi32(s40, _mm256_madd_epi16(a, w0));
        s41 = _mm256_add_epi32(s41, _mm256_madd_epi16(a, w1));
        a = _mm256_set1_epi32(xp[5]);
        s50 = _mm256_add_epi32(s50, _mm256_madd_epi16(a, w0));
        s51 = _mm256_add_epi32(s51, _mm256_madd_epi16(a, w1));
    }
    __m256i sums[BLOCK][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}, {s40, s41}, {s50, s51}};
    __m256 scale0 = _mm256_loadu_ps(weight_scales), scale1 = _mm256_loadu_ps(weight_scales + 8);
    for (size_t r = 0; r < valid_rows; r++) {
        __m256 rs = _mm256_set1_ps(row_scales[r]);
        __m256 v0 = _mm256_mul_ps(_mm256_cvtepi32_ps(sums[r][0]), _mm256_mul_ps(rs, scale0));
        __m256 v1 = _mm256_mul_ps(_mm256_cvtepi32_ps(sums[r][1]), _mm256_mul_ps(rs, scale1));
        float *out = c + r * ldc;
        if (columns == PANEL) {
            if (accumulate) {
                v0 = _mm256_add_ps(v0, _mm256_loadu_ps(out));
                v1 = _mm256_add_ps(v1, _mm256_loadu_ps(out + 8));
            }
            _mm256_storeu_ps(out, v0);
            _mm256_storeu_ps(out + 8, v1);
        } else {
            float values[PANEL];
            _mm256_storeu_ps(values, v0);
            _mm256_storeu_ps(values + 8, v1);
            for (size_t lane = 0; lane < columns; lane++) out[lane] = accumulate ? out[lane] + values[lane] : values[lane];
        }
    }
}

/* Six rows × two panels (32 channels) with 512-bit registers: per pair of k, two loads of the
   weights and twelve multiply-adds, each with its row's pair broadcast from memory.
   With VNNI a multiply-add is one vpdpwssd; without, vpmaddwd and vpaddd. */
#define TILE_AVX512(NAME, TARGET, MADD)                                                                                   \
    __attribute__((target(TARGET))) static void NAME(const int16_t *rows, const int16_t *panel0, const int16_t *panel1,      \
                                                     size_t pairs, const float *row_scales, const float *scales0,              \
                                                     const float *scales1, size_t valid_rows, size_t columns1, float *c,       \
                                                     size_t ldc, int accumulate) {                                             \
        __m512i s00 = _mm512_setzero_si512(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;                        \
        __m512i s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;                                           \
        const int32_t *x = (const int32_t *)rows;                                                                            \
        for (size_t p = 0; p < pairs; p++) {                                                                                 \
            __m512i w0 = _mm512_loadu_si512((const void *)(panel0 + p * 32));                                               \
            __m512i w1 = _mm512_loadu_si512((const void *)(panel1 + p * 32));                                               \
            const int32_t *xp = x + p * BLOCK;                                                                               \
            __m512i a;                                                                                                       \
            a = _mm512_set1_epi32(xp[0]); s00 = MADD(s00, a, w0); s01 = MADD(s01, a, w1);                                     \
            a = _mm512_set1_epi32(xp[1]); s10 = MADD(s10, a, w0); s11 = MADD(s11, a, w1);                                     \
            a = _mm512_set1_epi32(xp[2]); s20 = MADD(s20, a, w0); s21 = MADD(s21, a, w1);                                     \
            a = _mm512_set1_epi32(xp[3]); s30 = MADD(s30, a, w0); s31 = MADD(s31, a, w1);                                     \
            a = _mm512_set1_epi32(xp[4]); s40 = MADD(s40, a, w0); s41 = MADD(s41, a, w1);                                     \
            a = _mm512_set1_epi32(xp[5]); s50 = MADD(s50, a, w0); s51 = MADD(s51, a, w1);                                     \
        }                                                                                                                    \
        __m512i sums[BLOCK][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}, {s40, s41}, {s50, s51}};                   \
        __m512 scale0 = _mm512_loadu_ps(scales0), scale1 = _mm512_loadu_ps(scales1);                                        \
        __mmask16 tail = (__mmask16)((1u << columns1) - 1);                                                                  \
        for (size_t r = 0; r < valid_rows; r++) {                                                                            \
            __m512 rs = _mm512_set1_ps(row_scales[r]);                                                                       \
            __m512 v0 = _mm512_mul_ps(_mm512_cvtepi32_ps(sums[r][0]), _mm512_mul_ps(rs, scale0));                            \
            __m512 v1 = _mm512_mul_ps(_mm512_cvtepi32_ps(sums[r][1]), _mm512_mul_ps(rs, scale1));                            \
            float *out = c + r * ldc;                                                                                        \
            if (accumulate) {                                                                                                \
                v0 = _mm512_add_ps(v0, _mm512_loadu_ps(out));                                                                \
                v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(tail, out + PANEL));                                            \
            }                                                                                                                \
            _mm512_storeu_ps(out, v0);                                                                                       \
            _mm512_mask_storeu_ps(out + PANEL, tail, v1);                                                                    \
        }                                                                                                                    \
    }

#define MADD_VNNI(s, a, w) _mm512_dpwssd_epi32(s, a, w)
#define MADD_BW(s, a, w) _mm512_add_epi32(s, _mm512_madd_epi16(a, w))
TILE_AVX512(tile_avx512_vnni, "avx512f,avx512bw,avx512vnni", MADD_VNNI)
TILE_AVX512(tile_avx512_bw, "avx512f,avx512bw", MADD_BW)
#endif

/* The best kernel the CPU has, capped by SEMSEARCH_INT8_KERNEL (a number 0-3), read once: so an
   AVX-512 machine can measure the AVX2 path. */
static int best_kernel(void);

int semsearch_int8_kernel(void) {
    static int chosen = -1;
    int kernel = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (kernel < 0) {
        kernel = best_kernel();
        const char *cap = getenv("SEMSEARCH_INT8_KERNEL");
        if (cap != NULL && cap[0] >= '0' && cap[0] <= '3' && cap[1] == 0 && cap[0] - '0' < kernel) kernel = cap[0] - '0';
        __atomic_store_n(&chosen, kernel, __ATOMIC_RELAXED);
    }
    return kernel;
}

static int best_kernel(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
        return __builtin_cpu_supports("avx512vnni") ? 3 : 2;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

void semsearch_int8_quantize_rows(int kernel, const float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed, float *row_scales) {
    if (kernel > semsearch_int8_kernel()) kernel = semsearch_int8_kernel();
    int widest = semsearch_int8_activation_limit(k);
    if (limit <= 0 || limit > widest) limit = widest;
#if defined(__x86_64__)
    if (kernel >= 1) { quantize_avx2_as_is(a, m, k, lda, limit, packed, row_scales); return; }
#endif
    quantize_portable(a, m, k, lda, limit, packed, row_scales);
}

void semsearch_int8_quantize_gelu_rows(float *a, size_t m, size_t k, size_t lda, int limit, int16_t *packed, float *row_scales) {
    int widest = semsearch_int8_activation_limit(k);
    if (limit <= 0 || limit > widest) limit = widest;
#if defined(__x86_64__)
    if (semsearch_int8_kernel() >= 1) quantize_avx2_gelu(a, m, k, lda, limit, packed, row_scales);
#else
    (void)a; (void)m; (void)lda; (void)packed; (void)row_scales;
#endif
}

void semsearch_int8_gemm(int kernel, const int16_t *packed_rows, const float *row_scales, size_t m, size_t k,
                         const int16_t *packed_weights, const float *weight_scales, size_t n,
                         size_t panel_start, size_t panel_end, float *c, size_t ldc, int accumulate) {
    if (kernel > semsearch_int8_kernel()) kernel = semsearch_int8_kernel();
    size_t pairs = pairs_of(k), blocks = blocks_of(m);
    if (panel_end > panels_of(n)) panel_end = panels_of(n);
    /* Row blocks in chunks of about 128 KB of packed rows, which stay in L2 while every panel
       (16·k bytes, in L1) passes over them. */
    size_t block_bytes = pairs * BLOCK * 4;
    size_t chunk = block_bytes > 0 ? (131072 + block_bytes - 1) / block_bytes : blocks;
    if (chunk == 0) chunk = 1;
    for (size_t first = 0; first < blocks; first += chunk) {
        size_t last = first + chunk < blocks ? first + chunk : blocks;
        for (size_t panel = panel_start; panel < panel_end; panel++) {
            const int16_t *weights = packed_weights + panel * pairs * 2 * PANEL;
            const float *scales = weight_scales + panel * PANEL;
            size_t column = panel * PANEL;
            size_t columns = n - column < PANEL ? n - column : PANEL;
#if defined(__x86_64__)
            /* Two panels at once when both are in range and the first is full. */
            if (kernel >= 2 && panel + 1 < panel_end && columns == PANEL) {
                size_t columns1 = n - column - PANEL < PANEL ? n - column - PANEL : PANEL;
                for (size_t block = first; block < last; block++) {
                    size_t row = block * BLOCK;
                    size_t rows = m - row < BLOCK ? m - row : BLOCK;
                    const int16_t *x = packed_rows + block * pairs * BLOCK * 2;
                    float *out = c + row * ldc + column;
                    if (kernel == 3) {
                        tile_avx512_vnni(x, weights, weights + pairs * 2 * PANEL, pairs, row_scales + row, scales, scales + PANEL, rows,
                                         columns1, out, ldc, accumulate);
                    } else {
                        tile_avx512_bw(x, weights, weights + pairs * 2 * PANEL, pairs, row_scales + row, scales, scales + PANEL, rows,
                                       columns1, out, ldc, accumulate);
                    }
                }
                panel++;
                continue;
            }
#endif
            for (size_t block = first; block < last; block++) {
                size_t row = block * BLOCK;
                size_t rows = m - row < BLOCK ? m - row : BLOCK;
                const int16_t *x = packed_rows + block * pairs * BLOCK * 2;
                float *out = c + row * ldc + column;
#if defined(__x86_64__)
                if (kernel >= 1) {
                    tile_avx2(x, weights, pairs, row_scales + row, scales, rows, columns, out, ldc, accumulate);
                    continue;
                }
#endif
                int32_t sums[BLOCK][PANEL];
                tile_portable(x, weights, pairs, sums);
                store_portable(sums, row_scales + row, scales, rows, columns, out, ldc, accumulate);
            }
        }
    }
}
