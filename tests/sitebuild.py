"""The built site, once per test session, and a local server for it.

Building is the slowest step of the suite (under CI it executes both notebooks,
hooks/notebooks.py): every test that needs the site takes the one build made here
(``tests/conftest.py`` marks them ``slow``).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
_CACHE: dict[str, object] = {}


def build_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mkdocs build --strict`` into a temporary directory; the first call builds."""
    if "site" not in _CACHE:
        out = tmp_path_factory.mktemp("site")
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
            cwd=ROOT, capture_output=True, text=True,
        )
        _CACHE["site"] = out if proc.returncode == 0 else proc.stderr[-6000:]
    site = _CACHE["site"]
    if not isinstance(site, Path):
        pytest.fail(f"mkdocs build --strict failed:\n{site}", pytrace=False)
    return site


def site_path() -> str:
    """The path part of mkdocs.yml's ``site_url`` ("/convdoc/" for https://owner.github.io/convdoc/), or "/"."""
    from mkdocs.utils.yaml import yaml_load

    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    path = urlsplit(config.get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def serve(site: Path) -> str:
    """Serve ``site`` on 127.0.0.1 (a free port) for the rest of the session; return its base URL.

    The site is served under the path of ``site_url``, where GitHub Pages and
    ``mkdocs serve`` put it: some links (the home pages' language switch) are
    absolute paths that include it.
    """
    if "url" not in _CACHE:
        prefix = site_path()

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                path = urlsplit(path).path
                if not path.startswith(prefix):
                    return str(site / "404 outside the site path")
                return super().translate_path("/" + path[len(prefix):])

            def log_message(self, *args):
                pass

        handler = functools.partial(Handler, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        _CACHE["url"] = f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    return _CACHE["url"]


def nav_pages() -> list[tuple[str, str]]:
    """(source, URL path) of every page in mkdocs.yml's nav, e.g. ("calculator.md", "calculator/")."""
    from mkdocs.utils.yaml import yaml_load

    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from walk(value)
            else:
                yield value

    pages = []
    for src in walk(config["nav"]):
        stem = src.rsplit(".", 1)[0]
        pages.append((src, "" if stem == "index" else stem.removesuffix("/index") + "/"))
    return pages
