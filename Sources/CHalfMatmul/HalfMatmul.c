// 16-bit-weight linear layer: fused fp16 → fp32 conversion and multiply for few-row inputs.
// Layout and contract: include/CHalfMatmul.h.

#include "CHalfMatmul.h"

#include <stddef.h>
#include <stdlib.h>
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

/// e^x by `FastMath.exp`'s formula: 2^k · p(r), r = x − k·ln 2, a degree-6 Taylor polynomial, on x
/// clamped to [−87, 88] (FastMath also maps below −87 to 0 and above 88 to +∞; GELU only needs x ≤ 0,
/// where e^−87 instead of 0 changes nothing).
static float fast_exp(float x) {
    // Written so NaN becomes −87 (a NaN k would make the integer conversion undefined); the result
    // is still NaN through the caller's other operands.
    const float clamped = !(x > -87.0f) ? -87.0f : (x > 88.0f ? 88.0f : x);
    const float k = (clamped * 1.442695040888963f + 12582912.0f) - 12582912.0f;
    const float r = clamped - k * 0.693145751953125f - k * 1.428606765330187e-06f;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const uint32_t bits = (uint32_t)((int32_t)k + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/// x · Φ(x) with erf by Abramowitz & Stegun 7.1.26 (as `FastMath.erf`).
static float gelu_erf(float x) {
    const float z = x * 0.70710678118654752f;
    const float a = z < 0 ? -z : z;
    const float t = 1.0f / (1.0f + 0.3275911f * a);
    float poly = 1.061405429f;
    poly = poly * t - 1.453152027f;
    poly = poly * t + 1.421413741f;
    poly = poly * t - 0.284496736f;
    poly = poly * t + 0.254829592f;
    const float magnitude = 1.0f - poly * t * fast_exp(-z * z);
    return 0.5f * x * (1.0f + (z < 0 ? -magnitude : magnitude));
}

static float activate(float value, m2f_half_activation activation) {
    return activation == M2F_HALF_ACTIVATION_GELU_ERF ? gelu_erf(value) : value;
}

/// Rows per block of the portable loop: each panel row of 16 weights is converted once per block.
enum { PORTABLE_ROWS = 8 };

static void portable_panels(int m, int n, int k, const float *x, int ldx, const uint16_t *packed,
                            const float *bias, float *c, int ldc, int panel_begin, int panel_end,
                            m2f_half_activation activation) {
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
                for (int j = 0; j < columns; j++)
                    cr[j] = activate(sums[r][j] + (bias ? bias[p * M2F_HALF_PANEL + j] : 0.0f), activation);
            }
        }
    }
}

// MARK: AVX2 + FMA + F16C path

#ifdef M2F_HALF_X86
#define M2F_SIMD __attribute__((target("avx2,fma,f16c")))

/// `fast_exp` on eight lanes (the same operations, so the same values up to FMA contraction; max/min
/// turn NaN into the clamp bound, as the scalar clamp does).
static inline __attribute__((always_inline)) M2F_SIMD __m256 exp8(__m256 x) {
    const __m256 clamped = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.0f));
    const __m256 shift = _mm256_set1_ps(12582912.0f);
    const __m256 k = _mm256_sub_ps(_mm256_fmadd_ps(clamped, _mm256_set1_ps(1.442695040888963f), shift), shift);
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693145751953125f), clamped);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(1.428606765330187e-06f), r);
    __m256 p = _mm256_set1_ps(1.0f / 720.0f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    const __m256i exponent = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(exponent));
}

/// `gelu_erf` on eight lanes.
static inline __attribute__((always_inline)) M2F_SIMD __m256 gelu8(__m256 x) {
    const __m256 sign_mask = _mm256_set1_ps(-0.0f);
    const __m256 z = _mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f));
    const __m256 a = _mm256_andnot_ps(sign_mask, z);
    const __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(a, _mm256_set1_ps(0.3275911f), _mm256_set1_ps(1.0f)));
    __m256 poly = _mm256_set1_ps(1.061405429f);
    poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(-1.453152027f));
    poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(1.421413741f));
    poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(-0.284496736f));
    poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(0.254829592f));
    const __m256 gaussian = exp8(_mm256_mul_ps(_mm256_xor_ps(z, sign_mask), z));
    const __m256 magnitude = _mm256_fnmadd_ps(_mm256_mul_ps(poly, t), gaussian, _mm256_set1_ps(1.0f));
    const __m256 erf = _mm256_xor_ps(magnitude, _mm256_and_ps(z, sign_mask));  // erf is odd: z's sign flips it
    const __m256 half_x = _mm256_mul_ps(x, _mm256_set1_ps(0.5f));
    return _mm256_fmadd_ps(half_x, erf, half_x);
}

/// What a tile does with the panel it multiplies.
enum tile_mode {
    /// Read the Float32 copy that the panel's first tile stored.
    REUSE_WIDENED = 0,
    /// Convert the halves and store the Float32 copy for the panel's later tiles.
    WIDEN_AND_KEEP = 1,
    /// Convert the halves only: the panel's one and only tile (M ≤ 6).
    WIDEN = 2,
};

