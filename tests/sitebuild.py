"""The built site, once per test run, and a local server for it.

Building is the slowest step of the suite (under CI it executes both notebooks,
hooks/notebooks.py): every test that needs the site takes the one build made here
(``tests/conftest.py`` marks them ``slow``, and starts the build in the background once the
tests are collected, so that it runs while the quick tests do). The build is a command of
the run (``tests/shared.py``): the first pytest-xdist worker to ask starts it, every worker
waits for the same one. ``CONVDOC_SITE_DIR`` names the folder to build into (``.ci/run`` keeps
it to compare with a second build); by default it is in the run's temporary folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import shared
import sitecheck

ROOT = Path(__file__).resolve().parents[1]
_CACHE: dict[str, object] = {}


def site_dir(root: Path) -> Path:
    return Path(os.environ.get("CONVDOC_SITE_DIR") or root / "site")


def start(root: Path) -> Path:
    """Start the run's ``mkdocs build --strict`` in the background unless it was started; its folder."""
    return shared.started(root, "build", sitecheck.build_command(site_dir(root), strict=True), cwd=ROOT)


def build_site() -> Path:
    """The run's ``mkdocs build --strict``, waiting for it (started here if nobody started it)."""
    if "site" not in _CACHE:
        status, log = shared.result(start(shared.ROOT))
        _CACHE["site"] = site_dir(shared.ROOT) if status == 0 else f"mkdocs build failed ({status}):\n{log[-6000:]}"
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
    """Serve ``site`` on 127.0.0.1 for the rest of the run, once for every worker; its base URL.

    The server is a process of its own (``python tests/sitebuild.py serve SITE``, started by
    tests/shared.py), so that a busy test process never keeps a page waiting for its files: a
    math font that arrived late once made the pages jump in the page-weight test. The site is
    served under the path of ``site_url``, where GitHub Pages and ``mkdocs serve`` put it: some
    links (the home pages' language switch) are absolute paths that include it.
    """
    if "url" not in _CACHE:
        home = shared.started(shared.ROOT, "server", [sys.executable, __file__, "serve", str(site)], cwd=ROOT)
        line = shared.wait_for_line(home, "serving ", timeout=30)
        if line is None:
            pytest.fail(f"the site's server did not start:\n{shared.log(home)[-3000:]}", pytrace=False)
        _CACHE["url"] = line.split("serving ", 1)[1].strip()
    return _CACHE["url"]


def _serve_forever(site: Path) -> None:
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
    print(f"serving http://127.0.0.1:{httpd.server_address[1]}{prefix}", flush=True)
    httpd.serve_forever()


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


if __name__ == "__main__":  # python tests/sitebuild.py serve SITE
    if sys.argv[1:2] != ["serve"] or len(sys.argv) != 3:
        sys.exit("usage: python tests/sitebuild.py serve SITE_DIR")
    _serve_forever(Path(sys.argv[2]))
