#!/usr/bin/env python3
"""Screenshots of the m2f viewer in headless Chromium, for the viewer test (Tests/M2FServerTests).

    viewer_screenshots.py [--fake-mic WAV] URL OUT_DIR NAME=QUERY [NAME=QUERY ...]

For each NAME=QUERY it opens URL + "?" + QUERY (for example play=demo&at=2.35), waits until the page sets
window.m2fReady, and saves OUT_DIR/NAME.png. Prints one JSON object: {"NAME": {"png": path, "ready": …}}.
Chromium is driven over --remote-debugging-pipe (the DevTools protocol on fds 3 and 4, NUL-separated
JSON), so nothing but the standard library is needed. Every wait is bounded. With --fake-mic, Chromium's
microphone plays WAV (in a loop) and asks no permission, for the viewer's live mode.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, fake_mic=None):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise SystemExit("chromium is not installed (scripts/bootstrap.sh --test installs it)")
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="m2f-chromium-")
        # fds 3 (commands in) and 4 (answers out) are the pipe Chromium expects.
        # (Copied to fresh numbers first: a pipe end may already be 3 or 4, and dup2 onto itself would
        # keep its close-on-exec flag.)
        def child_fds():
            commands, answers = os.dup(self.to_chrome_r), os.dup(self.from_chrome_w)
            os.dup2(commands, 3)
            os.dup2(answers, 4)
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--no-first-run",
             "--user-data-dir=" + self.profile, "--window-size=640,640", "--hide-scrollbars",
             "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
             "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
            + (["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + fake_mic] if fake_mic else [])
            + ["about:blank"],
            # close_fds=False: Popen would otherwise close fds 3 and 4 after child_fds made them.
            preexec_fn=child_fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(self.to_chrome_r)
        os.close(self.from_chrome_w)
        self.reader = os.fdopen(self.from_chrome_r, "rb")
        self.next_id = 0
        self.pending = b""

    def call(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome_w, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" not in self.pending:
                # select bounds the wait: a Chromium that stops answering must not hang the test.
                if not select.select([self.from_chrome_r], [], [], max(0.0, deadline - time.time()))[0]:
                    raise SystemExit(f"{method}: no answer in {timeout} s")
                chunk = os.read(self.from_chrome_r, 1 << 20)
                if not chunk:
                    raise SystemExit("chromium exited")
                self.pending += chunk
            raw, self.pending = self.pending.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise SystemExit(f"{method}: {reply['error']}")
                return reply.get("result", {})
        raise SystemExit(f"{method}: no answer in {timeout} s")

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except SystemExit:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    args = sys.argv[1:]
    fake_mic = None
    if args[:1] == ["--fake-mic"]:
        fake_mic, args = os.path.abspath(args[1]), args[2:]
    url, out_dir, shots = args[0], args[1], args[2:]
    os.makedirs(out_dir, exist_ok=True)
    browser = Browser(fake_mic)
    results = {}
    try:
        for shot in shots:
            name, query = shot.split("=", 1)
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            browser.call("Page.enable", session=session)
            browser.call("Emulation.setDeviceMetricsOverride",
                         {"width": 640, "height": 640, "deviceScaleFactor": 1, "mobile": False}, session=session)
            browser.call("Page.navigate", {"url": url + "?" + query}, session=session)
            ready = None
            for _ in range(600):  # 60 s
                value = browser.call("Runtime.evaluate", {"expression": "JSON.stringify(window.m2fReady || null)",
                                                          "returnByValue": True}, session=session)
                ready = json.loads(value.get("result", {}).get("value") or "null")
                if ready:
                    break
                time.sleep(0.1)
            status = browser.call("Runtime.evaluate", {"expression": "document.getElementById('status').textContent",
                                                       "returnByValue": True}, session=session)
            png = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
            path = os.path.join(out_dir, name + ".png")
            with open(path, "wb") as f:
                f.write(png)
            results[name] = {"png": path, "ready": ready, "status": status.get("result", {}).get("value")}
            browser.call("Target.closeTarget", {"targetId": target})
    finally:
        browser.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