/// One tile: `rows` (≤ 6) rows of X times one panel, K deep; `rows` and `mode` are constants after
/// inlining, so each pair is its own loop. `halves` is the panel as packed, `widened` its Float32 copy
/// (K rows of 16 floats, 32-byte aligned; unused in `WIDEN` mode). 12 accumulators + 2 weight vectors +
/// 1 broadcast = 15 of the 16 ymm registers. The panel's first tile also prefetches the next 16-bit
/// panel (`ahead`, 32 bytes a step: each line is asked for twice, which measured faster than a
/// branch that skips every other step), so that panel's first tile finds it in cache.
static inline __attribute__((always_inline)) M2F_SIMD void tile(
    const int rows, const enum tile_mode mode, int k, const float *x, int ldx, const uint16_t *halves,
    float *widened, const char *ahead, __m256 bias0, __m256 bias1, float *c, int ldc, int columns,
    m2f_half_activation activation) {
    __m256 a00 = bias0, a01 = bias1, a10 = bias0, a11 = bias1, a20 = bias0, a21 = bias1;
    __m256 a30 = bias0, a31 = bias1, a40 = bias0, a41 = bias1, a50 = bias0, a51 = bias1;
    const float *x0 = x, *x1 = x + ldx, *x2 = x + 2 * (size_t)ldx;
    const float *x3 = x + 3 * (size_t)ldx, *x4 = x + 4 * (size_t)ldx, *x5 = x + 5 * (size_t)ldx;
    for (int i = 0; i < k; i++) {
        __m256 w0, w1;
        if (mode == REUSE_WIDENED) {
            w0 = _mm256_load_ps(widened + (size_t)i * M2F_HALF_PANEL);
            w1 = _mm256_load_ps(widened + (size_t)i * M2F_HALF_PANEL + 8);
        } else {
            _mm_prefetch(ahead + (size_t)i * 32, _MM_HINT_T0);
            const __m256i h = _mm256_loadu_si256((const __m256i *)(halves + (size_t)i * M2F_HALF_PANEL));
            w0 = _mm256_cvtph_ps(_mm256_castsi256_si128(h));
            w1 = _mm256_cvtph_ps(_mm256_extracti128_si256(h, 1));
            if (mode == WIDEN_AND_KEEP) {
                _mm256_store_ps(widened + (size_t)i * M2F_HALF_PANEL, w0);
                _mm256_store_ps(widened + (size_t)i * M2F_HALF_PANEL + 8, w1);
            }
        }
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
        __m256 low = results[2 * r], high = results[2 * r + 1];
        if (activation == M2F_HALF_ACTIVATION_GELU_ERF) { low = gelu8(low); high = gelu8(high); }
        if (columns == M2F_HALF_PANEL) {
            _mm256_storeu_ps(cr, low);
            _mm256_storeu_ps(cr + 8, high);
        } else {
            float full[M2F_HALF_PANEL];
            _mm256_storeu_ps(full, low);
            _mm256_storeu_ps(full + 8, high);
            memcpy(cr, full, sizeof(float) * (size_t)columns);
        }
    }
}

/// `tile` for a row count (1…6) and mode known only at run time: one specialised loop per pair.
#define M2F_TILE_CASE(R)                                                                                   \
    case R:                                                                                                \
        if (mode == REUSE_WIDENED)                                                                         \
            tile(R, REUSE_WIDENED, k, x, ldx, halves, widened, ahead, bias0, bias1, c, ldc, columns, activation); \
        else if (mode == WIDEN_AND_KEEP)                                                                   \
            tile(R, WIDEN_AND_KEEP, k, x, ldx, halves, widened, ahead, bias0, bias1, c, ldc, columns, activation); \
        else                                                                                               \
            tile(R, WIDEN, k, x, ldx, halves, widened, ahead, bias0, bias1, c, ldc, columns, activation); \
        break;

static inline __attribute__((always_inline)) M2F_SIMD void any_tile(
    int rows, enum tile_mode mode, int k, const float *x, int ldx, const uint16_t *halves, float *widened,
    const char *ahead, __m256 bias0, __m256 bias1, float *c, int ldc, int columns, m2f_half_activation activation) {
    switch (rows) {
        M2F_TILE_CASE(1) M2F_TILE_CASE(2) M2F_TILE_CASE(3) M2F_TILE_CASE(4) M2F_TILE_CASE(5) M2F_TILE_CASE(6)
    default: break;
    }
}
#undef M2F_TILE_CASE

