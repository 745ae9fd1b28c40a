#!/usr/bin/env python3
"""`m2f track` on every clip of a folder (e.g. ../shared/realface-dev): face share, jitter and time per clip.

  track_clips.py CLIPS_FOLDER [--m2f .build/release/m2f] [--out /tmp/m2f-track-clips] [--smooth]  → JSON

Jitter: the mean absolute second difference over time (|x[t+1] − 2x[t] + x[t−1]|, frames with a face
on all three) of the 52 weights (mean over channels) and of head yaw/pitch/roll in degrees: what a
still face would show as noise, and what fast motion raises.
"""
import argparse, glob, json, os, subprocess, time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clips")
    ap.add_argument("--m2f", default=".build/release/m2f")
    ap.add_argument("--out", default="/tmp/m2f-track-clips")
    ap.add_argument("--smooth", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = {}
    for clip in sorted(glob.glob(os.path.join(args.clips, "*.mp4"))):
        stem = os.path.splitext(os.path.basename(clip))[0]
        started = time.time()
        cmd = [args.m2f, "track", clip, "-o", f"{args.out}/{stem}", "--format", "csv,json", "--quiet"] + (["--smooth"] if args.smooth else [])
        subprocess.run(cmd, check=True, capture_output=True)
        seconds = time.time() - started
        d = json.load(open(f"{args.out}/{stem}.json"))
        found = np.array([c == "1" for c in d["metadata"]["track.faceFound"]])
        w = np.array(d["frames"])
        head = np.degrees(np.array(d["headPose"])[:, :3])
        ok = found[2:] & found[1:-1] & found[:-2]
        acc = lambda x: np.abs(x[2:] - 2 * x[1:-1] + x[:-2])[ok]
        rows[stem] = {"frames": len(found), "faceShare": round(float(found.mean()), 4), "seconds": round(seconds, 2),
                      "fps": round(len(found) / seconds, 1),
                      "jitterWeights": round(float(acc(w).mean()), 5) if ok.any() else None,
                      "jitterHeadDeg": round(float(acc(head).mean()), 4) if ok.any() else None}
        print(stem, rows[stem], flush=True)
    frames = sum(r["frames"] for r in rows.values())
    total = {"clips": len(rows), "frames": frames,
             "faceShare": round(sum(r["faceShare"] * r["frames"] for r in rows.values()) / frames, 4),
             "seconds": round(sum(r["seconds"] for r in rows.values()), 1),
             "medianJitterWeights": float(np.median([r["jitterWeights"] for r in rows.values() if r["jitterWeights"] is not None])),
             "medianJitterHeadDeg": float(np.median([r["jitterHeadDeg"] for r in rows.values() if r["jitterHeadDeg"] is not None]))}
    print(json.dumps({"total": total, "clips": rows}, indent=1))


if __name__ == "__main__":
    main()
