"""Checks over a built MkDocs site: links, anchors, metadata, alt text, offline, reproducible.

Each check takes the site's directory and returns a list of problems (strings
naming the page and what is wrong); an empty list means the site passes. Used by
``tests/test_site_integrity.py`` on the real site and on tiny sites built to
prove that each check fails when it should.

* :func:`broken_links` -- every internal ``href``/``src`` points at a file of
  the site, and every ``#fragment`` at an ``id`` of the target page;
* :func:`missing_metadata` -- every page has a non-empty ``<title>`` and
  ``<meta name="description">``;
* :func:`images_without_alt` -- every ``<img>`` has alt text, every inline
  ``<svg role="img">`` a ``<title>``;
* :func:`foreign_loads` -- no page or stylesheet loads anything from another host;
* :func:`sitemap_problems` -- ``sitemap.xml`` lists every page under ``site_url``
  with its alternates in every language;
* :func:`snapshot` / :func:`differences` -- two builds are identical once dates
  (and the few known random ids listed in :data:`NOISE`) are normalised.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# --- building -------------------------------------------------------------------------------


def build_command(site_dir: Path, config: Path | None = None, *, strict: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
    if config is not None:
        cmd += ["--config-file", str(config)]
    return cmd + (["--strict"] if strict else [])


def build(site_dir: Path, cwd: Path, *, config: Path | None = None, strict: bool = True) -> str:
    """Run ``mkdocs build`` (the tiny sites'; the real site's is tests/sitebuild.py's); its output."""
    proc = subprocess.run(
        build_command(site_dir, config, strict=strict), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if proc.returncode:
        raise RuntimeError(f"mkdocs build failed ({proc.returncode}):\n{proc.stdout[-6000:]}")
    return proc.stdout


# --- parsing ----------------------------------------------------------------------------------

# link targets that load something into the page (as opposed to <a href> or rel=alternate)
NOT_A_LOAD = {"alternate", "canonical", "prev", "next", "author", "license", "search", "help"}


@dataclass
class Page:
    path: str  # relative to the site, e.g. "en/cnn-output/index.html"
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, str, bool]] = field(default_factory=list)  # (tag, attr, url, loads)
    title: str = ""
    description: str | None = None
    missing_alt: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # <style> bodies and style="" attributes


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_title = False
        self.in_style = False
        self.svg_stack: list[dict] = []  # open <svg> elements: {"img": bool, "title": bool, "line": int}
        self.title_in_svg = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        if "style" in a:
            self.page.styles.append(a["style"])
        line = self.getpos()[0]
        if tag == "a" and "href" in a:
            self.page.refs.append((tag, "href", a["href"], False))
        elif tag == "link" and "href" in a:
            rels = set(a.get("rel", "").lower().split())
            self.page.refs.append((tag, "href", a["href"], not rels or not rels <= NOT_A_LOAD))
        elif tag == "object" and "data" in a:
            self.page.refs.append((tag, "data", a["data"], True))
        for attr in ("src", "poster"):
            if attr in a and tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track", "input"}:
                self.page.refs.append((tag, attr, a[attr], True))
        if "srcset" in a:
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.page.refs.append((tag, "srcset", candidate.split()[0], True))
        if tag == "img" and not a.get("alt", "").strip() and a.get("role") != "presentation" and a.get("aria-hidden") != "true":
            self.page.missing_alt.append(f"<img src={a.get('src', '')!r}> (line {line}) has no alt text")
        if tag == "svg":
            self.svg_stack.append({"img": a.get("role") == "img", "title": False, "line": line})
        if tag == "title":
            if self.svg_stack:
                self.title_in_svg = True
            else:
                self.in_title = True
        if tag == "style":
            self.in_style = True
        if tag == "meta" and a.get("name", "").lower() == "description":
            self.page.description = a.get("content", "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.handle_endtag("svg")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = self.title_in_svg = False
        elif tag == "style":
            self.in_style = False
        elif tag == "svg" and self.svg_stack:
            svg = self.svg_stack.pop()
            if svg["img"] and not svg["title"]:
                self.page.missing_alt.append(f'<svg role="img"> (line {svg["line"]}) has no <title>')

    def handle_data(self, data):
        if self.in_title:
            self.page.title += data
        elif self.title_in_svg and data.strip() and self.svg_stack:
            self.svg_stack[-1]["title"] = True
        if self.in_style:
            self.page.styles.append(data)


@cache
def _parse(path: Path, rel: str, mtime: float) -> Page:
    page = Page(rel)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    page.title = " ".join(page.title.split())
    return page


def parse(site: Path, rel: str) -> Page:
    path = site / rel
    return _parse(path, rel, path.stat().st_mtime)


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def base_path(site_url: str | None) -> str:
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


# --- checks -------------------------------------------------------------------------------------


def _target(site: Path, rel_url: str) -> Path:
    target = site / unquote(rel_url)
    if rel_url == "" or rel_url.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def _resolve(site: Path, page: str, url: str, site_url: str | None) -> tuple[str, str] | None:
    """``(file relative to the site, fragment)`` for an internal URL; None for another host."""
    base = base_path(site_url)
    here = urlsplit(site_url or "http://site.invalid/")
    parts = urlsplit(urljoin(f"{here.scheme}://{here.netloc}{base}{page}", url))
    if parts.scheme not in ("http", "https") or parts.netloc != here.netloc:
        return None
    if not parts.path.startswith(base):
        return (f"../{parts.path}", parts.fragment)  # outside the site: never resolves
    return (parts.path[len(base) :], parts.fragment)


SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")


def broken_links(site: Path, site_url: str | None = None) -> list[str]:
    """Internal links and resources that point at no file, and fragments that match no id.

    Relative URLs resolve against the page; absolute paths (``/convdoc/…``, as in
    error pages) and full URLs on ``site_url``'s host must lie below ``site_url``.
    """
    problems = []
    for rel in html_pages(site):
        page = parse(site, rel)
        for tag, attr, url, _ in page.refs:
            if not url or url.startswith(SKIPPED_SCHEMES):
                continue
            resolved = _resolve(site, rel, url, site_url)
            if resolved is None:
                continue
            rel_url, fragment = resolved
            target = _target(site, rel_url)
            if not target.is_file() or rel_url.startswith("../"):
                problems.append(f"{rel}: <{tag} {attr}={url!r}> points at a missing file ({rel_url or '/'})")
                continue
            fragment = unquote(fragment)
            if fragment and target.suffix == ".html":
                ids = parse(site, target.relative_to(site).as_posix()).ids
                if fragment not in ids:
                    problems.append(f"{rel}: <{tag} {attr}={url!r}>: no id {fragment!r} in {target.relative_to(site).as_posix()}")
    return problems


def missing_metadata(site: Path) -> list[str]:
    problems = []
    for rel in html_pages(site):
        page = parse(site, rel)
        if not page.title:
            problems.append(f"{rel}: no <title>")
        if not (page.description or "").strip():
            problems.append(f'{rel}: no <meta name="description">')
    return problems


def images_without_alt(site: Path) -> list[str]:
    return [f"{rel}: {msg}" for rel in html_pages(site) for msg in parse(site, rel).missing_alt]


FOREIGN = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)


