// NHWC convolution kernels with fused epilogues for the face tracker's networks (contract in
// include/CImageKernels.h). The networks are thin (8 … 128 channels over up to 128 × 128 pixels):
// a general sgemm spends more time packing such products than multiplying, and a separate pass for
// the bias, residual and PReLU reads every activation again; these kernels read each input once.

#include "CImageKernels.h"

#include <stddef.h>

#if defined(__x86_64__) || defined(_M_X64)
#define M2F_IMAGE_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

// MARK: Portable path

static inline float epilogue_scalar(float value, m2f_epilogue e, long channel) {
    if (e.slopes) return value < 0 ? value * e.slopes[channel] : value;
    if (e.relu) return value > 0 ? value : 0;
    return value;
}

void m2f_conv_rows_portable(const float *a, long depth, const float *weight_t, const float *bias, long n,
                               const float *residual, m2f_epilogue e, float *out,
                               long row_begin, long row_end, long column_begin, long column_end) {
    for (long p = row_begin; p < row_end; p++) {
        float *o = out + (size_t)p * n;
        const float *x = a + (size_t)p * depth;
        for (long j = column_begin; j < column_end; j++) o[j] = bias ? bias[j] : 0;
        for (long k = 0; k < depth; k++) {
            const float xk = x[k];
            const float *w = weight_t + (size_t)k * n;
            for (long j = column_begin; j < column_end; j++) o[j] += xk * w[j];
        }
        for (long j = column_begin; j < column_end; j++) {
            const float value = residual ? o[j] + residual[(size_t)p * n + j] : o[j];
            o[j] = epilogue_scalar(value, e, j);
        }
    }
}

void m2f_depthwise_rows_portable(const float *input, long ih, long iw, long c, long kh, long kw, long sy, long sx,
                                    long pt, long pl, long ow, const float *weight, const float *bias, m2f_epilogue e,
                                    float *out, long row_begin, long row_end) {
    for (long oy = row_begin; oy < row_end; oy++) {
        const long y0 = oy * sy - pt;
        const long ky0 = y0 < 0 ? -y0 : 0, ky1 = y0 + kh > ih ? ih - y0 : kh;
        for (long ox = 0; ox < ow; ox++) {
            const long x0 = ox * sx - pl;
            const long kx0 = x0 < 0 ? -x0 : 0, kx1 = x0 + kw > iw ? iw - x0 : kw;
            float *o = out + ((size_t)oy * ow + ox) * c;
            for (long ch = 0; ch < c; ch++) o[ch] = bias ? bias[ch] : 0;
            for (long ky = ky0; ky < ky1; ky++) {
                for (long kx = kx0; kx < kx1; kx++) {
                    const float *pixel = input + ((size_t)(y0 + ky) * iw + (x0 + kx)) * c;
                    const float *w = weight + (size_t)(ky * kw + kx) * c;
                    for (long ch = 0; ch < c; ch++) o[ch] += pixel[ch] * w[ch];
                }
            }
            for (long ch = 0; ch < c; ch++) o[ch] = epilogue_scalar(o[ch], e, ch);
        }
    }
}

// MARK: AVX2 + FMA path

#ifdef M2F_IMAGE_X86
#define M2F_SIMD __attribute__((target("avx2,fma")))
#define M2F_INLINE static inline __attribute__((always_inline)) M2F_SIMD

/// Lanes [0, count) of a masked load or store (count ≥ 8: all lanes).
M2F_INLINE __m256i lane_mask(long count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count < 8 ? count : 8)), lanes);
}

/// Eight lanes at `p`: a plain load, or only the lanes of `mask` (a tail; masked moves are slow on some
/// CPUs, so full vectors never use them).
M2F_INLINE __m256 load8(const float *p, int masked, __m256i mask) {
    return masked ? _mm256_maskload_ps(p, mask) : _mm256_loadu_ps(p);
}

M2F_INLINE void store8(float *p, __m256 value, int masked, __m256i mask) {
    if (masked) _mm256_maskstore_ps(p, mask, value);
    else _mm256_storeu_ps(p, value);
}

