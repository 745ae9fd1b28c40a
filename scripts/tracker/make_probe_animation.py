#!/usr/bin/env python3
"""A known animation for the closed loop: jawOpen, smile and blink on independent timings (so one
channel cannot pass for another), with slow head yaw/pitch, 6 s at 30 fps, as m2f JSON on stdout."""
import json, math

NAMES = ["browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight", "cheekPuff", "cheekSquintLeft",
         "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight", "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight",
         "eyeLookOutLeft", "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight", "eyeWideLeft",
         "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose", "mouthDimpleLeft", "mouthDimpleRight",
         "mouthFrownLeft", "mouthFrownRight", "mouthFunnel", "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft",
         "mouthPressRight", "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper",
         "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight", "mouthUpperUpLeft", "mouthUpperUpRight",
         "noseSneerLeft", "noseSneerRight", "tongueOut"]
frames, head = [], []
for f in range(180):
    t = f / 30
    w = [0.0] * 52
    w[NAMES.index("jawOpen")] = 0.35 * (1 - math.cos(2 * math.pi * 0.45 * t))
    smile = 0.5 * (1 - math.cos(2 * math.pi * 0.27 * t + 1.0))
    w[NAMES.index("mouthSmileLeft")] = w[NAMES.index("mouthSmileRight")] = smile
    blink = max(0.0, 1 - abs(((t + 0.4) % 1.3) - 0.65) / 0.12)
    w[NAMES.index("eyeBlinkLeft")] = w[NAMES.index("eyeBlinkRight")] = min(1.0, blink)
    frames.append([round(v, 5) for v in w])
    head.append([round(0.15 * math.sin(2 * math.pi * 0.2 * t), 5), round(0.08 * math.sin(2 * math.pi * 0.31 * t), 5), 0, 0, 0, 0])
print(json.dumps({"version": 1, "fps": 30, "blendshapes": NAMES, "frames": frames, "headPose": head,
                  "metadata": {"source": "scripts/tracker/make_probe_animation.py"}}))
