"""convdoc.figures: every number drawn equals conv2d/explain; valid, accessible, deterministic SVG.

The figures are parsed with xml.etree. Each value sits in a ``<text>`` (or ``<tspan>``) with
``data-grid`` ("x" input, "w" filter, "xw" values in the window, "p" products, "sum" a channel's
sum, "value" the result, "a" feature map, "b" bias) and ``data-cell="row,col"``; outlines carry
``data-box="row,col,rows,cols"``. :func:`convdoc.figures.windows` (one axis) marks its cells with
``data-grid="axis"``, ``data-cell`` (the input index) and ``data-kind``, each window's taps with
``data-window`` and ``data-tap``, the dropped window's with ``data-dropped``; its tests compare them
with :func:`convdoc.coverage` over a grid of sizes. The built site is checked at the end: no image from
another host, at least five figures on the article in each language, the two ceil_mode figures on the
pooling page.
"""

from __future__ import annotations

import colorsys
import doctest
import importlib
import itertools
import pkgutil
import re
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from convdoc import conv2d, conv2d_grad, coverage, explain, explain_grad, figures, relu
from convdoc.examples import (
    BIAS, DEMO_B, DEMO_MINUS5_AT, DEMO_W, DEMO_X, FILTER, IMAGE, STRIDE1_MAP, STRIDE2_MAP,
)
from convdoc.figures import MAX_AXIS, PALETTE, feature_map, overview, steps, volume, weight_gradient, window, windows

NS = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def number(s: str):
    s = s.replace("\u2212", "-")
    return float(s) if any(c in s for c in ".e") else int(s)


def drawn(root: ET.Element, grid: str, **attrs) -> dict:
    """{(row, col): value} of the cells of one grid (filtered by data-* attributes)."""
    out = {}
    for el in root.iter():
        if el.tag not in (NS + "text", NS + "tspan") or el.get("data-grid") != grid:
            continue
        if any(el.get(f"data-{k}") != str(v) for k, v in attrs.items()):
            continue
        key = tuple(int(v) for v in el.get("data-cell").split(",")) if el.get("data-cell") else None
        out[key] = number("".join(el.itertext()))
    return out


def as_array(cells: dict, shape) -> np.ndarray:
    arr = np.full(shape, None, dtype=object)
    for (r, c), v in cells.items():
        arr[r, c] = v
    return arr


def boxes(root: ET.Element, cls: str, **attrs) -> list[tuple[int, ...]]:
    found = []
    for el in root.iter(NS + "rect"):
        if el.get("class") == cls and all(el.get(f"data-{k}") == str(v) for k, v in attrs.items()):
            found.append(tuple(int(v) for v in el.get("data-box").split(",")))
    return found


# every figure of the article, as the pages call them
ARTICLE = {
    "overview": lambda lang: overview(IMAGE, FILTER, BIAS, lang=lang),
    "window": lambda lang: window(IMAGE, FILTER, BIAS, at=(0, 0), activation="relu", lang=lang),
    "stride1": lambda lang: feature_map(IMAGE, FILTER, BIAS, stride=1, activation="relu", lang=lang),
    "steps1": lambda lang: steps(IMAGE, FILTER, BIAS, stride=1, activation="relu", lang=lang),
    "stride2": lambda lang: feature_map(IMAGE, FILTER, BIAS, stride=2, activation="relu", lang=lang),
    "steps2": lambda lang: steps(IMAGE, FILTER, BIAS, stride=2, activation="relu", lang=lang),
    "volume": lambda lang: volume(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1, at=(0, 2, 1), lang=lang),
    "minus5": lambda lang: window(DEMO_X, DEMO_W[0], DEMO_B[0], at=(2, 1), stride=2, padding=1, lang=lang),
}
LANGS = ["zh", "en"]
# the pooling page's figures (one axis, from coverage), as the page calls them
POOLING = {
    "dropped": lambda lang: windows(5, 2, stride=2, padding=1, ceil_mode=True, lang=lang),
    "hang": lambda lang: windows(1, 2, stride=2, ceil_mode=True, lang=lang),
}
# the gradients page's figures: one weight's gradient, at stride 1 and with a stride that skips pixels
GRADIENT = {
    "grad_w00": lambda lang: weight_gradient(IMAGE, np.ones((3, 3), dtype=int), at=(0, 0), kernel_size=3, lang=lang),
    "grad_skip": lambda lang: weight_gradient(IMAGE, np.array([[1, -1], [2, 1]]), at=(1, 0), kernel_size=2, stride=3, lang=lang),
}
FIGURES = {**ARTICLE, **POOLING, **GRADIENT}


