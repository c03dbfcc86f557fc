#ifndef SEMSEARCH_ENCODER_KERNELS_H
#define SEMSEARCH_ENCODER_KERNELS_H

#include <stddef.h>

/// The encoders' GELU, GeGLU and softmax sixteen lanes wide, for CPUs with AVX-512, and GELU eight
/// lanes wide for AVX2 (Kernels.swift's eight-lane forms run everywhere else). In an int8 MiniLM pass the eight-lane GELU and softmax
/// took 11% and 8% of the time (perf, 2-core Emerald Rapids). With these, GELU applied inside the
/// int8 quantizer and the quantizer's own fixes, the pass runs about 1.3× faster. Softmax then
/// still took 7%, its rows being short (about 80 scores); the encoders now run it inside the fused
/// attention (`Attention.h`) and call this one only for head sizes that kernel does not take.

/// 1 when this CPU runs the sixteen-lane kernels: AVX-512F and BW, and `SEMSEARCH_INT8_KERNEL`
/// (which caps every encoder kernel, so an AVX-512 machine can measure the AVX2 path) not below 2.
int semsearch_encoder_kernels_available(void);

/// 1 when `semsearch_gelu` runs on this CPU: sixteen lanes wide with the kernels above, else eight
/// lanes wide where the CPU has AVX2 and FMA (and `SEMSEARCH_INT8_KERNEL` is not 0). The eight-lane
/// C form takes a reciprocal estimate where Kernels.swift's divides: an int8 MiniLM pass on AVX2
/// spent 6.4% of its time in the Swift GELU (perf, 2-core Zen 4, `SEMSEARCH_INT8_KERNEL=1`).
int semsearch_gelu_available(void);

/// GELU(x) = ½x(1 + erf(x/√2)) in place over `count` floats. Requires `semsearch_gelu_available()`.
void semsearch_gelu(float *values, size_t count);

/// `semsearch_gelu`'s eight-lane form, whatever else the CPU has, so tests can check it on AVX-512
/// machines too. Requires AVX2 and FMA (`semsearch_cpu_has_haswell()`).
void semsearch_gelu_eight_lanes(float *values, size_t count);

/// GeGLU with the tanh-approximated GELU: for each of `rows` rows of `2 × width` floats
/// `[gate | up]` at `gate_up`, GELU(gate) · up into the `width`-wide row of `out`. Requires the kernels.
void semsearch_gated_gelu_rows(const float *gate_up, float *out, size_t rows, size_t width);

/// Softmax in place over each of `rows` rows of `count` floats (row stride `count`). Requires the
/// kernels.
void semsearch_softmax_rows(float *values, size_t rows, size_t count);

#endif
