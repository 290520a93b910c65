"""The site in a real browser: Debian's Chromium driven by Playwright, no network.

Pages are loaded from a local server on 127.0.0.1; any request to another host
is aborted and fails the test. Checked here: the language switch, search in both
languages, the output-size calculator against ``convdoc.output_size`` /
``param_count``, and copy buttons that copy the code the build prepared (which
tests/test_copy_alone.py runs; every page of both languages is opened by
tests/test_page_weight.py: downloads, formulas, no other host).

Chromium: ``apt-get install -y chromium`` (Playwright's own browser download is
never used), one for the whole run (``tests/chromium.py``). Without it these tests
skip, saying so; with ``CI`` set they fail.
"""

from __future__ import annotations

import doctest
import itertools
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitebuild import nav_pages

from convdoc import output_size, param_count
from convdoc._checks import MAX_SIZE

ROOT = Path(__file__).resolve().parents[1]
LANGS = {"zh": "", "en": "en/"}


PAGES = nav_pages()
PAGE_URLS = [url for _, url in PAGES]
MARKDOWN_URLS = [url for src, url in PAGES if src.endswith(".md")]


# the browser, the server and the ``tab`` fixture: tests/conftest.py


# --- the language switch and the copy buttons, in a reader's browser ------------------------------
# Every page in both languages is opened by tests/test_page_weight.py (downloads, formulas, no other
# host, no failed request); every page's links to its twin are checked in the HTML by tests/test_site.py,
# and every Python block's copy text is run alone by tests/test_copy_alone.py. Here a reader clicks:
# the language switch of the header, and the copy buttons of Material, on pages of each kind.

# pages where every copy button is clicked; on the other pages of BROWSED the first and the last one
CLICK_EVERY_BUTTON = {"", "calculator/"}
# a chapter, a page of generated blocks (API), a notebook, an interactive page, and the home page
BROWSED = ["", "cnn-output/", "calculator/", "api/", "notebooks/feature-maps/", "explorer/"]


def switch_language(tab, page, to: str, url: str):
    page.hover(".md-header__option .md-select")
    page.click(f'.md-select__link[hreflang="{to}"]')
    # the path: the explorer writes its state into the query as soon as it plays
    target = urlsplit(tab.base + LANGS[to] + url).path
    page.wait_for_url(lambda address: urlsplit(address).path == target)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == to


def test_every_kind_of_page_is_browsed():
    assert set(BROWSED) <= set(PAGE_URLS) and CLICK_EVERY_BUTTON <= set(BROWSED)


@pytest.mark.parametrize("url", BROWSED)
def test_page_in_both_languages(tab, url):
    """The zh page, the language switch to the same page in English, and back.

    On each: the copy buttons copy the block's prepared code, and no request leaves 127.0.0.1
    (the ``tab`` fixture fails otherwise).
    """
    page = tab.open(url)
    for lang, other in (("zh", "en"), ("en", "zh")):
        where = f"/{LANGS[lang]}{url}"
        assert page.evaluate("document.documentElement.lang") == lang, where
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
# One index per language (hooks/convdoc_site.py, point 3): the Chinese pages' search/search_index.json
# and the English pages' en/search/search_index.json, each downloaded only when the reader goes to the
# search (point 4). The Chinese text is segmented by jieba at build time.

