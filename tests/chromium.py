"""One Chromium per test run, shared by every browser test through the DevTools protocol.

Debian's Chromium (``apt-get install -y chromium``; Playwright's own browser download is never
used) is started once, headless, by the session fixture ``chromium`` of ``tests/conftest.py``.
Playwright connects to it with ``connect_over_cdp``: ``tests/test_browser.py`` with the sync API
on the main thread, ``tests/test_page_weight.py`` with the async API in a thread of its own (two
Playwright clients cannot share one thread's event loop, but they can share one browser).

No network beyond this machine: every host name but 127.0.0.1 fails to resolve, and the tests'
own request guards record and abort what a page asks of another host.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# the switches of Playwright's own launch that matter here (its chromiumSwitches), and no network
ARGS = [
    "--headless", "--hide-scrollbars", "--mute-audio", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
    "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding", "--disable-back-forward-cache", "--disable-dev-shm-usage",
    "--disable-hang-monitor", "--disable-breakpad", "--password-store=basic", "--force-color-profile=srgb",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


def require() -> None:
    """Skip (fail under CI) when Chromium is not installed."""
    if CHROMIUM is None:
        message = "Chromium is not installed: apt-get install -y chromium (Debian); CI installs it and requires these tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextlib.contextmanager
def launched(profile: Path, timeout: float = 60) -> Iterator[str]:
    """Start Chromium with a fresh profile in ``profile``; yield its DevTools WebSocket address."""
    require()
    proc = subprocess.Popen(
        [CHROMIUM, "--remote-debugging-port=0", f"--user-data-dir={profile}", *ARGS, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    found: list[str] = []
    ready = threading.Event()
    log: list[str] = []

    def read() -> None:  # the address, then keep draining stderr so that Chromium never blocks on it
        for line in proc.stderr:
            match = LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
            elif not found:
                log.append(line)
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout) or not found:
            pytest.fail(f"Chromium did not start ({CHROMIUM}):\n{''.join(log)[-3000:]}")
        yield found[0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
