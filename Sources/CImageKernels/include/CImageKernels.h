#ifndef M2F_CIMAGEKERNELS_H
#define M2F_CIMAGEKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// What a kernel does to each output after the bias (and the residual) are added: nothing, ReLU, or
/// PReLU with one slope per output channel (`slopes`, N values).
typedef struct {
    int relu;
    const float *slopes;
} m2f_epilogue;

/// One convolution as a product on NHWC rows, with its epilogue fused:
///
///     out[p, n] = act(bias[n] + Σ_k a[p, k] · weight_t[k, n] + residual[p, n])
///
/// `a` is the input itself for a 1×1 convolution (K = input channels) or its im2col rows (K = KH·KW·C);
/// `weight_t` is the weight transposed once at load to [K, N] (so outputs are contiguous). `bias` and
/// `residual` may be NULL. Only rows [row_begin, row_end) and output channels [column_begin,
/// column_end) are written, so disjoint ranges may run on different threads. AVX2 + FMA where the CPU
/// has them (chosen at run time), portable C elsewhere.
void m2f_conv_rows(const float *a, long depth, const float *weight_t, const float *bias, long n,
                   const float *residual, m2f_epilogue epilogue, float *out,
                   long row_begin, long row_end, long column_begin, long column_end);

/// Depthwise convolution (multiplier 1) on an NHWC image, epilogue fused: `weight` is [KH, KW, C];
/// the window of output (oy, ox) starts at (oy·stride_y − pad_top, ox·stride_x − pad_left) and taps
/// outside the image count as zero. Only output rows [row_begin, row_end) are written.
void m2f_depthwise_rows(const float *input, long input_height, long input_width, long channels,
                        long kernel_height, long kernel_width, long stride_y, long stride_x, long pad_top, long pad_left,
                        long output_width, const float *weight, const float *bias, m2f_epilogue epilogue,
                        float *out, long row_begin, long row_end);

/// 1 when the AVX2 + FMA paths run on this CPU (for the benchmark's notes and the tests).
int m2f_image_kernels_simd(void);

/// The portable C paths of the two kernels whatever the CPU (the tests check them against the SIMD ones).
void m2f_conv_rows_portable(const float *a, long depth, const float *weight_t, const float *bias, long n,
                            const float *residual, m2f_epilogue epilogue, float *out,
                            long row_begin, long row_end, long column_begin, long column_end);
void m2f_depthwise_rows_portable(const float *input, long input_height, long input_width, long channels,
                                 long kernel_height, long kernel_width, long stride_y, long stride_x, long pad_top, long pad_left,
                                 long output_width, const float *weight, const float *bias, m2f_epilogue epilogue,
                                 float *out, long row_begin, long row_end);

#ifdef __cplusplus
}
#endif

#endif
