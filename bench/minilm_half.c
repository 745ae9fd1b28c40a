/*
 * MiniLM's 36 layer products for one 16-token prompt (as bench/minilm_openblas.c), each layer with its
 * own weights, on ONE thread, two ways interleaved run by run: cblas_sgemm on the Float32 weights
 * (42 MB) and the fused fp16 kernel of Sources/CHalfMatmul on the same weights packed as IEEE binary16
 * (21 MB). What the 16-bit storage alone buys, without the rest of the encoder.
 *
 *   cc -O2 -ISources/CHalfMatmul/include bench/minilm_half.c Sources/CHalfMatmul/HalfMatmul.c \
 *      $(pkg-config --cflags --libs openblas) -o .build/bench/minilm_half && .build/bench/minilm_half [tokens]
 *
 * Prints two JSON lines, impl "c_openblas_1thread_gemms_only" and "c_half_kernel_1thread_gemms_only",
 * and the largest |difference| between the two outputs of the last product.
 */
#include "CHalfMatmul.h"

#include <cblas.h>

#include "bench_common.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { LAYERS = 6, WIDTH = 384, HIDDEN = 1536, PRODUCTS = 6, WARMUP = 5, RUNS = 50 };

/* float → binary16 bits, round to nearest even (normal range; these weights are far from its limits) */
static uint16_t half_bits(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint32_t sign = (bits >> 16) & 0x8000u;
    int exponent = (int)((bits >> 23) & 0xFF) - 127 + 15;
    uint32_t mantissa = bits & 0x7FFFFFu;
    if (exponent <= 0) return (uint16_t)sign; /* |value| < 2^-14: flushed (none here but zero) */
    uint32_t half = ((uint32_t)exponent << 10) | (mantissa >> 13);
    uint32_t rest = mantissa & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) half++;
    return (uint16_t)(sign | half);
}

/* W [n, k] → panels of 16 output features: packed[(p·k + i)·16 + j] = half(W[16p + j, i]) */
static uint16_t *packed_panels(const float *w, int n, int k) {
    int panels = (n + M2F_HALF_PANEL - 1) / M2F_HALF_PANEL;
    uint16_t *packed = calloc((size_t)panels * M2F_HALF_PANEL * k, sizeof(uint16_t));
    if (!packed) { fprintf(stderr, "minilm_half: out of memory\n"); exit(1); }
    for (int row = 0; row < n; row++)
        for (int i = 0; i < k; i++)
            packed[((size_t)(row / M2F_HALF_PANEL) * k + i) * M2F_HALF_PANEL + row % M2F_HALF_PANEL] = half_bits(w[(size_t)row * k + i]);
    return packed;
}

int main(int argc, char **argv) {
    const int tokens = argc > 1 ? atoi(argv[1]) : 16;
    if (tokens <= 0) { fprintf(stderr, "usage: minilm_half [tokens > 0]\n"); return 2; }
    openblas_set_num_threads(1);
    const int out_features[PRODUCTS] = {WIDTH, WIDTH, WIDTH, WIDTH, HIDDEN, WIDTH};
    const int in_features[PRODUCTS] = {WIDTH, WIDTH, WIDTH, WIDTH, WIDTH, HIDDEN};
    float *weights[LAYERS][PRODUCTS];
    uint16_t *halves[LAYERS][PRODUCTS];
    double flops = 0;
    for (int layer = 0; layer < LAYERS; layer++) {
        for (int p = 0; p < PRODUCTS; p++) {
            weights[layer][p] = filled((size_t)out_features[p] * in_features[p], 7u * layer + p + 1);
            halves[layer][p] = packed_panels(weights[layer][p], out_features[p], in_features[p]);
            flops += 2.0 * tokens * out_features[p] * in_features[p];
        }
    }
    float *x = filled((size_t)tokens * HIDDEN, 99u);
    float *y = filled((size_t)tokens * HIDDEN, 98u);
    float *z = filled((size_t)tokens * HIDDEN, 97u);

    double blas[RUNS], half[RUNS];
    for (int run = -WARMUP; run < RUNS; run++) {
        double start = now_ms();
        for (int layer = 0; layer < LAYERS; layer++)
            for (int p = 0; p < PRODUCTS; p++) {
                const int n = out_features[p], k = in_features[p];
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, tokens, n, k, 1.0f, x, k, weights[layer][p], k, 0.0f, y, n);
            }
        double middle = now_ms();
        for (int layer = 0; layer < LAYERS; layer++)
            for (int p = 0; p < PRODUCTS; p++) {
                const int n = out_features[p], k = in_features[p];
                m2f_half_linear(tokens, n, k, x, k, halves[layer][p], NULL, z, n, 0, (n + M2F_HALF_PANEL - 1) / M2F_HALF_PANEL,
                                M2F_HALF_ACTIVATION_NONE);
            }
        double end = now_ms();
        if (run >= 0) { blas[run] = middle - start; half[run] = end - middle; }
    }
    double difference = 0;
    for (int i = 0; i < tokens * WIDTH; i++) difference = fmax(difference, fabs((double)y[i] - z[i]));
    qsort(blas, RUNS, sizeof(double), compare_doubles);
    qsort(half, RUNS, sizeof(double), compare_doubles);
    double blas_median = (blas[RUNS / 2 - 1] + blas[RUNS / 2]) / 2, half_median = (half[RUNS / 2 - 1] + half[RUNS / 2]) / 2;
    printf("{\"bench\": \"text_embed_1x%d_tokens\", \"impl\": \"c_openblas_1thread_gemms_only\", \"median_ms\": %.4f, \"gflops\": %.2f}\n",
           tokens, blas_median, flops / (blas_median * 1e6));
    printf("{\"bench\": \"text_embed_1x%d_tokens\", \"impl\": \"c_half_kernel_1thread_gemms_only\", \"median_ms\": %.4f, \"gflops\": %.2f, "
           "\"simd\": %d, \"max_abs_difference\": %.3g}\n",
           tokens, half_median, flops / (half_median * 1e6), m2f_half_linear_uses_simd(), difference);
    return 0;
}
