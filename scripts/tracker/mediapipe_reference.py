#!/usr/bin/env python3
"""Python MediaPipe Face Landmarker as the tracker's reference: landmarks, blendshapes and facial
transformation matrices per image or video frame, as JSON.

  mediapipe_reference.py images A.png B.jpg … -o out.json       IMAGE mode, one entry per file
  mediapipe_reference.py video clip.mp4 [--frames N] [--landmarks-every K] -o out.json
                                                                VIDEO mode, one entry per frame

Needs `pip install mediapipe==1.2.3` (development only) and the model: --model face_landmarker.task
(default: $M2F_FACE_LANDMARKER_TASK). Frames are decoded by ffmpeg to rgb24 exactly as `m2f track`
decodes them, so both sides see the same pixels.
"""
import argparse, json, os, subprocess, sys

import numpy as np
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision


def landmarker(model, video):
    options = vision.FaceLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model),
        running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
        num_faces=1, output_face_blendshapes=True, output_facial_transformation_matrixes=True)
    return vision.FaceLandmarker.create_from_options(options)


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height,avg_frame_rate", "-of", "json", path],
                         check=True, capture_output=True, text=True).stdout
    s = json.loads(out)["streams"][0]
    num, den = (s.get("avg_frame_rate") or "0/1").split("/")
    return s["width"], s["height"], (float(num) / float(den)) if float(den) else 0.0


def frames(path, limit=None):
    """rgb24 frames of `path` (same ffmpeg command line as the Swift decoder)."""
    w, h, fps = probe(path)
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:v:0",
           "-an", "-sn", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    n = 0
    while limit is None or n < limit:
        buf = proc.stdout.read(w * h * 3)
        if len(buf) < w * h * 3:
            break
        yield np.frombuffer(buf, np.uint8).reshape(h, w, 3), fps
        n += 1
    proc.kill()
    proc.wait()


def entry(result, width, height):
    if not result.face_landmarks:
        return {"found": False, "width": width, "height": height}
    return {
        "found": True, "width": width, "height": height,
        "landmarks": [[round(p.x, 6), round(p.y, 6), round(p.z, 6)] for p in result.face_landmarks[0]],
        "blendshapes": {c.category_name: round(c.score, 6) for c in result.face_blendshapes[0]},
        "matrix": [round(float(v), 6) for v in np.array(result.facial_transformation_matrixes[0]).reshape(-1)],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["images", "video"])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--frames", type=int, default=None)
    parser.add_argument("--landmarks-every", type=int, default=1, help="keep the landmarks of every Nth frame only (smaller fixtures)")
    parser.add_argument("--model", default=os.environ.get("M2F_FACE_LANDMARKER_TASK"))
    args = parser.parse_args()
    if not args.model:
        sys.exit("give --model face_landmarker.task or set M2F_FACE_LANDMARKER_TASK")
    out = {"mediapipe": mp.__version__, "mode": args.mode, "frames": []}
    if args.mode == "images":
        with landmarker(args.model, False) as lm:
            for path in args.inputs:
                for rgb, _ in frames(path, 1):
                    h, w, _ = rgb.shape
                    e = entry(lm.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))), w, h)
                    e["file"] = os.path.basename(path)
                    out["frames"].append(e)
    else:
        with landmarker(args.model, True) as lm:
            for i, (rgb, fps) in enumerate(frames(args.inputs[0], args.frames)):
                h, w, _ = rgb.shape
                t = int(round(i * 1000 / (fps or 30)))
                e = entry(lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb)), t), w, h)
                if i % args.landmarks_every:
                    e.pop("landmarks", None)
                out["frames"].append(e)
            out["file"] = os.path.basename(args.inputs[0])
    with open(args.output, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
