#ifndef M2F_CHALFMATMUL_H
#define M2F_CHALFMATMUL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Output features per panel of a packed 16-bit weight.
enum { M2F_HALF_PANEL = 16 };

/// What the product applies to each output after adding the bias.
typedef enum {
    /// The affine product itself.
    M2F_HALF_ACTIVATION_NONE = 0,
    /// GELU in its exact form x · Φ(x) = x/2 · (1 + erf(x/√2)), erf by Abramowitz & Stegun 7.1.26
    /// (absolute error ≤ 1.5e-7, the formula of M2FEngine's `FastMath.erf`).
    M2F_HALF_ACTIVATION_GELU_ERF = 1,
} m2f_half_activation;

/// C[M, N] = activation(X[M, K] · Wᵀ + bias) for a linear layer whose weight W [N, K] (PyTorch layout:
/// out × in) is stored as IEEE 754 binary16 in panels of 16 output features:
///
///     packed[(p · K + k) · 16 + j] = half(W[p · 16 + j, k])   (zero for p · 16 + j ≥ N)
///
/// so one panel is K rows of 16 contiguous halves (ceil(N / 16) · 16 · K halves in all).
/// Only panels [panel_begin, panel_end) are computed (output features panel_begin · 16 ..< min(N,
/// panel_end · 16)), so disjoint panel ranges may run on different threads. `bias` may be NULL.
/// X rows are `ldx` floats apart, C rows `ldc` floats apart; C is overwritten (not accumulated).
/// On x86-64 with AVX2, FMA and F16C (checked once at run time) each panel is multiplied by 6 × 16
/// register tiles, the first of which widens it into a Float32 scratch block that the others reuse,
/// while the next panel is prefetched;
/// elsewhere (or when the scratch block cannot be allocated) a portable scalar loop computes the same
/// products.
void m2f_half_linear(int m, int n, int k,
                     const float *x, int ldx,
                     const uint16_t *packed, const float *bias,
                     float *c, int ldc,
                     int panel_begin, int panel_end,
                     m2f_half_activation activation);

/// halves[i] = binary16(values[i]), rounded to nearest even, for i < count, by F16C (vcvtps2ph) where
/// the CPU has it. Returns 0 without writing anything when it does not: the caller converts itself.
int m2f_floats_to_halves(const float *values, uint16_t *halves, long count);

/// values[i] = the binary16 halves[i] as float, for i < count, by F16C (vcvtph2ps). Returns 0 without
/// writing anything when the CPU lacks it.
int m2f_halves_to_floats(const uint16_t *halves, float *values, long count);

/// 1 when `m2f_half_linear` runs the AVX2 + FMA + F16C kernel on this machine, 0 for the portable loop.
int m2f_half_linear_uses_simd(void);

/// `m2f_half_linear` on the portable loop whatever the machine (tests compare both paths).
void m2f_half_linear_portable(int m, int n, int k,
                              const float *x, int ldx,
                              const uint16_t *packed, const float *bias,
                              float *c, int ldc,
                              int panel_begin, int panel_end,
                              m2f_half_activation activation);

#ifdef __cplusplus
}
#endif

#endif
