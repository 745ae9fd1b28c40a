#!/usr/bin/env python3
"""Bounded load test of `m2f serve` on loopback; prints one JSON object per line (bench/README.md).

    python3 bench/serve_load.py [--m2f .build/release/m2f] [--clip Examples/hello.wav] [--max-streams 4]
                                [--uploads 6] [--upload-clients 2] [--out bench/results-serve-DATE.json]

1. Live streams: for N = 1, 2, … up to --max-streams, N WebSocket clients each stream the clip as 16 kHz
   s16le PCM in 100 ms messages paced at real time, all at once. A frame's latency is the wall time from
   sending the message that holds the audio at the frame's time to receiving the frame (the issue's
   definition, seen from the client; frames of the flushed tail after the audio's end are left out).
   Reports p50/p95/p99 per N and the largest N whose p95 is at most 250 ms.
2. Uploads: --uploads POSTs of the clip from --upload-clients clients at once; uploads per minute, and
   the latency of GET /healthz polled every 50 ms meanwhile, with the engine on its own threads
   (--engine-threads 2, the default) and on Swift's shared pool (--engine-threads 0), side by side.
3. One real-time stream while --upload-clients clients upload back to back: its latency with the
   uploads on models of their own (the default) and on the streams' models (--share-models).
Every loop is bounded: fixed counts, and every socket has a timeout. Each line carries the machine's
load average when it was printed (the figures depend on what else runs), and --out keeps the lines.
"""
import argparse
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import wave


OUT = None


def emit(row):
    """Prints `row` as one JSON line (and appends it to --out) with the 1/5-minute load average."""
    row = {**row, "loadavg": [round(x, 2) for x in os.getloadavg()[:2]]}
    line = json.dumps(row)
    print(line, flush=True)
    if OUT:
        with open(OUT, "a") as f:
            f.write(line + "\n")
    return row


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values_ms):
    return {"count": len(values_ms), "p50_ms": percentile(values_ms, 50), "p95_ms": percentile(values_ms, 95),
            "p99_ms": percentile(values_ms, 99), "max_ms": max(values_ms) if values_ms else None}


