"""Every number a reader reads in the prose comes out of convdoc, or is on the reviewed allow-list.

The pages promise that their numbers are computed. A code block's output is checked by sybil, a
``<!-- convdoc: EXPR -->`` marker is generated at build time; a number typed into a sentence is
checked by nothing. This test finds such numbers on every page of ``docs/`` (both languages, the
pages added later too) and fails with the page, the line and the number.

The rules
---------
* **Prose** is everything on the page but the fenced code blocks and the convdoc markers: the
  front matter's description, headings, paragraphs, lists, tables, captions, admonition titles,
  inline code and ``$...$`` / ``$$...$$`` formulas typed by hand (a worked example such as
  ``(6 − 3)/2 + 1 = 2.5`` is prose). Link targets and HTML tags are not; numbers that start a
  numbered list item are not.
* **Numbers**: every number written with digits (``2.5``, ``34,944``, ``105{,}705{,}600``,
  ``8.85e+20``), with its scale when one follows (``449 亿``, ``2.36 million``, ``96%``,
  ``15.47 GFLOPS``); Chinese numerals with 十/百/千/万/亿 (二十多, 一亿, 几百); English words from
  eleven up (twenty, hundreds). Single digits inside a formula are structural (indices,
  the ``+ 1`` and ``2P`` of a general formula) and pass; in running text even a single digit
  must be produced. Numbers up to ten written as words (one filter, 两个, three channels) are
  ordinary language and are not read.
* A number **is produced** when it occurs in a code block of the same page (the call's arguments
  or its output) or in the text a marker of the page renders (for a figure, its words). A number
  written with decimals or a scale matches a produced number that rounds to it: ``449 亿``
  matches 44,943,829,760 and ``2.36 million`` matches 2,359,296. An integer must match exactly.
* Everything else is either produced on the page (print it in a ```` ```python ```` block, or
  generate the sentence with a marker) or allowed below, in ``ALLOWED`` or ``RULES``, with the
  reason. Entries that no page needs any more fail ``test_every_allowance_is_used``.
* **Both languages** state the same numbers: a value of more than one digit in the prose of
  ``page.md`` must also be in ``page.en.md`` and the other way round (scales applied, 1% apart
  counts as equal: 449 亿 and 45 billion), so that a sentence added to one language only is found.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation, localcontext
from fnmatch import fnmatch
from pathlib import Path

import pytest

from hooks.convdoc_site import render_markers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))

# --- the reviewed allow-list: the one place where a typed number is accepted ---------------------

# Whole pages whose prose reports what was measured, not what convdoc computes.
EXEMPT_PAGES = {
    "performance": "timings of one run of benchmarks/conv.py on the machine and date the page states; "
                   "CI cannot recompute them (tests/test_benchmark.py checks the script that made them)",
}

# Patterns: (regular expression, reason). What a pattern matches is not read for numbers.
RULES = [
    # (a comma or full stop after it ends the sentence or the clause: "in 2006, Caffe …")
    (r"(?<![\d,.])(?:19[89]\d|20[0-2]\d)(?!\d|[,.]\d)", "a year (of a paper, a release, a measurement)"),
    (r"图 \d+|Figure \d+", "a figure's number on its own page"),
    (r"#\d{3,}", "an issue or pull-request number"),
    (r"\b(?:AlexNet|VGG|ResNet|ResNeXt|LeNet|DenseNet|MobileNetV|wav2vec|C|M)[-‑]?\d+(?:\.\d+)?(?:_\d+x\d+d)?\b",
     "a network's name (VGG-16, ResNet-50, LeNet-5, C3D, M5, wav2vec 2.0's 2.0 is a version below)"),
    (r"\b(?:PyTorch|torch|Python|numpy|NumPy|Chromium|wav2vec) \d+(?:\.\d+)+\b", "a software version"),
]

# Literal text: (page pattern, text, reason). Every occurrence of the text on the pages the pattern
# (fnmatch on the file name, "*" for all) matches is not read for numbers. Keep the text short and
# specific, and say why it is not a computed quantity.
ALLOWED = [
    ("*", "180°", "a half turn: flipping a filter is a geometric fact, not a result"),
    ("calculator*", "0–9", "the decimal digits a field accepts"),
    ("calculator*", "`1e+21`", "an example of a notation the calculator does not use"),
    ("calculator*", "`1e3`", "an example of input the calculator refuses"),
    ("calculator*", "`2.0`", "an example of input the calculator refuses"),
    ("calculator.md", "几百组", "the size of the browser test's grid (tests/test_browser.py), not a result on the page"),
    ("explorer.md", "几百组", "the size of the explorer's agreement test (tests/test_explorer.py), not a result on the page"),
    ("explorer.en.md", "hundreds of", "the size of the explorer's agreement test (tests/test_explorer.py), not a result on the page"),
    ("calculator.en.md", "hundreds of", "the size of the browser test's grid (tests/test_browser.py), not a result on the page"),
    ("conv-1d-3d.md", "0.7 毫米", "a typical CT scan's pixel spacing, an example of the input, not a result"),
    ("conv-1d-3d.en.md", "0.7 mm", "a typical CT scan's pixel spacing, an example of the input, not a result"),
    ("first-linear*", "`conv1d:128:80:s16`", "the spec syntax of the command line, an example of input"),
    ("first-linear*", "`Conv1d(128, 80, stride=16)`", "what that example of the spec syntax means"),
    ("first-linear*", "`dropout:0.2`", "the spec syntax of the command line, an example of input"),
    ("first-linear*", "`Dropout(0.2)`", "what that example of the spec syntax means"),
    ("classic-networks.md", "“6000 万", "the AlexNet paper's own words, quoted; the page computes 60,965,224"),
    ("classic-networks.en.md", "\"60 million", "the AlexNet paper's own words, quoted; the page computes 60,965,224"),
    ("classic-networks.md", "“138”", "the VGG paper's table (millions), quoted; the page computes 138,357,544"),
    ("classic-networks.en.md", "\"138\"", "the VGG paper's table (millions), quoted; the page computes 138,357,544"),
]

# --- reading the pages -----------------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
MARKER = re.compile(r"<!--\s*convdoc:.*?-->", re.S)
SCALES = {
    "亿": Decimal("1e8"), "千万": Decimal("1e7"), "百万": Decimal("1e6"), "万": Decimal("1e4"),
    "billion": Decimal("1e9"), "million": Decimal("1e6"), "thousand": Decimal("1e3"),
    "GFLOPS": Decimal("1e9"), "GFLOPs": Decimal("1e9"), "MFLOPs": Decimal("1e6"),
    "%": Decimal("0.01"),
}
DIGITS = r"\d+(?:(?:,|\{,\})\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?"
NUMBER = re.compile(
    rf"(?<![\w.])(?P<num>{DIGITS})(?![\w])(?:\s?(?P<scale>{'|'.join(map(re.escape, SCALES))}))?"
)
CHINESE_NUMERAL = re.compile(r"[零一二两三四五六七八九几十百千万亿]*[十百千万亿][零一二两三四五六七八九几十百千万亿多]*")
CHINESE_DIGIT = re.compile(r"[一二两三四五六七八九几]")
ENGLISH_NUMERAL = re.compile(
    r"\b(?:eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty"
    r"|hundreds?|thousands?|millions?|billions?)\b",
    re.IGNORECASE,
)
FORMULA = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace("{,}", "").replace(",", ""))
    except InvalidOperation:
        return None


def produced(markdown: str, lang: str) -> set[Decimal]:
    """The numbers the page's code blocks hold and its markers render."""
    texts = [m.group("body") for m in FENCE.finditer(markdown)]
    for m in MARKER.finditer(markdown):
        texts.append(re.sub(r"<[^>]*>", " ", render_markers(m.group(0), lang)))
    found = set()
    for text in texts:
        for m in NUMBER.finditer(text.replace("\u2212", "-")):
            value = _value(m.group("num"))
            if value is not None:
                found.add(value)
    return found