# --- well-formed, accessible, deterministic ---------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURES)
def test_valid_svg_with_title_and_desc_in_the_language(name, lang):
    svg = FIGURES[name](lang)
    root = parse(svg)  # raises on malformed XML
    assert root.tag == NS + "svg"
    assert root.get("role") == "img" and root.get("lang") == lang
    title, desc = root.find(NS + "title"), root.find(NS + "desc")
    assert list(root)[:2] == [title, desc], "title and desc come first"
    assert title.text and desc.text and len(desc.text) > 40
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    for text in (title.text, desc.text):
        if lang == "zh":
            assert CJK.search(text), f"{name}: zh alt text without Chinese: {text!r}"
        else:
            assert not CJK.search(text), f"{name}: en alt text with Chinese: {text!r}"
    # text stays text; nothing outside the file; sized for a phone
    assert "<image" not in svg and "foreignObject" not in svg and "href" not in svg
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]
    assert root.get("width") == "100%" and root.get("viewBox")
    assert re.search(r"max-width:[0-9.]+em", root.get("style"))


@pytest.mark.parametrize("name", FIGURES)
def test_same_input_gives_identical_bytes(name):
    assert FIGURES[name]("zh") == FIGURES[name]("zh")
    assert FIGURES[name]("en") == FIGURES[name]("en")
    assert FIGURES[name]("zh") != FIGURES[name]("en")


def test_same_numbers_in_another_container_give_identical_bytes():
    a = window(IMAGE, FILTER, BIAS, at=(1, 2), lang="en")
    b = window(IMAGE.tolist(), np.array(FILTER, dtype=np.int32), 0, at=[1, 2], lang="en")
    assert a == b


def test_ids_differ_between_figures_and_languages():
    ids = [parse(FIGURES[n](lang)).find(NS + "title").get("id") for n in FIGURES for lang in LANGS]
    assert len(set(ids)) == len(ids)


def test_labels_follow_the_language():
    assert "卷积核 w" in ARTICLE["window"]("zh") and "filter w" not in ARTICLE["window"]("zh")
    assert "filter w" in ARTICLE["window"]("en") and "卷积核" not in ARTICLE["window"]("en")
    assert "零填充" in ARTICLE["volume"]("zh") and "zero padding" in ARTICLE["volume"]("en")


def test_svg_object_displays_in_notebooks():
    svg = ARTICLE["overview"]("en")
    assert isinstance(svg, str) and svg._repr_svg_() == str(svg)


# --- the numbers drawn are conv2d's and explain's ---------------------------------------------

def test_overview_draws_the_data_and_names_every_output_cell():
    root = parse(ARTICLE["overview"]("en"))
    assert (as_array(drawn(root, "x"), (5, 5)) == IMAGE).all()
    assert (as_array(drawn(root, "w"), (3, 3)) == FILTER).all()
    names = {el.get("data-cell"): el.text for el in root.iter(NS + "text") if el.get("data-grid") == "a"}
    assert len(names) == conv2d(IMAGE, FILTER).size == 9
    assert names["0,0"] == "a₀,₀" and names["2,1"] == "a₂,₁"


CASES_2D = [
    dict(at=(0, 0), activation="relu"),
    dict(at=(1, 2), activation="relu"),
    dict(at=(2, 0)),
    dict(at=(1, 1), stride=2),
    dict(at=(0, 0), padding=1),  # the window covers padding
    dict(at=(2, 3), stride=(2, 1), padding=1),
]


@pytest.mark.parametrize("case", CASES_2D, ids=str)
def test_window_products_are_explains_terms(case):
    root = parse(window(IMAGE, FILTER, BIAS, lang="en", **case))
    e = explain(IMAGE, FILTER, BIAS, **case)
    cells = {(t.m, t.n): t for t in e.terms}
    assert drawn(root, "p") == {k: t.product for k, t in cells.items()}
    assert drawn(root, "xw") == {k: t.input for k, t in cells.items()}
    assert drawn(root, "w") == {k: t.weight for k, t in cells.items()}
    assert drawn(root, "value") == {None: e.value}
    # the feature map: the cell being written and those before it, equal to conv2d
    a = conv2d(IMAGE, FILTER, BIAS, stride=case.get("stride", 1), padding=case.get("padding", 0))
    if case.get("activation"):
        a = relu(a)
    i, j = case["at"]
    expected = {(r, c): a[r, c] for r in range(a.shape[0]) for c in range(a.shape[1]) if (r, c) <= (i, j)}
    assert drawn(root, "a") == expected
    assert boxes(root, "cdf-out", grid="a") == [(i, j, 1, 1)]
    s = case.get("stride", 1)
    sh, sw = (s, s) if isinstance(s, int) else s
    assert boxes(root, "cdf-win", grid="x") == [(i * sh, j * sw, 3, 3)]


