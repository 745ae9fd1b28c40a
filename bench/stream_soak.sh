#!/usr/bin/env bash
# A 10-minute stream at real-time pace on one core: prints one JSON line (`m2f bench stream-soak`) with
# frames vs audio time, latency per minute and its slope, resident memory samples and their slope.
# It takes 10 minutes of wall time but little CPU.
#
#   bash bench/stream_soak.sh [seconds, default 600] [more m2f bench stream-soak options]
set -euo pipefail
SECONDS_OF_AUDIO="${1:-600}"
shift || true
AUDIO=data/human-speech
[ -d "$AUDIO" ] || AUDIO=Examples/hello.wav
M2F_THREADS=1 exec taskset -c "${CORE:-1}" "${M2F:-.build/release/m2f}" bench stream-soak --json --audio "$AUDIO" --seconds "$SECONDS_OF_AUDIO" "$@"
