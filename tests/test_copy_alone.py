"""Every copy button gives code that runs alone (hooks/standalone.py).

Every page of the nav that is written in Markdown is opened in Chromium in both
languages (the fixtures of tests/test_browser.py), and for every code block the test
reads what Material's copy button copies (the ``data-copy`` of the block, as its
clipboard code does, else the block's text). Each copied text then runs in a fresh
interpreter with convdoc installed, in an empty namespace of its own
(tests/snippets.py: one ``python -I`` per page, snippets never share names):

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

import pytest
from snippets import run
from test_browser import LANGS, MARKDOWN_URLS

# what Material's copy button copies (its bundle: closest [data-copy], else innerText, trimmed at the end)
BLOCKS = """() => [...document.querySelectorAll('.md-content pre > code')].map(code => {
  const holder = code.closest('[data-copy]');
  return {
    shown: code.textContent,
    python: !!code.closest(':is(.language-python, .language-pycon, .language-py):not(.doc-signature)'),
    copy: (holder ? holder.getAttribute('data-copy') : code.innerText).trimEnd(),
    marked: !!holder,
  };
})"""
CHECKER = doctest.OutputChecker()
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PARSER = doctest.DocTestParser()


def first_error(examples: list[doctest.Example]) -> str | None:
    """The type of the first exception a block shows ("ValueError"), None if it shows none."""
    for example in examples:
        if example.exc_msg is not None:
            return example.exc_msg.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    return None


@pytest.mark.parametrize("url", MARKDOWN_URLS)
def test_every_copied_block_runs_alone(tab, url):
    blocks = {}
    for lang, prefix in LANGS.items():
        page = tab.page
        page.goto(tab.base + prefix + url, wait_until="domcontentloaded")
        blocks[lang] = page.evaluate(BLOCKS)
    zh, en = blocks["zh"], blocks["en"]
    assert [b["copy"] for b in zh] == [b["copy"] for b in en], f"{url}: the two languages copy different code"
    python = [b for b in en if b["python"]]
    assert python, f"{url}: no Python block"
    for i, block in enumerate(python):
        assert block["marked"], f"{url} block {i}: the copy button copies the block's text, not code that runs alone"
        for line in block["copy"].splitlines():
            assert not line.lstrip().startswith((">>>", "... ")), f"{url} block {i}: prompt copied: {line!r}"
    results = run([b["copy"] + "\n" for b in python])
    for i, (block, result) in enumerate(zip(python, results)):
        examples = PARSER.get_examples(block["shown"])
        where = f"/{url} block {i}"
        detail = f"\ncopied:\n{block['copy']}\nprinted:\n{result['out']}"
        assert result["error"] == first_error(examples), (
            f"{where}: ends in {result['error']}, the page shows {first_error(examples)}{detail}"
        )
        if examples:
            want = "".join(example.want for example in examples)
            assert CHECKER.check_output(want, result["out"], OPTIONS), f"{where}: the page shows\n{want}{detail}"
