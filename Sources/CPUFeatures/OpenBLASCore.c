#include "CPUFeatures.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* The OpenBLAS core that was replaced at start-up, or "" (see semsearch_openblas_replaced_core). */
static char replaced[32];

const char *semsearch_openblas_replaced_core(void) { return replaced; }

#if defined(__x86_64__)
/* Kernel sets of OpenBLAS that use AVX2 or AVX-512: a CPU given one of these is left alone. */
static int is_vector_core(const char *name) {
    static const char *const cores[] = {"Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"};
    for (size_t i = 0; i < sizeof cores / sizeof *cores; i++) {
        if (strcmp(name, cores[i]) == 0) return 1;
    }
    return 0;
}

/* Runs before main, after OpenBLAS's own constructor chose its kernels. A DYNAMIC_ARCH OpenBLAS
   that does not know a CPU model (Debian 12's 0.3.21 on Emerald Rapids, family 6 model 207) falls
   back to its SSE3 "Prescott" kernels: sgemm then runs at a third of the speed the CPU has
   (MiniLM: 53 vs 175 GFLOP/s on two cores). When that happened and the user set no
   OPENBLAS_CORETYPE, this picks the kernel set for the vector extensions the CPU reports and
   re-runs OpenBLAS's own dynamic initialization with it, the path OPENBLAS_CORETYPE takes at start-up. */
__attribute__((constructor)) static void semsearch_choose_openblas_core(void) {
    if (getenv("OPENBLAS_CORETYPE") != NULL) return;
    char *(*corename)(void) = (char *(*)(void))dlsym(RTLD_DEFAULT, "openblas_get_corename");
    void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (corename == NULL || quit == NULL || init == NULL) return; /* not a DYNAMIC_ARCH OpenBLAS */
    const char *current = corename();
    if (current == NULL || is_vector_core(current)) return;
    __builtin_cpu_init();
    const char *wanted = NULL;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd")) {
        wanted = "SKYLAKEX";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        wanted = "HASWELL";
    }
    if (wanted == NULL) return;
    strncpy(replaced, current, sizeof replaced - 1);
    /* The variable is only for OpenBLAS's init; afterwards the original environment block comes
       back. Restoring `environ` itself, not unsetenv, matters: a statically linked Swift runtime
       finds argv by walking back from `environ`, and setenv moves the block to the heap (without
       this, `--generate-completion-script` in the static build saw no arguments). Children choose
       for themselves. */
    char **original = environ;
    setenv("OPENBLAS_CORETYPE", wanted, 1);
    quit();
    init();
    environ = original;
}
#endif
