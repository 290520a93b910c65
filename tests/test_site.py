"""The built site: both languages, twin links, formulas as MathML with the site's font, generated derivations.

Checked elsewhere, once: nothing loads from another host (tests/test_site_integrity.py, with
tests/sitecheck.py), every formula is typeset in Chromium (tests/test_browser.py, on every page).
"""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["", "cnn-output/"]


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


def test_formulas_are_mathml_with_the_sites_own_math_font(site):
    # typeset at build time (hooks/mathml.py): no MathJax is sent, the font is served by the site
    assert (site / "assets/mathml/math.woff").stat().st_size > 1_000
    assert not (site / "assets/mathjax").exists()
    for lang in ("zh", "en"):
        article, glossary = html(site, lang, "cnn-output/"), html(site, lang, "glossary/")
        assert article.count("<math") >= 40 and "assets/mathml/mathml.css" in article
        assert "<math" not in glossary and "assets/mathml/" not in glossary  # no math, nothing loaded
        assert "mathjax" not in article.lower().replace("mathjax's", "")


def test_generated_derivations_are_in_the_pages(site):
    for lang in ("zh", "en"):
        text = html(site, lang, "cnn-output/")
        assert "&amp;= 4\n\\end{aligned}" in text
        assert "&amp;= -5\n\\end{aligned}" in text
