#include "Attention.h"
#include "EncoderMath.h"
#include "Int8GEMM.h"
#include <string.h>

/* Query rows scored, normalized and summed together: four rows times two vectors of keys (or of
   value columns) keep eight independent FMA chains in flight, enough to cover the FMA latency on
   two ports, in eleven registers (AVX2 has sixteen). */
enum { ROWS = 4 };

/* Key columns of the transposed keys, rounded up to whole steps of the score loop (32 keys). */
static size_t padded_keys(size_t key_count) { return (key_count + 31) / 32 * 32; }

int semsearch_attention_kernel(size_t head_size) {
    int level = semsearch_int8_kernel();
    if (head_size == 0) return 0;
    if (level >= 2 && head_size % 16 == 0) return 2;
    if (level >= 1 && head_size % 8 == 0) return 1;
    return 0;
}

size_t semsearch_attention_scratch_count(size_t key_count, size_t head_size) {
    return (head_size + ROWS) * padded_keys(key_count);
}

/* Kᵀ: row d holds every key's d-th value, so a query's scores for sixteen keys are sixteen-lane FMAs
   of its broadcast values down the rows. Columns past the keys are zero. */
static void transpose_keys(const float *keys, size_t key_stride, size_t key_count, size_t head_size, size_t padded, float *kt) {
    for (size_t j = 0; j < key_count; j++) {
        const float *key = keys + j * key_stride;
        for (size_t d = 0; d < head_size; d++) kt[d * padded + j] = key[d];
    }
    for (size_t d = 0; d < head_size; d++) memset(kt + d * padded + key_count, 0, (padded - key_count) * sizeof(float));
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static inline __mmask16 first16(size_t count) {
    return (__mmask16)(count >= 16 ? 0xffff : (1u << count) - 1);
}

/* `rows` (1…4, a constant after inlining) query rows against all keys. `p` holds ROWS rows of
   `padded` floats: first the scaled scores (−∞ past the keys), then e^(score − max). */
__attribute__((target("avx512f"), always_inline)) static inline void
attend16(const float *queries, size_t query_stride, const int rows, const float *kt, size_t padded,
         const float *values, size_t key_stride, size_t key_count, size_t head_size, float scale,
         float *out, size_t out_stride, float *p) {
    const __m512 minus_infinity = _mm512_set1_ps(-__builtin_inff()), factor = _mm512_set1_ps(scale);
    __m512 most[ROWS], sum[ROWS];
    for (int r = 0; r < rows; r++) most[r] = minus_infinity;
    for (size_t j = 0; j < key_count; j += 32) {
        __m512 s0[ROWS], s1[ROWS];
        for (int r = 0; r < rows; r++) s0[r] = s1[r] = _mm512_setzero_ps();
        const float *column = kt + j;
        if (key_count - j > 16) {
            for (size_t d = 0; d < head_size; d++) {
                __m512 k0 = _mm512_loadu_ps(column + d * padded), k1 = _mm512_loadu_ps(column + d * padded + 16);
                for (int r = 0; r < rows; r++) {
                    __m512 q = _mm512_set1_ps(queries[r * query_stride + d]);
                    s0[r] = _mm512_fmadd_ps(q, k0, s0[r]);
                    s1[r] = _mm512_fmadd_ps(q, k1, s1[r]);
                }
            }
        } else {
            /* The last sixteen keys or fewer: half the FMAs. */
            for (size_t d = 0; d < head_size; d++) {
                __m512 k0 = _mm512_loadu_ps(column + d * padded);
                for (int r = 0; r < rows; r++) s0[r] = _mm512_fmadd_ps(_mm512_set1_ps(queries[r * query_stride + d]), k0, s0[r]);
            }
        }
        __mmask16 in0 = first16(key_count - j), in1 = key_count - j > 16 ? first16(key_count - j - 16) : 0;
        for (int r = 0; r < rows; r++) {
            __m512 a = _mm512_mask_mul_ps(minus_infinity, in0, s0[r], factor);
            __m512 b = _mm512_mask_mul_ps(minus_infinity, in1, s1[r], factor);
            _mm512_storeu_ps(p + r * padded + j, a);
            _mm512_storeu_ps(p + r * padded + j + 16, b);
            most[r] = _mm512_max_ps(most[r], _mm512_max_ps(a, b));
        }
    }
    for (int r = 0; r < rows; r++) {
        most[r] = _mm512_set1_ps(_mm512_reduce_max_ps(most[r]));
        sum[r] = _mm512_setzero_ps();
    }
    for (size_t j = 0; j < key_count; j += 16) {
        __mmask16 in = first16(key_count - j);
        for (int r = 0; r < rows; r++) {
            float *row = p + r * padded + j;
            __m512 e = _mm512_maskz_mov_ps(in, semsearch_exp16(_mm512_sub_ps(_mm512_loadu_ps(row), most[r])));
            _mm512_storeu_ps(row, e);
            sum[r] = _mm512_add_ps(sum[r], e);
        }
    }
    __m512 inverse[ROWS];
    for (int r = 0; r < rows; r++) inverse[r] = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum[r]));
    size_t c = 0;
    for (; c + 32 <= head_size; c += 32) {
        __m512 a0[ROWS], a1[ROWS];
        for (int r = 0; r < rows; r++) a0[r] = a1[r] = _mm512_setzero_ps();
        for (size_t j = 0; j < key_count; j++) {
            const float *v = values + j * key_stride + c;
            __m512 v0 = _mm512_loadu_ps(v), v1 = _mm512_loadu_ps(v + 16);
            for (int r = 0; r < rows; r++) {
                __m512 w = _mm512_set1_ps(p[r * padded + j]);
                a0[r] = _mm512_fmadd_ps(w, v0, a0[r]);
                a1[r] = _mm512_fmadd_ps(w, v1, a1[r]);
            }
        }
        for (int r = 0; r < rows; r++) {
            _mm512_storeu_ps(out + r * out_stride + c, _mm512_mul_ps(a0[r], inverse[r]));
            _mm512_storeu_ps(out + r * out_stride + c + 16, _mm512_mul_ps(a1[r], inverse[r]));
        }
    }
    if (c < head_size) {
        __m512 a[ROWS];
        for (int r = 0; r < rows; r++) a[r] = _mm512_setzero_ps();
        for (size_t j = 0; j < key_count; j++) {
            __m512 v = _mm512_loadu_ps(values + j * key_stride + c);
            for (int r = 0; r < rows; r++) a[r] = _mm512_fmadd_ps(_mm512_set1_ps(p[r * padded + j]), v, a[r]);
        }
        for (int r = 0; r < rows; r++) _mm512_storeu_ps(out + r * out_stride + c, _mm512_mul_ps(a[r], inverse[r]));
    }
}

