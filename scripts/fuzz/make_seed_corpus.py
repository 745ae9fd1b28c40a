#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (Fuzz/corpus/<target>/seed-*), small valid and
near-valid files of each format m2f reads. Deterministic: rerunning it rewrites the same bytes.
Inputs that the fuzzer found crashing live beside the seeds as crash-*; this script leaves them alone.

Usage: python3 scripts/fuzz/make_seed_corpus.py [Fuzz/corpus]
"""
import json
import math
import os
import struct
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "Fuzz", "corpus")

ARKIT = ["eyeBlinkLeft", "eyeLookDownLeft", "eyeLookInLeft", "eyeLookOutLeft", "eyeLookUpLeft", "eyeSquintLeft",
         "eyeWideLeft", "eyeBlinkRight", "eyeLookDownRight", "eyeLookInRight", "eyeLookOutRight", "eyeLookUpRight",
         "eyeSquintRight", "eyeWideRight", "jawForward", "jawLeft", "jawRight", "jawOpen", "mouthClose",
         "mouthFunnel", "mouthPucker", "mouthLeft", "mouthRight", "mouthSmileLeft", "mouthSmileRight",
         "mouthFrownLeft", "mouthFrownRight", "mouthDimpleLeft", "mouthDimpleRight", "mouthStretchLeft",
         "mouthStretchRight", "mouthRollLower", "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper",
         "mouthPressLeft", "mouthPressRight", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthUpperUpLeft",
         "mouthUpperUpRight", "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft",
         "browOuterUpRight", "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "noseSneerLeft",
         "noseSneerRight", "tongueOut"]


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def chunk(tag, body):
    pad = b"\0" if len(body) % 2 else b""
    return tag + struct.pack("<I", len(body)) + body + pad


def wav(fmt_tag, channels, rate, bits, frames, extra=b"", extensible_tag=None):
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, rate * block, block, bits)
    if extensible_tag is not None:
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", extensible_tag) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    samples = []
    for i in range(frames * channels):
        x = 0.5 * math.sin(i * 0.3)
        if fmt_tag == 3 or extensible_tag == 3:
            samples.append(struct.pack("<f" if bits == 32 else "<d", x))
        elif bits == 8:
            samples.append(struct.pack("<B", int(128 + 100 * x)))
        elif bits == 16:
            samples.append(struct.pack("<h", int(20000 * x)))
        elif bits == 24:
            samples.append(struct.pack("<i", int(4_000_000 * x))[:3])
        else:
            samples.append(struct.pack("<i", int(1_000_000_000 * x)))
    body = b"WAVE" + chunk(b"fmt ", fmt) + extra + chunk(b"data", b"".join(samples))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_seeds():
    write("wav", "pcm16-mono-16k.wav", wav(1, 1, 16000, 16, 48))
    write("wav", "pcm16-stereo-44k.wav", wav(1, 2, 44100, 16, 40))
    write("wav", "pcm8-mono.wav", wav(1, 1, 8000, 8, 40))
    write("wav", "pcm24-mono.wav", wav(1, 1, 48000, 24, 40))
    write("wav", "pcm32-mono.wav", wav(1, 1, 22050, 32, 30))
    write("wav", "float32-mono.wav", wav(3, 1, 16000, 32, 30))
    write("wav", "float64-stereo.wav", wav(3, 2, 16000, 64, 20))
    write("wav", "extensible-pcm16.wav", wav(0xFFFE, 1, 16000, 16, 30, extensible_tag=1))
    write("wav", "extensible-float32.wav", wav(0xFFFE, 2, 16000, 32, 20, extensible_tag=3))
    write("wav", "list-chunk-first.wav", wav(1, 1, 16000, 16, 30, extra=chunk(b"LIST", b"INFOISFT\x05\x00\x00\x00m2f\x00\x00")))
    # float64 samples far outside [-1, 1] (the 1e300 case of issue 19).
    big = b"WAVE" + chunk(b"fmt ", struct.pack("<HHIIHH", 3, 1, 16000, 128000, 8, 64)) + chunk(b"data", struct.pack("<4d", 0.1, 1e300, -1e300, 0.2))
    write("wav", "float64-huge.wav", b"RIFF" + struct.pack("<I", len(big)) + big)


def animation_json(frames, fps=30, head=True, eyes=False, names=ARKIT):
    doc = {"version": 1, "fps": fps, "blendshapes": names,
           "frames": [[round(0.5 + 0.4 * math.sin(f + k), 3) for k in range(len(names))] for f in range(frames)]}
    if head:
        doc["headPose"] = [[0.01 * f, 0, 0, 0, 0, 0] for f in range(frames)]
    if eyes:
        doc["eyePose"] = [[0.1, -0.1, 0.1, -0.1] for _ in range(frames)]
    doc["metadata"] = {"source": "seed"}
    return json.dumps(doc, separators=(",", ":"))


def animation_seeds():
    write("animation-json", "three-frames.json", animation_json(3))
    write("animation-json", "eyes.json", animation_json(2, fps=60, eyes=True))
    write("animation-json", "subset-no-head.json", animation_json(2, fps=24, head=False, names=["jawOpen", "mouthClose", "eyeBlinkLeft"]))
    write("animation-json", "empty-frames.json", '{"version":1,"fps":30,"blendshapes":["jawOpen"],"frames":[]}')


def csv_text(rows, timecodes, eyes=True, rate_note=""):
    shapes = [n[0].upper() + n[1:] for n in ARKIT]
    header = ["Timecode", "BlendShapeCount"] + shapes + ["HeadYaw", "HeadPitch", "HeadRoll"]
    if eyes:
        header += ["LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll", "RightEyeYaw", "RightEyePitch", "RightEyeRoll"]
    lines = [",".join(header)]
    for r in range(rows):
        values = [timecodes[r], "61"] + ["%.3f" % (0.5 + 0.4 * math.sin(r + k)) for k in range(52)] + ["0.01", "0", "0"]
        if eyes:
            values += ["0.1", "0", "0", "0.1", "0", "0"]
        lines.append(",".join(values))
    return "\n".join(lines) + "\n"


def csv_seeds():
    # The first byte picks the reader options (FaceFuzzTargets.liveLinkCSV): 0 none, 1 timecode rate 24, 2 fps 24.
    tc = ["12:00:00:%02d.000" % f for f in range(4)]
    write("livelink-csv", "four-rows.csv", b"\x00" + csv_text(4, tc).encode())
    write("livelink-csv", "four-rows-rate.csv", b"\x01" + csv_text(4, tc, eyes=False).encode())
    write("livelink-csv", "fps-given.csv", b"\x02" + csv_text(3, tc).encode())
    write("livelink-csv", "dropped-frame.csv", b"\x00" + csv_text(3, ["00:00:01:00.000", "00:00:01:01.000", "00:00:01:03.000"]).encode())
    write("livelink-csv", "midnight.csv", b"\x00" + csv_text(2, ["23:59:59:29.000", "00:00:00:00.000"]).encode())
    write("livelink-csv", "equal-timecodes.csv", b"\x00" + csv_text(3, ["01:00:00:05.000"] * 3).encode())
    write("livelink-csv", "crlf.csv", b"\x00" + csv_text(2, tc).replace("\n", "\r\n").encode())


def request_seeds():
    # The first byte picks the kind (RequestFuzzTargets.requestJSON): even keyframes, odd style timeline.
    keys = {"fps": 30, "keyframes": [
        {"time": 0.5, "weights": {"jawOpen": 0.4, "mouthSmileLeft": 0.8}},
        {"frame": 20, "weights": [0.1] * 52},
        {"start": 0, "weights": {"mouthClose": 0}},
        {"start": 0.2, "end": 0.6, "weights": {"eyeBlinkLeft": 1}}]}
    write("request-json", "keyframes.json", b"\x00" + json.dumps(keys).encode())
    write("request-json", "keyframes-array.json", b"\x00" + json.dumps([{"time": 0.99, "weights": {"JawOpen": 1}}]).encode())
    write("request-json", "keyframes-end.json", b"\x00" + json.dumps({"keyframes": [{"time": 363.99, "weights": {"jaw_open": 0.5}},
                                                                                      {"time": 1.0, "weights": {"tongueOut": 0.2}}]}).encode())
    timeline = {"version": 1, "segments": [
        {"start": 0, "end": 2, "text": "friendly and cheerful"},
        {"start": 1.5, "end": 4, "fade": 0.3, "emotion": "sad", "intensity": 0.5}]}
    write("request-json", "timeline.json", b"\x01" + json.dumps(timeline).encode())
    write("request-json", "timeline-array.json", b"\x01" + json.dumps([{"start": 0, "end": 1, "emotion": "happy"}]).encode())


def glb(document, binary):
    text = json.dumps(document, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    binary += b"\0" * (-len(binary) % 4)
    body = struct.pack("<II", len(text), 0x4E4F534A) + text + struct.pack("<II", len(binary), 0x004E4942) + binary
    return b"glTF" + struct.pack("<II", 2, 12 + len(body)) + body


def gltf_seeds():
    positions = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)
    delta = struct.pack("<9f", 0, 0, 0.1, 0, 0, 0.1, 0, 0, 0.1)
    indices = struct.pack("<3H", 0, 1, 2) + b"\0\0"
    times = struct.pack("<2f", 0, 1 / 30)
    weights = struct.pack("<4f", 0, 1, 0.5, 0)
    sparse_idx = struct.pack("<H", 1) + b"\0\0"
    sparse_val = struct.pack("<3f", 0, 0.2, 0)
    data = positions + delta + indices + times + weights + sparse_idx + sparse_val
    offsets = [0, 36, 72, 80, 88, 104, 108]
    views = [{"buffer": 0, "byteOffset": o, "byteLength": l} for o, l in zip(offsets, [36, 36, 6, 8, 16, 2, 12])]
    doc = {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}],
           "nodes": [{"name": "Head", "mesh": 0}],
           "meshes": [{"name": "face", "weights": [0, 0], "extras": {"targetNames": ["jawOpen", "eyeBlinkLeft"]},
                       "primitives": [{"attributes": {"POSITION": 0}, "indices": 2, "targets": [{"POSITION": 1}, {"POSITION": 5}]}]}],
           "buffers": [{"byteLength": len(data)}], "bufferViews": views,
           "accessors": [
               {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
               {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC3"},
               {"bufferView": 2, "componentType": 5123, "count": 3, "type": "SCALAR"},
               {"bufferView": 3, "componentType": 5126, "count": 2, "type": "SCALAR", "min": [0], "max": [1 / 30]},
               {"bufferView": 4, "componentType": 5126, "count": 4, "type": "SCALAR"},
               {"componentType": 5126, "count": 3, "type": "VEC3",
                "sparse": {"count": 1, "indices": {"bufferView": 5, "componentType": 5123}, "values": {"bufferView": 6}}}],
           "animations": [{"name": "m2f", "samplers": [{"input": 3, "output": 4, "interpolation": "LINEAR"}],
                           "channels": [{"sampler": 0, "target": {"node": 0, "path": "weights"}}]}]}
    write("gltf", "triangle-morph.glb", glb(doc, data))
    import base64
    doc_text = dict(doc)
    doc_text["buffers"] = [{"byteLength": len(data), "uri": "data:application/octet-stream;base64," + base64.b64encode(data).decode()}]
    write("gltf", "triangle-morph.gltf", json.dumps(doc_text))
    strided = dict(doc)
    strided["bufferViews"] = [dict(v) for v in views]
    strided["bufferViews"][0]["byteStride"] = 12
    strided["accessors"] = [dict(a) for a in doc["accessors"]]
    strided["accessors"][4] = {"bufferView": 4, "byteOffset": 4, "componentType": 5121, "normalized": True, "count": 2, "type": "SCALAR"}
    write("gltf", "strided-normalized.glb", glb(strided, data))


def safetensors(tensors, metadata=None):
    header, blob = {}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + blob


def safetensors_seeds():
    write("safetensors", "f32.safetensors", safetensors({"w": ("F32", [2, 3], struct.pack("<6f", 1, 2, 3, 4, 5, 6))}))
    write("safetensors", "mixed.safetensors", safetensors({
        "a.weight": ("F16", [2, 2], struct.pack("<4e", 1, -2, 0.5, 65504)),
        "b.bias": ("BF16", [3], b"\x80\x3f\x00\x40\x00\xc0"),
        "scalar": ("F32", [], struct.pack("<f", 7))}, {"format": "pt"}))
    write("safetensors", "empty-tensor.safetensors", safetensors({"e": ("F32", [0, 4], b"")}))


def config_seeds():
    # The first byte picks the configuration (ModelFuzzTargets.modelConfig): even diffusion, odd GNPFA.
    here = os.path.join(os.path.dirname(__file__), "..", "..", "Models")
    for selector, folder in ((b"\x00", "media2face"), (b"\x01", "gnpfa")):
        path = os.path.join(here, folder, "config.json")
        with open(path, "rb") as f:
            write("model-config", folder + ".json", selector + f.read())


wav_seeds()
animation_seeds()
csv_seeds()
request_seeds()
gltf_seeds()
safetensors_seeds()
config_seeds()
