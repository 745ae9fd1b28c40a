#!/usr/bin/env bash
# Fuzzes m2f's file parsers with libFuzzer (Sources/M2FFuzzTargets): builds `m2f-fuzz` with
# -sanitize=fuzzer,address (debug, so bounds and overflow checks trap) into .build-fuzz, then runs each
# target for FUZZ_SECONDS, starting from the committed seeds in Fuzz/corpus/<target> and keeping what it
# learns in .build-fuzz/corpus/<target>. One JSON line per target: executions, seconds, crashes.
# A crash stops the run; the input is in .build-fuzz/crashes/: copy it to Fuzz/corpus/<target>/crash-NAME
# (the corpus replay test runs it in `swift test`) and add a named regression test beside the fix.
#
# Usage: scripts/fuzz.sh [target ...]    (default: all; FUZZ_SECONDS per target, default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
all=(wav animation-json request-json livelink-csv gltf safetensors model-config)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
if [ "$(uname -s)" != Linux ]; then
    # Xcode's swiftc has no -sanitize=fuzzer; the corpus still replays in `swift test`.
    echo "fuzz.sh: libFuzzer needs the swift.org Linux toolchain; skipped on $(uname -s)" >&2
    [ -n "${FUZZ_SKIP_UNSUPPORTED:-}" ] && exit 0 || exit 1
fi

# swiftc keeps only the last -sanitize= flag (SwiftPM passes one per sanitizer: `--sanitize=fuzzer
# --sanitize=address` left the Swift code without coverage counters), so both go in one -Xswiftc flag.
build=(swift build --scratch-path .build-fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address --product m2f-fuzz)
M2F_FUZZ=1 "${build[@]}" 2>&1 | grep -E "error:|complete!" || true
binary=.build-fuzz/debug/m2f-fuzz
[ -x "$binary" ] || { echo "fuzz.sh: building m2f-fuzz failed: M2F_FUZZ=1 ${build[*]}" >&2; exit 1; }

status=0
for target in "${targets[@]}"; do
    work=.build-fuzz/corpus/$target
    mkdir -p "$work" .build-fuzz/crashes .build-fuzz/logs
    log=.build-fuzz/logs/$target.log
    started=$(date +%s)
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a 2 GB allocation from a small file is a bug;
    # detect_leaks=0 (libFuzzer and ASan): Foundation's FileManager/JSONDecoder keep caches LeakSanitizer reports on every run.
    # SWIFT_BACKTRACE off: the Swift backtracer's memory reads trip ASan and hide the trap's own message.
    if ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no M2F_FUZZ_TARGET=$target "$binary" "$work" "Fuzz/corpus/$target" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/crashes/$target-" >"$log" 2>&1; then
        crashes=0
    else
        crashes=1; status=1
        grep -E "ERROR|SUMMARY|Fatal error|fuzz oracle|Test unit written" "$log" | head -8 >&2
    fi
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    printf '{"target":"%s","seconds":%d,"executions":%s,"crashes":%d}\n' "$target" $(( $(date +%s) - started )) "${executions:-0}" "$crashes"
done
exit $status
