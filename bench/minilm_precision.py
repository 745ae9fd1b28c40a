#!/usr/bin/env python3
"""How far each storage of MiniLM's 36 layer weights moves the sentence embedding (docs/BENCHMARKS.md).

Runs the BERT forward in plain PyTorch on the installed model (`m2f models fetch` puts it in
~/.cache/m2f/all-minilm-l6-v2) with the layer weights as stored in float32, fp16, bf16, int8 per output
row and int8 per 32-input group, and prints each one's minimum cosine to float32 over a few prompts.
The project's bar is 0.9999 against sentence-transformers.
Needs: pip install torch safetensors tokenizers
"""
import math
import os
import sys

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer

MODEL = os.path.expanduser(os.environ.get("M2F_MINILM_DIR", "~/.cache/m2f/all-minilm-l6-v2"))
TEXTS = [
    "happy and excited", "joyful, smiling", "sad and tired",
    "speaking quickly and excitedly, with a big bright smile and raised eyebrows.",
    "calm, relaxed, slow speech", "nervous; speaking quickly...", "Surprised?! Really?", "bored and monotone",
    "café naïve résumé", "angry!", "a long sentence about nothing in particular that goes on and on " * 5,
    "grumpy old man", "3.14159", "Hello, world!",
]


def layer_norm(x, weights, prefix):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), weights[prefix + ".weight"], weights[prefix + ".bias"], 1e-12)


def embed(text, weights, tokenizer):
    ids = torch.tensor(tokenizer.encode(text).ids[:256])
    t = len(ids)
    h = layer_norm(weights["embeddings.word_embeddings.weight"][ids] + weights["embeddings.position_embeddings.weight"][:t]
                   + weights["embeddings.token_type_embeddings.weight"][0], weights, "embeddings.norm")
    for layer in range(6):
        prefix = f"layers.{layer}."

        def linear(x, name):
            return x @ weights[prefix + name + ".weight"].T + weights[prefix + name + ".bias"]

        q, k, v = [linear(h, f"attention.{n}_proj").view(t, 12, 32).transpose(0, 1) for n in "qkv"]
        attended = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(32), -1) @ v
        h = layer_norm(h + linear(attended.transpose(0, 1).reshape(t, 384), "attention.out_proj"), weights, prefix + "attention_norm")
        h = layer_norm(h + linear(torch.nn.functional.gelu(linear(h, "intermediate")), "output"), weights, prefix + "output_norm")
    pooled = h.mean(0)
    return pooled / pooled.norm()


def int8_rows(w):
    scale = w.abs().amax(1, keepdim=True) / 127
    return torch.round(w / scale).clamp(-127, 127) * scale


def int8_groups(w, group=32):
    n, k = w.shape
    blocks = w.view(n, k // group, group)
    scale = blocks.abs().amax(2, keepdim=True) / 127
    return (torch.round(blocks / scale).clamp(-127, 127) * scale).view(n, k)


def main():
    if not os.path.exists(os.path.join(MODEL, "model.safetensors")):
        sys.exit(f"{MODEL}: no model.safetensors (run `m2f models fetch` first)")
    weights = load_file(os.path.join(MODEL, "model.safetensors"))
    tokenizer = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    matrices = [k for k, v in weights.items() if k.startswith("layers.") and v.dim() == 2]
    storages = {
        "float16": lambda w: w.half().float(), "bfloat16": lambda w: w.bfloat16().float(),
        "int8_per_row": int8_rows, "int8_per_32": int8_groups,
    }
    reference = [embed(text, weights, tokenizer) for text in TEXTS]
    for name, store in storages.items():
        stored = dict(weights)
        for key in matrices:
            stored[key] = store(weights[key])
        cosines = [float(embed(text, stored, tokenizer) @ ref) for text, ref in zip(TEXTS, reference)]
        print(f'{{"storage": "{name}", "min_cosine_to_float32": {min(cosines):.8f}}}')


if __name__ == "__main__":
    main()
