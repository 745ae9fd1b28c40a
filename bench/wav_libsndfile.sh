#!/usr/bin/env bash
# Our WAV reader against libsndfile (THIRD_PARTY.md, "Library or our own") on a 10-minute 44.1 kHz
# stereo 16-bit WAV made by ffmpeg: compiles Sources/M2FAudio's reader with bench/wav_libsndfile.swift
# and prints one JSON line. Needs libsndfile1-dev (not a dependency of m2f) and ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sndfile"
printf 'module CSndfileBench [system] {\n    header "/usr/include/sndfile.h"\n    link "sndfile"\n    export *\n}\n' >"$tmp/sndfile/module.modulemap"
# The reader alone: the regular-file check (M2FSystem) is left out, the file here is a plain one.
sed -e '/^import M2FSystem/d' -e '/^extension AudioError {$/,$d' Sources/M2FAudio/AudioError.swift >"$tmp/AudioError.swift"
printf 'extension AudioError {\n    static func checkRegular(_ path: String) throws(AudioError) {}\n}\n' >>"$tmp/AudioError.swift"
cp Sources/M2FAudio/WAVReader.swift Sources/M2FAudio/AudioClip.swift "$tmp/"
cp bench/wav_libsndfile.swift "$tmp/main.swift"
swiftc -O -I "$tmp/sndfile" "$tmp"/*.swift -o "$tmp/wav_bench"
ffmpeg -v error -nostdin -f lavfi -i "sine=frequency=220:sample_rate=44100:duration=600" -f lavfi -i "anoisesrc=r=44100:d=600:a=0.3" \
    -filter_complex "[0][1]amerge=inputs=2" -ac 2 -c:a pcm_s16le "$tmp/ten.wav"
"$tmp/wav_bench" "$tmp/ten.wav"
