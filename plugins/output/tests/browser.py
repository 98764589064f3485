"""Open a report in headless Chromium over the DevTools protocol (standard
library only) and report what a reader would meet: console messages and
errors, every network request, the data- attributes in the rendered DOM,
the drawn size of each chart and the box of each bar label; and save a full-page screenshot.

    browser.py CHROMIUM REPORT.html SCREENSHOT.png OUT.json
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse


class DevTools:
    """A minimal WebSocket client (RFC 6455, text frames, client masking)."""

    def __init__(self, url, timeout=30):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("DevTools refused the WebSocket: " + head.split(b"\r\n")[0].decode())
        self.buf = head.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0
        self.events = []

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _frame(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        return self.next_id

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        while True:
            msg = self._frame()
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._frame())
        raise RuntimeError(f"no {method} within {timeout} s")


def start(chromium, profile):
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            f"--user-data-dir={profile}", "about:blank"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(600):
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if len(lines) >= 2:
                return proc, f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if proc.poll() is not None:
            raise RuntimeError("chromium exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
        time.sleep(0.05)
    raise RuntimeError("chromium did not open its DevTools port")


COLLECT = """(() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const data = {};
    for (const a of el.attributes) if (a.name.startsWith('data-')) data[a.name] = a.value;
    if (Object.keys(data).length) found.push([el.tagName.toLowerCase(), data]);
  }
  const charts = [...document.querySelectorAll('svg.chart')].map(s => {
    const r = s.getBoundingClientRect(); return [s.getAttribute('aria-label'), r.width, r.height];
  });
  // Each bar label's drawn box in its chart's units, and where its bar starts:
  // a label must neither start left of the chart nor run into its bar.
  const labels = [...document.querySelectorAll('svg.chart text.label')].map(t => {
    const b = t.getBBox(), bar = t.parentNode.querySelector('rect');
    return [t.textContent, b.x, b.x + b.width, bar ? +bar.getAttribute('x') : null];
  });
  return {found, charts, labels, title: document.title, height: document.documentElement.scrollHeight,
          overflow: document.documentElement.scrollWidth > window.innerWidth};
})()"""


def main():
    chromium, page, shot, out = sys.argv[1:5]
    profile = tempfile.mkdtemp(prefix="tm-chromium-")
    proc = None
    try:
        proc, url = start(chromium, profile)
        dt = DevTools(url)
        target = dt.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = dt.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            dt.call(f"{domain}.enable", session=session)
        dt.call("Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
        file_url = "file://" + urllib.parse.quote(os.path.abspath(page))
        dt.call("Page.navigate", {"url": file_url}, session)
        dt.wait_event("Page.loadEventFired")
        dom = dt.call("Runtime.evaluate", {"expression": COLLECT, "returnByValue": True}, session)["result"]["value"]
        time.sleep(0.3)  # let late console messages (policy reports) arrive
        dt.call("Runtime.evaluate", {"expression": "1"}, session)
        dt.call("Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": dom["height"], "deviceScaleFactor": 1, "mobile": False}, session)
        png = dt.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
        open(shot, "wb").write(base64.b64decode(png["data"]))
        console, requests = [], []
        for e in dt.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled":
                console.append({"level": p["type"], "text": " ".join(str(a.get("value", a.get("description")))
                                                                     for a in p.get("args", []))})
            elif m == "Runtime.exceptionThrown":
                console.append({"level": "error", "text": p["exceptionDetails"].get("text", "exception")})
            elif m == "Log.entryAdded":
                console.append({"level": p["entry"]["level"], "text": p["entry"]["text"]})
            elif m == "Network.requestWillBeSent":
                requests.append(p["request"]["url"])
        json.dump({"console": console, "requests": requests, "page": file_url, **dom}, open(out, "w"),
                  ensure_ascii=False)
        dt.call("Browser.close")
    finally:
        if proc:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
