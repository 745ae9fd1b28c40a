#!/usr/bin/env python3
"""Streaming latency and quality per look-ahead, as one JSON object (medians over repeated runs).

Runs `m2f bench stream --json` ROUNDS times on one core (taskset -c CORE, M2F_THREADS=1: one stream on
one core) with the audio fed at real-time pace. Each run also animates the same audio offline (the
`stream-offline-reference` line: what `m2f bench animate` measures, on this file) and compares the
stream with it: mouth-opening correlation, lip closure on bilabials (with data/human-speech, which has
phone alignments), CPU per second of audio. The 1-minute load average before and after is recorded.

    python3 bench/stream_latency.py [--audio data/human-speech] [--look-aheads 2,3,6] [--rounds 3] [--core 1]
"""
import argparse, json, os, statistics, subprocess, sys, time

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--m2f", default=".build/release/m2f")
parser.add_argument("--audio", default="data/human-speech")
parser.add_argument("--look-aheads", default="2,3,6")
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--core", default="1")
parser.add_argument("--nice", type=int, default=0,
                    help="niceness for every thread of the run (Swift's worker threads do not inherit `nice`; negative needs root)")
parser.add_argument("extra", nargs="*", help="more `m2f bench stream` options (after --)")
args = parser.parse_args()

def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])

environment = dict(os.environ, M2F_THREADS="1")
command = ["taskset", "-c", args.core, args.m2f, "bench", "stream", "--json", "--audio", args.audio,
           "--look-aheads", args.look_aheads, "--drift-windows", ""] + args.extra
load_before, runs = load(), []
for round in range(args.rounds):
    child = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if args.nice:
        # The concurrency pool's threads take their priority from their QoS, not from the parent: set each one's.
        import threading
        def renice():
            while child.poll() is None:
                for tid in os.listdir(f"/proc/{child.pid}/task") if os.path.isdir(f"/proc/{child.pid}/task") else []:
                    try: os.setpriority(os.PRIO_PROCESS, int(tid), args.nice)
                    except OSError: pass
                time.sleep(0.5)
        threading.Thread(target=renice, daemon=True).start()
    stdout, stderr = child.communicate()
    if child.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed ({child.returncode}): {stderr.strip()}")
    runs.append([json.loads(line) for line in stdout.splitlines() if line.startswith("{")])

def median(lines, key):
    values = [line[key] for line in lines if line.get(key) is not None]
    return statistics.median(values) if values else None

offline = [line for run in runs for line in run if line["bench"] == "stream-offline-reference"]
streams = [line for run in runs for line in run if line["bench"] == "stream"]
keys = ["latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms", "cpu_s_per_audio_s",
        "features_ms_per_hop", "sampling_ms_per_hop", "decoding_ms_per_hop", "longest_hop_ms",
        "mouth_opening_correlation", "lip_closure_rate_stream", "lip_closure_rate_offline", "lip_closure_agreement",
        "hop_seam_speed_ratio", "loadavg_1m"]
per_look_ahead = []
for look_ahead in sorted({line["look_ahead_frames"] for line in streams}):
    lines = [line for line in streams if line["look_ahead_frames"] == look_ahead]
    first = lines[0]
    row = {key: first.get(key) for key in ["look_ahead_frames", "look_ahead_ms", "hop_frames", "context_frames", "steps",
                                       "offline_steps", "cross_fade_frames", "feature_window_s", "frames",
                                       "bilabial_segments", "offline_other_seed_mouth_correlation"]}
    row.update({key: median(lines, key) for key in keys})
    row["meets_issue_16"] = row["latency_p95_ms"] <= 250 and row["mouth_opening_correlation"] >= 0.9
    row["runs"] = len(lines)
    per_look_ahead.append(row)
print(json.dumps({
    "bench": "stream-latency", "audio": args.audio, "rounds": args.rounds, "core": args.core, "cores": os.cpu_count(),
    "nice": args.nice, "loadavg_1m_before": load_before, "loadavg_1m_after": load(),
    "offline": {"audio_seconds": offline[0]["audio_seconds"], "steps": offline[0]["steps"],
                "rtf": median(offline, "rtf"), "total_s": median(offline, "total_s"),
                "speech_features_s": median(offline, "speech_features_s"), "generation_s": median(offline, "generation_s")},
    "stream": per_look_ahead,
}, indent=1))
