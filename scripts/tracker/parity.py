#!/usr/bin/env python3
"""Compares `m2f track --landmarks` output with Python MediaPipe's (mediapipe_reference.py), frame by frame.

  parity.py OURS.landmarks.json REF.json [OURS2 REF2 …]   → JSON on stdout

Landmark error: mean 2D distance over the 478 points, in pixels, over the inter-ocular distance (iris
centres 468–473) of MediaPipe's landmarks; blendshapes: mean absolute error over the 52 scores; head
rotation: angle of R_ours^T R_mediapipe in degrees; decisions: frames where exactly one side found a face.
"""
import json, math, sys

import numpy as np


def rotation(m):
    r = np.array(m, dtype=np.float64).reshape(4, 4)[:3, :3]
    return r / np.linalg.norm(r[:, 0])


def compare(ours_path, ref_path):
    ours = json.load(open(ours_path))["frames"]
    ref = json.load(open(ref_path))["frames"]
    if len(ours) != len(ref):
        sys.exit(f"{ours_path}: {len(ours)} frames, {ref_path}: {len(ref)}")
    rows = []
    for o, r in zip(ours, ref):
        row = {"ours": o["found"], "ref": r["found"]}
        if o["found"] and r["found"]:
            w, h = r["width"], r["height"]
            lo = np.array(o["landmarks"])[:, :2] * [w, h]
            lr = np.array(r["landmarks"])[:, :2] * [w, h]
            iod = np.linalg.norm(lr[468] - lr[473])
            row["landmark"] = float(np.linalg.norm(lo - lr, axis=1).mean() / iod)
            names = sorted(r["blendshapes"])
            row["blendshape"] = float(np.mean([abs(o["blendshapes"][n] - r["blendshapes"][n]) for n in names]))
            row["blendshapeMax"] = float(max(abs(o["blendshapes"][n] - r["blendshapes"][n]) for n in names))
            rel = rotation(o["matrix"]).T @ rotation(r["matrix"])
            row["rotation"] = math.degrees(math.acos(max(-1.0, min(1.0, (np.trace(rel) - 1) / 2))))
        rows.append(row)
    return rows


def summary(rows):
    both = [r for r in rows if "landmark" in r]
    out = {"frames": len(rows), "both": len(both), "disagree": sum(r["ours"] != r["ref"] for r in rows),
           "refFaces": sum(r["ref"] for r in rows)}
    for key in ["landmark", "blendshape", "rotation"]:
        values = np.array([r[key] for r in both]) if both else np.zeros(1)
        out[key] = {"mean": float(values.mean()), "median": float(np.median(values)), "p95": float(np.percentile(values, 95)), "max": float(values.max())}
    out["landmark"] = {k: v * 100 for k, v in out["landmark"].items()}  # percent of the inter-ocular distance
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 2 or len(args) % 2:
        sys.exit(__doc__)
    rows = []
    for ours, ref in zip(args[0::2], args[1::2]):
        rows += compare(ours, ref)
    print(json.dumps(summary(rows), indent=1))
