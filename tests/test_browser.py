"""The site in a real browser: Debian's Chromium driven by Playwright, no network.

Every page is loaded from a local server on 127.0.0.1; any request to another
host is aborted and fails the test. Checked here: formulas typeset on every
page, the language switch, search in both languages, the output-size calculator
against ``convdoc.output_size`` / ``param_count``, and copy buttons that give
runnable Python.

Chromium: ``apt-get install -y chromium`` (Playwright's own browser download is
never used). Without it these tests skip, saying so; with ``CI`` set they fail.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import itertools
import os
import shutil
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.utils.yaml import yaml_load
from sitebuild import build_site, serve

from convdoc import output_size, param_count

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LANGS = {"zh": "", "en": "en/"}


def nav_pages() -> list[tuple[str, str]]:
    """(source, URL path) of every page in mkdocs.yml's nav, e.g. ("calculator.md", "calculator/")."""
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


PAGES = nav_pages()
PAGE_URLS = [url for _, url in PAGES]
MARKDOWN_URLS = [url for src, url in PAGES if src.endswith(".md")]


# --- browser, server, and a page that may not talk to any other host ----------------------------


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> str:
    return serve(build_site(tmp_path_factory))


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        message = "Chromium is not installed: apt-get install -y chromium (Debian); CI installs it and requires these tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A page of the session's browser context; requests to hosts other than 127.0.0.1 are aborted and recorded."""

    def __init__(self, context, base_url: str, foreign: list[str]):
        self.base = base_url
        self.foreign = foreign
        self.page = context.new_page()

    def open(self, path: str):
        self.page.goto(self.base + path, wait_until="load")
        return self.page


