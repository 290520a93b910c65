"""Search finds what readers type, in the interface's own language (hooks/search_synonyms.py).

Each query is typed into the search of the Chinese and of the English home page in
Chromium (the fixtures of tests/test_browser.py): the expected page must be among the
first pages listed, and every page listed must be of the interface's language. Most
queries are words that the pages of one language, or all pages, do not use (7x7x3
for 7×7×3, FLOPs and MACs for 乘加, atrous and 空洞卷积 for dilation …): found
through the synonyms added to the index when it is written.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_browser import LANGS

# query -> the page (below the language's root) that must be among the first TOP pages listed
QUERIES = {
    "7x7x3": "cnn-output/",
    "7×7×3": "cnn-output/",
    "FLOPs": "parameters/",
    "MACs": "parameters/",
    "multiply-accumulate": "parameters/",
    "atrous": "output-size/",
    "dilated": "output-size/",
    "空洞卷积": "output-size/",
    "same padding": "padding/",
    "ResNeXt": "parameters/",
    "grouped": "parameters/",
    "depthwise": "parameters/",
    "deconvolution": "transposed/",
    "im2col": "im2col/",
    "output_size": "output-size/",
    "conv2d": "api/",
    "Conv2d": "api-networks/",
    "Conv1d": "conv-1d-3d/",
    "Conv3d": "conv-1d-3d/",
    "步幅": "cnn-output/",
}
TOP = 3
ROOT = Path(__file__).resolve().parents[1]
# words no page uses: found only through the synonyms (checked on the built index below; ResNeXt was
# one until the ResNet page named it, atrous until the glossary did)
ONLY_AS_SYNONYMS = ["7x7x3"]

SEARCH_FIELD = "input.md-search__input"
RESULTS = "() => [...document.querySelectorAll('a.md-search-result__link')].map(a => a.href)"


def pages_listed(page, query: str, root: str) -> list[str]:
    """The pages the search lists for ``query``, in order, each once (sections count for their page).

    Material reads the field on ``keyup`` (and on focus): filled, the field also gets a ``keyup``.
    """
    for text in ("", query):
        page.fill(SEARCH_FIELD, text)
        page.dispatch_event(SEARCH_FIELD, "keyup")
        if not text:
            page.wait_for_function("() => !document.querySelector('a.md-search-result__link')", timeout=10_000)
    try:
        page.wait_for_function("() => document.querySelector('a.md-search-result__link')", timeout=20_000)
    except Exception:
        pytest.fail(f"searching {query!r}: no result; the search says {page.inner_text('.md-search-result__meta')!r}")
    paths = [urlsplit(link).path.removeprefix(root) for link in page.evaluate(RESULTS)]
    return list(dict.fromkeys(paths))


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_what_readers_type(tab, lang):
    page = tab.open(LANGS[lang])
    root = urlsplit(tab.base).path
    missed = {}
    for query, expected in QUERIES.items():
        listed = pages_listed(page, query, root)
        other = [p for p in listed if p.startswith("en/") != (lang == "en")]
        assert not other, f"the {lang} search for {query!r} lists pages of the other language: {other}"
        if LANGS[lang] + expected not in listed[:TOP]:
            missed[query] = listed[:TOP]
    assert not missed, f"{lang}: the expected page is not among the first {TOP} for {missed}"


@pytest.mark.parametrize("lang", LANGS)
def test_those_words_are_only_synonyms(site, lang):
    """The premise of most queries above: the pages do not use the word, the index's synonyms hold it."""
    from test_browser import INDEX

    index = json.loads((site / INDEX[lang]).read_text(encoding="utf-8"))
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"]).replace("\u200b", "").lower()
    synonyms = " ".join(d.get("synonyms", "") + " " + d.get("title_synonyms", "") for d in index["docs"]).lower()
    for word in ONLY_AS_SYNONYMS:
        assert word.lower() not in text, f"{lang}: the pages use {word!r} themselves"
        assert word.lower() in synonyms, f"{lang}: {word!r} is not among the index's synonyms"


@pytest.mark.parametrize("lang", LANGS)
def test_the_header_links_the_repository_the_install_lines_install_from(site, lang):
    """mkdocs.yml's repo_url, once: in the header (a plain link: Material would ask api.github.com
    for the stars of a link marked as its "source" component) and in both install lines."""
    from mkdocs.utils.yaml import yaml_load

    repo_url = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["repo_url"]
    home = (site / LANGS[lang] / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<a href="{re.escape(repo_url)}" title="[^"]+" class="md-source"', home)
    assert 'data-md-component="source"' not in home
    lines = {tool: f'{command} "convdoc @ git+{repo_url}"' for tool, command in (("pip", "pip install"), ("uv", "uv add"))}
    text = html.unescape(re.sub(r"<[^>]+>", "", home))
    for tool, line in lines.items():
        assert line in text, f"{lang} home page: no {tool} line {line!r}"
