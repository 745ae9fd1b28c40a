// 16-bit-weight linear layer: fused fp16 → fp32 conversion and multiply for few-row inputs.
// Layout and contract: include/CHalfMatmul.h.

#include "CHalfMatmul.h"

#include <stddef.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#define M2F_HALF_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

// MARK: Portable path

/// binary16 bits → float (subnormals, infinities and NaN included).
static float half_to_float(uint16_t bits) {
    uint32_t sign = (uint32_t)(bits & 0x8000u) << 16;
    uint32_t exponent = (bits >> 10) & 0x1Fu;
    uint32_t mantissa = bits & 0x3FFu;
    uint32_t result;
    if (exponent == 0) {
        if (mantissa == 0) {
            result = sign;
        } else {
            float magnitude = (float)mantissa * (1.0f / 16777216.0f);  // mantissa · 2^-24
            return sign ? -magnitude : magnitude;
        }
    } else if (exponent == 31) {
        result = sign | 0x7F800000u | (mantissa << 13);
    } else {
        result = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float value;
    memcpy(&value, &result, sizeof value);
    return value;
}

/// Rows per block of the portable loop: each panel row of 16 weights is converted once per block.
enum { PORTABLE_ROWS = 8 };

static void portable_panels(int m, int n, int k, const float *x, int ldx, const uint16_t *packed,
                            const float *bias, float *c, int ldc, int panel_begin, int panel_end) {
    float weights[M2F_HALF_PANEL];
    float sums[PORTABLE_ROWS][M2F_HALF_PANEL];
    for (int p = panel_begin; p < panel_end; p++) {
        const uint16_t *panel = packed + (size_t)p * k * M2F_HALF_PANEL;
        int columns = n - p * M2F_HALF_PANEL;
        if (columns > M2F_HALF_PANEL) columns = M2F_HALF_PANEL;
        for (int row0 = 0; row0 < m; row0 += PORTABLE_ROWS) {
            int rows = m - row0 < PORTABLE_ROWS ? m - row0 : PORTABLE_ROWS;
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < M2F_HALF_PANEL; j++) sums[r][j] = 0;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < M2F_HALF_PANEL; j++) weights[j] = half_to_float(panel[(size_t)i * M2F_HALF_PANEL + j]);
                for (int r = 0; r < rows; r++) {
                    const float xi = x[(size_t)(row0 + r) * ldx + i];
                    for (int j = 0; j < M2F_HALF_PANEL; j++) sums[r][j] += xi * weights[j];
                }
            }
            for (int r = 0; r < rows; r++) {
                float *cr = c + (size_t)(row0 + r) * ldc + p * M2F_HALF_PANEL;
                for (int j = 0; j < columns; j++) cr[j] = sums[r][j] + (bias ? bias[p * M2F_HALF_PANEL + j] : 0.0f);
            }
        }
    }
}

// MARK: AVX2 + FMA + F16C path

#ifdef M2F_HALF_X86
#define M2F_SIMD __attribute__((target("avx2,fma,f16c")))

/// One tile: `rows` (≤ 6, a constant after inlining) rows of X times one 16-wide panel, K deep.
/// 12 accumulators + 2 converted weight vectors + 1 broadcast = 15 of the 16 ymm registers.
static inline __attribute__((always_inline)) M2F_SIMD void tile(
    const int rows, int k, const float *x, int ldx, const uint16_t *panel, __m256 bias0, __m256 bias1,
    float *c, int ldc, int columns) {
    __m256 a00 = bias0, a01 = bias1, a10 = bias0, a11 = bias1, a20 = bias0, a21 = bias1;
    __m256 a30 = bias0, a31 = bias1, a40 = bias0, a41 = bias1, a50 = bias0, a51 = bias1;
    const float *x0 = x, *x1 = x + ldx, *x2 = x + 2 * (size_t)ldx;
    const float *x3 = x + 3 * (size_t)ldx, *x4 = x + 4 * (size_t)ldx, *x5 = x + 5 * (size_t)ldx;
    for (int i = 0; i < k; i++) {
        const __m256i halves = _mm256_loadu_si256((const __m256i *)(panel + (size_t)i * M2F_HALF_PANEL));
        const __m256 w0 = _mm256_cvtph_ps(_mm256_castsi256_si128(halves));
        const __m256 w1 = _mm256_cvtph_ps(_mm256_extracti128_si256(halves, 1));
        __m256 b;
        b = _mm256_broadcast_ss(x0 + i); a00 = _mm256_fmadd_ps(b, w0, a00); a01 = _mm256_fmadd_ps(b, w1, a01);
        if (rows > 1) { b = _mm256_broadcast_ss(x1 + i); a10 = _mm256_fmadd_ps(b, w0, a10); a11 = _mm256_fmadd_ps(b, w1, a11); }
        if (rows > 2) { b = _mm256_broadcast_ss(x2 + i); a20 = _mm256_fmadd_ps(b, w0, a20); a21 = _mm256_fmadd_ps(b, w1, a21); }
        if (rows > 3) { b = _mm256_broadcast_ss(x3 + i); a30 = _mm256_fmadd_ps(b, w0, a30); a31 = _mm256_fmadd_ps(b, w1, a31); }
        if (rows > 4) { b = _mm256_broadcast_ss(x4 + i); a40 = _mm256_fmadd_ps(b, w0, a40); a41 = _mm256_fmadd_ps(b, w1, a41); }
        if (rows > 5) { b = _mm256_broadcast_ss(x5 + i); a50 = _mm256_fmadd_ps(b, w0, a50); a51 = _mm256_fmadd_ps(b, w1, a51); }
    }
    __m256 results[12] = {a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51};
    for (int r = 0; r < rows; r++) {
        float *cr = c + (size_t)r * ldc;
        if (columns == M2F_HALF_PANEL) {
            _mm256_storeu_ps(cr, results[2 * r]);
            _mm256_storeu_ps(cr + 8, results[2 * r + 1]);
        } else {
            float full[M2F_HALF_PANEL];
            _mm256_storeu_ps(full, results[2 * r]);
            _mm256_storeu_ps(full + 8, results[2 * r + 1]);
            memcpy(cr, full, sizeof(float) * (size_t)columns);
        }
    }
}