def test_the_a00_figure_shows_the_articles_products_and_4():
    root = parse(ARTICLE["window"]("zh"))
    products = [v for _, v in sorted(drawn(root, "p").items())]
    assert products == [t.product for t in explain(IMAGE, FILTER, BIAS, at=(0, 0)).terms] == [1, 0, 1, 0, 1, 0, 0, 0, 1]
    assert drawn(root, "value") == {None: 4}
    assert "Σ w·x = 1 + 0 + 1 + 0 + 1 + 0 + 0 + 0 + 1 = 4" in ARTICLE["window"]("zh")


def test_the_minus5_figure_shows_every_channels_products_and_sums():
    k, i, j = DEMO_MINUS5_AT
    root = parse(ARTICLE["minus5"]("en"))
    e = explain(DEMO_X, DEMO_W[k], DEMO_B[k], at=(i, j), stride=2, padding=1)
    for d in range(3):
        terms = [t for t in e.terms if t.d == d]
        assert drawn(root, "p", channel=d) == {(t.m, t.n): t.product for t in terms}
        assert drawn(root, "xw", channel=d) == {(t.m, t.n): t.input for t in terms}
        assert drawn(root, "w", channel=d) == {(t.m, t.n): t.weight for t in terms}
        assert drawn(root, "sum", channel=d) == {None: sum(t.product for t in terms)}
    assert drawn(root, "value") == {None: e.value} == {None: -5}
    out = conv2d(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1)
    assert out[DEMO_MINUS5_AT] == -5
    assert drawn(root, "a")[(i, j)] == -5
    assert len(drawn(root, "a")) == i * 3 + j + 1
    # the window's bottom row is padding: drawn hatched and grey, never as an ordinary cell
    padded = {(t.m, t.n) for t in e.terms if t.padded and t.d == 0}
    assert padded == {(2, 0), (2, 1), (2, 2)}
    grey = {tuple(map(int, el.get("data-cell").split(","))) for el in root.iter(NS + "text")
            if el.get("data-grid") == "xw" and el.get("data-channel") == "0" and el.get("class") == "cdf-pv"}
    assert grey == padded


@pytest.mark.parametrize("stride, expected", [(1, STRIDE1_MAP), (2, STRIDE2_MAP)])
def test_feature_map_is_conv2ds_and_the_articles(stride, expected):
    svg = feature_map(IMAGE, FILTER, BIAS, stride=stride, activation="relu", lang="en")
    root = parse(svg)
    a = relu(conv2d(IMAGE, FILTER, BIAS, stride=stride))
    assert (as_array(drawn(root, "a"), a.shape) == a).all()
    assert (a == expected).all()
    # one dot per window position, in the top-left cell of each, spaced by the stride
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(NS + "circle")
            if c.get("class") == "cdf-dot"]
    legend_dots = 1
    assert len(dots) == a.size + legend_dots
    xs = sorted({x for x, y in dots[: a.size]})
    assert len(xs) == a.shape[1] and all(round(b - a_, 6) == 28 * stride for a_, b in zip(xs, xs[1:]))
    assert f"stride {stride}" in svg


@pytest.mark.parametrize("stride, frames", [(1, 9), (2, 4)])
def test_steps_show_every_window_position_and_its_value(stride, frames):
    root = parse(steps(IMAGE, FILTER, BIAS, stride=stride, activation="relu", lang="en"))
    a = relu(conv2d(IMAGE, FILTER, BIAS, stride=stride))
    assert drawn(root, "a") == {(i, j): a[i, j] for i in range(a.shape[0]) for j in range(a.shape[1])}
    assert len(drawn(root, "a")) == frames
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            assert boxes(root, "cdf-win", frame=f"{i},{j}") == [(i * stride, j * stride, 3, 3)]
            assert (as_array(drawn(root, "x", frame=f"{i},{j}"), (5, 5)) == IMAGE).all()


