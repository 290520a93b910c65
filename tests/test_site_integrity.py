"""The built site keeps its promises: links, metadata, alt text, offline, sitemap, reproducible.

Every check of ``tests/sitecheck.py`` runs on the run's one build of the site
(``tests/sitebuild.py``, shared with the other site tests). That a second build is
identical apart from dates is checked by ``.ci/run`` (``python tests/sitecheck.py same``
on this run's build and the build CI makes after the tests), so that a test run builds
the site once. Tiny sites built from a few lines of Markdown prove that each check
reports what it should: a checker that cannot fail proves nothing.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

import convdoc
import sitecheck

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"zh": "", "en": "en/"}


def configured_site_url() -> str:
    return yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


SITE_URL = configured_site_url()  # the placeholder, or SITE_URL from the environment (the Pages workflow)
BASE = sitecheck.base_path(SITE_URL)


def test_every_internal_link_and_anchor_resolves(site):
    assert sitecheck.broken_links(site, SITE_URL) == []


def test_every_page_exists_in_both_languages(site):
    assert len(sitecheck.html_pages(site)) >= 8
    assert sitecheck.untwinned_pages(site, "en", ignore=("assets/", "search/")) == []


def test_every_page_has_a_title_and_a_description(site):
    assert sitecheck.missing_metadata(site) == []


def test_every_image_has_alt_text(site):
    assert sitecheck.images_without_alt(site) == []


def test_nothing_loads_from_another_host(site):
    assert sitecheck.foreign_loads(site, SITE_URL) == []


def test_sitemap_lists_both_languages_under_site_url(site):
    assert sitecheck.sitemap_problems(site, SITE_URL, LANGUAGES) == []
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}</loc>" in sitemap
    assert f"<loc>{SITE_URL}en/</loc>" in sitemap
    # every page's <head> names its twin, so search engines pair the languages too
    for rel in ("index.html", "en/cnn-output/index.html"):
        head = (site / rel).read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" href="[^"]*" hreflang="zh">', head)
        assert re.search(r'<link rel="alternate" href="[^"]*" hreflang="en">', head)
        assert f'<link rel="canonical" href="{SITE_URL}' in head


@pytest.mark.parametrize("lang, path, other", [("zh", "404.html", "en"), ("en", "en/404.html", "zh")])
def test_a_404_page_per_language(site, lang, path, other):
    html = (site / path).read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    title = {"zh": "页面不存在", "en": "Page not found"}
    assert f"<h1>{title[lang]}</h1>" in html
    assert f"<title>{title[lang]} · " in html
    stop = {"zh": "。", "en": ". "}
    assert f'<p lang="{other}">{title[other]}{stop[other]}' in html  # a line for the other language's readers
    # served at any depth, so links are absolute paths below site_url
    assert f'<a href="{BASE}" hreflang="zh">' in html
    assert f'<a href="{BASE}en/" hreflang="en">' in html
    assert "404 - Not found" not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_api_reference_documents_every_public_name(site, lang):
    pages = {name: (site / LANGUAGES[lang] / name / "index.html").read_text(encoding="utf-8") for name in ("api", "api-networks")}
    html = "".join(pages.values())
    # functions and classes; a name shadowed by its module (explain) is listed by its full path
    callables = [(name, getattr(convdoc, name)) for name in convdoc.__all__ if callable(getattr(convdoc, name))]
    missing = [
        name for name, obj in callables
        if f'id="convdoc.{name}"' not in html and f'id="{obj.__module__}.{name}"' not in html
    ]
    assert not missing, f"the {lang} API pages have no entry for {missing}"
    zoo = [name for name in convdoc.networks.__all__ if f'id="convdoc.networks.{name}"' not in pages["api-networks"]]
    assert not zoo, f"the {lang} API page of whole networks has no entry for {zoo}"
    for page in pages.values():  # the docstrings' examples are shown
        assert "Examples" in page and "&gt;&gt;&gt;" in page


def test_site_url_is_the_github_pages_address_unless_the_workflow_sets_it(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert re.fullmatch(r"https://[a-z0-9-]+\.github\.io/convdoc/", configured_site_url())
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/a-fork/")
    assert configured_site_url() == "https://someone.github.io/a-fork/"


# --- the checks fail when they should: tiny sites ------------------------------------------

TINY_CONFIG = """\
site_name: Tiny
site_url: https://tiny.example/docs/
{description}
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - md_in_html
"""

CLEAN = {
    "index.md": """\
        ---
        description: The home page of a tiny site that the link checker must pass.
        ---
        # Home

        [A section of the other page](other.md#a-section), [its top](other.md) and
        [this page's own heading](#home).

        <img src="dot.svg" alt="A black dot">

        <svg role="img" viewBox="0 0 2 2" width="20"><title>A square</title><rect width="2" height="2"/></svg>
        """,
    "other.md": """\
        ---
        description: The other page of a tiny site, with a section to link to.
        ---
        # Other

        ## A section

        Back [home](index.md).
        """,
    "dot.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1"/></svg>\n',
}

BROKEN = {
    **CLEAN,
    "index.md": CLEAN["index.md"]
    + """
        [A section that does not exist](other.md#no-such-section) and [a page that does not exist](gone.md).
        <a href="/docs/nowhere/">An absolute link to nothing</a>

        <img src="dot.svg">

        <svg role="img" viewBox="0 0 2 2" width="20"><rect width="2" height="2"/></svg>

        <script src="https://cdn.example.com/library.js"></script>
        """,
    "other.md": CLEAN["other.md"].replace(
        "description: The other page of a tiny site, with a section to link to.\n", ""
    ),
}


def tiny_site(root: Path, pages: dict[str, str], description: bool) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    line = "site_description: A tiny site." if description else ""
    (root / "mkdocs.yml").write_text(TINY_CONFIG.format(description=line), encoding="utf-8")
    site = root / "site"
    # not --strict: MkDocs itself would stop at the broken page link; the checker must find it
    sitecheck.build(site, root, strict=False)
    return site


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    return {
        "clean": tiny_site(tmp_path_factory.mktemp("tiny-clean"), CLEAN, description=True),
        "broken": tiny_site(tmp_path_factory.mktemp("tiny-broken"), BROKEN, description=False),
    }


TINY_URL = "https://tiny.example/docs/"


def test_the_checks_pass_a_clean_tiny_site(tiny):
    site = tiny["clean"]
    assert sitecheck.broken_links(site, TINY_URL) == []
    assert sitecheck.missing_metadata(site) == []
    assert sitecheck.images_without_alt(site) == []
    assert sitecheck.foreign_loads(site, TINY_URL) == []


def test_the_link_checker_reports_a_broken_link_and_anchor(tiny):
    problems = sitecheck.broken_links(tiny["broken"], TINY_URL)
    assert len(problems) == 3, problems
    assert any("no id 'no-such-section' in other/index.html" in p for p in problems)
    assert any("'gone.md'" in p and "missing file" in p for p in problems)
    assert any("'/docs/nowhere/'" in p and "missing file" in p for p in problems)
    assert all(p.startswith("index.html: ") for p in problems)


def test_the_other_checks_report_what_is_missing(tiny):
    site = tiny["broken"]
    # no site_description to fall back on: the page without front matter and the 404 page
    assert sitecheck.missing_metadata(site) == [
        '404.html: no <meta name="description">',
        'other/index.html: no <meta name="description">',
    ]
    alt = sitecheck.images_without_alt(site)
    assert len(alt) == 2, alt
    assert "<img src='dot.svg'>" in alt[0] or "<img src='dot.svg'>" in alt[1]
    assert any('<svg role="img">' in p and "no <title>" in p for p in alt)
    assert sitecheck.foreign_loads(site, TINY_URL) == [
        "index.html: <script src='https://cdn.example.com/library.js'> loads from another host"
    ]


def test_differences_ignore_dates_and_nothing_else(tiny, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(tiny["clean"], copy)
    sitemap = copy / "sitemap.xml"
    sitemap.write_text(re.sub(r"<lastmod>[^<]*</lastmod>", "<lastmod>1999-12-31</lastmod>", sitemap.read_text()))
    assert sitecheck.differences(sitecheck.snapshot(tiny["clean"]), sitecheck.snapshot(copy)) == []
    page = copy / "other" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("A section", "A sektion"), encoding="utf-8")
    (copy / "extra.txt").write_text("new\n")
    problems = sitecheck.differences(sitecheck.snapshot(tiny["clean"]), sitecheck.snapshot(copy))
    assert problems[0] == "only in the second build: extra.txt"
    assert len(problems) == 2 and problems[1].startswith("other/index.html differs at byte")


def test_ci_compares_two_builds_with_the_same_check(tiny, tmp_path, capsys):
    """``.ci/run`` calls ``python tests/sitecheck.py same``: 0 when identical, 1 naming the difference."""
    copy = tmp_path / "copy"
    shutil.copytree(tiny["clean"], copy)
    assert sitecheck.main(["same", str(tiny["clean"]), str(copy)]) == 0
    page = copy / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Home", "Hone"), encoding="utf-8")
    assert sitecheck.main(["same", str(tiny["clean"]), str(copy)]) == 1
    assert "index.html differs at byte" in capsys.readouterr().out
    assert sitecheck.main(["same", str(tmp_path / "nothing"), str(copy)]) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "tests/sitecheck.py same" in ci, "CI no longer checks that two builds are the same"
