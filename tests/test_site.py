"""The built site: both languages, twin links, MathJax served by the site, generated derivations.

Checked elsewhere, once: nothing loads from another host (tests/test_site_integrity.py, with
tests/sitecheck.py), every formula is typeset in Chromium (tests/test_browser.py, on every page).
"""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitebuild import build_site

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