def test_volume_draws_the_padded_input_filters_biases_and_conv2ds_output():
    root = parse(ARTICLE["volume"]("en"))
    out = conv2d(DEMO_X, DEMO_W, DEMO_B, stride=2, padding=1)
    padded = np.pad(DEMO_X, ((0, 0), (1, 1), (1, 1)))
    for d in range(3):
        assert (as_array(drawn(root, "x", channel=d), (7, 7)) == padded[d]).all()
        ring = {tuple(map(int, el.get("data-cell").split(","))) for el in root.iter(NS + "text")
                if el.get("data-grid") == "x" and el.get("data-channel") == str(d) and el.get("class") == "cdf-pv"}
        assert len(ring) == 7 * 7 - 5 * 5 and all(r in (0, 6) or c in (0, 6) for r, c in ring)
        assert boxes(root, "cdf-win", grid="x", channel=d) == [(4, 2, 3, 3)]
        for k in range(2):
            assert (as_array(drawn(root, "w", filter=k, channel=d), (3, 3)) == DEMO_W[k, d]).all()
    for k in range(2):
        assert (as_array(drawn(root, "a", filter=k), (3, 3)) == out[k]).all()
        assert [el.text for el in root.iter(NS + "text") if el.get("data-grid") == "b" and el.get("data-filter") == str(k)] \
            == [f"bias {DEMO_B[k]}"]
    assert boxes(root, "cdf-out", grid="a", filter=0) == [(2, 1, 1, 1)]
    assert boxes(root, "cdf-out", grid="a", filter=1) == []
    assert len(boxes(root, "cdf-win", grid="w", filter=0)) == 3 and boxes(root, "cdf-win", grid="w", filter=1) == []
    assert out.shape == (2, 3, 3)


def test_floats_are_drawn_to_three_significant_digits_and_match_conv2d():
    x = IMAGE / 3
    root = parse(feature_map(x, FILTER, 0.5, lang="en"))
    a = conv2d(x, FILTER, 0.5)
    got = as_array(drawn(root, "a"), a.shape).astype(float)
    assert np.allclose(got, a, rtol=5e-3)
    assert ">0.333</text>" in feature_map(x, FILTER, lang="en")


def test_negative_numbers_use_a_real_minus_sign():
    svg = ARTICLE["minus5"]("en")
    assert ">\u22125</tspan>" in svg and ">-5<" not in svg


# --- colour: contrast in both schemes, never the only cue -------------------------------------

def _hsl(h, s, l):
    r, g, b = colorsys.hls_to_rgb(h / 360, l, s)
    return (r * 255, g * 255, b * 255)


# Material for MkDocs: default (light) and slate (dark, --md-hue 225deg) page and text colours
PAGE = {
    "light": {"bg": (255, 255, 255), "fg": ((0, 0, 0), 0.87)},
    "dark": {"bg": _hsl(225, 0.15, 0.14), "fg": (_hsl(225, 0.15, 0.90), 0.82)},
}


def _over(fg, alpha, bg):
    return tuple(f * alpha + b * (1 - alpha) for f, b in zip(fg, bg))


