/* How many multiply-adds one core retires per second with each dot-product instruction a CPU
   encoder could be built on: AVX-512 VNNI vpdpbusd (int8, 64 per instruction), AVX512-BF16
   vdpbf16ps (bf16, 32) and vfmadd231ps (fp32, 16). Twelve independent accumulators, so each
   instruction runs at its throughput, not its latency. A measurement tool, not a test: it decided
   that semsearch has no bf16 path (on a 2-core Emerald Rapids vdpbf16ps retired about 42 G
   multiply-adds/s, half of fp32's 86 and a fifth of vpdpbusd's 200-294).

   usage: cc -O3 -march=native -o /tmp/dot-throughput scripts/dot-throughput.c && /tmp/dot-throughput
   (needs a CPU with AVX-512 VNNI and BF16). */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

enum { CHAINS = 12 };
static const long INSTRUCTIONS = 240000000L;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Tells the compiler the loop's results are used each round (so it keeps the loop), without
   forcing the accumulators through memory; the checksum at the end uses all twelve. */
#define KEEP(v) __asm__ volatile("" : : "v"((v)[0]), "v"((v)[5]), "v"((v)[11]))

int main(void) {
    if (!__builtin_cpu_supports("avx512vnni") || !__builtin_cpu_supports("avx512bf16")) {
        fputs("dot-throughput: this CPU lacks AVX-512 VNNI or BF16\n", stderr);
        return 2;
    }
    __m512i ints[CHAINS], a = _mm512_set1_epi32(0x01020304), b = _mm512_set1_epi32(0x01010101);
    __m512 bf[CHAINS], fp[CHAINS];
    for (int i = 0; i < CHAINS; i++) {
        ints[i] = _mm512_set1_epi32(i);
        bf[i] = fp[i] = _mm512_set1_ps((float)i);
    }
    __m512bh x = (__m512bh)_mm512_set1_epi32(0x3f803f80);
    __m512 p = _mm512_set1_ps(1.0f), q = _mm512_set1_ps(0.5f);

    double start = seconds();
    for (long n = 0; n < INSTRUCTIONS / CHAINS; n++) {
        for (int i = 0; i < CHAINS; i++) ints[i] = _mm512_dpbusd_epi32(ints[i], a, b);
        KEEP(ints);
    }
    double int8 = seconds() - start;
    start = seconds();
    for (long n = 0; n < INSTRUCTIONS / CHAINS; n++) {
        for (int i = 0; i < CHAINS; i++) bf[i] = _mm512_dpbf16_ps(bf[i], x, x);
        KEEP(bf);
    }
    double bf16 = seconds() - start;
    start = seconds();
    for (long n = 0; n < INSTRUCTIONS / CHAINS; n++) {
        for (int i = 0; i < CHAINS; i++) fp[i] = _mm512_fmadd_ps(fp[i], p, q);
        KEEP(fp);
    }
    double fp32 = seconds() - start;

    float checksum = 0;
    for (int i = 0; i < CHAINS; i++) checksum += (float)_mm512_reduce_add_epi32(ints[i]) + _mm512_reduce_add_ps(bf[i]) + _mm512_reduce_add_ps(fp[i]);
    printf("vpdpbusd   (int8): %6.1f G multiply-adds/s\n", INSTRUCTIONS * 64.0 / int8 / 1e9);
    printf("vdpbf16ps  (bf16): %6.1f G multiply-adds/s\n", INSTRUCTIONS * 32.0 / bf16 / 1e9);
    printf("vfmadd231ps (fp32): %6.1f G multiply-adds/s\n", INSTRUCTIONS * 16.0 / fp32 / 1e9);
    printf("(checksum %g)\n", checksum);
    return 0;
}
