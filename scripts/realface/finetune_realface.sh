#!/bin/bash
# Models/media2face-realface: the shipped model fine-tuned on real talking faces (issue 17 item 1).
#   scripts/realface/finetune_realface.sh [WORK_DIR]   (default /work/data; ../shared/realface-dev needed)
# ship-labels.json keeps shippable clips apart: only MIT-licensed clips of realface-dev are in "train"
# (and one in "val"); research-only and unlicensed clips, plus two MIT speakers (styletalk_kristinoem,
# mimictalk_trump_address), are the held-out "test" speakers that `m2f eval real-faces` measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/work/data}
clips=${REALFACE_DEV:-../shared/realface-dev}
m2f=${M2F:-.build/release/m2f}
out=${OUT:-runs/media2face-realface}
[ -f "$work/m2fd-default/manifest.jsonl" ] || make dataset DATASET_DIR="$work/m2fd-default"
if [ ! -f "$work/realface-ship/manifest.jsonl" ]; then
    "$m2f" dataset import-video "$clips"/*.mp4 -o "$work/realface-ship" --labels scripts/realface/ship-labels.json
    "$m2f" dataset featurize "$work/realface-ship"
fi
# A quarter synthetic (keeps lip closure and the emotion controls; its p/b/m frames weigh 6x), three
# quarters real (2.9 min of video). Half the crops of clips with stream windows (all real clips, the
# first 100 synthetic ones) are stream hops, so the model follows its offline result in a stream.
"$m2f" train diffusion --init Models/media2face --gnpfa Models/gnpfa \
    --data "$work/m2fd-default" --data "$work/realface-ship" --data-share 1,3 \
    --steps 2000 --batch-size 16 --learning-rate 2e-4 --checkpoint-every 500 --seed 2 --bilabial-weight 6 \
    --stream-windows 0.5 --stream-window-clips 100 -o "$out" --overwrite
"$m2f" eval real-faces --data "$work/realface-ship" --split test --compare "$out"
"$m2f" eval media2face --data "$work/m2fd-default" --split test --subjects media2face --model "$out"
