#!/usr/bin/env bash
# Installs the built m2f so that it runs from any folder (`make install PREFIX=…` calls this):
#   PREFIX/bin/m2f
#   PREFIX/share/m2f/Models/{media2face,media2face-synthetic,gnpfa,media2face-regressor}   the trained models (found beside the binary)
#   PREFIX/share/m2f/encoders/…   the pretrained encoders from the model cache (used when ~/.cache/m2f lacks them)
#   PREFIX/share/m2f/blender/m2f_import.py   the Blender import add-on
#   PREFIX/share/m2f/Examples/hello.wav   the demo clip
# `m2f doctor` says where each of these is found.
set -euo pipefail

PREFIX=${1:?usage: scripts/install.sh PREFIX [BINARY]}
BINARY=${2:-.build/release/m2f}
ENCODERS=${M2F_MODELS:-$HOME/.cache/m2f}
SHARE="$PREFIX/share/m2f"

[[ -x "$BINARY" ]] || { echo "install: $BINARY is not built (make build)" >&2; exit 1; }
install -d "$PREFIX/bin" "$SHARE/Models" "$SHARE/encoders" "$SHARE/blender" "$SHARE/Examples"
# Into a temporary name first, so that a running m2f is never overwritten in place.
install -m 755 "$BINARY" "$PREFIX/bin/.m2f.installing"
mv -f "$PREFIX/bin/.m2f.installing" "$PREFIX/bin/m2f"

for model in Models/*/; do
    name=$(basename "$model")
    install -d "$SHARE/Models/$name"
    # The model files only: not the training checkpoints a local run may have left beside them.
    install -m 644 "$model"*.json "$model"*.safetensors "$model"README.md "$SHARE/Models/$name/"
done

copied=0
for entry in "$ENCODERS"/*/; do
    [[ -f "$entry/manifest.json" ]] || continue
    name=$(basename "$entry")
    rm -rf "$SHARE/encoders/$name.installing"
    cp -R "$entry" "$SHARE/encoders/$name.installing"
    rm -rf "$SHARE/encoders/$name"
    mv "$SHARE/encoders/$name.installing" "$SHARE/encoders/$name"
    copied=$((copied + 1))
done
((copied)) || echo "install: no encoders in $ENCODERS (make models first); m2f will need m2f models fetch" >&2

install -m 644 scripts/blender/m2f_import.py "$SHARE/blender/"
install -m 644 Examples/hello.wav "$SHARE/Examples/"
echo "installed m2f in $PREFIX/bin, models and encoders in $SHARE ($copied encoders)"
