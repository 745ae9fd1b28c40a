#!/usr/bin/env python3
"""Sung test material with known ground truth, made from recorded human speech.

Each LibriVox clip of data/human-speech (public-domain read speech with PocketSphinx phone alignments,
scripts/fetch_human_speech.sh) becomes a short sung piece: the speaker's own voice, analysed with the
WORLD vocoder (pyworld), re-timed so that every vowel lasts a note (held vowels up to ~1.8 s), given a
melody F0 contour (notes of a D-major scale in a baritone range, short glides between notes), a loudness
per note, and breath pauses (a soft inhale noise) between phrases. It is rendered twice with the same
notes: `<id>-vibrato.wav`, whose long notes carry vibrato (5.5 Hz, ±0.7 semitone), and `<id>-plain.wav`
without it, so that the eval can compare the same note with and without vibrato.

`--voice high` sings the same scores an octave up (A3 to A4, an alto's or a tenor's range) with the
spectral envelope stretched 1.2× along the frequency axis (formants of a shorter vocal tract): a higher,
lighter voice than the reader's, to check that singing mode's detector does not depend on one voice.

Next to each WAV, `<name>.notes.json` is the ground truth (times in seconds of the sung WAV):
  notes:   start, end (the vowel's span), vowel (ARPAbet, lower case), midi, hz, gain_db (imposed),
           loudness_db (the sung vowel's RMS level, dB re full scale), held (≥ 0.6 s), vibrato
           (rate_hz and depth_semitones, or null)
  breaths: start, end (the pause between phrases, a soft inhale in its middle)
  melody:  the id both renderings share;  source: the speech clip it came from.

Deterministic: the same input and --seed give the same files. Recipe: scripts/singing/make_singing.sh
(make singing) runs this in a virtual environment with pinned pyworld and numpy.

    python make_singing.py --speech data/human-speech --out data/singing [--seed 1] [--voice high]
"""
import argparse
import json
import os
import sys
import wave

import numpy as np
import pyworld

SAMPLE_RATE = 16000
FRAME_MS = 5.0
VOWELS = {"aa", "ae", "ah", "ao", "aw", "ay", "eh", "er", "ey", "ih", "iy", "ow", "oy", "uh", "uw"}
# A D-major scale from A2 to A3 (MIDI): a baritone's comfortable range above this reader's ~100 Hz.
SCALE = [45, 47, 49, 50, 52, 54, 55, 57]
# Per voice: semitones added to the scale and the formant stretch (spectral envelope frequency axis).
VOICES = {"baritone": (0, 1.0), "high": (12, 1.2)}
NOTE_SECONDS = [0.3, 0.45, 0.6, 0.9, 1.2]
NOTE_WEIGHTS = [0.25, 0.2, 0.2, 0.2, 0.15]
HELD_SECONDS = 0.6
VIBRATO_HZ = 5.5
VIBRATO_SEMITONES = 0.7
VIBRATO_MIN_SECONDS = 0.9
BREATH_SECONDS = (0.5, 0.8)


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def read_wav(path):
    try:
        with wave.open(path) as w:
            if w.getframerate() != SAMPLE_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
                fail(f"{path}: expected 16 kHz mono 16-bit PCM, got {w.getframerate()} Hz, "
                     f"{w.getnchannels()} channels, {8 * w.getsampwidth()} bits")
            data = w.readframes(w.getnframes())
    except (OSError, wave.Error) as error:
        fail(f"{path}: cannot read the WAV ({error})")
    return np.frombuffer(data, dtype=np.int16).astype(np.float64) / 32768


