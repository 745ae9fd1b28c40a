#!/usr/bin/env bash
# Speed of the checked build (no -Ounchecked) against an earlier binary, in one run:
# `m2f bench engine` and `m2f bench animate` alternate between the two binaries for ROUNDS rounds
# (the order flips each round), then bench/checked_build_ab.py prints the medians side by side.
# Usage: bench/checked_build_ab.sh BEFORE_BINARY AFTER_BINARY [ROUNDS] > results.jsonl
set -euo pipefail
before=${1:?usage: checked_build_ab.sh BEFORE AFTER [ROUNDS]}
after=${2:?usage: checked_build_ab.sh BEFORE AFTER [ROUNDS]}
rounds=${3:-3}
for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then order=("before:$before" "after:$after"); else order=("after:$after" "before:$before"); fi
    for entry in "${order[@]}"; do
        label=${entry%%:*} binary=${entry#*:}
        for bench in engine animate; do
            echo "round $round: $label $bench" >&2
            "$binary" bench "$bench" | sed "s/^{/{\"binary\":\"$label\",\"round\":$round,/"
        done
    done
done
