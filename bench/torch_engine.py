#!/usr/bin/env python3
"""PyTorch reference timings for `m2f bench engine` (2 threads, CPU).

Prints one JSON object per line:
    {"bench": NAME, "impl": "torch", "median_ms": ..., "gflops": ...}

The decoder block is the same module as the golden fixtures (scripts/fixtures/make_engine_fixtures.py):
pre-norm, self-attention + cross-attention + 4x GELU MLP, no masks, no dropout.

FLOP counting (shared with the Swift side and the C bench; see bench/README.md): only matmuls count,
each as 2*M*N*K (one multiply-add = 2 FLOPs). Bias adds, LayerNorm, softmax, GELU are not counted.
For the decoder block with batch B, query length T, memory length S, width C:
    self-attention   q,k,v,out projections   4 * 2*B*T*C*C
                     q @ k^T and weights @ v 2 * 2*B*T*T*C
    cross-attention  q, out projections      2 * 2*B*T*C*C
                     k, v projections        2 * 2*B*S*C*C
                     q @ k^T and weights @ v 2 * 2*B*T*S*C
    MLP              fc1 (C->4C), fc2 (4C->C) 2 * 2*B*T*C*4C
    forward  = 2*B*(14*T*C^2 + 2*S*C^2 + 2*T*C*(T + S))
    forward+backward = 3 * forward     (backward counted as 2x the forward matmul FLOPs)
sgemm_512: 2 * 512^3.
gflops = flops / (median_ms * 1e6).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts" / "fixtures"))
from make_engine_fixtures import DecoderBlock  # noqa: E402

THREADS = 2
WARMUP = 3
RUNS = 10


def decoder_block_flops(batch: int, t: int, s: int, width: int) -> int:
    """Forward matmul FLOPs of the decoder block (formula in the module docstring)."""
    return 2 * batch * (14 * t * width ** 2 + 2 * s * width ** 2 + 2 * t * width * (t + s))


def median_ms(fn: Callable[[], None], warmup: int = WARMUP, runs: int = RUNS) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def report(name: str, ms: float, flops: int) -> None:
    print(json.dumps({"bench": name, "impl": "torch", "median_ms": round(ms, 3),
                      "gflops": round(flops / (ms * 1e6), 2)}), flush=True)


def bench_decoder_block(width: int, heads: int = 4, batch: int = 8, t: int = 200, s: int = 200) -> None:
    torch.manual_seed(0)
    block = DecoderBlock(width, heads)
    x = torch.randn(batch, t, width)
    memory = torch.randn(batch, s, width)
    g = torch.randn(batch, t, width)
    flops = decoder_block_flops(batch, t, s, width)

    def forward() -> None:
        with torch.no_grad():
            block(x, memory)

    xg = x.clone().requires_grad_(True)
    mg = memory.clone().requires_grad_(True)
    leaves = [xg, mg, *block.parameters()]

    def forward_backward() -> None:
        out = block(xg, mg)
        torch.autograd.grad((out * g).sum(), leaves)    # gradients of inputs and all parameters

    report(f"decoder_block_w{width}_forward", median_ms(forward), flops)
    report(f"decoder_block_w{width}_forward_backward", median_ms(forward_backward), 3 * flops)


def bench_sgemm(n: int = 512) -> None:
    torch.manual_seed(0)
    a, b = torch.randn(n, n), torch.randn(n, n)
    c = torch.empty(n, n)
    ms = median_ms(lambda: torch.mm(a, b, out=c), warmup=5, runs=50)
    report(f"sgemm_{n}", ms, 2 * n ** 3)


def main() -> int:
    torch.set_num_threads(THREADS)
    bench_sgemm()
    bench_decoder_block(512)
    bench_decoder_block(256)
    return 0


if __name__ == "__main__":
    sys.exit(main())
