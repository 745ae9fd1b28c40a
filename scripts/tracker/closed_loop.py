#!/usr/bin/env python3
"""Closed loop: a known animation rendered on the default head (`m2f render`, the MP4 writer) and tracked
back with `m2f track`; per ARKit channel the correlation of the tracked track with the truth.

  closed_loop.py [--m2f .build/release/m2f] [--out /tmp/closed-loop]   → JSON on stdout

The animation is m2f's built-in scripted one (`--demo`: talking, blinks, smile, gaze, nod, 4 s) unless
--animation names another (.json/.csv). Channels that do not move in the truth (std < 0.02) get no
correlation. Head yaw/pitch/roll are compared too.
"""
import argparse, json, os, subprocess

import numpy as np


def load(path):
    d = json.load(open(path))
    w = np.array(d["frames"], dtype=np.float64)
    head = np.array(d["headPose"], dtype=np.float64) if d.get("headPose") else None
    return d, w, head


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--m2f", default=".build/release/m2f")
    ap.add_argument("--out", default="/tmp/m2f-closed-loop")
    ap.add_argument("--animation", default=None)
    ap.add_argument("--size", default="512")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    truth = f"{args.out}/truth.json"
    video = f"{args.out}/render.mp4"
    if args.animation:
        subprocess.run([args.m2f, "convert", args.animation, "-o", truth], check=True, capture_output=True)
    else:
        subprocess.run([args.m2f, "convert", "--demo", "-o", truth], check=True, capture_output=True)
    subprocess.run([args.m2f, "render", truth, "-o", video, "--size", args.size], check=True, capture_output=True)
    subprocess.run([args.m2f, "track", video, "-o", f"{args.out}/tracked", "--format", "json", "--quiet"], check=True, capture_output=True)
    t, wt, ht = load(truth)
    r, wr, hr = load(f"{args.out}/tracked.json")
    names = t["blendshapes"]
    n = min(len(wt), len(wr))
    wt, wr = wt[:n], wr[:n]
    out = {"frames": n, "faceShare": float(r["metadata"].get("track.faceShare", "nan")), "channels": {}}
    for k, name in enumerate(names):
        a, b = wt[:, k], wr[:, k]
        entry = {"truthStd": round(float(a.std()), 4), "trackedMean": round(float(b.mean()), 4)}
        if a.std() >= 0.02 and b.std() > 1e-6:
            entry["r"] = round(float(np.corrcoef(a, b)[0, 1]), 3)
        out["channels"][name] = entry
    if ht is not None and hr is not None:
        for c, name in enumerate(["headYaw", "headPitch", "headRoll"]):
            a, b = ht[:n, c], hr[:n, c]
            if a.std() > 1e-3:
                out["channels"][name] = {"truthStd": round(float(a.std()), 4), "r": round(float(np.corrcoef(a, b)[0, 1]), 3),
                                         "meanAbsErrorDeg": round(float(np.degrees(np.abs(a - b).mean())), 2)}
    groups = {"jawOpen": ["jawOpen"], "smile": ["mouthSmileLeft", "mouthSmileRight"], "blink": ["eyeBlinkLeft", "eyeBlinkRight"]}
    out["headline"] = {g: [out["channels"][c].get("r") for c in cs] for g, cs in groups.items()}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
