/* Helpers shared by the standalone C benches: a monotonic clock, a comparator for medians, and
   reproducible fills (the same linear congruential sequence in every program). */
#ifndef M2F_BENCH_COMMON_H
#define M2F_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fills with values in [-1, 1) from a fixed linear congruential sequence seeded by `state`. */
static inline void fill(float *values, size_t count, unsigned state) {
    for (size_t i = 0; i < count; i++) {
        state = state * 1664525u + 1013904223u;
        values[i] = (float)(state >> 8) / (float)(1u << 23) - 1.0f;
    }
}

/* A fresh array of `count` values in [-0.05, 0.05) (weight-like); exits on allocation failure. */
static inline float *filled(size_t count, unsigned state) {
    float *values = malloc(sizeof(float) * count);
    if (!values) { fprintf(stderr, "bench: out of memory\n"); exit(1); }
    fill(values, count, state);
    for (size_t i = 0; i < count; i++) values[i] *= 0.05f;
    return values;
}

#endif
