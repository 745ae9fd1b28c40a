#!/usr/bin/env bash
# Sung test material with known ground truth for `m2f eval singing` (make singing): the LibriVox clips
# of data/human-speech (public domain, scripts/fetch_human_speech.sh) re-sung by make_singing.py with
# the WORLD vocoder: notes, vibrato, loudness and breath pauses, each annotated in <name>.notes.json.
#
# pyworld and numpy are installed, pinned, into a virtual environment (.venv-singing, ignored by git);
# pip uses the index, mirror and proxy the user configured, as `m2f models fetch` does.
#
#   scripts/singing/make_singing.sh [speech folder, default data/human-speech] [output, default data/singing] [voice]
#
# voice: baritone (the default: the reader's voice, A2–A3) or high (an octave up, formants 1.2× higher).
set -euo pipefail

SPEECH="${1:-data/human-speech}"
OUT="${2:-data/singing}"
OUT="${OUT%/}"
VOICE="${3:-baritone}"
SEED=1
PYTHON="${PYTHON:-python3}"
VENV="${SINGING_VENV:-.venv-singing}"
HERE="$(cd "$(dirname "$0")" && pwd)"
SCRIPT="$HERE/make_singing.py"
PINS="pyworld==0.3.5 numpy==2.4.6"

digest() { if command -v sha256sum > /dev/null; then sha256sum "$@" | cut -d' ' -f1; else shasum -a 256 "$@" | cut -d' ' -f1; fi; }
recipe="script $(digest "$SCRIPT") seed $SEED pins $PINS"
[ "$VOICE" = baritone ] || recipe="$recipe voice $VOICE"
if [ -f "$OUT/SOURCE.txt" ] && grep -qF "$recipe" "$OUT/SOURCE.txt" && ls "$OUT"/*.wav > /dev/null 2>&1; then
    exit 0  # already made by this recipe: quiet, as the bootstrap is
fi
# A folder of someone's own clips is never replaced: only one this script wrote (it has SOURCE.txt).
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/SOURCE.txt" ]; then
    echo "error: $OUT exists and was not written by this script (no SOURCE.txt); move it away or pass another folder" >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import pyworld, numpy" 2> /dev/null; then
    echo "installing $PINS into $VENV (pyworld builds from source, about a minute)…"
    "$PYTHON" -m venv "$VENV" || { echo "error: cannot make a virtual environment in $VENV (install python3-venv: scripts/bootstrap.sh --singing)" >&2; exit 1; }
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install --quiet $PINS
fi
staging="$OUT.partial"
trap 'rm -rf "$staging"' EXIT
rm -rf "$staging"
"$VENV/bin/python" "$SCRIPT" --speech "$SPEECH" --out "$staging" --seed "$SEED" --voice "$VOICE"
cp "$SPEECH/SOURCE.txt" "$staging/SOURCE-speech.txt" 2> /dev/null || true
cat > "$staging/SOURCE.txt" <<INFO
Sung phrases made by scripts/singing/make_singing.py from the LibriVox recordings (public domain) in
$SPEECH (Jane Austen, Sense and Sensibility, chapter 1, as shipped with CMU PocketSphinx's test data;
SOURCE-speech.txt). The voice is the LibriVox reader's, re-timed, re-pitched and re-levelled with the
WORLD vocoder (pyworld, MIT licence); melody, vibrato, loudness and breaths are ours, written down in
each <name>.notes.json. Public domain like the recordings. Voice: $VOICE.
Recipe: $recipe
INFO
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$staging" "$OUT"
trap - EXIT
echo "wrote $(ls "$OUT"/*.wav | wc -l) sung clips to $OUT"