class Server:
    """`m2f serve --port 0` as a child process; the port comes from its first line."""

    def __init__(self, m2f, extra):
        self.process = subprocess.Popen([m2f, "serve", "--port", "0"] + extra, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        deadline = time.time() + 120
        line = ""
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if "http://" in line or not line:
                break
        if "http://" not in line:
            raise SystemExit("m2f serve did not start: " + line)
        self.port = int(line.split("http://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def http(port, method, path, body=b"", headers=None, timeout=300):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n"
    s.sendall(head.encode() + b"\r\n" + body)
    data = b""
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    s.close()
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


class WebSocket:
    def __init__(self, port, path, timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("closed during the upgrade")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(head.decode(errors="replace"))
        self.lock = threading.Lock()

    def send(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x80 | opcode])
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self.lock:
            self.sock.sendall(header + mask + masked)

    def read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def receive(self):
        """(opcode, payload); pings are answered."""
        while True:
            b0, b1 = self.read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self.read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self.read(8))[0]
            payload = self.read(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:
                self.send(0xA, payload)
                continue
            return opcode, payload


def run_stream(port, pcm, latencies, errors, chunk_bytes=3200):
    """One real-time stream; appends frame latencies (ms) to `latencies`."""
    try:
        ws = WebSocket(port, "/v1/stream")
        opcode, payload = ws.receive()
        ready = json.loads(payload)
        sent_at = []  # (audio seconds at the end of the message, wall time it was sent)
        audio_seconds = len(pcm) / 2 / 16000
        received = []

        def reader():
            try:
                while True:
                    opcode, payload = ws.receive()
                    if opcode != 0x1:
                        return
                    message = json.loads(payload)
                    if message["type"] == "frame":
                        received.append((message["time"], time.monotonic()))
                    elif message["type"] in ("end", "error"):
                        if message["type"] == "error":
                            errors.append(message["error"])
                        return
            except Exception as error:  # noqa: BLE001 - reported, not hidden
                errors.append(f"reader: {error}")

        thread = threading.Thread(target=reader)
        thread.start()
        start = time.monotonic()
        for index, offset in enumerate(range(0, len(pcm), chunk_bytes)):
            chunk = pcm[offset:offset + chunk_bytes]
            due = start + offset / 2 / 16000
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            ws.send(0x2, chunk)
            sent_at.append(((offset + len(chunk)) / 2 / 16000, time.monotonic()))
        ws.send(0x1, b'{"end": true}')
        thread.join(timeout=120)
        for frame_time, arrived in received:
            if frame_time > audio_seconds - 0.05:
                continue  # the tail, flushed by "end"
            sent = next(wall for end, wall in sent_at if end >= frame_time)
            latencies.append((arrived - sent) * 1000)
        ws.sock.close()
        return ready
    except Exception as error:  # noqa: BLE001
        errors.append(str(error))


def streams_phase(port, pcm, max_streams):
    results = []
    best = 0
    for n in range(1, max_streams + 1):
        latencies, errors = [], []
        threads = [threading.Thread(target=run_stream, args=(port, pcm, latencies, errors)) for _ in range(n)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        row = emit({"bench": "serve.streams", "streams": n, "seconds": round(time.monotonic() - started, 2), "errors": errors[:3],
                    **summary(latencies)})
        results.append(row)
        if errors or row["p95_ms"] is None or row["p95_ms"] > 250:
            break
        best = n
    return best


def uploads_phase(port, audio, uploads, clients):
    health = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            t0 = time.monotonic()
            status, _ = http(port, "GET", "/healthz", timeout=60)
            health.append((time.monotonic() - t0) * 1000)
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    statuses = []
    lock = threading.Lock()
    counter = iter(range(uploads))

    def client():
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            status, body = http(port, "POST", "/v1/animate?format=json&filename=clip.wav", audio, {"Content-Type": "audio/wav"})
            statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    poller.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.monotonic() - started
    stop.set()
    poller.join(timeout=60)
    return {"uploads": uploads, "clients": clients, "ok": statuses.count(200), "seconds": round(elapsed, 2),
            "uploads_per_minute": round(statuses.count(200) / elapsed * 60, 1),
            "healthz_during_uploads": summary(health)}


def streams_during_uploads(port, pcm, audio, streams, clients):
    """`streams` real-time streams while `clients` clients upload the clip back to back; the uploads stop
    when the streams end (each one bounded by its socket timeout)."""
    latencies, errors, statuses = [], [], []
    stop = threading.Event()

    def uploader():
        while not stop.is_set():
            status, _ = http(port, "POST", "/v1/animate?format=json&filename=clip.wav", audio, {"Content-Type": "audio/wav"})
            statuses.append(status)

    uploaders = [threading.Thread(target=uploader) for _ in range(clients)]
    for t in uploaders:
        t.start()
    time.sleep(1.0)  # the first uploads are running
    threads = [threading.Thread(target=run_stream, args=(port, pcm, latencies, errors)) for _ in range(streams)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    stop.set()
    for t in uploaders:
        t.join(timeout=300)
    return {"streams": streams, "upload_clients": clients, "uploads_ok": statuses.count(200), "errors": errors[:3], **summary(latencies)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--m2f", default=".build/release/m2f")
    parser.add_argument("--clip", default="Examples/hello.wav")
    parser.add_argument("--max-streams", type=int, default=4)
    parser.add_argument("--uploads", type=int, default=6)
    parser.add_argument("--upload-clients", type=int, default=2)
    parser.add_argument("--out", help="also append the JSON lines to this file")
    args = parser.parse_args()
    global OUT
    OUT = args.out
    with wave.open(args.clip) as w:
        if w.getframerate() != 16000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{args.clip}: the stream phase needs 16 kHz mono 16-bit WAV")
        pcm = w.readframes(w.getnframes())
    audio = open(args.clip, "rb").read()
    clip_seconds = len(pcm) / 2 / 16000

    server = Server(args.m2f, ["--max-streams", str(args.max_streams), "--max-uploads", str(args.upload_clients)])
    try:
        best = streams_phase(server.port, pcm, args.max_streams)
        emit({"bench": "serve.streams.summary", "clip_seconds": round(clip_seconds, 2),
              "max_streams_at_p95_le_250ms": best, "cores": os.cpu_count()})
        row = uploads_phase(server.port, audio, args.uploads, args.upload_clients)
        emit({"bench": "serve.uploads", "engine": "own threads (--engine-threads 2)", "clip_seconds": round(clip_seconds, 2), **row})
        row = streams_during_uploads(server.port, pcm, audio, 1, args.upload_clients)
        emit({"bench": "serve.streams_during_uploads", "models": "separate (default)", **row})
    finally:
        server.stop()
    # The same with one copy of the models: every stream hop waits while an upload runs.
    server = Server(args.m2f, ["--max-streams", str(args.max_streams), "--max-uploads", str(args.upload_clients), "--share-models"])
    try:
        row = streams_during_uploads(server.port, pcm, audio, 1, args.upload_clients)
        emit({"bench": "serve.streams_during_uploads", "models": "shared (--share-models)", **row})
    finally:
        server.stop()
    server = Server(args.m2f, ["--max-uploads", str(args.upload_clients), "--engine-threads", "0"])
    try:
        row = uploads_phase(server.port, audio, args.uploads, args.upload_clients)
        emit({"bench": "serve.uploads", "engine": "Swift's shared pool (--engine-threads 0)", "clip_seconds": round(clip_seconds, 2), **row})
    finally:
        server.stop()


if __name__ == "__main__":
    main()
