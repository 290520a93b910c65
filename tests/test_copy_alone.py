"""Every copy button gives code that runs alone (hooks/standalone.py).

Every page of the nav that is written in Markdown is fetched by Chromium in both
languages (the session's browser, tests/conftest.py), and for every code block the test
reads what Material's copy button copies (the ``data-copy`` of the block, as its
clipboard code does, else the block's text). Each copied text then runs in a fresh
interpreter with convdoc installed, in an empty namespace of its own
(tests/snippets.py: two ``python -I`` side by side, snippets never share names):

* a Python block must have copy text without prompts or outputs;
* run statement by statement as pasted into the REPL, it must print what the page
  shows (doctest's comparison, as sybil makes it);
* it must raise nothing, except where the block shows an error: then the first
  exception (where the copied code, run as a script, ends) is the one the page shows.

The two languages' blocks are identical (tests/test_docs.py), so are their copies;
each distinct copy runs once.
"""

from __future__ import annotations

import doctest
from concurrent.futures import ThreadPoolExecutor

import pytest
from snippets import run
from test_browser import LANGS, MARKDOWN_URLS

# What Material's copy button copies (its bundle: the closest [data-copy], else the code's text, trimmed at
# the end), for every page at once: fetched by the browser and parsed as the browser parses them (the
# button itself is clicked on every page by tests/test_browser.py, which checks it copies data-copy).
BLOCKS = """async (urls) => Promise.all(urls.map(async (url) => {
  const response = await fetch(url);
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  return {status: response.status, blocks: [...doc.querySelectorAll('.md-content pre > code')].map(code => {
    const holder = code.closest('[data-copy]');
    return {
      shown: code.textContent,
      python: !!code.closest(':is(.language-python, .language-pycon, .language-py):not(.doc-signature)'),
      copy: (holder ? holder.getAttribute('data-copy') : code.textContent).trimEnd(),
      marked: !!holder,
    };
  })};
}))"""
CHECKER = doctest.OutputChecker()
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PARSER = doctest.DocTestParser()


@pytest.fixture(scope="module")
def copied(context, base_url) -> dict[str, dict]:
    """Per page: its blocks in both languages, and what running the English copies printed.

    The pages are fetched in one go from the home page; the snippets run in two fresh
    interpreters side by side (tests/snippets.py), each snippet in an empty namespace.
    """
    context.foreign.clear()
    page = context.new_page()
    page.goto(base_url, wait_until="domcontentloaded")
    urls = [(url, lang) for url in MARKDOWN_URLS for lang in LANGS]
    fetched = page.evaluate(BLOCKS, [base_url + LANGS[lang] + url for url, lang in urls])
    page.close()
    assert not context.foreign, f"requests left 127.0.0.1: {context.foreign}"
    pages: dict[str, dict] = {url: {} for url in MARKDOWN_URLS}
    for (url, lang), got in zip(urls, fetched):
        assert got["status"] == 200, (url, lang, got["status"])
        pages[url][lang] = got["blocks"]

    def python_blocks(url):
        return [b for b in pages[url]["en"] if b["python"]]

    # two interpreters side by side, each running half of the pages' snippets (each in its own namespace)
    halves = [MARKDOWN_URLS[0::2], MARKDOWN_URLS[1::2]]
    snippets = [[b["copy"] + "\n" for url in half for b in python_blocks(url)] for half in halves]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = iter([r for half in pool.map(run, snippets) for r in half])
    runs = {url: [next(results) for _ in python_blocks(url)] for half in halves for url in half}
    return {url: {**pages[url], "python": python_blocks(url), "results": runs[url]} for url in MARKDOWN_URLS}


def first_error(examples: list[doctest.Example]) -> str | None:
    """The type of the first exception a block shows ("ValueError"), None if it shows none."""
    for example in examples:
        if example.exc_msg is not None:
            return example.exc_msg.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    return None


@pytest.mark.parametrize("url", MARKDOWN_URLS)
def test_every_copied_block_runs_alone(copied, url):
    zh, en, python = copied[url]["zh"], copied[url]["en"], copied[url]["python"]
    assert [b["copy"] for b in zh] == [b["copy"] for b in en], f"{url}: the two languages copy different code"
    assert python, f"{url}: no Python block"
    for i, block in enumerate(python):
        assert block["marked"], f"{url} block {i}: the copy button copies the block's text, not code that runs alone"
        for line in block["copy"].splitlines():
            assert not line.lstrip().startswith((">>>", "... ")), f"{url} block {i}: prompt copied: {line!r}"
    for i, (block, result) in enumerate(zip(python, copied[url]["results"], strict=True)):
        examples = PARSER.get_examples(block["shown"])
        where = f"/{url} block {i}"
        detail = f"\ncopied:\n{block['copy']}\nprinted:\n{result['out']}"
        assert result["error"] == first_error(examples), (
            f"{where}: ends in {result['error']}, the page shows {first_error(examples)}{detail}"
        )
        if examples:
            want = "".join(example.want for example in examples)
            assert CHECKER.check_output(want, result["out"], OPTIONS), f"{where}: the page shows\n{want}{detail}"
