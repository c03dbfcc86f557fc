#ifndef SEMSEARCH_CPU_FEATURES_H
#define SEMSEARCH_CPU_FEATURES_H

/// 1 when this CPU has AVX2, FMA, F16C and BMI2 (the Haswell level release builds target), else 0.
int semsearch_cpu_has_haswell(void);

/// 1 when this binary was compiled to require Haswell-level x86-64, else 0.
int semsearch_build_requires_haswell(void);

#endif