def _contrast(a, b):
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        r, g, b_ = map(ch, c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_keeps_wcag_aa_contrast_on_every_fill(scheme):
    p, page = PALETTE[scheme], PAGE[scheme]
    bg = page["bg"]
    fg, fa = page["fg"]

    def tint(name, under):
        *rgb, a = p[name]
        return _over(rgb, a, under)

    fills = {
        "page": bg, "window": tint("win-bg", bg), "output": tint("out-bg", bg),
        "padding": tint("pad-bg", bg), "padding in window": tint("win-bg", tint("pad-bg", bg)),
    }
    for where, fill in fills.items():
        assert _contrast(_over(fg, fa, fill), fill) >= 4.5, f"{scheme}: value text on {where}"
        soft = _contrast(_over(fg, fa * p["soft-text"], fill), fill)
        assert soft >= 4.5, f"{scheme}: secondary text on {where}: {soft:.2f}"
    for where in ("padding", "padding in window"):
        grey = _contrast(_over(fg, fa * p["pad-text"], fills[where]), fills[where])
        assert grey >= 4.5, f"{scheme}: padding 0 on {where}: {grey:.2f}"
    for outline in ("win", "out"):
        rgb = tuple(int(p[outline][i : i + 2], 16) for i in (1, 3, 5))
        assert _contrast(rgb, bg) >= 3, f"{scheme}: {outline} outline against the page"


def test_the_stylesheet_switches_with_materials_slate_scheme_and_uses_currentcolor():
    svg = ARTICLE["volume"]("en")
    style = parse(svg).find(NS + "style").text
    assert '[data-md-color-scheme="slate"] .cdf{' in style
    assert ".cdf text{fill:currentColor}" in style
    for scheme in ("light", "dark"):
        assert PALETTE[scheme]["win"] in style and PALETTE[scheme]["out"] in style


def test_meaning_never_rests_on_colour_alone():
    style = parse(ARTICLE["volume"]("en")).find(NS + "style").text
    win = re.search(r"\.cdf-win\{([^}]*)\}", style).group(1)
    out = re.search(r"\.cdf-out\{([^}]*)\}", style).group(1)
    assert "stroke-dasharray" in win and "stroke-dasharray" not in out  # dashed vs solid
    hatch = [el for el in parse(ARTICLE["volume"]("en")).iter(NS + "path") if el.get("class") == "cdf-hatch"]
    assert hatch, "padding is hatched, not only grey"
    for lang, words in (("zh", ["窗口", "正在写入的输出", "零填充"]), ("en", ["window", "output being written", "zero padding"])):
        svg = ARTICLE["minus5"](lang)
        for w in words:
            assert f">{w}" in svg, f"legend lacks {w!r}"


# --- bad arguments fail clearly ------------------------------------------------------------------

BAD = [
    (lambda: overview(IMAGE, FILTER, lang="fr"), ValueError, r"lang must be 'zh' or 'en', got 'fr'"),
    (lambda: window(IMAGE, FILTER, at=(0, 0), lang=None), ValueError, r"lang must be"),
    (lambda: overview(DEMO_X, FILTER), ValueError, r"x must have 2 dimensions"),
    (lambda: feature_map(IMAGE, np.ones((6, 6))), ValueError, r"(?i)kernel|filter|larger"),
    (lambda: feature_map(IMAGE, FILTER, stride=0), ValueError, r"stride must be a positive integer"),
    (lambda: steps(IMAGE, FILTER, stride=1.5), TypeError, r"stride must be"),
    (lambda: feature_map(IMAGE, FILTER, activation="tanh"), ValueError, r"activation must be None or 'relu'"),
    (lambda: window(IMAGE, FILTER, at=(3, 0)), ValueError, r"at=\(3, 0\) is outside the output"),
    (lambda: window(IMAGE, FILTER, at=0), TypeError, r"at must be an \(i, j\) pair"),
    (lambda: window(IMAGE, FILTER, at=(0, 0), padding=-1), ValueError, r"padding must be an integer >= 0"),
    (lambda: overview(np.ones((13, 13)), FILTER), ValueError, r"too large to draw: .* 13x13 .* at most 12x12"),
    (lambda: feature_map(np.ones((11, 11)), FILTER, padding=1), ValueError, r"too large to draw"),
    (lambda: steps(np.ones((9, 9)), FILTER), ValueError, r"49 positions .* at most 25 frames"),
    (lambda: window(np.ones((5, 4, 4)), np.ones((5, 3, 3)), at=(0, 0)), ValueError, r"5 channels; figures draw at most 4"),
    (lambda: volume(IMAGE, DEMO_W), ValueError, r"x must have 3 dimensions"),
    (lambda: volume(DEMO_X, DEMO_W[0]), ValueError, r"weight must have 4 dimensions"),
    (lambda: volume(np.ones((5, 5, 5)), np.ones((2, 5, 3, 3))), ValueError, r"5 channels; figures draw at most 4"),
    (lambda: volume(DEMO_X, np.ones((5, 3, 3, 3))), ValueError, r"5 filters; figures draw at most 4"),
    (lambda: volume(DEMO_X, DEMO_W, [1, 2, 3]), ValueError, r"bias"),
    (lambda: volume(DEMO_X, DEMO_W, DEMO_B, at=(2, 0, 0)), ValueError, r"at=\(2, 0, 0\) is outside the output: the output is 2x3x3"),
    (lambda: volume(DEMO_X, DEMO_W, DEMO_B, at=(0, 1)), TypeError, r"at must be a \(k, i, j\) triple"),
    (lambda: volume(DEMO_X, DEMO_W, DEMO_B, at=(0, -1, 0)), ValueError, r"at\[1\] must be an integer >= 0"),
    (lambda: volume(DEMO_X, DEMO_W, DEMO_B, activation="sigmoid"), ValueError, r"activation must be"),
    (lambda: volume(DEMO_X, DEMO_W, DEMO_B, lang="de"), ValueError, r"lang must be"),
]


@pytest.mark.parametrize("call, error, message", BAD, ids=[m for _, _, m in BAD])
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- one axis: the windows drawn are coverage's -------------------------------------------------

def axis_drawing(svg: str) -> dict:
    """What a windows() figure shows: cells by kind, each window's taps, the dropped window, the geometry."""
    root = parse(svg)
    cells, centre = {}, {}
    for el in root.iter(NS + "text"):
        if el.get("data-grid") == "axis":
            i = int(el.get("data-cell"))
            assert i not in cells, f"cell {i} drawn twice"
            cells[i] = (el.get("data-kind"), el.text)
            centre[i] = float(el.get("x"))
    kept, dropped, lanes = {}, {}, {}
    for el in root.iter(NS + "rect"):
        if el.get("data-window") is None:
            continue
        o, i = int(el.get("data-window")), int(el.get("data-tap"))
        x0, w = float(el.get("x")), float(el.get("width"))
        assert x0 < centre[i] < x0 + w, f"window {o}: the mark of tap {i} is not under cell {i}"
        (dropped if el.get("data-dropped") == "true" else kept).setdefault(o, []).append(i)
        lanes.setdefault(float(el.get("y")), []).append((o, x0, x0 + w))
    labels = {int(el.get("data-window-label")): el.text for el in root.iter(NS + "text") if el.get("data-window-label")}
    struck = [el for el in root.iter(NS + "path") if el.get("data-strike")]
    said = [el.text for el in root.iter(NS + "text") if el.get("data-dropped") == "true" and not el.get("data-window-label")]
    return dict(cells=cells, kept=kept, dropped=dropped, lanes=lanes, labels=labels, struck=struck, said=said)


AXIS_GRID = list(itertools.product(
    range(1, 8),  # size
    range(1, 5),  # kernel_size
    range(1, 5),  # stride
    range(0, 3),  # padding
    range(1, 4),  # dilation
    (False, True),  # ceil_mode
))


def check_axis(args, ceil_mode, lang):
    """windows(*args) against coverage(*args): every cell, window, tap and the dropped window."""
    n, k, s, p, d = args
    c = coverage(*args, ceil_mode=ceil_mode)
    svg = windows(*args, ceil_mode=ceil_mode, lang=lang)
    got = axis_drawing(svg)
    # the windows, their numbers and their taps: coverage's, in order
    assert got["kept"] == {o + 1: list(w) for o, w in enumerate(c.windows)}
    # the dropped window: drawn exactly when coverage says so, where PyTorch would have started it
    if c.dropped:
        start = c.output * s - p
        assert start >= n, "a dropped window starts right of the input (PyTorch's start rule)"
        assert got["dropped"] == {c.output + 1: [start + m * d for m in range(k)]}
        assert [el.get("data-strike") for el in got["struck"]] == [str(c.output + 1)]
        assert got["said"] == ["dropped" if lang == "en" else "被丢弃"]
    else:
        assert got["dropped"] == {} and got["struck"] == [] and got["said"] == []
    numbers = sorted(got["kept"]) + sorted(got["dropped"])
    assert got["labels"] == {o: str(o) for o in numbers}
    # the cells: padding and input exactly, past the padded input exactly as far as a window reaches
    every = [w for o, w in sorted({**got["kept"], **got["dropped"]}.items())]
    reach = max([n + p - 1] + [w[-1] for w in every])
    kinds = {i: kind for i, (kind, _) in got["cells"].items()}
    assert kinds == {i: "pad" if i < 0 or i >= n else "input" for i in range(-p, n + p)} | {
        i: "past" for i in range(n + p, reach + 1)}
    assert any(kind == "past" for kind in kinds.values()) == any(i >= n + p for w in every for i in w)
    assert all(got["cells"][i][1] == str(i) for i in range(n))
    assert all(text == "p" for kind, text in got["cells"].values() if kind == "pad")
    assert all(text == "–" for kind, text in got["cells"].values() if kind == "past")
    # windows sharing a line never overlap
    for marks in got["lanes"].values():
        spans = {}
        for o, x0, x1 in marks:
            lo, hi = spans.get(o, (x0, x1))
            spans[o] = (min(lo, x0), max(hi, x1))
        ordered = sorted(spans.values())
        assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))
    # the alt text names the same count
    desc = parse(svg).find(NS + "desc").text
    assert (f"共 {c.output} 个窗口" if lang == "zh" else f": {c.output} window") in desc
    return svg


