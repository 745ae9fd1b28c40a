#!/usr/bin/env python3
"""Sweep DDIM steps x audio guidance x style guidance of a Media2Face model on a dataset split.

Runs `m2f eval media2face --subjects media2face --no-controls --json` once per setting and prints one
JSON line per setting plus a table. Used to choose the pipeline's defaults on the validation split.

  scripts/sweep_guidance.py --data data/m2fd-default --split val --limit 40 \
      --steps 10,25 --audio 1.5,2.5,3.5 --style 1.5 [--model DIR --gnpfa DIR] [--m2f .build/release/m2f]
"""
import argparse
import itertools
import json
import subprocess
import sys


def numbers(text, kind=float):
    return [kind(v) for v in text.split(",") if v.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="val")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--steps", default="10,25")
    parser.add_argument("--audio", default="1.5,2.5,3.5")
    parser.add_argument("--style", default="1.5")
    parser.add_argument("--model")
    parser.add_argument("--gnpfa")
    parser.add_argument("--m2f", default=".build/release/m2f")
    args = parser.parse_args()

    rows = []
    for steps, audio, style in itertools.product(numbers(args.steps, int), numbers(args.audio), numbers(args.style)):
        command = [args.m2f, "eval", "media2face", "--data", args.data, "--split", args.split, "--limit", str(args.limit),
                   "--subjects", "media2face", "--no-controls", "--json", "--quiet", "--steps", str(steps),
                   "--audio-guidance", str(audio), "--style-guidance", str(style)]
        if args.model:
            command += ["--model", args.model]
        if args.gnpfa:
            command += ["--gnpfa", args.gnpfa]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"m2f eval failed for steps {steps}, audio {audio}, style {style}:\n{result.stderr[-2000:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        scores = report["models"]["media2face"]
        row = {"steps": steps, "audio_guidance": audio, "style_guidance": style, "seconds": round(report["seconds"], 1),
               **{k: scores.get(k) for k in ("lve_mm", "fdd", "upper_face_motion_ratio", "lip_closure_rate", "av_offset_frames",
                                             "slcc", "beat_alignment", "diversity_lips_mm", "diversity_upper_face_mm")}}
        print(json.dumps(row), flush=True)
        rows.append(row)

    def cell(value, digits=3):
        return "—" if value is None else (f"{value:.{digits}f}" if isinstance(value, float) else str(value))

    print("steps  sA    sP    LVE mm  FDD    motion  closure  SLCC   div lips  div upper")
    for r in rows:
        print(f"{r['steps']:<6} {r['audio_guidance']:<5} {r['style_guidance']:<5} {cell(r['lve_mm'], 2):<7} {cell(r['fdd'], 2):<6} "
              f"{cell(r['upper_face_motion_ratio'], 2):<7} {cell(r['lip_closure_rate']):<8} {cell(r['slcc']):<6} "
              f"{cell(r['diversity_lips_mm']):<9} {cell(r['diversity_upper_face_mm'])}")


if __name__ == "__main__":
    main()
