#!/usr/bin/env python3
"""Reads bench JSON lines on stdin and prints, per bench name, Swift against each reference.

Input lines: {"bench": NAME, "impl": "swift" | "torch" | "c_openblas", "median_ms": ..., "gflops": ...}
Other lines are ignored. Output: one table per bench; ratio = swift ms / reference ms (below 1 means
Swift is faster). Writes nothing but the tables on stdout.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict


def read_results(lines) -> dict[str, dict[str, dict]]:
    results: dict[str, dict[str, dict]] = defaultdict(dict)
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
            results[record["bench"]][record["impl"]] = record
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return results


def fmt(value, width: int, decimals: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{decimals}f}"


def main() -> int:
    results = read_results(sys.stdin)
    if not results:
        print("no bench results")
        return 1
    for bench in sorted(results):
        by_impl = results[bench]
        swift = by_impl.get("swift")
        swift_ms = swift["median_ms"] if swift else None
        references = sorted(impl for impl in by_impl if impl != "swift") or [None]
        print(bench)
        print(f"  {'reference':<12} {'swift ms':>10} {'ref ms':>10} {'swift/ref':>10} {'swift GF/s':>11} {'ref GF/s':>9}")
        for impl in references:
            ref = by_impl.get(impl) if impl else None
            ref_ms = ref["median_ms"] if ref else None
            ratio = swift_ms / ref_ms if swift_ms is not None and ref_ms else None
            swift_gflops = swift.get("gflops") if swift else None
            ref_gflops = ref.get("gflops") if ref else None
            print(f"  {impl or '-':<12} {fmt(swift_ms, 10, 3)} {fmt(ref_ms, 10, 3)} {fmt(ratio, 10, 2)} "
                  f"{fmt(swift_gflops, 11, 1)} {fmt(ref_gflops, 9, 1)}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