@pytest.mark.parametrize("lang", LANGS)
def test_windows_draws_coverages_windows_taps_and_dropped_window(lang):
    drawn_cases = refused = dropped = past = 0
    for *args, ceil_mode in AXIS_GRID:
        try:
            coverage(*args, ceil_mode=ceil_mode)
        except ValueError as exc:  # a kernel that does not fit: the figure says what coverage says
            with pytest.raises(ValueError) as err:
                windows(*args, ceil_mode=ceil_mode, lang=lang)
            assert str(err.value) == str(exc)
            refused += 1
            continue
        svg = check_axis(args, ceil_mode, lang)
        drawn_cases += 1
        dropped += 'data-dropped="true"' in svg
        past += 'data-kind="past"' in svg
    # the grid reaches every case the figure distinguishes
    assert drawn_cases > 1000 and refused > 50 and dropped > 20 and past > 100


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("args, kw", [
    ((5, 2), dict(stride=2, padding=1, ceil_mode=True)),  # the page: window 4 dropped
    ((1, 2), dict(stride=2, ceil_mode=True)),  # the page: kernel larger than the padded input, kept
    ((2, 3), dict(stride=2, ceil_mode=True)),
    ((7, 2), dict(stride=3, dilation=2, ceil_mode=True)),  # taps only, cells 1 and 4 unread
    ((2, 1), dict(stride=10, ceil_mode=True)),  # the dropped window starts past the padded input
    ((20, 1), {}),  # the widest axis drawn
])
def test_windows_named_cases(args, kw, lang):
    check_axis((*args, kw.get("stride", 1), kw.get("padding", 0), kw.get("dilation", 1)), kw.get("ceil_mode", False), lang)
    svg = windows(*args, **kw, lang=lang)
    assert svg == windows(*args, **kw, lang=lang)  # deterministic


