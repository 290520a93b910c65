"""The words readers type, for the search index (hooks/convdoc_site.py, point 3).

Readers search with the words of their own books and frameworks: "7x7x3" where
the pages write 7×7×3, "FLOPs" or "MACs" where they count 乘加, "atrous" or
空洞卷积 where they say 扩张 (dilation), "same padding", "ResNeXt" for grouped
convolutions. The pages keep their words; when the index is written, each entry
(a page or a section) that uses one word of a group gets the group's other words
in an extra field, ``synonyms``, that lunr searches like the text and Material
never shows. A section titled with a word gets them in ``title_synonyms``,
weighted like its title.

The groups, reviewed in one place:

* every concept of the glossary (``convdoc.glossary.GLOSSARY``): its preferred
  terms and synonyms in both languages match, and its variants to avoid
  (反卷积, deconvolution …) are added, because readers type them too;
* ``GROUPS`` below: words the glossary does not hold (FLOPs, ResNeXt, API
  names …). To make search find a new word, add it to a group here (or to the
  glossary, if the pages should use it) and a query to ``tests/test_search.py``.

Matching follows the glossary's rule (``convdoc.glossary``: Chinese as
substrings, English case-insensitively word by word, each word a prefix), except
that a word written in capitals (MAC, SAME) matches only in capitals. Sizes
written with × (7×7×3, 224 × 224) also get their spelling with the letter x.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from dataclasses import dataclass

from convdoc.glossary import GLOSSARY, _pattern


@dataclass(frozen=True)
class Group:
    """Words for one thing: any of ``match`` in an entry adds the others and ``add``."""

    match: tuple[str, ...]
    add: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    # the cost of a layer: the pages count multiply-adds (乘加); readers say FLOPs or MACs
    Group(("乘加", "multiply-add", "multiply-accumulate", "MACs", "MAC", "FLOPs", "GFLOPs", "GFLOPS"),
          ("MAC", "MACs", "GMACs", "FLOP", "FLOPs", "GFLOPs", "浮点运算", "计算量", "运算量")),
    Group(("扩张", "dilation", "dilated", "atrous", "空洞"), ("空洞卷积", "扩张卷积", "膨胀卷积", "atrous", "dilated")),
    Group(("same padding", "same_padding", "SAME", 'padding="same"'), ("same padding", "same_padding", "SAME")),
    Group(("分组卷积", "grouped convolution", "groups=", "ResNeXt"), ("ResNeXt", "groups", "grouped", "分组")),
    Group(("逐通道卷积", "depthwise", "depth-wise", "MobileNet"), ("depthwise", "MobileNet", "逐通道", "深度卷积")),
    Group(("深度可分离卷积", "depthwise separable", "separable convolution"), ("separable", "深度可分离")),
    Group(("im2col", "矩阵乘法", "matrix multiplication", "GEMM"), ("im2col", "GEMM", "matmul", "矩阵乘法")),
    # PyTorch's layer names, as readers type them
    Group(("Conv1d", "conv1d", "一维卷积", "1-D convolution", "1D convolution"), ("Conv1d", "conv1d", "一维卷积")),
    Group(("Conv3d", "conv3d", "三维卷积", "3-D convolution", "3D convolution"), ("Conv3d", "conv3d", "三维卷积")),
    Group(("ConvTranspose2d", "转置卷积", "transposed convolution"), ("ConvTranspose2d", "conv_transpose2d", "deconv")),
    Group(("Conv2d", "conv2d"), ("Conv2d", "conv2d", "nn.Conv2d")),
    Group(("output_size", "输出尺寸", "output size"), ("output_size", "outputsize")),
    Group(("param_count", "参数量", "parameter count"), ("param_count", "params", "parameters")),
    Group(("receptive_field", "感受野", "receptive field"), ("receptive_field", "RF")),
)

ALL_CAPS = re.compile(r"[A-Z][A-Z0-9]+")
HAN = re.compile(r"[\u4e00-\u9fff]")
TAG = re.compile(r"<[^>]+>")
# 7×7×3, 224 × 224, 3x3 (a size: numbers joined by × or x)
SIZE = re.compile(r"(?<![\w.])(\d+(?:\s*[×xX]\s*\d+)+)(?![\w.])")
MAX_REPEAT = 3  # as often as the entry uses the word, up to this: lunr ranks by how often


@functools.cache
def groups() -> list[Group]:
    """The glossary's concepts, then ``GROUPS``."""
    found = [Group(e.terms("zh") + e.terms("en"), e.terms("zh", avoided=True) + e.terms("en", avoided=True)) for e in GLOSSARY]
    return found + list(GROUPS)


def _lang(term: str) -> str:
    return "zh" if HAN.search(term) else "en"


def _regex(term: str) -> re.Pattern:
    if ALL_CAPS.fullmatch(term):
        return re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])")
    if not re.match(r"\w", term[-1]):  # "groups=", 'padding="same"': the glossary's rule needs words
        return re.compile(re.escape(term), re.IGNORECASE)
    return _pattern(term, _lang(term))


@functools.cache
def _needle(term: str) -> tuple[str, bool]:
    """What a text must contain for ``term`` to match in it, and whether case matters: a cheap test
    that skips the regex for most terms (of some 400, an index entry uses a few)."""
    if ALL_CAPS.fullmatch(term):
        return term, True
    if not re.match(r"\w", term[-1]):
        return term.casefold(), False
    if _lang(term) == "zh":
        return term, True
    return term.split()[0].casefold(), False


@functools.cache
def _compiled(term: str) -> re.Pattern:
    return _regex(term)


def count(text: str, term: str, folded: str | None = None) -> int:
    """How often ``text`` (plain text) uses ``term``; ``folded``: ``text.casefold()``, if known."""
    needle, exact = _needle(term)
    if needle not in (text if exact else folded if folded is not None else text.casefold()):
        return 0
    return len(_compiled(term).findall(text))


def plain(text: str) -> str:
    """An index entry's HTML as the words a reader sees (no tags, no jieba's zero-width spaces)."""
    return html.unescape(TAG.sub(" ", text)).replace("\u200b", "")


def synonyms(text: str) -> str:
    """The words to add for an entry's ``text`` (HTML), each as often as the entry uses its group."""
    words = plain(text)
    folded = words.casefold()
    added: Counter[str] = Counter()
    for group in groups():
        times = min(MAX_REPEAT, sum(count(words, term, folded) for term in group.match))
        for word in group.match + group.add if times else ():
            if not count(words, word, folded):
                added[word] = max(added[word], times)
    for size in SIZE.findall(words):
        numbers = re.split(r"\s*[×xX]\s*", size)
        for word in ("×".join(numbers), "x".join(numbers)):
            added[word] = min(MAX_REPEAT, added[word] + 1)
    return " ".join(" ".join([word] * times) for word, times in added.items())


def expand(doc: dict) -> dict:
    """An index entry with its ``synonyms`` and ``title_synonyms`` (only those that are not empty)."""
    out = dict(doc)
    for field, source in (("synonyms", doc.get("text", "")), ("title_synonyms", doc.get("title", ""))):
        words = synonyms(source)
        if words:
            out[field] = words
    return out


def expand_index(index: dict) -> dict:
    """A search index (Material's JSON) with the synonyms added to every entry, and the fields lunr searches."""
    fields = dict(index["config"]["fields"])
    fields["synonyms"] = dict(fields.get("text", {"boost": 1.0}))
    fields["title_synonyms"] = dict(fields.get("title", {"boost": 1000.0}))
    return {**index, "config": {**index["config"], "fields": fields}, "docs": [expand(doc) for doc in index["docs"]]}
