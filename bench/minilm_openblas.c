/*
 * A lower bound for `text_embed_1x16_tokens`: only the 36 matrix products of one MiniLM-L6 forward on a
 * 16-token prompt (6 layers x {q, k, v, out: 16x384 . 384x384; intermediate: 16x384 . 384x1536;
 * output: 16x1536 . 1536x384}), weights laid out [out, in] as the checkpoint stores them (so B is
 * transposed, as in the Swift engine), every layer with its own weights (42 MB in all, more than the
 * L3 cache of the dev VM), plain C + OpenBLAS with 2 threads. No attention, norms, GELU or tokenizer.
 *
 *   cc -O2 bench/minilm_openblas.c $(pkg-config --cflags --libs openblas) -o .build/bench/minilm_openblas
 *
 * Prints {"bench": "text_embed_1x16_tokens", "impl": "c_openblas_gemms_only", "median_ms": ..., "gflops": ...}
 */
#include <cblas.h>

#include "bench_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { LAYERS = 6, TOKENS = 16, WIDTH = 384, HIDDEN = 1536, PRODUCTS = 6, THREADS = 2, WARMUP = 5, RUNS = 50 };

int main(void) {
    openblas_set_num_threads(THREADS);
    /* rows (out features) and columns (in features) of each product's weight */
    const int out_features[PRODUCTS] = {WIDTH, WIDTH, WIDTH, WIDTH, HIDDEN, WIDTH};
    const int in_features[PRODUCTS] = {WIDTH, WIDTH, WIDTH, WIDTH, WIDTH, HIDDEN};
    float *weights[LAYERS][PRODUCTS];
    double flops = 0;
    for (int layer = 0; layer < LAYERS; layer++) {
        for (int p = 0; p < PRODUCTS; p++) {
            weights[layer][p] = filled((size_t)out_features[p] * in_features[p], 7u * layer + p + 1);
            flops += 2.0 * TOKENS * out_features[p] * in_features[p];
        }
    }
    float *x = filled((size_t)TOKENS * HIDDEN, 99u);
    float *y = filled((size_t)TOKENS * HIDDEN, 98u);

    double times[RUNS];
    for (int run = -WARMUP; run < RUNS; run++) {
        double start = now_ms();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int p = 0; p < PRODUCTS; p++) {
                const int n = out_features[p], k = in_features[p];
                /* y[T, n] = x[T, k] . W[n, k]^T */
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, TOKENS, n, k, 1.0f, x, k, weights[layer][p], k,
                            0.0f, y, n);
            }
        }
        double elapsed = now_ms() - start;
        if (run >= 0) times[run] = elapsed;
    }
    qsort(times, RUNS, sizeof(double), compare_doubles);
    double median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2; /* RUNS is even */
    printf("{\"bench\": \"text_embed_1x16_tokens\", \"impl\": \"c_openblas_gemms_only\", \"median_ms\": %.4f, \"gflops\": %.2f}\n",
           median, flops / (median * 1e6));
    return 0;
}
