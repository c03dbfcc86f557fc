#include "CPUFeatures.h"
#include <stdio.h>
#include <stdlib.h>

int semsearch_cpu_has_haswell(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("f16c") && __builtin_cpu_supports("bmi2");
#else
    return 0;
#endif
}

int semsearch_build_requires_haswell(void) {
#if defined(SEMSEARCH_REQUIRES_HASWELL)
    return 1;
#else
    return 0;
#endif
}

#if defined(SEMSEARCH_REQUIRES_HASWELL)
/* Runs before any Swift code, which in such a build may already use AVX2 instructions. */
__attribute__((constructor)) static void semsearch_require_haswell(void) {
    if (!semsearch_cpu_has_haswell()) {
        fputs("semsearch: this build needs a CPU with AVX2, FMA, F16C and BMI2; rebuild with "
              "SEMSEARCH_PORTABLE=1 swift build -c release\n", stderr);
        exit(2);
    }
}
#endif
