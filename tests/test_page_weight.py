"""What a reader downloads to see a page, and what the page's formulas look like, in Chromium (issue 17).

Every page of the nav, in both languages, is opened with the browser's cache
disabled (a first visit) and left to settle: the page's main thread idle and no
request for 500 ms (Playwright's ``networkidle``). The bytes of every
response the page caused are added up: the HTML, stylesheets, scripts, fonts,
images, a search index if one is fetched. The local server sends no
``Content-Encoding``, so these are uncompressed bytes, the budget that counts
(a host may compress, the reader's browser still parses every byte).

Budgets: every page at most 1.2 MB; a page without a formula at most 700 KB.
A page "has math" when its built HTML holds an arithmatex element
(``class="arithmatex"``: pymdownx.arithmatex's, and hooks/notebooks.py's in the
notebooks), which hooks/mathml.py has turned into MathML.

On the same visit: every formula is MathML that Chromium lays out itself, in
the site's math font, with no TeX error, no raw TeX and no MathJax; nothing
jumps once shown (the layout shifts of the visit, Cumulative Layout Shift, stay
small: MathJax typesetting after the first paint moved the padding page by 0.17).

The pages are measured a few at a time by Playwright's async API in a thread of
its own, connected to the worker's Chromium (``tests/chromium.py``), which the
other browser tests drive with the sync API on the main thread: a second
Playwright cannot share that thread's event loop. ``pytest -s`` shows the table.

Without a browser: formulas' CSS and font only on pages with formulas, and one
search index per language, downloaded on demand (hooks/convdoc_site.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sitebuild import nav_pages, serve, site_path

ROOT = Path(__file__).resolve().parents[1]
LANGS = {"zh": "", "en": "en/"}
PAGE_BUDGET = 1_200_000
NO_MATH_BUDGET = 700_000
MAX_SHIFT = 0.05  # Cumulative Layout Shift; 0.1 is "good" for web.dev. The calculator's numbers move ~0.02
AT_ONCE = 3  # tabs loading pages at the same time (2 cores)
QUIET = 0.5  # seconds without a request, as Playwright's networkidle
# resolves once the page's main thread has nothing to do (a long script sends no request while
# it runs, so a quiet network alone does not mean that the page has settled)
IDLE = "() => new Promise(done => requestIdleCallback(() => done(), {timeout: 2000}))"
# every layout shift from the first paint on: text that moves when a script or a font changes the page
# (each with what moved, for the failure message)
RECORD_SHIFTS = """window.__shifts = [];
const moved = (s) => s.node ? `${s.node.nodeName.toLowerCase()}.${s.node.className || ''} at y ${s.previousRect.y} -> ${s.currentRect.y}` : '?';
new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map(
  (e) => ({value: e.value, at: Math.round(e.startTime), moved: e.sources.map(moved)}))))
  .observe({type: 'layout-shift', buffered: true});"""
FORMULAS = r"""() => {
  const formulas = [...document.querySelectorAll('.md-content .arithmatex')];
  const math = (el) => el.querySelector(':scope > math');
  const text = document.querySelector('.md-content').cloneNode(true);
  text.querySelectorAll('pre, code, math, script').forEach((el) => el.remove());
  return {
    formulas: formulas.length,
    mathml: formulas.filter(math).length,
    // laid out by the browser as MathML (display: math, block math), unless hidden (a closed <details>)
    laidOut: formulas.filter((el) => math(el) && (!el.checkVisibility()
      || getComputedStyle(math(el)).display.endsWith('math') && math(el).getBoundingClientRect().width > 0)).length,
    errors: document.querySelectorAll('.md-content merror').length,
    rawTex: /\\\(|\\\[|\\begin\{/.test(text.textContent),
    font: [...document.fonts].some((f) => f.family.includes('Convdoc Math') && f.status === 'loaded'),
    mathjax: typeof window.MathJax !== 'undefined' || !!document.querySelector('mjx-container'),
    shift: window.__shifts.reduce((a, b) => a + b.value, 0),
    shifts: window.__shifts.filter((e) => e.value >= 0.001),
  };
}"""


PAGES = [LANGS[lang] + url for _, url in nav_pages() for lang in LANGS]
# pages that must show formulas, so that "every formula is MathML" cannot pass on an empty page
FORMULA_PAGES = {LANGS[lang] + url for url in ("", "cnn-output/", "calculator/", "notebooks/feature-maps/") for lang in LANGS}


def page_html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def has_math(site: Path, path: str) -> bool:
    return 'class="arithmatex' in page_html(site, path)


# --- measuring -------------------------------------------------------------------------------------


class Visit:
    """The requests of one page load: bytes of each response, failures, other hosts, and the time of the last one."""

    def __init__(self, path: str):
        self.path = path
        self.loop = asyncio.get_running_loop()
        self.bodies: list[asyncio.Future] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        self.inflight: set = set()
        self.last = self.loop.time()

    async def _size(self, request) -> tuple[str, int]:
        """The bytes the server sent: its Content-Length, the file's size (no Content-Encoding here).

        Read from the response's headers rather than by fetching every body back from Chromium,
        which moved some 50 MB through the DevTools connection per run.
        """
        response = await request.response()
        if response is None:
            return request.url, 0
        if response.status >= 400:
            self.failed.append(f"{request.url}: {response.status}")
        assert "content-encoding" not in response.headers, f"{request.url} came compressed: the sizes would not be the bytes parsed"
        return request.url, int(response.headers.get("content-length", 0))

    def started(self, request) -> None:
        if urlsplit(request.url).hostname != "127.0.0.1":
            self.foreign.append(request.url)  # and it fails: the worker's Chromium resolves no other host (tests/chromium.py)
        self.inflight.add(request)
        self.last = self.loop.time()

    def finished(self, request, ok: bool) -> None:
        self.inflight.discard(request)
        self.last = self.loop.time()
        if ok:
            self.bodies.append(asyncio.ensure_future(self._size(request)))
        else:
            self.failed.append(request.url)

    def quiet(self) -> bool:
        return not self.inflight and self.loop.time() - self.last >= QUIET


async def _worker(browser, base: str, queue: list[str], results: dict[str, dict]) -> None:
    """Load the pages of ``queue`` one after the other in one tab, each as on a first visit.

    The tab's cache is disabled (DevTools' "Disable cache": neither the HTTP cache nor the
    renderer's memory cache serves a request), so each page downloads everything it uses once,
    as in a new browser, without the cost of a new browser context and renderer for each page.
    """
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(RECORD_SHIFTS)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    current: list[Visit] = []
    # context-wide, so that a worker's requests count too
    context.on("request", lambda r: current[-1].started(r))
    context.on("requestfinished", lambda r: current[-1].finished(r, True))
    context.on("requestfailed", lambda r: current[-1].finished(r, False))
    try:
        while queue:
            path = queue.pop(0)  # before any await: the other tabs take from the same queue
            # leave the last page first: what it still requests or cancels on the way out is not the next one's
            current.append(Visit("about:blank"))
            await page.goto("about:blank")
            visit = Visit(path)
            current.append(visit)
            await page.goto(base + visit.path, wait_until="load", timeout=60_000)
            while True:  # settled: the main thread idle, and no request for QUIET seconds
                await page.evaluate(IDLE)
                if visit.quiet():
                    break
                await asyncio.sleep(0.05)
            sizes = await asyncio.gather(*visit.bodies)
            results[visit.path] = {
                "path": visit.path, "bytes": sum(n for _, n in sizes), "files": sorted(sizes, key=lambda s: -s[1]),
                "foreign": visit.foreign, "failed": visit.failed, "formulas": await page.evaluate(FORMULAS),
            }
    finally:
        await context.close()


async def _visit_all(chromium: str, base: str, paths: list[str]) -> dict[str, dict]:
    from playwright.async_api import async_playwright

    results: dict[str, dict] = {}
    queue = list(paths)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.connect_over_cdp(chromium)
        try:
            await asyncio.gather(*(_worker(browser, base, queue, results) for _ in range(AT_ONCE)))
        finally:
            await browser.close()
    return results


def visit(chromium: str, base: str, paths: list[str]) -> dict[str, dict]:
    """Open each page of ``paths`` (below ``base``) in the Chromium at DevTools address ``chromium``."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # an event loop of its own, see above
        return pool.submit(asyncio.run, _visit_all(chromium, base, paths)).result()


def table(visits: dict[str, dict], site: Path) -> str:
    lines = [f"{'page':30} {'math':>4} {'requests':>8} {'bytes':>11}  largest"]
    for path in PAGES:
        v = visits[path]
        biggest = ", ".join(f"{urlsplit(u).path.rstrip('/').rsplit('/', 1)[-1]} {n / 1000:.0f} kB" for u, n in v["files"][:3])
        lines.append(f"/{path:29} {'yes' if has_math(site, path) else '':>4} {len(v['files']):8} {v['bytes']:11,}  {biggest}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def visits(chromium, site) -> dict[str, dict]:
    result = visit(chromium, serve(site), PAGES)
    print("\nbytes downloaded per page (uncompressed, empty cache, until settled)\n" + table(result, site))
    return result


# --- in Chromium: bytes, formulas ----------------------------------------------------------------


def test_every_page_in_both_languages_is_measured(site):
    assert len(PAGES) >= 30
    for path in PAGES:
        assert (site / path / "index.html").is_file(), path
    for path in FORMULA_PAGES:
        assert has_math(site, path), path
    assert not has_math(site, "glossary/") and not has_math(site, "en/glossary/")


@pytest.mark.parametrize("path", PAGES)
def test_page_weight(visits, site, path):
    v = visits[path]
    assert not v["foreign"], f"/{path} requested other hosts: {v['foreign']}"
    assert not v["failed"], f"/{path}: requests failed: {v['failed']}"
    largest = "\n".join(f"  {n:>9,}  {u}" for u, n in v["files"][:8])
    budget = PAGE_BUDGET if has_math(site, path) else NO_MATH_BUDGET
    assert v["bytes"] <= budget, f"/{path} downloads {v['bytes']:,} bytes, more than {budget:,}; the largest:\n{largest}"


@pytest.mark.parametrize("path", PAGES)
def test_formulas_are_mathml_laid_out_by_the_browser(visits, path):
    f = visits[path]["formulas"]
    where = f"/{path}: {dict(f, shifts=len(f['shifts']))}"
    if path in FORMULA_PAGES:
        assert f["formulas"] > 0, f"{where}: no formula found"
    assert f["mathml"] == f["formulas"], f"{where}: formulas without MathML"
    assert f["laidOut"] == f["formulas"], f"{where}: MathML that Chromium does not lay out"
    assert f["errors"] == 0, f"{where}: TeX errors"
    assert not f["rawTex"], f"{where}: raw TeX left in the text"
    assert not f["mathjax"], f"{where}: MathJax on the page"
    assert f["font"] == (f["formulas"] > 0), f"{where}: the math font is loaded where there are formulas, only there"
    assert f["shift"] <= MAX_SHIFT, f"{where}: the page jumps once shown (layout shift {f['shift']:.3f}: {f['shifts']})"


# --- in the built site: math assets where there is math, one search index per language ----------------

MATH_ASSETS = re.compile(r'<link\b[^>]*href="([^"]*assets/mathml/(?:mathml\.css|math\.woff))"')


@pytest.mark.parametrize("path", PAGES)
def test_math_assets_only_on_pages_with_formulas(site, path):
    html = page_html(site, path)
    links = MATH_ASSETS.findall(html)
    if has_math(site, path):
        assert len(links) == 2, f"/{path}: {links}"
        for link in links:
            assert (site / path / link).resolve().is_file(), f"/{path}: {link} is not in the site"
        text = re.sub(r"<(annotation|script|pre|code)\b.*?</\1>", "", html, flags=re.S)
        assert "\\(" not in text and "\\[" not in text, f"/{path}: TeX left outside MathML"
    else:
        assert not links, f"/{path} loads math assets without a formula: {links}"
    assert not re.search(r'<script\b[^>]*\bsrc="[^"]*mathjax', html, re.I), f"/{path} loads MathJax"


def index(site: Path, lang: str) -> dict:
    return json.loads((site / LANGS[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_one_search_index_per_language(site):
    for lang in LANGS:
        docs = index(site, lang)["docs"]
        pages = {doc["location"].split("#")[0] for doc in docs}
        assert len(pages) >= 15, f"{lang}: {sorted(pages)}"
        for page in pages:  # relative to the language's root, which its pages give Material as "base"
            assert (site / LANGS[lang] / page / "index.html").is_file(), f"{lang} index: {page!r} is not a page"
            assert not page.startswith(tuple(f"{other}/" for other in LANGS.values() if other)), f"{lang}: {page}"
        assert len({(d["location"], d["title"], d["text"]) for d in docs}) == len(docs), f"{lang}: duplicates"
    zh = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\u200b" in zh, "the Chinese text is not segmented (jieba)"
    assert "步幅" in zh and "\\u6b65" not in zh, "Chinese written as \\u escapes"
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps([d["title"] for d in index(site, "en")["docs"]], ensure_ascii=False))


CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


@pytest.mark.parametrize("path", PAGES + ["404.html", "en/404.html"])
def test_each_page_searches_its_own_language(site, path):
    """Material fetches ``search/search_index.json`` below the ``base`` of the page's ``__config``."""
    if path.endswith(".html"):
        folder = path.rpartition("/")[0]
        file, folder = site / path, folder + "/" if folder else ""
    else:
        file, folder = site / path / "index.html", path
    config = json.loads(CONFIG.search(file.read_text(encoding="utf-8")).group(1))
    lang = "en" if path.startswith("en/") else "zh"
    root = urlsplit(urljoin(site_path() + folder, config["base"].rstrip("/") + "/")).path
    assert root == site_path() + LANGS[lang], f"/{path}: Material's base {config['base']!r} is {root}"


def test_the_index_waits_for_the_search(site):
    html = page_html(site, "glossary/")
    head = html[: html.index("</head>")]
    assert "search_index" in head and "XMLHttpRequest.prototype.send" in head, "no on-demand script in <head>"
    assert head.index("XMLHttpRequest.prototype.send") < html.index("bundle."), "the script must run before Material's"


# --- hooks/mathml.py on its own ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tex():
    from hooks import mathml

    mathjax = mathml.MathJax()
    yield lambda source, display=False: mathml.mathml(mathjax, source, display)
    mathjax.close()


def test_a_tex_error_fails_the_build_naming_page_and_formula():
    from hooks import mathml

    mathjax = mathml.MathJax()
    try:
        for source, message in ((r"\foo{x}", r"Undefined control sequence \foo"), (r"\frac{x", "Missing close brace")):
            with pytest.raises(mathml.TeXError) as exc:
                mathml.render_page(f'<p><span class="arithmatex">\\({source}\\)</span></p>', mathjax, "page.md")
            assert str(exc.value).startswith("page.md: the formula") and source in str(exc.value)
            assert str(exc.value).endswith(message)
    finally:
        mathjax.close()


def test_mathml_core_with_tex_spacing(tex):
    # no operator spacing in scripts (MathML Core would add the dictionary's), TeX's around "=" and "+"
    got = tex(r"x_{i+1} = a + b")
    assert '<mi>i</mi><mo lspace="0" rspace="0">+</mo><mn>1</mn>' in got
    assert '<mspace width="0.2778em"></mspace><mo lspace="0" rspace="0">=</mo><mspace width="0.2778em"></mspace>' in got
    assert '<mspace width="0.2222em"></mspace><mo lspace="0" rspace="0">+</mo>' in got
    # accents: accent="true", the spacing form of ^; \bmod's own spacing as a length
    assert '<mover accent="true"><mi>k</mi><mo stretchy="false" lspace="0" rspace="0">\u02c6</mo></mover>' in tex(r"\hat{k}")
    assert 'lspace="0.2778em" rspace="0.2778em">mod</mo>' in tex(r"a \bmod b")
    # aligned: the columns' alignment and spacing as CSS on the cells; the TeX kept as an annotation
    got = tex("\\begin{aligned} a &= b \\\\ &= c \\end{aligned}", display=True)
    assert got.startswith('<math display="block"><semantics><mtable displaystyle="true"><mtr><mtd style="text-align:right')
    assert '<mtd style="text-align:left' in got and "columnalign" not in got
    assert got.endswith('<annotation encoding="application/x-tex">\\begin{aligned} a &amp;= b \\\\ &amp;= c \\end{aligned}'
                        "</annotation></semantics></math>")
    assert "data-mjx" not in got and "xmlns" not in got