/// x < 0 ? x · slope : x as max(x, 0) + slope · min(x, 0) (one rounding, the same value).
M2F_INLINE __m256 epilogue8(__m256 value, m2f_epilogue e, const float *slopes_at, int masked, __m256i mask) {
    const __m256 zero = _mm256_setzero_ps();
    if (slopes_at) return _mm256_fmadd_ps(load8(slopes_at, masked, mask), _mm256_min_ps(value, zero), _mm256_max_ps(value, zero));
    if (e.relu) return _mm256_max_ps(value, zero);
    return value;
}

/// `R` rows × `V` vectors of 8 output channels starting at column j; with `masked`, the last vector
/// holds only the lanes of `mask`.
M2F_INLINE void conv_tile(const int R, const int V, const int masked, __m256i mask, const float *a, long depth,
                          const float *weight_t, const float *bias, long n, const float *residual, m2f_epilogue e,
                          float *out, long p, long j) {
    __m256 acc[4][2];
    for (int v = 0; v < V; v++) {
        const int m = masked && v == V - 1;
        const __m256 start = bias ? load8(bias + j + 8 * v, m, mask) : _mm256_setzero_ps();
        for (int r = 0; r < R; r++) acc[r][v] = start;
    }
    const float *x = a + (size_t)p * depth;
    for (long k = 0; k < depth; k++) {
        const float *w = weight_t + (size_t)k * n + j;
        const __m256 w0 = load8(w, masked && V == 1, mask);
        const __m256 w1 = V == 2 ? load8(w + 8, masked, mask) : w0;
        for (int r = 0; r < R; r++) {
            const __m256 xr = _mm256_broadcast_ss(x + (size_t)r * depth + k);
            acc[r][0] = _mm256_fmadd_ps(xr, w0, acc[r][0]);
            if (V == 2) acc[r][1] = _mm256_fmadd_ps(xr, w1, acc[r][1]);
        }
    }
    for (int r = 0; r < R; r++) {
        for (int v = 0; v < V; v++) {
            const int m = masked && v == V - 1;
            const size_t at = (size_t)(p + r) * n + j + 8 * v;
            __m256 value = acc[r][v];
            if (residual) value = _mm256_add_ps(value, load8(residual + at, m, mask));
            value = epilogue8(value, e, e.slopes ? e.slopes + j + 8 * v : NULL, m, mask);
            store8(out + at, value, m, mask);
        }
    }
}

/// All column tiles of `R` rows at p: 16 channels at a time, then 8, then a masked rest.
M2F_INLINE void conv_row_block(const int R, const float *a, long depth, const float *weight_t, const float *bias, long n,
                               const float *residual, m2f_epilogue e, float *out, long p, long column_begin, long column_end) {
    const __m256i full = _mm256_set1_epi32(-1);
    long j = column_begin;
    for (; j + 16 <= column_end; j += 16) conv_tile(R, 2, 0, full, a, depth, weight_t, bias, n, residual, e, out, p, j);
    for (; j + 8 <= column_end; j += 8) conv_tile(R, 1, 0, full, a, depth, weight_t, bias, n, residual, e, out, p, j);
    if (j < column_end) conv_tile(R, 1, 1, lane_mask(column_end - j), a, depth, weight_t, bias, n, residual, e, out, p, j);
}

static M2F_SIMD void simd_conv_rows(const float *a, long depth, const float *weight_t, const float *bias, long n,
                                    const float *residual, m2f_epilogue e, float *out,
                                    long row_begin, long row_end, long column_begin, long column_end) {
    long p = row_begin;
    for (; p + 4 <= row_end; p += 4) conv_row_block(4, a, depth, weight_t, bias, n, residual, e, out, p, column_begin, column_end);
    for (; p < row_end; p++) conv_row_block(1, a, depth, weight_t, bias, n, residual, e, out, p, column_begin, column_end);
}

