#!/usr/bin/env bash
# `make test`'s install check: installs the built m2f into a temporary PREFIX, then from `/`, with an
# empty HOME (no ~/.cache/m2f) and a PATH without the checkout, `m2f doctor` must find everything in
# PREFIX and `m2f animate` must write its files.
set -euo pipefail

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/install.sh "$tmp/p" >/dev/null
mkdir -p "$tmp/home"
run() { (cd / && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$tmp/home" "$tmp/p/bin/m2f" "$@"); }

doctor=$(run doctor) || { echo "$doctor"; echo "check_install: m2f doctor found something missing" >&2; exit 1; }
for expected in "media2face: $tmp/p/share/m2f/Models/media2face" "gnpfa: $tmp/p/share/m2f/Models/gnpfa" \
                "whisper-tiny-en: $tmp/p/share/m2f/encoders/whisper-tiny-en"; do
    grep -qF "$expected" <<<"$doctor" || { echo "$doctor"; echo "check_install: doctor does not say '$expected'" >&2; exit 1; }
done
run animate "$tmp/p/share/m2f/Examples/hello.wav" --format csv,json,glb --quiet -o "$tmp/x/hello"
for f in hello.csv hello.json hello.glb; do
    [[ -s "$tmp/x/$f" ]] || { echo "check_install: $f was not written" >&2; exit 1; }
done
echo "check_install: installed m2f animates from / with an empty HOME ($(wc -l <"$tmp/x/hello.csv") CSV lines)"
