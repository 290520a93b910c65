"""The pages as a test suite: parity between languages, and proof that numbers are checked."""

import re
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ZH_PAGES = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md"))
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
MARKER = re.compile(r"<!--\s*convdoc:.*?-->", re.S)


def twin(page: Path) -> Path:
    return page.with_name(page.name[: -len(".md")] + ".en.md")


def executable_parts(page: Path) -> list[str]:
    """Code blocks and generated-content markers, in page order."""
    text = page.read_text(encoding="utf-8")
    parts = [(m.start(), m.group("body")) for m in FENCE.finditer(text)]
    parts += [(m.start(), m.group(0)) for m in MARKER.finditer(text)]
    return [body for _, body in sorted(parts)]


def test_there_are_pages():
    assert len(ZH_PAGES) >= 2


@pytest.mark.parametrize("page", ZH_PAGES, ids=lambda p: p.name)
def test_every_page_has_an_english_twin_with_the_same_executable_blocks(page):
    en = twin(page)
    assert en.exists(), f"{page.name} has no English twin {en.name}"
    zh_parts, en_parts = executable_parts(page), executable_parts(en)
    assert zh_parts, f"{page.name} has no executable block"
    assert zh_parts == en_parts, (
        f"{page.name} and {en.name} no longer have the same code blocks and convdoc markers: "
        "translate prose only, keep every block identical in both languages"
    )


def test_no_orphan_english_pages():
    for en in DOCS.rglob("*.en.md"):
        assert en.with_name(en.name.replace(".en.md", ".md")).exists(), en


ALL_PAGES = ZH_PAGES + [twin(p) for p in ZH_PAGES]


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.name)
def test_every_code_block_is_python_calling_convdoc(page):
    text = page.read_text(encoding="utf-8")
    blocks = list(FENCE.finditer(text))
    for m in blocks:
        assert m.group("lang").strip() == "python", (
            f"{page.name}: every code block must be ```python so sybil executes it, found ```{m.group('lang')}"
        )
    assert "convdoc" in blocks[0].group("body"), f"{page.name}: the first block must import from convdoc"


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.name)
def test_every_page_has_a_title_and_description(page):
    text = page.read_text(encoding="utf-8")
    assert re.search(r"^description: .{20,}$", text, re.M), f"{page.name}: no description in front matter"
    assert re.search(r"^# .+$", text, re.M), f"{page.name}: no H1 title"


def test_markers_render_in_both_languages():
    from hooks.convdoc_site import render_markers

    for page in ALL_PAGES:
        lang = "en" if page.name.endswith(".en.md") else "zh"
        out = render_markers(page.read_text(encoding="utf-8"), lang, page.name)
        assert not MARKER.search(out)
    article = render_markers((DOCS / "cnn-output.md").read_text(encoding="utf-8"), "zh")
    assert "&= 4\n\\end{aligned}" in article
    assert "&= -5\n\\end{aligned}" in article
    assert "乘积之和 -6 加偏置 1 得 -5" in article
    english = render_markers((DOCS / "cnn-output.en.md").read_text(encoding="utf-8"), "en")
    assert "the products add up to -6; with the bias 1 that is -5" in english


# --- the published numbers are checked: changing one makes the doctests fail ---------------

SYBIL = Sybil(parsers=[PythonCodeBlockParser()], patterns=["*.md"])


def failures(path: Path) -> int:
    doc = SYBIL.parse(path)
    failed = 0
    for example in doc:
        try:
            example.evaluate()
        except Exception:
            failed += 1
    return failed


MUTATIONS = [
    # (page, original output line, mutated line): 4, 2 and 56 as published
    ("cnn-output", ">>> e.value\n4\n", ">>> e.value\n5\n"),
    ("cnn-output", ">>> output_size(5, 3, stride=2)\n2\n", ">>> output_size(5, 3, stride=2)\n3\n"),
    ("cnn-output", ">>> param_count(3, 2, 3)\n56\n", ">>> param_count(3, 2, 3)\n57\n"),
    ("cnn-output", ">>> out.shape\n(2, 3, 3)\n", ">>> out.shape\n(3, 3, 2)\n"),
    ("cnn-output", "[[4 3 4]\n [2 4 3]\n [2 3 4]]", "[[4 3 4]\n [2 4 3]\n [2 3 5]]"),
    ("cnn-output", "+ 1 = -5\n", "+ 1 = -4\n"),
    ("index", ">>> param_count(3, 2, 3)\n56\n", ">>> param_count(3, 2, 3)\n65\n"),
]


@pytest.mark.parametrize("lang", ["", ".en"])
@pytest.mark.parametrize("stem, original, mutated", MUTATIONS)
def test_changing_a_published_number_fails(tmp_path, lang, stem, original, mutated):
    source = (DOCS / f"{stem}{lang}.md").read_text(encoding="utf-8")
    assert original in source, f"the published value {original!r} is missing from {stem}{lang}.md"
    clean = tmp_path / "clean.md"
    clean.write_text(source, encoding="utf-8")
    assert failures(clean) == 0
    broken = tmp_path / "broken.md"
    broken.write_text(source.replace(original, mutated, 1), encoding="utf-8")
    assert failures(broken) >= 1


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.name)
def test_no_math_in_headings(page):
    # the table of contents and the page title show headings as plain text: TeX would stay raw
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            assert "$" not in line, f"{page.name}: math in heading {line!r}; use Unicode (a₀,₀) instead"
