#ifndef SEMSEARCH_CPU_FEATURES_H
#define SEMSEARCH_CPU_FEATURES_H

/// 1 when this CPU has AVX2, FMA, F16C and BMI2 (the Haswell level release builds target), else 0.
int semsearch_cpu_has_haswell(void);

/// 1 when this binary was compiled to require Haswell-level x86-64, else 0.
int semsearch_build_requires_haswell(void);

#include "Int8GEMM.h"
#include "Int8ByteGEMM.h"
#include "Int8BlockGEMM.h"
#include "EncoderKernels.h"
#include "Attention.h"
#include <stddef.h>
#include <stdint.h>

/// Which Hamming kernel `semsearch_hamming_blocks` runs on this CPU: 2 AVX-512 VPOPCNTDQ, 1 POPCNT,
/// 0 portable C.
int semsearch_hamming_kernel(void);

/// Hamming distances from `query` (`words` 64-bit words) to `block_count` blocks of 8 codes each,
/// stored word-major within a block (`blocks[(b * words + w) * 8 + lane]`), written to
/// `out[b * 8 + lane]`.
void semsearch_hamming_blocks(const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query, uint16_t *out);

/// The same with a given kernel (at most the best this CPU has), so tests can check each against the others.
void semsearch_hamming_blocks_using(int kernel, const uint64_t *blocks, size_t block_count, size_t words, const uint64_t *query,
                                    uint16_t *out);

/// The kernel set OpenBLAS chose before semsearch replaced it at start-up (a CPU model this OpenBLAS
/// does not know falls back to SSE3 kernels; see OpenBLASCore.c), or "" when it was kept.
const char *semsearch_openblas_replaced_core(void);

#endif