__attribute__((target("avx2,fma"))) static inline __m256 first8(size_t count) {
    __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    int n = count >= 8 ? 8 : (int)count;
    return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane));
}

__attribute__((target("avx2,fma"))) static inline float largest8(__m256 x) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
}

__attribute__((target("avx2,fma"))) static inline float sum8(__m256 x) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

/* transpose_keys sixteen keys at a time: one gather per head dimension, zero past the keys. */
__attribute__((target("avx512f"))) static void transpose_keys_avx512(const float *keys, size_t key_stride, size_t key_count,
                                                                     size_t head_size, size_t padded, float *kt) {
    __m512i offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                         _mm512_set1_epi32((int)key_stride));
    for (size_t j = 0; j < padded; j += 16) {
        __mmask16 in = j < key_count ? first16(key_count - j) : 0;
        const float *first = keys + (j < key_count ? j : 0) * key_stride;
        for (size_t d = 0; d < head_size; d++) {
            __m512 column = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), in, offsets, first + d, 4);
            _mm512_storeu_ps(kt + d * padded + j, column);
        }
    }
}

/* attend16 eight lanes wide: sixteen keys a step in the scores, sixteen value columns a step in the sums. */
__attribute__((target("avx2,fma"), always_inline)) static inline void
attend8(const float *queries, size_t query_stride, const int rows, const float *kt, size_t padded,
        const float *values, size_t key_stride, size_t key_count, size_t head_size, float scale,
        float *out, size_t out_stride, float *p) {
    const __m256 minus_infinity = _mm256_set1_ps(-__builtin_inff()), factor = _mm256_set1_ps(scale);
    __m256 most[ROWS], sum[ROWS];
    for (int r = 0; r < rows; r++) most[r] = minus_infinity;
    for (size_t j = 0; j < key_count; j += 16) {
        __m256 s0[ROWS], s1[ROWS];
        for (int r = 0; r < rows; r++) s0[r] = s1[r] = _mm256_setzero_ps();
        const float *column = kt + j;
        if (key_count - j > 8) {
            for (size_t d = 0; d < head_size; d++) {
                __m256 k0 = _mm256_loadu_ps(column + d * padded), k1 = _mm256_loadu_ps(column + d * padded + 8);
                for (int r = 0; r < rows; r++) {
                    __m256 q = _mm256_broadcast_ss(queries + r * query_stride + d);
                    s0[r] = _mm256_fmadd_ps(q, k0, s0[r]);
                    s1[r] = _mm256_fmadd_ps(q, k1, s1[r]);
                }
            }
        } else {
            for (size_t d = 0; d < head_size; d++) {
                __m256 k0 = _mm256_loadu_ps(column + d * padded);
                for (int r = 0; r < rows; r++) s0[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(queries + r * query_stride + d), k0, s0[r]);
            }
        }
        __m256 in0 = first8(key_count - j), in1 = key_count - j > 8 ? first8(key_count - j - 8) : _mm256_setzero_ps();
        for (int r = 0; r < rows; r++) {
            __m256 a = _mm256_blendv_ps(minus_infinity, _mm256_mul_ps(s0[r], factor), in0);
            __m256 b = _mm256_blendv_ps(minus_infinity, _mm256_mul_ps(s1[r], factor), in1);
            _mm256_storeu_ps(p + r * padded + j, a);
            _mm256_storeu_ps(p + r * padded + j + 8, b);
            most[r] = _mm256_max_ps(most[r], _mm256_max_ps(a, b));
        }
    }
    for (int r = 0; r < rows; r++) {
        most[r] = _mm256_set1_ps(largest8(most[r]));
        sum[r] = _mm256_setzero_ps();
    }
    for (size_t j = 0; j < key_count; j += 8) {
        __m256 in = first8(key_count - j);
        for (int r = 0; r < rows; r++) {
            float *row = p + r * padded + j;
            __m256 e = _mm256_and_ps(in, semsearch_exp8(_mm256_sub_ps(_mm256_loadu_ps(row), most[r])));
            _mm256_storeu_ps(row, e);
            sum[r] = _mm256_add_ps(sum[r], e);
        }
    }
    __m256 inverse[ROWS];
    for (int r = 0; r < rows; r++) inverse[r] = _mm256_set1_ps(1.0f / sum8(sum[r]));
    size_t c = 0;
    for (; c + 16 <= head_size; c += 16) {
        __m256 a0[ROWS], a1[ROWS];
        for (int r = 0; r < rows; r++) a0[r] = a1[r] = _mm256_setzero_ps();
        for (size_t j = 0; j < key_count; j++) {
            const float *v = values + j * key_stride + c;
            __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8);
            for (int r = 0; r < rows; r++) {
                __m256 w = _mm256_broadcast_ss(p + r * padded + j);
                a0[r] = _mm256_fmadd_ps(w, v0, a0[r]);
                a1[r] = _mm256_fmadd_ps(w, v1, a1[r]);
            }
        }
        for (int r = 0; r < rows; r++) {
            _mm256_storeu_ps(out + r * out_stride + c, _mm256_mul_ps(a0[r], inverse[r]));
            _mm256_storeu_ps(out + r * out_stride + c + 8, _mm256_mul_ps(a1[r], inverse[r]));
        }
    }
    if (c < head_size) {
        __m256 a[ROWS];
        for (int r = 0; r < rows; r++) a[r] = _mm256_setzero_ps();
        for (size_t j = 0; j < key_count; j++) {
            __m256 v = _mm256_loadu_ps(values + j * key_stride + c);
            for (int r = 0; r < rows; r++) a[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(p + r * padded + j), v, a[r]);
        }
        for (int r = 0; r < rows; r++) _mm256_storeu_ps(out + r * out_stride + c, _mm256_mul_ps(a[r], inverse[r]));
    }
}

