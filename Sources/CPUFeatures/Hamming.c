#include "CPUFeatures.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* Eight codes at once: one 512-bit XOR and VPOPCNTQ a word, VPMOVQW to store the eight sums. */
__attribute__((target("avx512f,avx512vpopcntdq")))
static void hamming_avx512(const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query, uint16_t *out) {
    for (size_t b = 0; b < block_count; b++) {
        const uint64_t *block = blocks + b * words * 8;
        __m512i sum = _mm512_setzero_si512();
        for (size_t w = 0; w < words; w++) {
            __m512i codes = _mm512_loadu_si512((const void *)(block + w * 8));
            __m512i differ = _mm512_xor_si512(codes, _mm512_set1_epi64((long long)query[w]));
            sum = _mm512_add_epi64(sum, _mm512_popcnt_epi64(differ));
        }
        _mm_storeu_si128((__m128i *)(out + b * 8), _mm512_cvtepi64_epi16(sum));
    }
}

__attribute__((target("popcnt")))
static void hamming_popcnt(const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query, uint16_t *out) {
    for (size_t b = 0; b < block_count; b++) {
        const uint64_t *block = blocks + b * words * 8;
        unsigned sums[8] = {0};
        for (size_t w = 0; w < words; w++) {
            for (int lane = 0; lane < 8; lane++) sums[lane] += (unsigned)__builtin_popcountll(block[w * 8 + lane] ^ query[w]);
        }
        for (int lane = 0; lane < 8; lane++) out[b * 8 + lane] = (uint16_t)sums[lane];
    }
}
#endif

static void hamming_portable(const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query, uint16_t *out) {
    for (size_t b = 0; b < block_count; b++) {
        const uint64_t *block = blocks + b * words * 8;
        for (int lane = 0; lane < 8; lane++) {
            unsigned sum = 0;
            for (size_t w = 0; w < words; w++) sum += (unsigned)__builtin_popcountll(block[w * 8 + lane] ^ query[w]);
            out[b * 8 + lane] = (uint16_t)sum;
        }
    }
}

int semsearch_hamming_kernel(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) return 2;
    if (__builtin_cpu_supports("popcnt")) return 1;
#endif
    return 0;
}

void semsearch_hamming_blocks(const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query, uint16_t *out) {
    static int chosen = -1;
    int kernel = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (kernel < 0) {
        kernel = semsearch_hamming_kernel();
        __atomic_store_n(&chosen, kernel, __ATOMIC_RELAXED);
    }
    semsearch_hamming_blocks_using(kernel, blocks, block_count, words, query, out);
}

void semsearch_hamming_blocks_using(int kernel, const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query,
                                    uint16_t *out) {
    if (kernel > semsearch_hamming_kernel()) kernel = semsearch_hamming_kernel();
#if defined(__x86_64__)
    if (kernel == 2) { hamming_avx512(blocks, block_count, words, query, out); return; }
    if (kernel == 1) { hamming_popcnt(blocks, block_count, words, query, out); return; }
#endif
    hamming_portable(blocks, block_count, words, query, out);
}