def _blank(match: re.Match) -> str:
    """Remove what a match covers, keeping its line breaks so that line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def prose_lines(markdown: str, name: str) -> list[tuple[int, str, list[tuple[int, int]]]]:
    """(line number, prose of the line, spans inside formulas) for every line of the page."""
    text = FENCE.sub(_blank, markdown)
    text = MARKER.sub(_blank, text)
    text = re.sub(r"\]\([^)\s]*\)", lambda m: "]" + " " * (len(m.group(0)) - 1), text)
    text = re.sub(r"<[^>\n]*>", _blank, text)
    text = re.sub(r"^\s*\d+\.\s", _blank, text, flags=re.M)
    text = re.sub(r"^---$|^description:", _blank, text, flags=re.M)
    for pattern, _ in RULES:
        text = re.sub(pattern, _blank, text)
    for pages, literal, _ in ALLOWED:
        if fnmatch(name, pages):
            text = text.replace(literal, " " * len(literal))
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        formulas = [(m.start(), m.end()) for m in FORMULA.finditer(line)]
        out.append((number, line, formulas))
    return out


def _matches(value: Decimal, num: str, scale: str | None, made: set[Decimal]) -> bool:
    if scale is None and "." not in num and "e" not in num:
        return value in made
    decimals = len(num.split(".")[1].split("e")[0]) if "." in num else 0
    factors = [SCALES[scale]] if scale else [Decimal(1)]
    if scale == "%":
        factors.append(Decimal(1))  # a block may print the percentage itself: 96.0 for "96%"
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext(Context(prec=200)):  # a produced 21-digit count still rounds exactly
        return any((p / f).quantize(quantum) == value for p in made for f in factors if p != 0 or value == 0)


def problems(markdown: str, name: str) -> list[str]:
    """One message per number of the prose of ``markdown`` that nothing on the page produces."""
    stem = name.removesuffix(".md").removesuffix(".en")
    if stem in EXEMPT_PAGES:
        return []
    lang = "en" if name.endswith(".en.md") else "zh"
    made = produced(markdown, lang)
    found = []
    for number, line, formulas in prose_lines(markdown, name):
        seen = []
        for m in NUMBER.finditer(line):
            num, scale = m.group("num"), m.group("scale")
            value = _value(num)
            in_formula = any(a <= m.start() < b for a, b in formulas)
            if value is None or (in_formula and re.fullmatch(r"\d", num)):
                continue
            if not _matches(value, num, scale, made):
                seen.append(m.group(0).strip())
        words = NUMBER.sub(_blank, line)  # "449 亿" and "2.36 million" were read as numbers above
        seen += [m.group(0) for m in CHINESE_NUMERAL.finditer(words) if CHINESE_DIGIT.search(m.group(0))]
        seen += [m.group(0) for m in ENGLISH_NUMERAL.finditer(words)]
        for typed in seen:
            found.append(
                f"docs/{name}:{number}: {typed!r} is typed in the prose, but no code block or convdoc "
                f"marker of this page produces it.\n    {line.strip()[:160]}\n"
                "    Fix: compute it in a ```python block of this page (for a rounded or scaled number, "
                "print the rounded value), or generate the sentence with a <!-- convdoc: ... --> "
                "marker, or, if it is no computed quantity (a year, a name, an issue number), add it to "
                "ALLOWED in tests/test_prose_numbers.py with the reason."
            )
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_number_in_the_prose_is_produced_on_the_page(page):
    found = problems(page.read_text(encoding="utf-8"), str(page.relative_to(DOCS)))
    assert not found, "\n".join(found)


# --- both languages state the same numbers ----------------------------------------------------------


def stated(markdown: str, name: str) -> dict[Decimal, int]:
    """The values the prose states with more than one digit (scales applied), each with its first line."""
    values: dict[Decimal, int] = {}
    for number, line, _ in prose_lines(markdown, name):
        for m in NUMBER.finditer(line):
            value = _value(m.group("num"))
            if value is None or re.fullmatch(r"\d", m.group("num")):
                continue  # 两个 / two, 全 0 / zeros: single digits are written differently in each language
            scale = m.group("scale")
            values.setdefault(value * SCALES[scale] if scale else value, number)
    return values


def drift(zh: str, en: str, zh_name: str, en_name: str) -> list[str]:
    """Numbers one language's prose states and the other's does not (1% apart counts as the same)."""
    a, b = stated(zh, zh_name), stated(en, en_name)

    def missing(here: dict, there: dict, name: str, other: str) -> list[str]:
        return [
            f"docs/{name}:{line}: {value} is stated here but nowhere in docs/{other}: say it in both "
            "languages (or neither)"
            for value, line in here.items()
            if not any(abs(value - v) <= abs(value) / 100 for v in there)
        ]

    return missing(a, b, zh_name, en_name) + missing(b, a, en_name, zh_name)


@pytest.mark.parametrize("page", [p for p in PAGES if not p.name.endswith(".en.md")], ids=lambda p: p.name)
def test_both_languages_state_the_same_numbers(page):
    stem = page.name.removesuffix(".md")
    if stem in EXEMPT_PAGES:
        return
    en = page.with_name(f"{stem}.en.md")
    found = drift(page.read_text(encoding="utf-8"), en.read_text(encoding="utf-8"), page.name, en.name)
    assert not found, "\n".join(found)


def test_drift_is_found():
    zh, en = "# 页\n\n约 449 亿个参数，步幅 2。\n", "# Page\n\nAlmost 45 billion parameters, stride 2.\n"
    assert drift(zh, en, "x.md", "x.en.md") == []
    found = drift(zh + "\n输出 55。\n", en, "x.md", "x.en.md")
    assert found == ["docs/x.md:5: 55 is stated here but nowhere in docs/x.en.md: say it in both languages (or neither)"]


# --- the check can fail ------------------------------------------------------------------------------

ARTICLE = (DOCS / "cnn-output.md").read_text(encoding="utf-8")


def plant(sentence: str, markdown: str = ARTICLE) -> str:
    """The page with one more paragraph after its H1 title."""
    return markdown.replace("\n# ", f"\n{sentence}\n\n# ", 1)


def test_the_real_page_passes_before_planting():
    assert problems(ARTICLE, "cnn-output.md") == []


@pytest.mark.parametrize(
    "sentence, typed",
    [
        ("这一层共有 57 个参数。", "'57'"),               # off by one from the produced 56
        ("特征图宽 2.6。", "'2.6'"),                      # a decimal nothing rounds to
        ("参数少了二十多倍。", "'二十多'"),                # a Chinese numeral
        ("That is more than twenty times fewer.", "'twenty'"),
        ("$W_2 = (7 - 3)/2 + 1 = 13$", "'13'"),          # a worked example inside a formula
        ("约 449 亿个参数。", "'449 亿'"),                  # a scaled number nothing produces
    ],
)
def test_a_planted_number_is_flagged_with_page_line_and_fix(sentence, typed):
    found = problems(plant(sentence), "cnn-output.md")
    assert len(found) == 1, found
    line = ARTICLE.split("\n# ", 1)[0].count("\n") + 2
    assert found[0].startswith(f"docs/cnn-output.md:{line}: {typed} is typed in the prose"), found[0]
    assert "ALLOWED in tests/test_prose_numbers.py" in found[0]


def test_produced_numbers_pass_also_rounded_and_scaled():
    page = "# t\n\n```python\n>>> 1368 / 56, 44943829760, 2359296\n(24.428571428571427, 44943829760, 2359296)\n```\n\n"
    ok = "约 24.4 倍；449 亿个；2.36 百万；about 44.9 billion, 2.4 million; 24.43; 1368 and 56."
    assert problems(page + ok, "t.md") == []
    assert problems(page + "约 450 亿个。", "t.md")
    assert problems(page + "exactly 24 times", "t.md")  # an integer is no rounding of 24.43
    assert problems("# t\n\n```python\n>>> 1 + 1\n2\n```\n\n$a_{0,0} = 4$ and $x_{i+1}$", "t.md") == []
    assert problems("# t\n\n```python\n>>> 1 + 1\n2\n```\n\nstride 4", "t.md")  # a digit in running text


def test_code_markers_and_link_targets_are_not_prose():
    page = "# t\n\n```python\n>>> 7 * 6\n42\n```\n\n<!-- convdoc: 6 * 7 + 1 -->\n\nSee [page 42](p99.md), 43.\n"
    assert problems(page, "t.md") == []


def test_every_allowance_is_used():
    pages = {str(p.relative_to(DOCS)): p.read_text(encoding="utf-8") for p in PAGES}
    for pattern, reason in RULES:
        assert any(re.search(pattern, text) for text in pages.values()), f"RULES: {pattern!r} ({reason}) is unused"
    for where, literal, reason in ALLOWED:
        assert any(fnmatch(name, where) and literal in text for name, text in pages.items()), (
            f"ALLOWED: {literal!r} on {where!r} ({reason}) occurs on no page any more: remove the entry"
        )
    for stem in EXEMPT_PAGES:
        assert (DOCS / f"{stem}.md").exists(), f"EXEMPT_PAGES: {stem}.md does not exist"