/* Every query row, four at a time and the rest in one smaller block, on one width. */
#define ATTEND_ALL(attend)                                                                                         \
    do {                                                                                                           \
        size_t i = 0;                                                                                              \
        for (; i + 4 <= query_count; i += 4)                                                                       \
            attend(queries + i * query_stride, query_stride, 4, kt, padded, values, key_stride, key_count,          \
                   head_size, scale, out + i * out_stride, out_stride, p);                                          \
        const float *q = queries + i * query_stride;                                                               \
        float *o = out + i * out_stride;                                                                           \
        switch (query_count - i) {                                                                                 \
        case 3: attend(q, query_stride, 3, kt, padded, values, key_stride, key_count, head_size, scale, o, out_stride, p); break; \
        case 2: attend(q, query_stride, 2, kt, padded, values, key_stride, key_count, head_size, scale, o, out_stride, p); break; \
        case 1: attend(q, query_stride, 1, kt, padded, values, key_stride, key_count, head_size, scale, o, out_stride, p); break; \
        default: break;                                                                                            \
        }                                                                                                          \
    } while (0)

__attribute__((target("avx512f"))) static void attention_avx512(const float *queries, size_t query_stride, size_t query_count,
                                                                const float *kt, size_t padded, const float *values,
                                                                size_t key_stride, size_t key_count, size_t head_size,
                                                                float scale, float *out, size_t out_stride, float *p) {
    ATTEND_ALL(attend16);
}