/// Why the first tile widens: converting in every tile costs two vcvtph2ps and a lane extract per step
/// for each 6-row tile; a separate widening pass before the tiles cost ~18 % of the kernel on its own;
/// widening inside the first tile overlaps it with that tile's FMAs (MiniLM's 36 products at M = 16,
/// one thread: ~7 % faster than the separate pass). `scratch` holds K · 16 floats, 32-byte aligned
/// (NULL when M ≤ 6: one tile per panel, nothing to keep).
static M2F_SIMD void simd_panels(int m, int n, int k, const float *x, int ldx, const uint16_t *packed,
                                 const float *bias, float *c, int ldc, int panel_begin, int panel_end,
                                 m2f_half_activation activation, float *scratch) {
    for (int p = panel_begin; p < panel_end; p++) {
        const uint16_t *panel = packed + (size_t)p * k * M2F_HALF_PANEL;
        // The next panel of this range, or this one again (already cached) at the last.
        const char *ahead = (const char *)(p + 1 < panel_end ? panel + (size_t)k * M2F_HALF_PANEL : panel);
        int columns = n - p * M2F_HALF_PANEL;
        if (columns > M2F_HALF_PANEL) columns = M2F_HALF_PANEL;
        float padded_bias[M2F_HALF_PANEL] = {0};
        if (bias) memcpy(padded_bias, bias + p * M2F_HALF_PANEL, sizeof(float) * (size_t)columns);
        const __m256 bias0 = _mm256_loadu_ps(padded_bias), bias1 = _mm256_loadu_ps(padded_bias + 8);
        for (int row = 0; row < m; row += 6) {
            const int rows = m - row < 6 ? m - row : 6;
            const enum tile_mode mode = row > 0 ? REUSE_WIDENED : (m <= 6 ? WIDEN : WIDEN_AND_KEEP);
            any_tile(rows, mode, k, x + (size_t)row * ldx, ldx, panel, scratch, ahead, bias0, bias1,
                     c + (size_t)row * ldc + p * M2F_HALF_PANEL, ldc, columns, activation);
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

// MARK: Bulk conversions (packing a weight at load)

#ifdef M2F_HALF_X86
static M2F_SIMD void simd_floats_to_halves(const float *values, uint16_t *halves, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8)
        _mm_storeu_si128((__m128i *)(halves + i), _mm256_cvtps_ph(_mm256_loadu_ps(values + i), _MM_FROUND_TO_NEAREST_INT));
    if (i < count) {
        float tail[8] = {0};
        uint16_t out[8];
        memcpy(tail, values + i, sizeof(float) * (size_t)(count - i));
        _mm_storeu_si128((__m128i *)out, _mm256_cvtps_ph(_mm256_loadu_ps(tail), _MM_FROUND_TO_NEAREST_INT));
        memcpy(halves + i, out, sizeof(uint16_t) * (size_t)(count - i));
    }
}

static M2F_SIMD void simd_halves_to_floats(const uint16_t *halves, float *values, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(values + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(halves + i))));
    if (i < count) {
        uint16_t tail[8] = {0};
        float out[8];
        memcpy(tail, halves + i, sizeof(uint16_t) * (size_t)(count - i));
        _mm256_storeu_ps(out, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)tail)));
        memcpy(values + i, out, sizeof(float) * (size_t)(count - i));
    }
}
#endif

int m2f_floats_to_halves(const float *values, uint16_t *halves, long count) {
#ifdef M2F_HALF_X86
    if (m2f_half_linear_uses_simd()) {
        simd_floats_to_halves(values, halves, count);
        return 1;
    }
#endif
    (void)values; (void)halves; (void)count;
    return 0;
}

int m2f_halves_to_floats(const uint16_t *halves, float *values, long count) {
#ifdef M2F_HALF_X86
    if (m2f_half_linear_uses_simd()) {
        simd_halves_to_floats(halves, values, count);
        return 1;
    }
#endif
    (void)halves; (void)values; (void)count;
    return 0;
}

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
                              float *c, int ldc, int panel_begin, int panel_end, m2f_half_activation activation) {
    if (m <= 0 || panel_begin >= panel_end) return;
    portable_panels(m, n, k, x, ldx, packed, bias, c, ldc, panel_begin, panel_end, activation);
}

void m2f_half_linear(int m, int n, int k, const float *x, int ldx, const uint16_t *packed, const float *bias,
                     float *c, int ldc, int panel_begin, int panel_end, m2f_half_activation activation) {
    if (m <= 0 || panel_begin >= panel_end) return;
#ifdef M2F_HALF_X86
    if (m2f_half_linear_uses_simd() && k > 0) {
        // One panel widened: K · 64 bytes (96 KB for K = 1536), too much for every thread's stack.
        // Only needed when a panel has more than one tile.
        float *scratch = m > 6 ? aligned_alloc(32, (size_t)k * M2F_HALF_PANEL * sizeof(float)) : NULL;
        if (scratch || m <= 6) {
            simd_panels(m, n, k, x, ldx, packed, bias, c, ldc, panel_begin, panel_end, activation, scratch);
            free(scratch);
            return;
        }
    }
#endif
    portable_panels(m, n, k, x, ldx, packed, bias, c, ldc, panel_begin, panel_end, activation);
}
