"""One Chromium per test worker, shared by its browser tests through the DevTools protocol.

Debian's Chromium (``apt-get install -y chromium-headless-shell``, or the full ``chromium``;
Playwright's own browser download is never used) is started once per pytest-xdist worker, headless, when the worker first needs it
(``tests/shared.py``; the controller stops them at the end). The worker's Playwright connects to
it with ``connect_over_cdp``: the sync API on the main thread (the ``browser`` fixture of
``tests/conftest.py``), ``tests/test_page_weight.py`` the async API in a thread of its own (two
Playwright clients cannot share one thread's event loop, but they can share one browser while
one of them waits). Not one Chromium for all the workers: a Playwright client connected over CDP
adopts the pages of the other clients' contexts into its own default context and applies that
context's settings to them (a dark page turned light, reduced motion undone: seen when four
workers shared one browser).

No network beyond this machine: every host name but 127.0.0.1 fails to resolve, and the tests'
own request guards record and abort what a page asks of another host.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import shared

# Debian's headless shell (apt-get install -y chromium-headless-shell), the build Playwright itself runs
# headless tests in: the browser tests took 49 s in it against 67 s in the full browser, also accepted
CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("chromium-browser")
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
        message = ("Chromium is not installed: apt-get install -y chromium-headless-shell (Debian); "
                   "CI installs it and requires these tests")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def start(root: Path) -> Path:
    """Start the worker's Chromium (once, in ``root``: the worker's folder), headless, with a fresh profile."""
    require()
    command = [CHROMIUM, "--remote-debugging-port=0", f"--user-data-dir={root / 'chromium-profile'}", *ARGS, "about:blank"]
    return shared.started(root, "chromium", command)


def endpoint(root: Path, timeout: float = 60) -> str:
    """The DevTools WebSocket address of the worker's Chromium, started if it was not."""
    home = start(root)
    line = shared.wait_for_line(home, "DevTools listening on", timeout)
    if line is None:
        pytest.fail(f"Chromium did not start ({CHROMIUM}):\n{shared.log(home)[-3000:]}")
    return LISTENING.search(line).group(1)
