"""The glossary is data (convdoc.glossary.GLOSSARY); every page uses its terms consistently.

Rules, checked on the prose of every page (code blocks, inline code, math, HTML comments and
link targets removed), with convdoc.glossary.mentions as the matching rule:

1. no page but the glossary uses a variant the glossary lists as avoided (感受域, 反卷积,
   deconvolution, ...);
2. a page that uses a synonym (汇聚, kernel, activation map, ...) also uses the preferred term;
3. on the pages listed in PAIRED (the article, the home page, the sizes-and-parameters chapters,
   the glossary and the cheat sheet), a concept appears in the Chinese page exactly when it
   appears in its English twin. Add a page's stem to PAIRED to hold it to this rule too.

The sizes-and-parameters chapters also link to the glossary, and every display formula on them
is followed by a doctest before the next formula or heading.
"""

import re
from pathlib import Path

import pytest

from convdoc import GLOSSARY, glossary_table, lookup_term
from convdoc.glossary import mentions

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ZH_PAGES = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md"))
GLOSSARY_PAGE = "glossary"
CHAPTERS = ["output-size", "padding", "pooling", "transposed", "receptive-field", "parameters", "cheatsheet"]
PAIRED = {"index", "cnn-output", GLOSSARY_PAGE, *CHAPTERS, "gradients", "learning-a-filter"}


def twin(page: Path) -> Path:
    return page.with_name(page.name[: -len(".md")] + ".en.md")


def prose(markdown: str) -> str:
    """The words a reader reads: no code, math, comments or link targets."""
    text = re.sub(r"^(\s*)```.*?^\1```", " ", markdown, flags=re.S | re.M)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    text = re.sub(r"`[^`\n]+`", " ", text)
    text = re.sub(r"\]\([^)\s]*\)", "]", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<[^>\n]+>", " ", text)
    return text


def used(text: str, entry, lang: str) -> list[str]:
    return [t for t in entry.terms(lang) if mentions(text, t, lang)]


def problems(zh_markdown: str, en_markdown: str, name: str, *, is_glossary: bool = False,
             paired: bool = True) -> list[str]:
    zh, en = prose(zh_markdown), prose(en_markdown)
    found = []
    for e in GLOSSARY:
        if not is_glossary:
            for lang, text in (("zh", zh), ("en", en)):
                for bad in e.terms(lang, avoided=True):
                    if mentions(text, bad, lang):
                        preferred = getattr(e, lang)
                        found.append(f"{name} ({lang}) uses {bad!r}; the glossary's term is {preferred!r}")
        zh_used, en_used = used(zh, e, "zh"), used(en, e, "en")
        for lang, hits in (("zh", zh_used), ("en", en_used)):
            preferred = getattr(e, lang)
            if hits and preferred not in hits:
                found.append(
                    f"{name} ({lang}) uses {hits[0]!r} but never the glossary's preferred {preferred!r}: "
                    f"introduce the synonym next to it"
                )
        if paired and bool(zh_used) != bool(en_used):
            here, missing = ("zh", "en") if zh_used else ("en", "zh")
            found.append(
                f"{name}: the {here} page speaks of {(zh_used or en_used)[0]!r}, the {missing} page never of "
                f"{getattr(e, missing)!r}: both languages must name the same concepts"
            )
    return found


@pytest.mark.parametrize("page", ZH_PAGES, ids=lambda p: p.stem)
def test_pages_use_the_glossary_terms(page):
    en = twin(page)
    assert en.exists()
    found = problems(page.read_text(encoding="utf-8"), en.read_text(encoding="utf-8"), page.stem,
                     is_glossary=page.stem == GLOSSARY_PAGE, paired=page.stem in PAIRED)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "zh_add, en_add, complaint",
    [
        ("感受域变大。", "", "uses '感受域'"),
        ("", "This is a deconvolution.", "uses 'deconvolution'"),
        ("d2l 叫它汇聚。", "d2l calls it pooling.", "never the glossary's preferred '池化'"),
        ("", "The receptive field grows.", "never of '感受野'"),
        ("感受野变大。", "", "never of 'receptive field'"),
    ],
)
def test_the_check_can_fail(zh_add, en_add, complaint):
    zh = "# 页\n\n一段话。\n\n" + zh_add
    en = "# Page\n\nSome prose.\n\n" + en_add
    assert problems("# 页\n", "# Page\n", "x") == []
    found = problems(zh, en, "x")
    assert any(complaint in f for f in found), found