def test_the_pooling_page_figures_show_the_dropped_window_and_the_hanging_one():
    a = axis_drawing(POOLING["dropped"]("en"))
    assert a["kept"] == {1: [-1, 0], 2: [1, 2], 3: [3, 4]} and a["dropped"] == {4: [5, 6]}
    assert a["cells"][5] == ("pad", "p") and a["cells"][6] == ("past", "–")
    b = axis_drawing(POOLING["hang"]("zh"))
    assert b["kept"] == {1: [0, 1]} and b["dropped"] == {}
    assert b["cells"] == {0: ("input", "0"), 1: ("past", "–")}
    desc = parse(POOLING["hang"]("en")).find(NS + "desc").text
    assert "hangs 1 cell past the padded input" in desc and "at most stride − 1 = 1 cell past it" in desc
    assert "被丢弃" in POOLING["dropped"]("zh") and "dropped" not in POOLING["hang"]("en")


def test_windows_legend_and_styles_do_not_rest_on_colour():
    for lang, words in (("zh", ["窗口读到的格子", "填充", "超出填充后的输入", "被丢弃的窗口"]),
                        ("en", ["cells a window reads", "padding", "past the padded input", "dropped window"])):
        svg = POOLING["dropped"](lang)
        for w in words:
            assert f">{w}" in svg, f"legend lacks {w!r}"
    root = parse(POOLING["dropped"]("en"))
    hatch = "".join(el.get("d") for el in root.iter(NS + "path") if el.get("class") == "cdf-hatch")
    assert hatch.count("M") == 2 * (2 + 1), "both padding cells and the legend's swatch are hatched"
    past = [el for el in root.iter(NS + "rect") if el.get("stroke-dasharray") and el.get("class") == "cdf-grid"]
    assert past, "cells past the padded input have a dashed outline"
    assert "past the padded input" not in POOLING["dropped"]("en").split("<title")[0]
    hang = POOLING["hang"]("en")
    assert ">padding<" not in hang and ">dropped window" not in hang  # only what the figure shows


BAD_AXIS = [
    (lambda: windows(5, (2, 2)), TypeError, r"windows draws one axis: kernel_size must be an int"),
    (lambda: windows(5, 2, lang="fr"), ValueError, r"lang must be 'zh' or 'en'"),
    (lambda: windows(5, 2, ceil_mode=1), TypeError, r"ceil_mode must be True or False"),
    (lambda: windows(0, 2), ValueError, r"size must be a positive integer"),
    (lambda: windows(5, 2, stride=1.5), TypeError, r"stride must be a positive integer"),
    (lambda: windows(5, 2, padding=-1), ValueError, r"padding must be an integer >= 0"),
    (lambda: windows(1, 2, stride=2), ValueError, r"kernel_size is larger than the padded input"),
    (lambda: windows(1, 3, stride=2, ceil_mode=True), ValueError, r"by more than stride - 1"),
    (lambda: windows(19, 2, padding=1), ValueError, rf"too large to draw: .* 21 cells, and windows draws at most {MAX_AXIS}"),
    (lambda: windows(19, 3, stride=3, ceil_mode=True), ValueError, r"too large to draw: .* reaching to cell 20 is 21 cells"),
]


