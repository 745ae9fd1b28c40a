#!/usr/bin/env python3
"""Before/after of the face tracker in one run: two m2f binaries, interleaved round by round.

Per round and binary: `m2f bench track` (its network lines: detector, landmarks, blendshapes; a binary
without the whole-path bench prints only these) and `m2f track VIDEO` timed end to end (decode + tracking
+ writing the take, frames over wall seconds). Prints one JSON line per bench and binary with the median
over rounds and the 1-minute load average at the start and end of the run.

  python3 bench/track_before_after.py BEFORE_M2F AFTER_M2F VIDEO [--rounds 3]
"""
import argparse, json, os, statistics, subprocess, tempfile, time


def networks(binary):
    out = subprocess.run([binary, "bench", "track"], check=True, capture_output=True, text=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return {l["bench"]: l["median_ms"] for l in lines if l["bench"] in ("track_detector_128", "track_landmarks_256", "track_blendshapes_146")}


def track(binary, video, frames, workdir):
    start = time.perf_counter()
    subprocess.run([binary, "track", video, "-o", os.path.join(workdir, "take"), "--format", "json", "--quiet"], check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000 / frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before"); ap.add_argument("after"); ap.add_argument("video")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    frames = int(subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                 "stream=nb_read_frames", "-of", "csv=p=0", args.video], check=True, capture_output=True, text=True).stdout.strip())
    load_start = os.getloadavg()[0]
    samples = {}
    with tempfile.TemporaryDirectory() as workdir:
        for _ in range(args.rounds):
            for name, binary in (("before", args.before), ("after", args.after)):
                for bench, ms in networks(binary).items():
                    samples.setdefault((bench, name), []).append(ms)
                samples.setdefault(("track_command_720p", name), []).append(track(binary, args.video, frames, workdir))
    load_end = os.getloadavg()[0]
    for (bench, name), values in samples.items():
        median = statistics.median(values)
        print(json.dumps({"bench": bench, "binary": name, "median_ms": round(median, 3), "fps": round(1000 / median, 1),
                          "rounds": len(values), "loadavg_1m": [load_start, load_end]}))


if __name__ == "__main__":
    main()
