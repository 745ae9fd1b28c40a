#!/bin/sh
# Parity of `m2f track` with Python MediaPipe on real photos and video frames (numbers for the report,
# not a test: it needs real footage, e.g. ../shared/realface-dev, and `pip install mediapipe==1.2.3`).
#   scripts/tracker/measure_parity.sh CLIPS_FOLDER OUT_FOLDER
# Photos: frames at 1.0 s and 2.5 s of every clip, tracked one by one (IMAGE mode). Video: every frame
# of $VIDEO_CLIPS (VIDEO mode, tracking). Env: M2F (binary), PYTHON, M2F_FACE_LANDMARKER_TASK.
set -eu
clips=$1
out=$2
M2F=${M2F:-.build/release/m2f}
PYTHON=${PYTHON:-python3}
VIDEO_CLIPS=${VIDEO_CLIPS:-"deepavsr_lrs2_00016.mp4 w2lgfpgan_kim_raw.mp4"}
here=$(dirname "$0")
mkdir -p "$out/photos"
for clip in "$clips"/*.mp4; do
  name=$(basename "$clip" .mp4)
  for t in 1.0 2.5; do
    [ -f "$out/photos/${name}_$t.png" ] || ffmpeg -nostdin -loglevel error -y -ss "$t" -i "$clip" -frames:v 1 "$out/photos/${name}_$t.png"
  done
done
"$PYTHON" "$here/mediapipe_reference.py" images "$out"/photos/*.png -o "$out/photos.ref.json" 2>/dev/null
# Ours, one image at a time, gathered in the same order as the reference.
mkdir -p "$out/photos.ours"
"$M2F" track "$out/photos" -o "$out/photos.ours" --format json --landmarks --detect-every-frame --quiet >/dev/null
"$PYTHON" - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
ref = json.load(open(f"{out}/photos.ref.json"))
frames = []
for entry in ref["frames"]:
    stem = os.path.splitext(entry["file"])[0]
    frames += json.load(open(f"{out}/photos.ours/{stem}.landmarks.json"))["frames"]
json.dump({"frames": frames}, open(f"{out}/photos.ours.json", "w"))
PY
pairs="$out/photos.ours.json $out/photos.ref.json"
echo "photos:"
"$PYTHON" "$here/parity.py" $pairs
videopairs=""
for clip in $VIDEO_CLIPS; do
  stem=$(basename "$clip" .mp4)
  "$PYTHON" "$here/mediapipe_reference.py" video "$clips/$clip" -o "$out/$stem.ref.json" 2>/dev/null
  "$M2F" track "$clips/$clip" -o "$out/$stem" --format json --landmarks --quiet >/dev/null
  videopairs="$videopairs $out/$stem.landmarks.json $out/$stem.ref.json"
done
echo "video frames:"
"$PYTHON" "$here/parity.py" $videopairs