def test_unpaired_pages_still_use_the_preferred_terms():
    assert problems("# 页\n\n感受野变大。", "# Page\n", "x", paired=False) == []
    assert problems("# 页\n\n步长为 2。", "# Page\n", "x", paired=False)
    assert problems("# 页\n", "# Page\n\nthe kernel", "x", paired=False)


def test_code_math_and_links_are_not_prose():
    text = "see [the padding page](padding.md), `kernel_size`, $\\text{stride}$\n\n```python\n>>> 步长\n```\n"
    assert "padding.md" not in prose(text) and "kernel_size" not in prose(text)
    assert "步长" not in prose(text) and "stride" not in prose(text)
    assert "the padding page" in prose(text)


def test_the_matching_rule_refuses_an_unknown_language():
    # not a public name, so not in tests/test_bad_input.py's catalogue
    with pytest.raises(ValueError) as info:
        mentions("x", "y", "de")
    assert "lang" in str(info.value) and "'zh' or 'en'" in str(info.value), str(info.value)


# --- the glossary as data and as a page ---------------------------------------------------------


def test_every_term_belongs_to_one_entry():
    seen = {}
    for e in GLOSSARY:
        for term in e.terms("zh") + e.terms("en") + e.zh_avoid + e.en_avoid:
            key = term.lower()
            assert key not in seen, f"{term!r} is in two entries: {seen[key]!r} and {e.zh!r}"
            seen[key] = e.zh
        assert e.zh_note and e.en_note, e
        assert lookup_term(e.zh) is e and lookup_term(e.en.upper()) is e


def test_required_terms_are_there():
    pairs = {(e.zh, e.en) for e in GLOSSARY}
    for zh, en in [("卷积核", "filter"), ("步幅", "stride"), ("填充", "padding"), ("特征图", "feature map"),
                   ("感受野", "receptive field"), ("池化", "pooling"), ("互相关", "cross-correlation"),
                   ("偏置", "bias"), ("通道", "channel"), ("全连接层", "fully connected layer"),
                   ("扩张", "dilation"), ("分组卷积", "grouped convolution"),
                   ("深度可分离卷积", "depthwise separable convolution"), ("转置卷积", "transposed convolution")]:
        assert (zh, en) in pairs
    assert lookup_term("滤波器").zh == "卷积核" and lookup_term("kernel").en == "filter"
    assert lookup_term("汇聚").en == "pooling" and lookup_term("空洞").en == "dilation"


def test_glossary_page_shows_the_table():
    for lang, page in (("zh", DOCS / "glossary.md"), ("en", DOCS / "glossary.en.md")):
        text = page.read_text(encoding="utf-8")
        assert "<!-- convdoc: glossary_table(LANG) -->" in text
        table = glossary_table(lang)
        assert len(table.splitlines()) == 2 + len(GLOSSARY)
        for e in GLOSSARY:
            assert f"**{getattr(e, lang)}**" in table


@pytest.mark.parametrize("stem", CHAPTERS)
@pytest.mark.parametrize("suffix", [".md", ".en.md"])
def test_chapters_link_to_the_glossary(stem, suffix):
    text = (DOCS / f"{stem}{suffix}").read_text(encoding="utf-8")
    assert "](glossary.md" in text, f"{stem}{suffix} does not link to the glossary"


@pytest.mark.parametrize("stem", CHAPTERS)
@pytest.mark.parametrize("suffix", [".md", ".en.md"])
def test_every_formula_is_followed_by_a_doctest(stem, suffix):
    text = (DOCS / f"{stem}{suffix}").read_text(encoding="utf-8")
    formulas = list(re.finditer(r"^\s*\$\$\n.*?\n\s*\$\$\s*$", text, re.S | re.M))
    assert formulas, f"{stem}{suffix} has no display formula"
    for m in formulas:
        rest = text[m.end():]
        block = re.search(r"^\s*```python\n\s*>>>", rest, re.M)
        stop = re.search(r"^#|^\s*\$\$\s*$", rest, re.M)
        assert block and (stop is None or block.start() < stop.start()), (
            f"{stem}{suffix}: the formula {m.group(0).strip()[:60]!r} has no doctest before the next "
            f"formula or heading"
        )
