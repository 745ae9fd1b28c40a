#!/usr/bin/env python3
"""PyTorch reference timing for `text_embed_1x16_tokens` (2 threads, CPU, inference).

The same architecture as the MiniLM-L6 encoder the Swift side runs (6 post-norm BERT layers, width 384,
12 heads, intermediate 1536, GELU erf), on one 16-token sequence, with random weights of the right shapes
(timing does not depend on the values; the pretrained weights are compared for accuracy by the text
fixtures instead). The embeddings lookup, mean pooling and normalisation are included; tokenizing is not.

Prints {"bench": "text_embed_1x16_tokens", "impl": "torch", "median_ms": ..., "gflops": ...}
gflops counts only the layer matmuls (2*M*N*K), as bench/minilm_openblas.c does.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

LAYERS, WIDTH, HEADS, HIDDEN, TOKENS, VOCABULARY = 6, 384, 12, 1536, 16, 30522
THREADS, WARMUP, RUNS = 2, 5, 50


class BertLayer(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v, self.out = (torch.nn.Linear(WIDTH, WIDTH) for _ in range(4))
        self.attention_norm = torch.nn.LayerNorm(WIDTH, eps=1e-12)
        self.intermediate = torch.nn.Linear(WIDTH, HIDDEN)
        self.output = torch.nn.Linear(HIDDEN, WIDTH)
        self.output_norm = torch.nn.LayerNorm(WIDTH, eps=1e-12)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        split = lambda y: y.view(b, t, HEADS, WIDTH // HEADS).transpose(1, 2)  # noqa: E731
        attended = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)))
        x = self.attention_norm(x + self.out(attended.transpose(1, 2).reshape(b, t, WIDTH)))
        return self.output_norm(x + self.output(F.gelu(self.intermediate(x))))


class Encoder(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.words = torch.nn.Embedding(VOCABULARY, WIDTH)
        self.positions = torch.nn.Embedding(512, WIDTH)
        self.norm = torch.nn.LayerNorm(WIDTH, eps=1e-12)
        self.layers = torch.nn.ModuleList(BertLayer() for _ in range(LAYERS))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        h = self.norm(self.words(ids) + self.positions(torch.arange(ids.shape[1])))
        for layer in self.layers:
            h = layer(h)
        return F.normalize(h.mean(dim=1), dim=-1)


def main() -> int:
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    model = Encoder().eval()
    ids = torch.randint(0, VOCABULARY, (1, TOKENS))
    times = []
    with torch.inference_mode():
        for run in range(WARMUP + RUNS):
            start = time.perf_counter()
            model(ids)
            if run >= WARMUP:
                times.append((time.perf_counter() - start) * 1e3)
    ms = statistics.median(times)
    flops = LAYERS * 2 * TOKENS * (4 * WIDTH * WIDTH + 2 * WIDTH * HIDDEN)
    print(json.dumps({"bench": "text_embed_1x16_tokens", "impl": "torch", "median_ms": round(ms, 3),
                      "gflops": round(flops / (ms * 1e6), 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
