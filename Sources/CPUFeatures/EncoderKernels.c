#include "EncoderKernels.h"
#include "EncoderMath.h"
#include "Int8GEMM.h"
#include <string.h>

int semsearch_encoder_kernels_available(void) { return semsearch_int8_kernel() >= 2; }

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static __mmask16 first_lanes(size_t count) {
    return (__mmask16)(count >= 16 ? 0xffff : (1u << count) - 1);
}

__attribute__((target("avx512f"))) static void gelu_avx512(float *values, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(values + i, semsearch_gelu16(_mm512_loadu_ps(values + i)));
    if (i < count) {
        __mmask16 mask = first_lanes(count - i);
        _mm512_mask_storeu_ps(values + i, mask, semsearch_gelu16(_mm512_maskz_loadu_ps(mask, values + i)));
    }
}

__attribute__((target("avx2,fma"))) static void gelu_avx2(float *values, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(values + i, semsearch_gelu8(_mm256_loadu_ps(values + i)));
    if (i < count) {
        float lanes[8] = {0};
        memcpy(lanes, values + i, (count - i) * sizeof(float));
        _mm256_storeu_ps(lanes, semsearch_gelu8(_mm256_loadu_ps(lanes)));
        memcpy(values + i, lanes, (count - i) * sizeof(float));
    }
}

__attribute__((target("avx512f"))) static void gated_gelu_avx512(const float *gate_up, float *out, size_t rows, size_t width) {
    for (size_t r = 0; r < rows; r++) {
        const float *g = gate_up + r * 2 * width, *u = g + width;
        float *y = out + r * width;
        for (size_t i = 0; i < width; i += 16) {
            __mmask16 mask = first_lanes(width - i);
            _mm512_mask_storeu_ps(y + i, mask, semsearch_gated_gelu16(_mm512_maskz_loadu_ps(mask, g + i), _mm512_maskz_loadu_ps(mask, u + i)));
        }
    }
}

/* One row: the largest score, e^(x − max) stored and summed (lanes past the row add nothing), then
   scaled by 1 / sum. */
__attribute__((target("avx512f"))) static void softmax_row(float *row, size_t count) {
    __m512 most = _mm512_set1_ps(-__builtin_inff());
    for (size_t i = 0; i < count; i += 16) {
        most = _mm512_max_ps(most, _mm512_mask_loadu_ps(most, first_lanes(count - i), row + i));
    }
    __m512 largest = _mm512_set1_ps(_mm512_reduce_max_ps(most));
    __m512 sum = _mm512_setzero_ps();
    for (size_t i = 0; i < count; i += 16) {
        __mmask16 mask = first_lanes(count - i);
        __m512 e = semsearch_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, row + i), largest));
        _mm512_mask_storeu_ps(row + i, mask, e);
        sum = _mm512_mask_add_ps(sum, mask, sum, e);
    }
    __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (size_t i = 0; i < count; i += 16) {
        __mmask16 mask = first_lanes(count - i);
        _mm512_mask_storeu_ps(row + i, mask, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, row + i), inverse));
    }
}
#endif

int semsearch_gelu_available(void) { return semsearch_int8_kernel() >= 1; }

void semsearch_gelu(float *values, size_t count) {
#if defined(__x86_64__)
    if (semsearch_encoder_kernels_available()) gelu_avx512(values, count);
    else if (semsearch_gelu_available()) gelu_avx2(values, count);
#endif
}

void semsearch_gelu_eight_lanes(float *values, size_t count) {
#if defined(__x86_64__)
    gelu_avx2(values, count);
#else
    (void)values; (void)count;
#endif
}

void semsearch_gated_gelu_rows(const float *gate_up, float *out, size_t rows, size_t width) {
#if defined(__x86_64__)
    if (semsearch_encoder_kernels_available()) gated_gelu_avx512(gate_up, out, rows, width);
#endif
}

void semsearch_softmax_rows(float *values, size_t rows, size_t count) {
#if defined(__x86_64__)
    if (!semsearch_encoder_kernels_available() || count == 0) return;
    for (size_t r = 0; r < rows; r++) softmax_row(values + r * count, count);
#endif
}
