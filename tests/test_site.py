"""The built site: both languages, twin links, offline assets, typeset formulas in Chromium."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitebuild import build_site, serve

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["", "cnn-output/"]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory)  # one build per session, shared with the browser tests


def html(site: Path, lang: str, page: str) -> str:
    prefix = "en/" if lang == "en" else ""
    return (site / prefix / page / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_zh_at_root_en_under_en(site, page):
    zh, en = html(site, "zh", page), html(site, "en", page)
    assert '<html lang="zh"' in zh
    assert '<html lang="en"' in en


@pytest.mark.parametrize("page", PAGES)
def test_every_page_links_to_its_twin(site, page):
    for lang, other, other_prefix in (("zh", "en", "/en/"), ("en", "zh", "/")):
        here = ("/en/" if lang == "en" else "/") + page
        links = re.findall(rf'<a href="([^"]*)" hreflang="{other}"', html(site, lang, page))
        assert links, f"{here} has no link to its {other} twin"
        assert {urljoin(here, href) for href in links} == {other_prefix + page}


RESOURCE = re.compile(r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"([^\"]+)\"|<link\b[^>]*\bhref=\"([^\"]+)\"")


def test_nothing_loads_from_another_host(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for m in RESOURCE.finditer(text):
            url = m.group(1) or m.group(2)
            if m.group(2) is not None and re.search(r'rel="(alternate|canonical|prev|next)"', m.group(0)):
                continue
            assert not re.match(r"(https?:)?//", url), f"{page.relative_to(site)} loads {url} from another host"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_mathjax_is_served_by_the_site(site):
    assert (site / "assets/mathjax/tex-mml-chtml.js").stat().st_size > 100_000
    assert any((site / "assets/mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))
    for lang in ("zh", "en"):
        assert "assets/mathjax/tex-mml-chtml.js" in html(site, lang, "cnn-output/")


def test_generated_derivations_are_in_the_pages(site):
    for lang in ("zh", "en"):
        text = html(site, lang, "cnn-output/")
        assert "&amp;= 4\n\\end{aligned}" in text
        assert "&amp;= -5\n\\end{aligned}" in text


# --- a real browser, no network: every formula is typeset ---------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium not installed (Debian: apt-get install -y chromium); CI installs it and runs this test",
)


@pytest.fixture(scope="session")
def server(site):
    return serve(site)


def rendered_dom(url: str, tmp_path: Path) -> str:
    assert CHROMIUM, "Chromium is required in CI: apt-get install -y chromium"
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        # no network beyond this machine: every other host fails to resolve
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--virtual-time-budget=15000", "--dump-dom", url,
    ]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120).stdout


@needs_chromium
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_formula_is_typeset_in_chromium(server, tmp_path, lang, page):
    url = server + ("en/" if lang == "en" else "") + page
    dom = rendered_dom(url, tmp_path)
    formulas = dom.count('class="arithmatex"')
    typeset = len(re.findall(r'class="arithmatex"[^>]*>\s*<mjx-container', dom))
    assert formulas > 0
    assert typeset == formulas, f"{url}: {typeset} of {formulas} formulas typeset"
    assert "\\(" not in re.sub(r"<script.*?</script>", "", dom, flags=re.S), f"{url}: raw TeX left on the page"