__attribute__((target("avx2,fma"))) static void attention_avx2(const float *queries, size_t query_stride, size_t query_count,
                                                              const float *kt, size_t padded, const float *values,
                                                              size_t key_stride, size_t key_count, size_t head_size,
                                                              float scale, float *out, size_t out_stride, float *p) {
    ATTEND_ALL(attend8);
}
#endif

void semsearch_attention(int kernel, const float *queries, size_t query_stride, size_t query_count,
                         const float *keys, const float *values, size_t key_stride, size_t key_count,
                         size_t head_size, float scale, float *out, size_t out_stride, float *scratch) {
    int best = semsearch_attention_kernel(head_size);
    if (kernel > best) kernel = best;
    if (kernel <= 0 || query_count == 0 || key_count == 0) return;
#if defined(__x86_64__)
    size_t padded = padded_keys(key_count);
    float *kt = scratch, *p = scratch + head_size * padded;
    if (kernel == 2) {
        /* The gather's offsets are 32-bit byte counts. */
        if (key_stride < (size_t)1 << 26) transpose_keys_avx512(keys, key_stride, key_count, head_size, padded, kt);
        else transpose_keys(keys, key_stride, key_count, head_size, padded, kt);
        attention_avx512(queries, query_stride, query_count, kt, padded, values, key_stride, key_count, head_size, scale, out, out_stride, p);
    } else {
        transpose_keys(keys, key_stride, key_count, head_size, padded, kt);
        attention_avx2(queries, query_stride, query_count, kt, padded, values, key_stride, key_count, head_size, scale, out, out_stride, p);
    }
#else
    (void)queries; (void)query_stride; (void)keys; (void)values; (void)key_stride; (void)head_size; (void)scale;
    (void)out; (void)out_stride; (void)scratch;
#endif
}