SEARCHES = [
    ("zh", "步幅", {"cnn-output/", "calculator/", "notebooks/feature-maps/"}),
    ("en", "stride", {"en/cnn-output/", "en/calculator/", "en/notebooks/feature-maps/"}),
    # 整除 (divides evenly) on these pages only inside longer runs of Chinese characters ("不能整除",
    # "能整除时"): found because jieba cut the text into words (checked on the index below). A word on
    # few pages: Material lists only its first results, so a common word's pages depend on ranking
    ("zh", "整除", {"calculator/", "errors/", "output-size/"}),
]
INDEX = {"zh": "search/search_index.json", "en": "en/search/search_index.json"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def search(tab, lang: str, query: str) -> tuple[list[str], list[str]]:
    """Search from the home page of ``lang``: the pages listed (paths below the site) and the indexes requested."""
    requests: list[str] = []
    tab.page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    page = tab.open(LANGS[lang])
    page.wait_for_load_state("networkidle")
    root = urlsplit(tab.base).path
    assert not [r for r in requests if r.endswith("search_index.json")], "the index was downloaded before searching"
    page.fill("input.md-search__input", query)
    try:  # results, not "Initializing search" for ever
        page.wait_for_function("() => document.querySelectorAll('a.md-search-result__link').length", timeout=20_000)
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
    found = [urlsplit(link).path.removeprefix(root) for link in links]
    indexes = [r.removeprefix(root) for r in requests if r.endswith("search_index.json")]
    return found, indexes


@pytest.mark.parametrize("lang, query, expected", SEARCHES)
def test_search_finds_the_pages_of_its_language_only(tab, lang, query, expected):
    found, indexes = search(tab, lang, query)
    assert indexes == [INDEX[lang]], f"the {lang} pages searched {indexes}"
    assert expected <= set(found), f"searching {query!r} found {sorted(set(found))}"
    other = sorted({path for path in found if path.startswith("en/") != (lang == "en")})
    assert not other, f"the {lang} search for {query!r} lists pages of the other language: {other}"


def test_chinese_words_inside_sentences_are_in_the_index(site):
    """The premise of the 整除 search above: on those pages the word only stands inside longer
    runs of Chinese characters, which the index cut into words (zero-width spaces, jieba)."""
    import json

    index = json.loads((site / INDEX["zh"]).read_text(encoding="utf-8"))
    [(_, query, pages)] = [s for s in SEARCHES if s[1] == "整除"]
    for path in pages:
        text = " ".join(d["title"] + " " + d["text"] for d in index["docs"] if d["location"].split("#")[0] == path)
        raw = text.replace("\u200b", "")
        starts = [m.start() for m in re.finditer(query, raw)]
        assert starts and all(i and HAN.match(raw[i - 1]) for i in starts), f"{path}: {query} stands alone"
        assert re.search(f"(^|[\\s\u200b]){query}([\\s\u200b]|$)", text), f"{path}: {query} is not a word of the index"


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
    const errors = read('errors');
    return {
      state: root.dataset.state,
      w2: read('w2').dataset.value ?? null,
      warning: warning.hidden ? null : warning.dataset.kind,
      warningText: warning.hidden ? null : warning.textContent,
      remainder: warning.hidden ? null : warning.dataset.value ?? null,
      params: read('params').dataset.value ?? null,
      formula: read('formula').textContent,
      errors: errors.hidden ? '' : errors.textContent,
      // everything the calculator shows, and every exact value it keeps
      text: [root.textContent, ...[...root.querySelectorAll('[data-value]')].map((el) => el.dataset.value)].join(' '),
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
        assert got["state"] == "ok" and got["w2"] == str(want), (case, want, got)
        assert got["formula"].endswith(f"= {want}"), (case, got["formula"])
        if span % s:
            kinds["stride"] += 1
            assert got["warning"] == "stride" and got["remainder"] == str(span % s), (case, got)
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
        assert got["params"] == str(param_count(cin, cout, f, bias=bias)), ((cin, cout, f, bias), got)


# --- the calculator at the edges: what a reader may type, against convdoc in Python ----------------

FIELDS = ["w1", "f", "p", "s", "d", "cin", "cout"]  # in the order of the form and of its error list
LABELS = {"w1": "W₁", "f": "F", "p": "P", "s": "S", "d": "D", "cin": "C_in", "cout": "C_out"}
MINIMUM = {"w1": 1, "f": 1, "p": 0, "s": 1, "d": 1, "cin": 1, "cout": 1}
# each field alone, everything else harmless: convdoc's own verdict on one value
ALONE = {
    "w1": lambda v: output_size(v, 1),
    "f": lambda v: (output_size(MAX_SIZE, v, padding=MAX_SIZE), param_count(1, 1, v)),
    "p": lambda v: output_size(1, 1, padding=v),
    "s": lambda v: output_size(1, 1, stride=v),
    "d": lambda v: output_size(1, 1, dilation=v),
    "cin": lambda v: param_count(v, 1, 1),
    "cout": lambda v: param_count(1, v, 1),
}
EDGES = [
    "0", "1", "2", str(MAX_SIZE), str(MAX_SIZE + 1), "3000000000", str(2**53 + 1), str(10**308), "1" + "0" * 400,
    "1e308", "1e3", "2.0", "0x10", "-1", "-0", "+7", "1_000", "７", "٣", "", " ",
    " 7 ", "\t7", "7\u3000", "\u00a07", "\x1c7", "7\ufeff", "007",
]
BASELINES = [  # the article's example, and one where every limit is reached and every count needs BigInt
    {"w1": "5", "f": "3", "p": "1", "s": "2", "d": "1", "cin": "3", "cout": "2"},
    {"w1": str(MAX_SIZE), "f": "3", "p": str(MAX_SIZE), "s": "1", "d": "1", "cin": str(10**308), "cout": str(2**53 + 1)},
]
CORNERS = [  # whole settings at the limits
    {"w1": str(MAX_SIZE), "f": str(MAX_SIZE), "p": str(MAX_SIZE), "s": str(MAX_SIZE), "d": str(MAX_SIZE),
     "cin": str(MAX_SIZE), "cout": str(MAX_SIZE)},  # D(F-1)+1 is 4611686011984936963 > 3*(2**31-1)
    {"w1": "1", "f": str(MAX_SIZE), "p": str(MAX_SIZE), "s": "1", "d": "1", "cin": "1", "cout": "1"},  # W2 > 2**31-1
    {"w1": "1", "f": "1", "p": "0", "s": str(MAX_SIZE), "d": str(MAX_SIZE), "cin": "1", "cout": "1"},
    {"w1": str(MAX_SIZE), "f": "46341", "p": "0", "s": "7", "d": "46341", "cin": "9" * 50, "cout": "9" * 50},
    {"w1": "1", "f": str(MAX_SIZE), "p": "0", "s": "1", "d": str(MAX_SIZE), "cin": "1", "cout": "1"},  # 2**62-ish
    {"w1": "4", "f": "5", "p": "0", "s": "1", "d": "1", "cin": "3", "cout": "2"},  # the page's last example
]
EDGE_CASES = [
    ({**base, field: edge}, (i + j) % 2 == 0)
    for i, base in enumerate(BASELINES) for field in FIELDS for j, edge in enumerate(EDGES)
] + [(corner, bias) for corner in CORNERS for bias in (True, False)]


def as_typed(raw: str) -> int | None:
    """The integer a field holds: what Python's int() reads, written with the digits 0-9 only.

    int() also takes "+7", "1_000", "-0" and other scripts' digits ("７", "٣"); the
    calculator takes plain decimal digits, with int()'s whitespace around them.
    """
    if not re.fullmatch(r"\s*[0-9]+\s*", raw):
        return None
    try:
        return int(raw)
    except ValueError:  # whitespace that int() does not strip ("\x1c")
        return None


def field_error(field: str, raw: str) -> str | None:
    """None if convdoc takes the value typed in ``field``, else "int" (not an integer >= the minimum) or "max"."""
    value = as_typed(raw)
    if value is None:
        return "int"
    try:
        ALONE[field](value)
    except ValueError as exc:
        return "max" if "must be at most 2,147,483,647" in str(exc) else "int"
    return None


def edge_message(lang: str, kind: str, field: str) -> str:
    label, minimum = LABELS[field], MINIMUM[field]
    return {
        ("zh", "int"): f"{label} 必须是 ≥ {minimum} 的整数",
        ("en", "int"): f"{label} must be an integer ≥ {minimum}",
        ("zh", "max"): f"{label} 不能超过 2,147,483,647（即 2³¹ − 1，convdoc 为尺寸类参数设定的上限）",
        ("en", "max"): f"{label} must be at most 2,147,483,647 (2³¹ − 1, convdoc's limit for sizes)",
    }[lang, kind]


def check_edge_case(lang: str, values: dict[str, str], bias: bool, got: dict) -> None:
    where = (values, bias, got)
    for bad in ("NaN", "Infinity", "e+"):
        assert bad not in got["text"], where
    errors = {field: field_error(field, values[field]) for field in FIELDS}
    separator = {"zh": "；", "en": "; "}[lang]
    assert got["errors"] == separator.join(
        edge_message(lang, kind, field) for field, kind in errors.items() if kind
    ), where
    if any(errors[field] for field in ("w1", "f", "p", "s", "d")):
        assert got["state"] == "invalid" and got["w2"] is None and got["formula"] == "", where
    else:
        w1, f, p, s, d = (as_typed(values[field]) for field in ("w1", "f", "p", "s", "d"))
        shown = f"⌊({w1} + 2×{p} − {d}×({f} − 1) − 1) / {s}⌋ + 1"
        assert shown in got["formula"], where
        try:
            want = output_size(w1, f, stride=s, padding=p, dilation=d)
        except ValueError as exc:
            assert "larger than the padded input" in str(exc), where
            assert got["state"] == "error" and got["warning"] == "kernel" and got["w2"] is None, where
            eff, padded = d * (f - 1) + 1, w1 + 2 * p  # in convdoc's message too
            assert f"= {eff}" in got["warningText"] and f"= {padded}" in got["warningText"], where
        else:
            assert got["state"] == "ok" and got["w2"] == str(want), where
            assert got["formula"].endswith(f"= {want}"), where
            span = w1 + 2 * p - d * (f - 1) - 1
            assert got["remainder"] == (str(span % s) if span % s else None), where
    if any(errors[field] for field in ("cin", "cout", "f")):
        assert got["params"] is None, where
    else:
        cin, cout, f = (as_typed(values[field]) for field in ("cin", "cout", "f"))
        assert got["params"] == str(param_count(cin, cout, f, bias=bias)), where


@pytest.mark.parametrize("lang", LANGS)
def test_calculator_at_the_edges_agrees_with_convdoc(tab, lang):
    """Every field, every edge a reader may type, in both languages: convdoc's answer or its refusal.

    Limits (2**31 - 1 for sizes, none for channels), the integers convdoc takes, exact results
    far beyond 2**53, and never NaN, Infinity or exponent notation.
    """
    page = tab.open(LANGS[lang] + "calculator/")
    fields = FIELDS + ["bias"]
    results = page.evaluate(SET_AND_READ, [fields, [[values[f] for f in FIELDS] + [bias] for values, bias in EDGE_CASES]])
    kinds = {"ok": 0, "error": 0, "invalid": 0, "max": 0, "params>2**53": 0}
    for (values, bias), got in zip(EDGE_CASES, results):
        check_edge_case(lang, values, bias, got)
        kinds[got["state"]] += 1
        kinds["max"] += "2,147,483,647" in got["errors"]
        kinds["params>2**53"] += got["params"] is not None and int(got["params"]) > 2**53
    assert min(kinds.values()) >= 10, f"the edge cases should cover every kind of result: {kinds}"


def test_calculator_api_is_exact_and_checks_like_convdoc(tab):
    """window.convdocCalculator: BigInt results, and convdoc's messages for what convdoc refuses."""
    page = tab.open("calculator/")
    got = page.evaluate("""() => {
      const {outputSize, paramCount} = window.convdocCalculator;
      const error = (f) => { try { f(); return null; } catch (e) { return `${e.name}: ${e.message}`; } };
      const r = outputSize(1n, 2147483647n, 2147483647n, 1n, 1n);
      return {
        w2: [typeof r.w2, String(r.w2)],
        small: String(outputSize(5, 3, 1, 2, 1).w2),
        params: [typeof paramCount(3, 2, 3, true), String(paramCount(10n ** 30n, 2n ** 53n + 1n, 2147483647n, false))],
        tooLarge: error(() => outputSize(3000000000, 3)),
        padding: error(() => outputSize(5, 3, -1)),
        inexact: error(() => paramCount(2 ** 53 + 1, 1, 1)),
        string: error(() => outputSize("5", 3)),
      };
    }""")
    assert got["w2"] == ["bigint", str(output_size(1, MAX_SIZE, padding=MAX_SIZE))]
    assert got["small"] == str(output_size(5, 3, stride=2, padding=1))
    assert got["params"] == ["bigint", str(param_count(10**30, 2**53 + 1, MAX_SIZE, bias=False))]
    with pytest.raises(ValueError) as exc:
        output_size(3000000000, 3)
    assert got["tooLarge"] == f"RangeError: {exc.value}"
    with pytest.raises(ValueError) as exc:
        output_size(5, 3, padding=-1)
    assert got["padding"] == f"RangeError: {exc.value}"
    assert got["inexact"].startswith("TypeError: in_channels must be a positive integer")
    assert got["string"].startswith("TypeError: size must be a positive integer")


CALC_TEXT = {
    "zh": {"start": ["W₂ = 3", "3 × 3 × 2", "= 56"], "remainder": "余 1", "kernel": "卷积核比填充后的输入还大",
           "invalid": "S 必须是 ≥ 1 的整数", "max": "W₁ 不能超过 2,147,483,647（即 2³¹ − 1"},
    "en": {"start": ["W₂ = 3", "3 × 3 × 2", "= 56"], "remainder": "remainder of 1", "kernel": "larger than the padded input",
           "invalid": "S must be an integer ≥ 1", "max": "W₁ must be at most 2,147,483,647 (2³¹ − 1"},
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
    # typed key by key: spaces around a number are fine, exponent notation is not, limits are convdoc's
    page.fill('input[name="s"]', "")
    page.locator('input[name="s"]').press_sequentially(" 1 ")
    page.fill('input[name="f"]', "3")
    page.fill('input[name="w1"]', "")
    page.locator('input[name="w1"]').press_sequentially("3000000000")
    assert calc.get_attribute("data-state") == "invalid"
    assert text["max"] in page.inner_text('[data-calc="errors"]')
    page.fill('input[name="w1"]', "2147483647")
    page.fill('input[name="p"]', "2147483647")
    want = output_size(MAX_SIZE, 3, padding=MAX_SIZE)
    assert page.inner_text('[data-calc="w2"]') == f"W₂ = {want}"
    page.fill('input[name="p"]', "1e308")
    assert calc.get_attribute("data-state") == "invalid"
    assert page.inner_text('[data-calc="w2"]') == "W₂ = —"
    page.fill('input[name="p"]', "1")
    page.fill('input[name="cin"]', "9007199254740993")
    page.fill('input[name="cout"]', "9007199254740993")
    params = str(param_count(2**53 + 1, 2**53 + 1, 3))
    assert page.inner_text('[data-calc="params"]').endswith(f"= {params}")
    assert calc.get_attribute("data-state") == "ok"
    for bad in ("NaN", "Infinity", "e+"):
        assert bad not in calc.inner_text()


@pytest.mark.parametrize("lang", LANGS)
def test_calculator_page_requests_nothing_that_fails(tab, lang):
    """Loading the page, using the calculator and switching language: no request fails or gets a 4xx/5xx.

    (Material's language switch once fetched ``calculator/sitemap.xml`` and ``en/calculator/sitemap.xml``
    beside the page's hreflang links, two 404s on every page: hooks/deploy.py, point 3.)
    """
    failed: list[str] = []
    tab.page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    tab.page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url}: {response.status}"))
    page = tab.open(LANGS[lang] + "calculator/")
    page.wait_for_load_state("networkidle")
    page.fill('input[name="w1"]', "224")
    page.fill('input[name="cin"]', "9007199254740993")
    assert page.locator(".convdoc-calc").get_attribute("data-state") == "ok"
    # the hreflang links are in the page for search engines, naming the twin
    alternates = page.eval_on_selector_all('head link[rel="alternate"][hreflang]', "els => els.map(e => e.hreflang)")
    assert sorted(alternates) == ["en", "zh"]
    other = "en" if lang == "zh" else "zh"
    switch_language(tab, page, other, "calculator/")
    page.wait_for_load_state("networkidle")
    assert not failed, f"/{LANGS[lang]}calculator/: {failed}"


# --- copy buttons copy what the page says they copy ----------------------------------------------
# (that the copied code runs alone and prints what the page shows: tests/test_copy_alone.py)

BLOCKS = """() => [...document.querySelectorAll('.md-content pre:has(> code)')].map(pre => ({
  shown: pre.querySelector('code').textContent,
  copy: pre.getAttribute('data-copy'),
}))"""


def check_copy_buttons(page, where: str, click_all: bool):
    """A click on the real button (Material's clipboard code) copies the block's data-copy."""
    blocks = page.evaluate(BLOCKS)
    doctests = [i for i, b in enumerate(blocks) if doctest.DocTestParser().get_examples(b["shown"])]
    assert doctests, f"{where}: no doctest block"
    clicked = doctests if click_all else sorted({doctests[0], doctests[-1]})
    pres = page.locator(".md-content pre:has(> code)")
    for i in clicked:
        assert blocks[i]["copy"], f"{where} block {i}: no runnable copy text"
        pres.nth(i).hover()
        pres.nth(i).locator('button[data-md-type="copy"]').click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == blocks[i]["copy"].rstrip(), f"{where} block {i}: the button copied {copied!r}"
