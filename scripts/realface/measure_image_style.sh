#!/bin/bash
# --image: the tracker path against the render-trained image encoder on real photos (docs/ARCHITECTURE.md,
# "Image style"). PHOTOS: a folder of PNGs (the realface-dev frames are cut with
#   ffmpeg -i CLIP.mp4 -vf "select=eq(n\,FRAME)" -frames:v 1 NAME.png
# at the frames the table names; the astronaut is scikit-image's data/astronaut.png).
#   scripts/realface/measure_image_style.sh PHOTOS   → one JSON line per photo
set -euo pipefail
cd "$(dirname "$0")/../.."
photos=$1; m2f=${M2F:-.build/release/m2f}; out=$(mktemp -d)
for p in "$photos"/*.png; do
  n=$(basename "$p" .png)
  "$m2f" track "$p" -o "$out/${n}_track" --format json --quiet >/dev/null
  for s in tracker image-encoder; do
    "$m2f" animate Examples/hello.wav --image "$p" --image-style $s --seed 1 --format json --quiet -o "$out/${n}_$s"
  done
done
python3 - "$photos" "$out" <<'PY'
import json, glob, os, sys
import numpy as np
photos, out = sys.argv[1:]
def means(path):
    d = json.load(open(path)); n = d['blendshapes']; W = np.array(d['frames'])
    g = lambda ks: round(float(W[:, [n.index(k) for k in ks]].mean()), 3)
    return {'smile': g(['mouthSmileLeft', 'mouthSmileRight']), 'frown': g(['mouthFrownLeft', 'mouthFrownRight']),
            'browDown': g(['browDownLeft', 'browDownRight']), 'browInnerUp': g(['browInnerUp'])}
for p in sorted(glob.glob(f'{photos}/*.png')):
    n = os.path.basename(p)[:-4]
    print(json.dumps({'photo': n, **{s: means(f'{out}/{n}_{s}.json') for s in ['track', 'tracker', 'image-encoder']}}))
PY
