#ifndef SEMSEARCH_ENCODER_MATH_H
#define SEMSEARCH_ENCODER_MATH_H

/* The encoders' elementwise functions sixteen lanes wide (AVX-512F), and exp and GELU eight lanes
   wide (AVX2 with FMA), shared by EncoderKernels.c, the int8 quantizers that apply GELU on the way
   (Int8BlockGEMM.c on sixteen lanes, Int8GEMM.c on eight) and the fused attention (Attention.c). They follow
   Kernels.swift's eight-lane forms (the same Cephes exp polynomial and Abramowitz & Stegun erf),
   so a pass gives the same vectors within rounding whichever width ran it. */

#if defined(__x86_64__)
#include <immintrin.h>

/* e^x with about 1 ulp relative error on [-87, 88]: x = n·ln 2 + r, Cephes' polynomial on r, and
   2^n applied with vscalefps. */
__attribute__((target("avx512f"))) static inline __m512 semsearch_exp16(__m512 x) {
    x = _mm512_max_ps(_mm512_min_ps(x, _mm512_set1_ps(88.0f)), _mm512_set1_ps(-87.0f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 e = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(e, n);
}

/* The same e^x eight lanes wide for AVX2 and FMA (no vscalefps there): 2^n is built in the exponent
   bits, as Kernels.swift's eight-lane form does. Used by the fused attention (Attention.c) and
   semsearch_erf8. */
__attribute__((target("avx2,fma"))) static inline __m256 semsearch_exp8(__m256 x) {
    x = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(88.0f)), _mm256_set1_ps(-87.0f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    __m256 e = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
    __m256i exponent = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(e, _mm256_castsi256_ps(exponent));
}

/* 1 / d for d ≥ 1 eight lanes wide: vrcpps (12 bits) and one Newton step, about 2 ulp, where
   vdivps on eight lanes took a third of the Swift eight-lane GELU's time. */
__attribute__((target("avx2,fma"))) static inline __m256 semsearch_reciprocal8(__m256 d) {
    __m256 t = _mm256_rcp_ps(d);
    return _mm256_mul_ps(t, _mm256_fnmadd_ps(d, t, _mm256_set1_ps(2.0f)));
}

/* erf(x) eight lanes wide, as semsearch_erf16 below. */
__attribute__((target("avx2,fma"))) static inline __m256 semsearch_erf8(__m256 x) {
    const __m256 sign_bit = _mm256_castsi256_ps(_mm256_set1_epi32((int)0x80000000u));
    __m256 a = _mm256_andnot_ps(sign_bit, x);
    __m256 t = semsearch_reciprocal8(_mm256_fmadd_ps(a, _mm256_set1_ps(0.3275911f), _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_set1_ps(1.061405429f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.453152027f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.421413741f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.284496736f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.254829592f));
    __m256 y = _mm256_fnmadd_ps(_mm256_mul_ps(p, t), semsearch_exp8(_mm256_mul_ps(_mm256_xor_ps(a, sign_bit), a)), _mm256_set1_ps(1.0f));
    return _mm256_or_ps(y, _mm256_and_ps(x, sign_bit));
}

/* GELU(x) = ½x(1 + erf(x/√2)) eight lanes wide. */
__attribute__((target("avx2,fma"))) static inline __m256 semsearch_gelu8(__m256 x) {
    __m256 half = _mm256_mul_ps(x, _mm256_set1_ps(0.5f));
    return _mm256_fmadd_ps(half, semsearch_erf8(_mm256_mul_ps(x, _mm256_set1_ps(0.7071067811865475f))), half);
}

/* 1 / d for d ≥ 1: vrcp14ps (14 bits) and one Newton step, about 2 ulp (A & S's erf has 1.5e-7 of
   its own), at a fraction of vdivps's cost on sixteen lanes. */
__attribute__((target("avx512f"))) static inline __m512 semsearch_reciprocal16(__m512 d) {
    __m512 t = _mm512_rcp14_ps(d);
    return _mm512_mul_ps(t, _mm512_fnmadd_ps(d, t, _mm512_set1_ps(2.0f)));
}

/* erf(x) with at most 1.5e-7 absolute error (Abramowitz & Stegun 7.1.26). */
__attribute__((target("avx512f"))) static inline __m512 semsearch_erf16(__m512 x) {
    __m512 a = _mm512_abs_ps(x);
    __m512 t = semsearch_reciprocal16(_mm512_fmadd_ps(a, _mm512_set1_ps(0.3275911f), _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(1.061405429f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
    __m512 y = _mm512_fnmadd_ps(_mm512_mul_ps(p, t), semsearch_exp16(_mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), a), a)),
                                _mm512_set1_ps(1.0f));
    /* The sign of x onto y (y ≥ 0). */
    __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u));
    return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(y), sign));
}

/* GELU(x) = ½x(1 + erf(x/√2)), BERT's exact form. */
__attribute__((target("avx512f"))) static inline __m512 semsearch_gelu16(__m512 x) {
    __m512 half = _mm512_mul_ps(x, _mm512_set1_ps(0.5f));
    return _mm512_fmadd_ps(half, semsearch_erf16(_mm512_mul_ps(x, _mm512_set1_ps(0.7071067811865475f))), half);
}

/* GELU with the tanh approximation (`gelu_pytorch_tanh`) times the up value, EmbeddingGemma's GeGLU:
   ½g(1 + tanh(y)) · u with y = √(2/π)(g + 0.044715g³) and tanh(y) = 1 − 2 / (e^(2y) + 1), the
   eight-lane form's arithmetic (Kernels.swift), division included. The algebraically equal
   g·u / (1 + e^(−2y)) with a reciprocal estimate took the worst of 300 msmarco passages' int8
   cosine to fp32 from 0.998 to 0.992 (`bench embed --precision fp32,int8`); this form gives 0.998. */
__attribute__((target("avx512f"))) static inline __m512 semsearch_gated_gelu16(__m512 g, __m512 u) {
    __m512 g3 = _mm512_mul_ps(_mm512_mul_ps(g, g), g);
    __m512 y = _mm512_mul_ps(_mm512_set1_ps(0.7978845608028654f), _mm512_add_ps(g, _mm512_mul_ps(_mm512_set1_ps(0.044715f), g3)));
    __m512 e = semsearch_exp16(_mm512_add_ps(y, y));
    __m512 tanh = _mm512_sub_ps(_mm512_set1_ps(1.0f), _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(e, _mm512_set1_ps(1.0f))));
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), g), _mm512_add_ps(_mm512_set1_ps(1.0f), tanh)), u);
}
#endif

#endif