@pytest.mark.parametrize("call, error, message", BAD_AXIS, ids=[m for _, _, m in BAD_AXIS])
def test_windows_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("kw", [
    dict(size=10**9, kernel_size=3),
    dict(size=1, kernel_size=900_000, stride=10**7, ceil_mode=True),  # one window of 900,000 taps
    dict(size=2, kernel_size=1, stride=10**9, ceil_mode=True),  # the dropped window far away
])
def test_windows_refuses_a_large_axis_before_listing_anything(kw, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("coverage listed the windows before the size was checked")

    monkeypatch.setattr(figures._axis, "coverage", never)  # where windows() looks it up
    start = time.perf_counter()
    with pytest.raises(ValueError, match="too large to draw"):
        windows(**kw)
    assert time.perf_counter() - start < 0.5


# --- the docstrings' examples ------------------------------------------------------------------------
# conftest.py's sybil runs the Examples of convdoc/**/*.py; every public figure must have some.

def figure_docstrings() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder()
    tests = []
    for info in pkgutil.iter_modules(figures.__path__, figures.__name__ + "."):
        tests += [t for t in finder.find(importlib.import_module(info.name)) if t.examples]
    return sorted(tests, key=lambda t: t.name)


@pytest.mark.parametrize("lang", LANGS)
def test_weight_gradient_marks_the_pixels_each_output_meets_and_those_no_window_reads(lang):
    g = np.array([[1, -1], [2, 1]])
    root = parse(GRADIENT["grad_skip"](lang))
    e = explain_grad(IMAGE, g, at=(1, 0), kernel_size=2, stride=3)
    met = sorted(boxes(root, "cdf-win", grid="x"))
    assert met == sorted((t.row, t.col, 1, 1) for t in e.terms)  # one pixel per output position
    assert boxes(root, "cdf-out", grid="dw") == [(1, 0, 1, 1)]
    assert drawn(root, "value") == {None: e.value}
    unread = {r for r in coverage(5, 2, 3).uncovered}  # row 2 and column 2
    dotted = [el for el in root.iter(NS + "rect") if el.get("stroke-dasharray") == "2 3"]
    assert len(dotted) == 5 * 5 - (5 - len(unread)) ** 2 + 1  # row 2, column 2, and the legend's swatch
    desc = root.find(NS + "desc").text
    assert "(2,0)" in desc and ("no window" in desc if lang == "en" else "没有任何窗口" in desc)
    full = parse(GRADIENT["grad_w00"](lang))  # stride 1: every pixel is read
    assert not [el for el in full.iter(NS + "rect") if el.get("stroke-dasharray") == "2 3"]
    dw = conv2d_grad(IMAGE, FILTER, np.ones((3, 3), dtype=int)).weight
    assert as_array(drawn(full, "dw"), (3, 3)).tolist() == dw.tolist()


def test_every_public_figure_has_a_docstring_example():
    named = {t.name.rsplit(".", 1)[-1] for t in figure_docstrings()}
    assert {"overview", "window", "feature_map", "steps", "volume", "windows"} <= named, named


# --- the built site --------------------------------------------------------------------------------



@pytest.mark.parametrize("lang", LANGS)
def test_the_article_shows_the_five_figures_and_more(site, lang):
    html = (site / ("en/" if lang == "en" else "") / "cnn-output" / "index.html").read_text(encoding="utf-8")
    figs = re.findall(r'<figure class="convdoc-figure" id="([^"]+)">\s*<svg\b(.*?)</svg>\s*<figcaption>(.*?)</figcaption>', html, re.S)
    ids = [f[0] for f in figs]
    assert len(figs) >= 5
    # the source article's five pictures, in its order, then the step-by-step views
    for needed in ("fig-overview", "fig-window", "fig-stride1", "fig-stride2", "fig-volume"):
        assert needed in ids
    assert ids.index("fig-overview") < ids.index("fig-window") < ids.index("fig-stride1") < ids.index("fig-stride2") < ids.index("fig-volume")
    assert {"fig-steps1", "fig-steps2", "fig-minus5"} <= set(ids)
    for fid, body, caption in figs:
        assert f'lang="{lang}"' in body, f"{fid}: figure not drawn in {lang}"
        assert bool(CJK.search(caption)) == (lang == "zh"), f"{fid}: caption not in {lang}"
    # what the page shows is what convdoc draws now
    assert ARTICLE["window"](lang) in html and ARTICLE["volume"](lang) in html


@pytest.mark.parametrize("lang", LANGS)
def test_the_pooling_page_shows_both_ceil_mode_figures(site, lang):
    html = (site / ("en/" if lang == "en" else "") / "pooling" / "index.html").read_text(encoding="utf-8")
    figs = dict(re.findall(r'<figure class="convdoc-figure" id="([^"]+)">\s*(<svg\b.*?</svg>)\s*<figcaption>', html, re.S))
    assert set(figs) >= {"fig-dropped", "fig-hang"}
    assert figs["fig-dropped"] == POOLING["dropped"](lang) and figs["fig-hang"] == POOLING["hang"](lang)
    assert html.index('id="fig-dropped"') < html.index('id="fig-hang"')
