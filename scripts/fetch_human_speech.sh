#!/usr/bin/env bash
# Five short recordings of human read speech with phone alignments, for `m2f eval human-speech`.
#
# They are LibriVox recordings (public domain) of Sense and Sensibility, chapter 1, that the CMU
# PocketSphinx project ships as test data together with its own forced alignments (*.phone.json).
# We take them from the pinned PocketSphinx source distribution (sha256 checked by pip and again here)
# and copy the clips, alignments, transcripts and PocketSphinx's licence into the output folder.
# `pip download` fetches it, so the package index, mirror and proxy the user configured for pip
# (pip.conf, PIP_INDEX_URL, HTTPS_PROXY…) are used, as for the models (`m2f models fetch`).
#
#   scripts/fetch_human_speech.sh [output folder, default data/human-speech]
set -euo pipefail

OUT="${1:-data/human-speech}"
OUT="${OUT%/}"
VERSION="5.1.1"
SHA256="675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355"
PYTHON="${PYTHON:-python3}"

if [ -f "$OUT/SOURCE.txt" ] && grep -q "$SHA256" "$OUT/SOURCE.txt" && ls "$OUT"/*.wav > /dev/null 2>&1; then
    exit 0  # already fetched: quiet, as the bootstrap is
fi
# A folder of someone's own clips is never replaced: only one this script wrote (it has SOURCE.txt).
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/SOURCE.txt" ]; then
    echo "error: $OUT exists and was not written by this script (no SOURCE.txt); move it away or pass another folder" >&2
    exit 1
fi
work="$(mktemp -d)"
staging="$OUT.partial"
trap 'rm -rf "$work" "$staging"' EXIT
echo "downloading pocketsphinx-${VERSION}.tar.gz (34 MB, through pip) for its LibriVox test clips…"
# The source distribution, not a wheel (only it has the test data); --no-binary names this package
# alone, so that pip's metadata step may use its build tools' wheels. The hash pins the exact file.
echo "pocketsphinx==${VERSION} --hash=sha256:${SHA256}" > "$work/requirements.txt"
"$PYTHON" -m pip download --quiet --no-deps --no-binary pocketsphinx --require-hashes -r "$work/requirements.txt" -d "$work/download"
sdist="$work/download/pocketsphinx-${VERSION}.tar.gz"
[ -f "$sdist" ] || { echo "error: pip did not save pocketsphinx-${VERSION}.tar.gz" >&2; exit 1; }
mv "$sdist" "$work/sdist.tar.gz"
if command -v sha256sum > /dev/null; then
    actual="$(sha256sum "$work/sdist.tar.gz" | cut -d' ' -f1)"
else
    actual="$(shasum -a 256 "$work/sdist.tar.gz" | cut -d' ' -f1)"
fi
if [ "$actual" != "$SHA256" ]; then
    echo "error: pocketsphinx-${VERSION}.tar.gz has sha256 $actual, expected $SHA256" >&2
    exit 1
fi
tar -xzf "$work/sdist.tar.gz" -C "$work" "pocketsphinx-${VERSION}/test/data/librivox" "pocketsphinx-${VERSION}/LICENSE"
source_dir="$work/pocketsphinx-${VERSION}/test/data/librivox"
rm -rf "$staging"
mkdir -p "$staging"
for wav in "$source_dir"/*.wav; do
    base="$(basename "$wav" .wav)"
    cp "$wav" "$source_dir/$base.phone.json" "$source_dir/$base.txt" "$staging/"
done
cp "$work/pocketsphinx-${VERSION}/LICENSE" "$staging/LICENSE-pocketsphinx.txt"
cat > "$staging/SOURCE.txt" <<INFO
LibriVox recordings (public domain) of Jane Austen, Sense and Sensibility, chapter 1, as shipped in
the test data of CMU PocketSphinx ${VERSION} (PyPI source distribution, sha256 ${SHA256}), with
PocketSphinx's forced phone alignments (*.phone.json, ARPAbet). PocketSphinx's licence (BSD-style):
LICENSE-pocketsphinx.txt.
INFO
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$staging" "$OUT"
echo "wrote $(ls "$OUT"/*.wav | wc -l) clips to $OUT"