def write_wav(path, samples):
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype(np.int16)
    with wave.open(path + ".partial", "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    os.replace(path + ".partial", path)


def read_phones(path):
    """[(label, start, end, ends a word)] from a PocketSphinx alignment: lower-case ARPAbet, 'sil' for pauses."""
    try:
        with open(path) as f:
            utterance = json.load(f)
        phones = []
        for word in utterance["w"]:
            filler = word["t"].startswith(("<", "[", "+"))
            segments = word.get("w") or [{"t": "SIL", "b": word["b"], "d": word["d"]}]
            for i, phone in enumerate(segments):
                label = "".join(c for c in phone["t"].lower() if not c.isdigit())
                phones.append(("sil" if filler or label == "sil" else label, phone["b"], phone["b"] + phone["d"], i == len(segments) - 1))
    except (OSError, ValueError, KeyError, TypeError) as error:
        fail(f"{path}: not a PocketSphinx phone alignment ({error})")
    return sorted(phones, key=lambda p: p[1])


def phrases_of(phones, most_vowels=6):
    """Phrases: the phones between pauses of 0.12 s or more (leading and trailing silence dropped), and
    cut at the first word end after `most_vowels` vowels, so that a singer breathes every few bars."""
    phrases, current = [], []
    for label, start, end, word_end in phones:
        if label == "sil" and end - start >= 0.12:
            if any(p[0] in VOWELS for p in current):
                phrases.append(current)
            current = []
        elif label != "sil":
            current.append((label, start, end))
            if word_end and sum(p[0] in VOWELS for p in current) >= most_vowels:
                phrases.append(current)
                current = []
    if any(p[0] in VOWELS for p in current):
        phrases.append(current)
    return phrases


def plan_song(phrases, rng, transpose=0):
    """The score: per output segment (source span, output length, kind) plus notes and breaths."""
    segments, notes, breaths = [], [], []
    t = 0.0

    def breath():
        nonlocal t
        length = rng.uniform(*BREATH_SECONDS)
        segments.append(("breath", None, None, length))
        breaths.append({"start": round(t, 4), "end": round(t + length, 4)})
        t += length

    breath()
    degree = rng.integers(2, 5)
    for p, phrase in enumerate(phrases):
        vowel_indices = [i for i, ph in enumerate(phrase) if ph[0] in VOWELS]
        for i, (label, start, end) in enumerate(phrase):
            if label in VOWELS:
                last = i == vowel_indices[-1]
                length = rng.uniform(1.3, 1.8) if last else rng.choice(NOTE_SECONDS, p=NOTE_WEIGHTS) * rng.uniform(0.9, 1.1)
                length = max(length, end - start)
                # A melody that moves by steps and small leaps, within the scale.
                degree = int(np.clip(degree + rng.choice([-2, -1, 1, 1, 2, 3, -3]), 0, len(SCALE) - 1))
                gain = float(rng.uniform(-12, 0))
                midi = SCALE[degree] + transpose
                notes.append({"start": round(t, 4), "end": round(t + length, 4), "vowel": label, "midi": midi,
                              "hz": round(440 * 2 ** ((midi - 69) / 12), 3), "gain_db": round(gain, 2),
                              "held": bool(length >= HELD_SECONDS),
                              "vibrato": {"rate_hz": VIBRATO_HZ, "depth_semitones": VIBRATO_SEMITONES} if length >= VIBRATO_MIN_SECONDS else None})
                segments.append(("vowel", start, end, length))
                t += length
            else:
                segments.append(("consonant", start, end, end - start))
                t += end - start
        breath()
    return segments, notes, breaths, t


def stretch_formants(envelope, factor):
    """Each frame's envelope (log spectrum or aperiodicity, frames × bins) read at bin / factor: its
    formants move up by `factor`; the top bins repeat the last one."""
    if factor == 1.0:
        return envelope
    bins = envelope.shape[1]
    position = np.arange(bins) / factor
    lo = np.floor(position).astype(int)
    hi = np.minimum(lo + 1, bins - 1)
    w = position - lo
    return (1 - w) * envelope[:, lo] + w * envelope[:, hi]


def render(x, phones_path, segments, notes, breaths, total, vibrato, rng_seed, formants=1.0):
    """The sung waveform: WORLD analysis of the speech, re-timed, re-pitched and re-levelled, breaths added."""
    f0, times = pyworld.harvest(x, SAMPLE_RATE, frame_period=FRAME_MS)
    sp = pyworld.cheaptrick(x, f0, times, SAMPLE_RATE)
    ap = pyworld.d4c(x, f0, times, SAMPLE_RATE)
    frames = int(np.ceil(total * 1000 / FRAME_MS)) + 1
    out_times = np.arange(frames) * FRAME_MS / 1000
    # Source frame (fractional) per output frame; -1 for breaths (no voice).
    source = np.full(frames, -1.0)
    kind = np.zeros(frames, dtype=np.int8)  # 0 breath, 1 consonant, 2 vowel
    t = 0.0
    for what, start, end, length in segments:
        inside = (out_times >= t) & (out_times < t + length)
        if what != "breath":
            u = (out_times[inside] - t) / length
            source[inside] = (start + u * (end - start)) * 1000 / FRAME_MS
            kind[inside] = 2 if what == "vowel" else 1
        t += length
    last = len(f0) - 1
    lo = np.clip(np.floor(source).astype(int), 0, last)
    hi = np.clip(lo + 1, 0, last)
    w = np.clip(source - lo, 0, 1)[:, None]
    log_sp = (1 - w) * np.log(sp[lo] + 1e-16) + w * np.log(sp[hi] + 1e-16)
    out_ap = (1 - w) * ap[lo] + w * ap[hi]
    log_sp, out_ap = stretch_formants(log_sp, formants), stretch_formants(out_ap, formants)
    voiced = ((f0[lo] > 0) | (f0[hi] > 0)) & (kind > 0)
    voiced |= kind == 2  # a sung vowel is voiced throughout

    # Melody in semitones: each note's pitch from the end of the previous note to its own end, with a
    # 60 ms glide (moving average) at the changes; vibrato on the long notes after a 0.2 s onset.
    midi = np.full(frames, float(notes[0]["midi"]))
    gain_db = np.full(frames, notes[0]["gain_db"])
    previous_end = 0.0
    for note in notes:
        span = (out_times >= previous_end) & (out_times < note["end"])
        midi[span], gain_db[span] = note["midi"], note["gain_db"]
        previous_end = note["end"]
    midi[out_times >= previous_end] = notes[-1]["midi"]
    glide = np.ones(12) / 12
    midi = np.convolve(np.pad(midi, (6, 5), mode="edge"), glide, mode="valid")
    gain_db = np.convolve(np.pad(gain_db, (4, 3), mode="edge"), np.ones(8) / 8, mode="valid")
    if vibrato:
        for note in notes:
            if note["vibrato"] is None:
                continue
            span = (out_times >= note["start"] + 0.2) & (out_times < note["end"])
            age = out_times[span] - (note["start"] + 0.2)
            ramp = np.clip(age / 0.15, 0, 1)
            midi[span] += ramp * VIBRATO_SEMITONES * np.sin(2 * np.pi * VIBRATO_HZ * age)
    out_f0 = np.where(voiced, 440 * 2 ** ((midi - 69) / 12), 0.0)
    out_sp = np.exp(log_sp) * (10 ** (gain_db / 10))[:, None]
    out_sp[kind == 0] = 1e-12
    out_ap[kind == 0] = 1.0
    y = pyworld.synthesize(np.ascontiguousarray(out_f0), np.ascontiguousarray(out_sp), np.ascontiguousarray(out_ap),
                           SAMPLE_RATE, frame_period=FRAME_MS)
    y = y[: int(round(total * SAMPLE_RATE))]
    y = np.pad(y, (0, max(0, int(round(total * SAMPLE_RATE)) - len(y))))

    # Breaths: band-limited noise (500–4000 Hz) with a sin² swell over the middle 70 % of the pause,
    # 30 dB below the loudest sung vowel. The same noise in both renderings.
    peak_rms = max(np.sqrt(np.mean(y[int(n["start"] * SAMPLE_RATE):int(n["end"] * SAMPLE_RATE)] ** 2)) for n in notes)
    noise_rng = np.random.default_rng(rng_seed)
    for b in breaths:
        a = int((b["start"] + 0.15 * (b["end"] - b["start"])) * SAMPLE_RATE)
        e = int((b["end"] - 0.15 * (b["end"] - b["start"])) * SAMPLE_RATE)
        if e - a < 16:
            continue
        spectrum = np.fft.rfft(noise_rng.standard_normal(e - a))
        hz = np.fft.rfftfreq(e - a, 1 / SAMPLE_RATE)
        spectrum[(hz < 500) | (hz > 4000)] = 0
        noise = np.fft.irfft(spectrum, e - a)
        noise *= np.sin(np.linspace(0, np.pi, e - a)) ** 2
        noise *= peak_rms * 10 ** (-30 / 20) / max(np.sqrt(np.mean(noise ** 2)), 1e-12)
        y[a:e] += noise
    return y


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speech", default="data/human-speech", help="folder of <name>.wav + <name>.phone.json")
    parser.add_argument("--out", default="data/singing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--voice", choices=sorted(VOICES), default="baritone",
                        help="baritone: the reader's voice, A2–A3; high: an octave up with formants 1.2× higher")
    args = parser.parse_args()
    if not os.path.isdir(args.speech):
        fail(f"{args.speech}: no such folder (make human-speech-data fetches the LibriVox clips)")
    names = sorted(n[:-4] for n in os.listdir(args.speech) if n.endswith(".wav")
                   and os.path.exists(os.path.join(args.speech, n[:-4] + ".phone.json")))
    if not names:
        fail(f"{args.speech}: no <name>.wav with a <name>.phone.json")
    os.makedirs(args.out, exist_ok=True)
    for index, name in enumerate(names):
        rng = np.random.default_rng([args.seed, index])
        phones = read_phones(os.path.join(args.speech, name + ".phone.json"))
        phrases = phrases_of(phones)
        if not phrases:
            fail(f"{name}.phone.json: no phrase with a vowel")
        transpose, formants = VOICES[args.voice]
        segments, notes, breaths, total = plan_song(phrases, rng, transpose)
        x = read_wav(os.path.join(args.speech, name + ".wav"))
        melody = name.rsplit("-", 1)[-1]
        renderings = {v: render(x, name, segments, notes, breaths, total, v, [args.seed, index, 7], formants) for v in (True, False)}
        scale = 0.8 / max(np.abs(y).max() for y in renderings.values())
        for vibrato, y in renderings.items():
            y = y * scale
            out_name = f"{melody}-{'vibrato' if vibrato else 'plain'}"
            sung = []
            for note in notes:
                core = y[int(note["start"] * SAMPLE_RATE):int(note["end"] * SAMPLE_RATE)]
                level = 10 * np.log10(max(np.mean(core ** 2), 1e-12))
                sung.append(dict(note, loudness_db=round(float(level), 2),
                                 vibrato=note["vibrato"] if vibrato else None))
            write_wav(os.path.join(args.out, out_name + ".wav"), y)
            annotation = {"melody": melody, "source": name + ".wav", "sample_rate": SAMPLE_RATE,
                          "seconds": round(total, 4), "notes": sung, "breaths": breaths}
            with open(os.path.join(args.out, out_name + ".notes.json.partial"), "w") as f:
                json.dump(annotation, f, indent=1)
            os.replace(os.path.join(args.out, out_name + ".notes.json.partial"),
                       os.path.join(args.out, out_name + ".notes.json"))
        held = sum(n["held"] for n in notes)
        print(f"{melody}: {total:.1f} s, {len(notes)} notes ({held} held, "
              f"{sum(n['vibrato'] is not None for n in notes)} with vibrato), {len(breaths)} breaths")


if __name__ == "__main__":
    main()
