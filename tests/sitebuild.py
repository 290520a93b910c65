"""The built site, once per test session, and a local server for it.

Building is the slowest step of the suite (under CI it executes both notebooks,
hooks/notebooks.py): every test that needs the site takes the one build made here
(``tests/conftest.py`` marks them ``slow``, and starts the build in the background once the
tests are collected, so that it runs while the quick tests do).
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sitecheck

ROOT = Path(__file__).resolve().parents[1]
_CACHE: dict[str, object] = {}


def start(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Start build ``name`` ("site": the session's; "again": a second one) in the background, once."""
    if name not in _CACHE:
        out = tmp_path_factory.mktemp(name)
        _CACHE[name] = (out, sitecheck.start_build(out, ROOT))


def finished(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of build ``name``, waiting for it (started here if nobody started it)."""
    start(name, tmp_path_factory)
    if isinstance(_CACHE[name], tuple):
        out, proc = _CACHE[name]
        try:
            sitecheck.finish_build(proc)
            _CACHE[name] = out
        except RuntimeError as exc:
            _CACHE[name] = str(exc)
    site = _CACHE[name]
    if not isinstance(site, Path):
        pytest.fail(f"mkdocs build --strict failed:\n{site}", pytrace=False)
    return site


def build_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's ``mkdocs build --strict``, in a temporary directory: one per run."""
    return finished("site", tmp_path_factory)


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