/// One output pixel's channels [ch, ch + 8) of a depthwise window (taps ky0..<ky1 × kx0..<kx1).
M2F_INLINE void depthwise_vector(const int masked, __m256i mask, const float *input, long iw, long c, long kw, long y0, long x0,
                                 long ky0, long ky1, long kx0, long kx1, const float *weight, const float *bias,
                                 m2f_epilogue e, float *o, long ch) {
    __m256 acc = bias ? load8(bias + ch, masked, mask) : _mm256_setzero_ps();
    for (long ky = ky0; ky < ky1; ky++) {
        const float *row = input + ((size_t)(y0 + ky) * iw + x0) * c + ch;
        const float *w = weight + (size_t)ky * kw * c + ch;
        for (long kx = kx0; kx < kx1; kx++)
            acc = _mm256_fmadd_ps(load8(row + kx * c, masked, mask), load8(w + kx * c, masked, mask), acc);
    }
    store8(o + ch, epilogue8(acc, e, e.slopes ? e.slopes + ch : NULL, masked, mask), masked, mask);
}

static M2F_SIMD void simd_depthwise_rows(const float *input, long ih, long iw, long c, long kh, long kw, long sy, long sx,
                                         long pt, long pl, long ow, const float *weight, const float *bias, m2f_epilogue e,
                                         float *out, long row_begin, long row_end) {
    const __m256i full = _mm256_set1_epi32(-1), tail = lane_mask(c % 8);
    for (long oy = row_begin; oy < row_end; oy++) {
        const long y0 = oy * sy - pt;
        const long ky0 = y0 < 0 ? -y0 : 0, ky1 = y0 + kh > ih ? ih - y0 : kh;
        for (long ox = 0; ox < ow; ox++) {
            const long x0 = ox * sx - pl;
            const long kx0 = x0 < 0 ? -x0 : 0, kx1 = x0 + kw > iw ? iw - x0 : kw;
            float *o = out + ((size_t)oy * ow + ox) * c;
            long ch = 0;
            for (; ch + 8 <= c; ch += 8)
                depthwise_vector(0, full, input, iw, c, kw, y0, x0, ky0, ky1, kx0, kx1, weight, bias, e, o, ch);
            if (ch < c) depthwise_vector(1, tail, input, iw, c, kw, y0, x0, ky0, ky1, kx0, kx1, weight, bias, e, o, ch);
        }
    }
}

/// AVX (leaf 1 ECX bit 28), FMA (bit 12) with the OS saving ymm state (OSXSAVE bit 27, XCR0 bits 1–2),
/// AVX2 (leaf 7 EBX bit 5).
static int detect_simd(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned needed = (1u << 12) | (1u << 27) | (1u << 28);
    if ((ecx & needed) != needed) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 5)) != 0;
}
#endif

// MARK: Dispatch

int m2f_image_kernels_simd(void) {
#ifdef M2F_IMAGE_X86
    static int state = -1;  // a benign race: every thread computes the same answer
    if (state < 0) state = detect_simd();
    return state;
#else
    return 0;
#endif
}

void m2f_conv_rows(const float *a, long depth, const float *weight_t, const float *bias, long n,
                   const float *residual, m2f_epilogue epilogue, float *out,
                   long row_begin, long row_end, long column_begin, long column_end) {
#ifdef M2F_IMAGE_X86
    if (m2f_image_kernels_simd()) {
        simd_conv_rows(a, depth, weight_t, bias, n, residual, epilogue, out, row_begin, row_end, column_begin, column_end);
        return;
    }
#endif
    m2f_conv_rows_portable(a, depth, weight_t, bias, n, residual, epilogue, out, row_begin, row_end, column_begin, column_end);
}

void m2f_depthwise_rows(const float *input, long input_height, long input_width, long channels,
                        long kernel_height, long kernel_width, long stride_y, long stride_x, long pad_top, long pad_left,
                        long output_width, const float *weight, const float *bias, m2f_epilogue epilogue,
                        float *out, long row_begin, long row_end) {
#ifdef M2F_IMAGE_X86
    if (m2f_image_kernels_simd()) {
        simd_depthwise_rows(input, input_height, input_width, channels, kernel_height, kernel_width, stride_y, stride_x,
                            pad_top, pad_left, output_width, weight, bias, epilogue, out, row_begin, row_end);
        return;
    }
#endif
    m2f_depthwise_rows_portable(input, input_height, input_width, channels, kernel_height, kernel_width, stride_y, stride_x,
                            pad_top, pad_left, output_width, weight, bias, epilogue, out, row_begin, row_end);
}
