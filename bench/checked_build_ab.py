#!/usr/bin/env python3
"""Medians over rounds of bench/checked_build_ab.sh output (JSON lines on stdin), before vs after."""
import json
import statistics
import sys
from collections import defaultdict

samples = defaultdict(list)
order = []
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    row = json.loads(line)
    for metric in ("median_ms", "total_s", "generation_s", "speech_features_s"):
        if metric in row:
            key = (row["bench"], metric)
            if key not in order:
                order.append(key)
            samples[(row["binary"],) + key].append(row[metric])

print("| bench | metric | before (-Ounchecked) | after (checked) | after / before |")
print("| --- | --- | --- | --- | --- |")
for bench, metric in order:
    before = samples.get(("before", bench, metric))
    after = samples.get(("after", bench, metric))
    if not before or not after:
        continue
    b, a = statistics.median(before), statistics.median(after)
    print(f"| `{bench}` | {metric} | {b:.3f} | {a:.3f} | {a / b:.3f} |")
