#!/usr/bin/env python3
"""Reads bench JSON lines on stdin and prints, per bench name, Swift against each reference.

Input lines: {"bench": NAME, "impl": "swift" | "torch" | "c_openblas" | "ctranslate2", "median_ms": ...,
"gflops": ...}; other lines are ignored. The same (bench, impl) may appear once per round (bench/compare.sh
interleaves the programs): the k-th Swift result is paired with the k-th reference result of the same
bench, each pair gives a ratio (swift ms / reference ms, below 1 means Swift is faster), and the table
shows the median over rounds of each column plus the range of the per-round ratios. Where an issue
sets a target, the last columns say what it is and whether the median meets it.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict

# bench -> (reference impl or None for an absolute limit in ms, the limit)
TARGETS: dict[str, tuple[str | None, float]] = {
    "sgemm_512": ("c_openblas", 1 / 0.9),                 # ≥ 90 % of plain C + OpenBLAS
    "decoder_block_w512_forward": ("torch", 1.25),
    "decoder_block_w512_forward_backward": ("torch", 1.5),
    "whisper_encoder_30s": ("ctranslate2", 1.2),
    "text_embed_1x16_tokens": (None, 5.0),                # one 16-token prompt under 5 ms
}


def read_results(lines) -> dict[str, dict[str, list[dict]]]:
    results: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
            results[record["bench"]][record["impl"]].append(record)
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return results


def fmt(value, width: int, decimals: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{decimals}f}"


def median_of(records: list[dict], key: str):
    values = [r[key] for r in records if r.get(key) is not None]
    return statistics.median(values) if values else None


def target_text(bench: str, impl: str | None, swift_ms, ratio) -> str:
    target = TARGETS.get(bench)
    if target is None:
        return ""
    reference, limit = target
    if reference is None and swift_ms is not None:
        return f"  target < {limit:g} ms: {'met' if swift_ms < limit else 'NOT met'}"
    if reference == impl and ratio is not None:
        return f"  target ≤ {limit:.2f}: {'met' if ratio <= limit else 'NOT met'}"
    return ""


def main() -> int:
    results = read_results(sys.stdin)
    if not results:
        print("no bench results")
        return 1
    for bench in sorted(results):
        by_impl = results[bench]
        swift = by_impl.get("swift", [])
        swift_ms = median_of(swift, "median_ms")
        references = sorted(impl for impl in by_impl if impl != "swift") or [None]
        print(f"{bench}  ({len(swift)} round{'s' if len(swift) != 1 else ''})")
        print(f"  {'reference':<12} {'swift ms':>10} {'ref ms':>10} {'swift/ref':>10} {'range':>12} "
              f"{'swift GF/s':>11} {'ref GF/s':>9}")
        for impl in references:
            ref = by_impl.get(impl, []) if impl else []
            ref_ms = median_of(ref, "median_ms")
            pairs = [s["median_ms"] / r["median_ms"] for s, r in zip(swift, ref) if r.get("median_ms")]
            ratio = statistics.median(pairs) if pairs else None
            spread = f"{min(pairs):.2f}–{max(pairs):.2f}" if len(pairs) > 1 else "-"
            print(f"  {impl or '-':<12} {fmt(swift_ms, 10, 3)} {fmt(ref_ms, 10, 3)} {fmt(ratio, 10, 2)} {spread:>12} "
                  f"{fmt(median_of(swift, 'gflops'), 11, 1)} {fmt(median_of(ref, 'gflops'), 9, 1)}"
                  f"{target_text(bench, impl, swift_ms, ratio)}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