@pytest.fixture(scope="session")
def context(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url[: base_url.index("/", 8)])
    foreign: list[str] = []

    def guard(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.hostname == "127.0.0.1":
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.foreign = foreign
    yield context
    context.close()


@pytest.fixture
def tab(context, base_url):
    context.foreign.clear()
    tab = Tab(context, base_url, context.foreign)
    yield tab
    tab.page.close()
    assert not tab.foreign, f"requests left 127.0.0.1: {tab.foreign}"


# --- every page in both languages: offline, formulas, copy buttons, language switch --------------

TYPESET = """() => window.MathJax && MathJax.startup && MathJax.startup.document &&
  [...document.querySelectorAll('.arithmatex')].every(el => el.querySelector('mjx-container'))"""
FORMULAS = """() => ({
  formulas: document.querySelectorAll('.arithmatex').length,
  typeset: [...document.querySelectorAll('.arithmatex')].filter(el => el.querySelector('mjx-container')).length,
  errors: document.querySelectorAll('mjx-merror').length,
  rawTex: /\\\\\\(|\\\\\\[/.test(document.querySelector('.md-content').innerText),
})"""
# pages that must show formulas, so that "every formula is typeset" cannot pass on an empty page
FORMULA_PAGES = {"", "cnn-output/", "calculator/", "notebooks/feature-maps/"}
# pages where every copy button is clicked; elsewhere the first and the last one
CLICK_EVERY_BUTTON = {"", "calculator/"}


def check_formulas(page, where: str) -> int:
    with contextlib.suppress(Exception):  # on timeout, report the counts below
        page.wait_for_function(TYPESET, timeout=20_000)
    state = page.evaluate(FORMULAS)
    assert state["typeset"] == state["formulas"], f"{where}: {state['typeset']} of {state['formulas']} formulas typeset"
    assert state["errors"] == 0, f"{where}: {state['errors']} TeX errors"
    assert not state["rawTex"], f"{where}: raw TeX left in the text"
    return state["formulas"]


def switch_language(tab, page, to: str, url: str):
    page.hover(".md-header__option .md-select")
    page.click(f'.md-select__link[hreflang="{to}"]')
    page.wait_for_url(tab.base + LANGS[to] + url)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == to


@pytest.mark.parametrize("url", PAGE_URLS)
def test_page_in_both_languages(tab, url):
    """The zh page, a click on the language switch, the same page in English, and back.

    On each: every formula typeset by the site's own MathJax, the copy buttons give
    runnable code, and no request leaves 127.0.0.1 (the ``tab`` fixture fails otherwise).
    """
    page = tab.open(url)
    for lang, other in (("zh", "en"), ("en", "zh")):
        where = f"/{LANGS[lang]}{url}"
        formulas = check_formulas(page, where)
        if url in FORMULA_PAGES:
            assert formulas > 0, f"{where}: no formula found"
        if url in MARKDOWN_URLS:
            check_copy_buttons(page, where, click_all=url in CLICK_EVERY_BUTTON)
        assert not tab.foreign, f"{where} requested {tab.foreign}"
        switch_language(tab, page, other, url)


def test_the_network_guard_catches_another_host(tab):
    page = tab.open("")
    page.evaluate("() => { const img = new Image(); img.src = 'https://example.org/pixel.png'; document.body.append(img); }")
    page.wait_for_function("() => document.querySelector('img[src^=\"https://example.org\"]').complete")
    assert tab.foreign == ["https://example.org/pixel.png"]
    tab.foreign.clear()  # caught and aborted: the page never reached example.org


# --- search -------------------------------------------------------------------------------------

SEARCHES = [
    ("zh", "步幅", {"cnn-output/", "calculator/", "notebooks/feature-maps/"}),
    ("en", "stride", {"en/cnn-output/", "en/calculator/", "en/notebooks/feature-maps/"}),
]


@pytest.mark.parametrize("lang, query, expected", SEARCHES)
def test_search_finds_the_pages(tab, lang, query, expected):
    page = tab.open(LANGS[lang])
    page.fill("input.md-search__input", query)
    try:
        page.wait_for_function("() => document.querySelectorAll('a.md-search-result__link').length", timeout=60_000)
    except Exception:
        pytest.fail(f"searching {query!r}: no result; the search says {page.inner_text('.md-search-result__meta')!r}")
    links: list[str] = []
    while True:  # Material renders ten pages of results at a time, more as the list scrolls
        more = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
        if len(more) == len(links):
            break
        links = more
        page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(300)
    root = urlsplit(tab.base).path
    found = [urlsplit(link).path.removeprefix(root) for link in links]
    # (one search index serves both languages, reconfigure_search: false: the English glossary
    # mentions 步幅 and the API reference is English in both, so other pages may be found too)
    assert expected <= set(found), f"searching {query!r} found {sorted(set(found))}"


# --- the output-size calculator -------------------------------------------------------------------

GRID = list(itertools.product(
    [1, 2, 5, 7, 28, 224],  # W1
    [1, 2, 3, 5, 7],  # F
    [0, 1, 3],  # P
    [1, 2, 3],  # S
    [1, 2],  # D
))
SET_AND_READ = """([fields, cases]) => {
  const root = document.querySelector('.convdoc-calc');
  const form = root.querySelector('form');
  const read = (key) => root.querySelector(`[data-calc="${key}"]`);
  return cases.map((values) => {
    fields.forEach((name, i) => {
      const input = form.elements[name];
      if (input.type === 'checkbox') input.checked = values[i]; else input.value = String(values[i]);
      input.dispatchEvent(new Event('input', {bubbles: true}));
    });
    const warning = read('warning');
    return {
      state: root.dataset.state,
      w2: read('w2').dataset.value ?? null,
      warning: warning.hidden ? null : warning.dataset.kind,
      remainder: warning.hidden ? null : warning.dataset.value ?? null,
      params: read('params').dataset.value ?? null,
      formula: read('formula').textContent,
    };
  });
}"""


def expected_size(w1, f, p, s, d):
    try:
        return output_size(w1, f, stride=s, padding=p, dilation=d)
    except ValueError:
        return None


@pytest.mark.parametrize("lang", LANGS)
def test_calculator_agrees_with_output_size(tab, lang):
    page = tab.open(LANGS[lang] + "calculator/")
    results = page.evaluate(SET_AND_READ, [["w1", "f", "p", "s", "d"], GRID])
    assert len(GRID) >= 200
    kinds = {"ok": 0, "stride": 0, "error": 0}
    for case, got in zip(GRID, results):
        w1, f, p, s, d = case
        want = expected_size(*case)
        if want is None:
            kinds["error"] += 1
            assert got["state"] == "error" and got["warning"] == "kernel", (case, got)
            continue
        span = w1 + 2 * p - d * (f - 1) - 1
        assert got["state"] == "ok" and int(got["w2"]) == want, (case, want, got)
        assert got["formula"].endswith(f"= {want}"), (case, got["formula"])
        if span % s:
            kinds["stride"] += 1
            assert got["warning"] == "stride" and int(got["remainder"]) == span % s, (case, got)
        else:
            kinds["ok"] += 1
            assert got["warning"] is None, (case, got)
    assert min(kinds.values()) >= 20, f"the grid should cover every kind of case: {kinds}"


@pytest.mark.parametrize("lang", LANGS)
def test_calculator_counts_parameters_like_param_count(tab, lang):
    cases = list(itertools.product([1, 3, 16], [1, 2, 64], [1, 3, 7], [True, False]))
    page = tab.open(LANGS[lang] + "calculator/")
    results = page.evaluate(SET_AND_READ, [["cin", "cout", "f", "bias"], cases])
    for (cin, cout, f, bias), got in zip(cases, results):
        assert int(got["params"]) == param_count(cin, cout, f, bias=bias), ((cin, cout, f, bias), got)


CALC_TEXT = {
    "zh": {"start": ["W₂ = 3", "3 × 3 × 2", "= 56"], "remainder": "余 1", "kernel": "卷积核比填充后的输入还大",
           "invalid": "S 必须是 ≥ 1 的整数"},
    "en": {"start": ["W₂ = 3", "3 × 3 × 2", "= 56"], "remainder": "remainder of 1", "kernel": "larger than the padded input",
           "invalid": "S must be an integer ≥ 1"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_calculator_typed_by_hand(tab, lang):
    text = CALC_TEXT[lang]
    page = tab.open(LANGS[lang] + "calculator/")
    calc = page.locator(".convdoc-calc")
    body = calc.inner_text()
    for number in text["start"]:  # the article's example: 5x5, 3 channels, two 3x3 filters, P=1, S=2
        assert number in body, (number, body)
    assert "⌊4 / 2⌋ + 1 = 3" in body
    # 6, 3, P=0, S=2: (6 - 3)/2 + 1 = 2.5 -> 2, one column dropped
    page.fill('input[name="w1"]', "6")
    page.fill('input[name="p"]', "0")
    assert page.inner_text('[data-calc="w2"]') == f"W₂ = {output_size(6, 3, stride=2)}"
    assert "⌊3 / 2⌋ + 1 = 2" in page.inner_text('[data-calc="formula"]')
    assert text["remainder"] in page.inner_text('[data-calc="warning"]')
    # a kernel larger than the padded input
    page.fill('input[name="w1"]', "4")
    page.fill('input[name="f"]', "5")
    assert calc.get_attribute("data-state") == "error"
    assert text["kernel"] in page.inner_text('[data-calc="warning"]')
    # not an integer >= 1
    page.fill('input[name="s"]', "0")
    assert calc.get_attribute("data-state") == "invalid"
    assert text["invalid"] in page.inner_text('[data-calc="errors"]')


# --- copy buttons give runnable code --------------------------------------------------------------


def run_like_the_repl(code: str, namespace: dict) -> str:
    """Run pasted code statement by statement, printing values and tracebacks as the REPL does."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for stmt in ast.parse(code).body:
            try:
                exec(compile(ast.Interactive(body=[stmt]), "<pasted>", "single"), namespace)
            except Exception as exc:
                print("Traceback (most recent call last):")
                print("  ...")
                print("".join(traceback.format_exception_only(exc)), end="")
    return out.getvalue()


CHECKER = doctest.OutputChecker()
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


BLOCKS = """() => [...document.querySelectorAll('.md-content pre:has(> code)')].map(pre => ({
  shown: pre.querySelector('code').textContent,
  copy: pre.getAttribute('data-copy'),
}))"""


def check_copy_buttons(page, where: str, click_all: bool):
    """What the copy buttons copy has no prompts and, run in Python, prints what the page shows.

    The blocks of a page share one namespace, as in sybil and as for a reader pasting them in order.
    """
    blocks = page.evaluate(BLOCKS)
    doctests = [i for i, b in enumerate(blocks) if doctest.DocTestParser().get_examples(b["shown"])]
    assert doctests, f"{where}: no doctest block"
    clicked = doctests if click_all else sorted({doctests[0], doctests[-1]})
    pres = page.locator(".md-content pre:has(> code)")
    for i in clicked:  # the real button: Material's clipboard copies the block's data-copy
        pres.nth(i).hover()
        pres.nth(i).locator('button[data-md-type="copy"]').click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == (blocks[i]["copy"] or "").rstrip(), f"{where} block {i}: the button copied {copied!r}"
    namespace: dict = {}
    for i in doctests:
        copied = blocks[i]["copy"]
        assert copied, f"{where} block {i}: no runnable copy text"
        for line in copied.splitlines():
            assert not line.lstrip().startswith((">>>", "... ")), f"{where} block {i}: prompt copied: {line!r}"
        want = "".join(example.want for example in doctest.DocTestParser().get_examples(blocks[i]["shown"]))
        got = run_like_the_repl(copied, namespace)
        assert CHECKER.check_output(want, got, OPTIONS), (
            f"{where} block {i}: the copied code prints\n{got}\nbut the page shows\n{want}\ncopied:\n{copied}"
        )
