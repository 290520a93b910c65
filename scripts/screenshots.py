"""Screenshots of the article's figures in headless Chromium: zh and en, light and dark, desktop and phone.

Builds the site (``mkdocs build --strict``) into a temporary directory, serves it on 127.0.0.1, and
drives Chromium through the DevTools protocol on a pipe (standard library only): for every language,
colour scheme and width it loads the article, waits until every formula is MathML in the site's math
font (hooks/mathml.py typesets them at build time), then
saves the top of the page and one picture per figure (clipped to the figure's box). Nothing is
fetched from another host (every other name fails to resolve).

Run from the repository root (about a minute for everything)::

    uv run python scripts/screenshots.py                       # everything, into $TMPDIR/convdoc-screenshots
    uv run python scripts/screenshots.py --widths 360 --langs en --schemes dark --figures fig-volume

Dark mode: on a first visit the site's palette follows ``prefers-color-scheme`` (mkdocs.yml lists the
slate palette with ``media: "(prefers-color-scheme: dark)"``); each run uses a fresh profile and the
protocol's ``Emulation.setEmulatedMedia`` sets the preference before the page loads.

(``chromium --screenshot URL#anchor`` was tried first: with a fragment it saves a blank image.)
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES = [
    "fig-overview", "fig-window", "fig-stride1", "fig-steps1",
    "fig-stride2", "fig-steps2", "fig-volume", "fig-minus5",
]
PAGE = "cnn-output/"
HEIGHTS = {360: 780}


def build(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        sys.exit("Chromium not found (Debian: apt-get install -y chromium)")
    return found


class Browser:
    """Headless Chromium spoken to over ``--remote-debugging-pipe`` (fd 3: commands in, fd 4: replies out)."""

    def __init__(self, executable: str, profile: str) -> None:
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()

        def fds():  # runs in the child: put the pipe ends where Chromium expects them
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [
                executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-pipe",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "about:blank",
            ],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._next, self._buf, self.events = 0, b"", []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def call(self, method: str, session: str | None = None, timeout: float = 60, **params):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for reply in self._read(deadline):
                if reply.get("id") == self._next:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self.events.append(reply)

    def _read(self, deadline: float):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self._r], [], [], left)[0]:
            raise TimeoutError("Chromium did not answer")
        chunk = os.read(self._r, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium exited")
        self._buf += chunk
        *done, self._buf = self._buf.split(b"\0")
        return [json.loads(m) for m in done if m]

    def page(self, method: str, **params):
        return self.call(method, session=self.session, **params)

    def js(self, expression: str):
        return self.page("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        self.proc.wait(timeout=30)
        os.close(self._w)
        os.close(self._r)


def load(b: Browser, url: str, width: int, height: int, dark: bool) -> None:
    b.page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
    b.page("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])
    b.page("Page.enable")
    b.page("Page.navigate", url=url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # loaded, every formula MathML, the math font loaded
        state = b.js(
            "[document.readyState, document.querySelectorAll('.arithmatex').length,"
            " [...document.querySelectorAll('.arithmatex')].filter(e => e.querySelector(':scope > math')).length,"
            " document.fonts.status]"
        )
        if state and state[0] == "complete" and state[1] == state[2] and state[3] == "loaded":
            break
        time.sleep(0.2)
    time.sleep(0.5)


def capture(b: Browser, out: Path, clip: dict | None = None) -> None:
    params = {"format": "png", "captureBeyondViewport": clip is not None}
    if clip:
        params["clip"] = {**clip, "scale": 1}
    out.write_bytes(base64.b64decode(b.page("Page.captureScreenshot", **params)["data"]))


def figure_box(b: Browser, fig: str) -> dict | None:
    box = b.js(
        f"(() => {{ const e = document.getElementById({json.dumps(fig)}); if (!e) return null;"
        " const r = e.getBoundingClientRect();"
        " return {x: Math.max(0, r.left - 12), y: r.top + window.scrollY - 12,"
        " width: Math.min(r.width + 24, document.documentElement.clientWidth), height: r.height + 24}; })()"
    )
    return box


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "convdoc-screenshots",
                    help="where the PNGs go (default: a folder in the system's temporary directory)")
    ap.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    ap.add_argument("--langs", nargs="+", default=["zh", "en"], choices=["zh", "en"])
    ap.add_argument("--schemes", nargs="+", default=["light", "dark"], choices=["light", "dark"])
    ap.add_argument("--widths", nargs="+", type=int, default=[1280, 360])
    ap.add_argument("--figures", nargs="+", default=["top", *FIGURES], help="figure ids, or 'top'")
    args = ap.parse_args(argv)

    executable = chromium()
    args.out.mkdir(parents=True, exist_ok=True)
    missing = []
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            print("building the site ...", flush=True)
            build(site)
        httpd, base = serve(site)
        try:
            for lang in args.langs:
                url = base + ("en/" if lang == "en" else "") + PAGE
                for scheme in args.schemes:
                    for width in args.widths:
                        with tempfile.TemporaryDirectory() as profile:  # fresh: no stored palette
                            b = Browser(executable, profile)
                            try:
                                load(b, url, width, HEIGHTS.get(width, 1000), scheme == "dark")
                                for fig in args.figures:
                                    out = args.out / f"{lang}-{scheme}-{width}-{fig}.png"
                                    box = None if fig == "top" else figure_box(b, fig)
                                    if fig != "top" and box is None:
                                        missing.append(f"{lang}: #{fig}")
                                        continue
                                    capture(b, out, box)
                                    print(out, flush=True)
                            finally:
                                b.close()
        finally:
            httpd.shutdown()
    if missing:
        print("missing figures:", ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