static M2F_SIMD void simd_panels(int m, int n, int k, const float *x, int ldx, const uint16_t *packed,
                                 const float *bias, float *c, int ldc, int panel_begin, int panel_end) {
    for (int p = panel_begin; p < panel_end; p++) {
        const uint16_t *panel = packed + (size_t)p * k * M2F_HALF_PANEL;
        int columns = n - p * M2F_HALF_PANEL;
        if (columns > M2F_HALF_PANEL) columns = M2F_HALF_PANEL;
        float padded_bias[M2F_HALF_PANEL] = {0};
        if (bias) memcpy(padded_bias, bias + p * M2F_HALF_PANEL, sizeof(float) * (size_t)columns);
        const __m256 bias0 = _mm256_loadu_ps(padded_bias), bias1 = _mm256_loadu_ps(padded_bias + 8);
        float *cp = c + p * M2F_HALF_PANEL;
        int row = 0;
        for (; row + 6 <= m; row += 6)
            tile(6, k, x + (size_t)row * ldx, ldx, panel, bias0, bias1, cp + (size_t)row * ldc, ldc, columns);
        const float *xr = x + (size_t)row * ldx;
        float *cr = cp + (size_t)row * ldc;
        switch (m - row) {
        case 5: tile(5, k, xr, ldx, panel, bias0, bias1, cr, ldc, columns); break;
        case 4: tile(4, k, xr, ldx, panel, bias0, bias1, cr, ldc, columns); break;
        case 3: tile(3, k, xr, ldx, panel, bias0, bias1, cr, ldc, columns); break;
        case 2: tile(2, k, xr, ldx, panel, bias0, bias1, cr, ldc, columns); break;
        case 1: tile(1, k, xr, ldx, panel, bias0, bias1, cr, ldc, columns); break;
        default: break;
        }
    }
}

/// AVX2 (leaf 7 EBX bit 5), FMA (leaf 1 ECX bit 12), F16C (bit 29), AVX (bit 28) with the OS saving
/// ymm state (OSXSAVE bit 27 and XCR0 bits 1–2).
static int detect_simd(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned needed = (1u << 12) | (1u << 27) | (1u << 28) | (1u << 29);
    if ((ecx & needed) != needed) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 5)) != 0;
}
#endif

// MARK: Dispatch

/// -1 not yet detected, 0 portable, 1 SIMD. A benign race: every thread computes the same answer.
static volatile int simd_state = -1;

int m2f_half_linear_uses_simd(void) {
#ifdef M2F_HALF_X86
    if (simd_state < 0) simd_state = detect_simd();
    return simd_state;
#else
    return 0;
#endif
}

void m2f_half_linear_portable(int m, int n, int k, const float *x, int ldx, const uint16_t *packed, const float *bias,
                              float *c, int ldc, int panel_begin, int panel_end) {
    if (m <= 0 || panel_begin >= panel_end) return;
    portable_panels(m, n, k, x, ldx, packed, bias, c, ldc, panel_begin, panel_end);
}

void m2f_half_linear(int m, int n, int k, const float *x, int ldx, const uint16_t *packed, const float *bias,
                     float *c, int ldc, int panel_begin, int panel_end) {
    if (m <= 0 || panel_begin >= panel_end) return;
#ifdef M2F_HALF_X86
    if (m2f_half_linear_uses_simd()) {
        simd_panels(m, n, k, x, ldx, packed, bias, c, ldc, panel_begin, panel_end);
        return;
    }
#endif
    portable_panels(m, n, k, x, ldx, packed, bias, c, ldc, panel_begin, panel_end);
}
