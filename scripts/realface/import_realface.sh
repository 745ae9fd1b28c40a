#!/bin/bash
# The realface-dev clips (../shared/realface-dev, not in the repository) as an M2F-D training set:
#   scripts/realface/import_realface.sh [DATASET_DIR]   (default /work/data/realface)
# labels.json: performer per speaker (clips of one person share a calibration), language, gender, split
# (val: styletalk_andrew2, dfrf_cnn2_part3, styletalk_kristinoem) and a terms tag per clip:
# terms-research-only and terms-unlicensed clips must not go into shipped weights (realface-dev README).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/work/data/realface}
clips=${REALFACE_DEV:-../shared/realface-dev}
m2f=${M2F:-.build/release/m2f}
"$m2f" dataset import-video "$clips"/*.mp4 -o "$out" --labels scripts/realface/labels.json
"$m2f" dataset featurize "$out"
