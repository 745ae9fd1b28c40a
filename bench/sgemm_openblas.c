/*
 * Plain C reference for the `sgemm_512` bench: cblas_sgemm on 512x512x512 float32, row-major, no
 * transposes, OpenBLAS with 2 threads (same as the Swift and PyTorch benches).
 *
 *   cc -O2 bench/sgemm_openblas.c $(pkg-config --cflags --libs openblas) -o .build/bench/sgemm_openblas
 *
 * Prints {"bench": "sgemm_512", "impl": "c_openblas", "median_ms": ..., "gflops": ...}
 * gflops = 2*M*N*K / (median_ms * 1e6).
 */
#include <cblas.h>

#include "bench_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { N = 512, THREADS = 2, WARMUP = 5, RUNS = 50 };

int main(void) {
    openblas_set_num_threads(THREADS);
    float *a = malloc(sizeof(float) * N * N);
    float *b = malloc(sizeof(float) * N * N);
    float *c = malloc(sizeof(float) * N * N);
    if (!a || !b || !c) {
        fprintf(stderr, "sgemm_openblas: out of memory\n");
        return 1;
    }
    fill(a, (size_t)N * N, 1u);
    fill(b, (size_t)N * N, 2u);

    double times[RUNS];
    for (int run = -WARMUP; run < RUNS; run++) {
        double start = now_ms();
        /* C[M,N] = A[M,K] @ B[K,N], all row-major with leading dimension N */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N,
                    1.0f, a, N, b, N, 0.0f, c, N);
        double elapsed = now_ms() - start;
        if (run >= 0) times[run] = elapsed;
    }
    qsort(times, RUNS, sizeof(double), compare_doubles);
    double median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2;  /* RUNS is even */
    double flops = 2.0 * N * N * N;

    /* keep the result observable so nothing is optimised away */
    volatile float sink = c[0] + c[N * N - 1];
    (void)sink;

    printf("{\"bench\": \"sgemm_512\", \"impl\": \"c_openblas\", \"median_ms\": %.3f, \"gflops\": %.2f}\n",
           median, flops / (median * 1e6));
    free(a);
    free(b);
    free(c);
    return 0;
}