def foreign_loads(site: Path, site_url: str | None = None) -> list[str]:
    """Scripts, styles, fonts, images and frames from another host (links to read elsewhere are fine)."""
    own = urlsplit(site_url or "").netloc
    problems = []

    def foreign(url: str) -> bool:
        return bool(FOREIGN.match(url)) and (not own or urlsplit(url if "://" in url else "http:" + url).netloc != own)

    for rel in html_pages(site):
        page = parse(site, rel)
        for tag, attr, url, loads in page.refs:
            if loads and foreign(url):
                problems.append(f"{rel}: <{tag} {attr}={url!r}> loads from another host")
        for style in page.styles:
            for url in CSS_URL.findall(style):
                if foreign(url):
                    problems.append(f"{rel}: an inline style loads {url!r} from another host")
    for css in sorted(site.rglob("*.css")):
        for url in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            if foreign(url):
                problems.append(f"{css.relative_to(site).as_posix()}: loads {url!r} from another host")
    return problems


def untwinned_pages(site: Path, other: str = "en", ignore: tuple[str, ...] = ()) -> list[str]:
    """Pages of the default language without a twin under ``/<other>/``, and the reverse."""
    pages = set(html_pages(site))
    problems = []
    for rel in sorted(pages):
        if rel.startswith(ignore):
            continue
        if rel.startswith(f"{other}/"):
            if rel[len(other) + 1 :] not in pages:
                problems.append(f"{rel} has no twin {rel[len(other) + 1 :]}")
        elif f"{other}/{rel}" not in pages:
            problems.append(f"{rel} has no twin {other}/{rel}")
    return problems


SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_problems(site: Path, site_url: str, languages: dict[str, str], ignore: tuple[str, ...] = ("404.html",)) -> list[str]:
    """``sitemap.xml`` lists every page once, under ``site_url``, with an alternate per language.

    ``languages`` maps each language to its URL prefix below ``site_url``
    (``{"zh": "", "en": "en/"}``).
    """
    problems = []
    root = ET.parse(site / "sitemap.xml").getroot()
    listed = []
    for url in root.findall("s:url", SITEMAP):
        loc = url.findtext("s:loc", default="", namespaces=SITEMAP)
        if not loc.startswith(site_url):
            problems.append(f"sitemap: {loc!r} is not below site_url {site_url!r}")
            continue
        rel = loc[len(site_url) :]
        listed.append(rel)
        if not _target(site, rel).is_file():
            problems.append(f"sitemap: {loc!r} is not a page of the site")
        alternates = {link.get("hreflang"): link.get("href", "") for link in url.findall("x:link", SITEMAP)}
        if set(alternates) != set(languages):
            problems.append(f"sitemap: {loc!r} has alternates {sorted(alternates)}, expected {sorted(languages)}")
        for lang, href in alternates.items():
            if not href.startswith(site_url + languages.get(lang, "\0")) or not _target(site, href[len(site_url) :]).is_file():
                problems.append(f"sitemap: {loc!r}: the {lang} alternate {href!r} is not a {lang} page of the site")
    if len(listed) != len(set(listed)):
        problems.append("sitemap: some pages are listed twice")
    pages = {
        rel[: -len("index.html")] for rel in html_pages(site) if rel.endswith("index.html") and not rel.startswith(ignore)
    }
    pages -= {p for p in pages if p.startswith(("assets/", "search/"))}
    for missing in sorted(pages - set(listed)):
        problems.append(f"sitemap: page {missing or '/'} is not listed")
    return problems


# --- reproducibility ----------------------------------------------------------------------------

DATES = [
    (re.compile(rb"<lastmod>[^<]*</lastmod>"), b"<lastmod>DATE</lastmod>"),
    (re.compile(rb"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"), b"DATETIME"),
]
# Known per-build noise that is not a date, each with its reason. Keep this list short: today
# there is none (hooks/notebooks.py numbers the notebook cells' ids).
NOISE: list[tuple[re.Pattern[bytes], bytes]] = []


def normalise(data: bytes, name: str) -> bytes:
    """The file's content with build dates (and :data:`NOISE`) replaced; ``.gz`` compared uncompressed."""
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    for pattern, replacement in DATES + NOISE:
        data = pattern.sub(replacement, data)
    return data


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): normalise(p.read_bytes(), p.name)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    problems = [f"only in the first build: {name}" for name in sorted(a.keys() - b.keys())]
    problems += [f"only in the second build: {name}" for name in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        if a[name] != b[name]:
            x, y = a[name], b[name]
            at = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            problems.append(f"{name} differs at byte {at}: {x[max(0, at - 40) : at + 40]!r} vs {y[max(0, at - 40) : at + 40]!r}")
    return problems


def main(argv: list[str]) -> int:
    """``python tests/sitecheck.py same FIRST SECOND``: two builds identical apart from dates (.ci/run)."""
    if len(argv) != 3 or argv[0] != "same":
        print("usage: python tests/sitecheck.py same FIRST_SITE SECOND_SITE", file=sys.stderr)
        return 2
    first, second = (Path(a) for a in argv[1:])
    for site in (first, second):
        if not (site / "index.html").is_file():
            print(f"{site}: not a built site (no index.html)", file=sys.stderr)
            return 2
    problems = differences(snapshot(first), snapshot(second))
    for problem in problems:
        print(problem)
    print(f"{first} and {second}: " + (f"{len(problems)} differences" if problems else "identical apart from dates"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
