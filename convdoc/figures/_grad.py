"""One weight's gradient: which input pixels meet which output gradients, and which get none."""

from __future__ import annotations

import numpy as np

from .._checks import check_array, check_pair, pair_text
from ..explain import explain_grad
from ..grad import conv2d_grad
from ..windows import coverage
from ._parts import _check_size, _grid, _header, _legend, _numbers, _pad3, _swatch
from ._svg import SVG, _Canvas, _n, _text_width
from ._text import _lang, _signed, _v

__all__ = ["weight_gradient"]

_GRAD_TEXT = {
    "zh": {
        "input": "输入 x", "g": "输出梯度 g", "g_sub": "g = ∂L/∂a", "dw": "权重梯度", "dw_sub": "∂L/∂w",
        "padded": "填充 {p} 后 {h}×{w}", "sub": "步幅 {s}，填充 {p}",
        "leg_met": "权重 w{mn} 遇到的像素（每个输出位置一个）", "leg_out": "要算的梯度", "leg_pad": "零填充（补的 0）",
        "leg_none": "没有窗口读到：得不到梯度",
        "t": "权重梯度 ∂L/∂w{mn}：{n} 个输出位置各贡献一个乘积 g·x",
        "d": ("{h}×{w} 的输入 x（{sp}），卷积核 {f1}×{f2}，输出梯度 g 为 {h2}×{w2}，逐行为 {g}。"
              "权重 w{mn} 在每个输出位置遇到一个输入像素：{pairs}。"
              "∂L/∂w{mn} = {expr} = {v}。整个权重梯度逐行为 {dw}。{none}"),
        "pair": "输出 ({i},{j}) 的 g = {g} 遇到 x[{r},{c}] = {x}", "pad_pair": "输出 ({i},{j}) 的 g = {g} 遇到填充 0",
        "none": "输入像素 {cells} 没有任何窗口读到，它们的梯度为 0，也不影响任何权重的梯度。",
        "all": "每个输入像素都被某个窗口读到。",
        "sep": "；", "comma": "，",
    },
    "en": {
        "input": "input x", "g": "output gradient g", "g_sub": "g = ∂L/∂a", "dw": "weight gradient", "dw_sub": "∂L/∂w",
        "padded": "padded by {p}: {h}×{w}", "sub": "stride {s}, padding {p}",
        "leg_met": "pixels weight w{mn} meets (one per output position)", "leg_out": "the gradient computed",
        "leg_pad": "zero padding", "leg_none": "read by no window: gets no gradient",
        "t": "Weight gradient ∂L/∂w{mn}: each of the {n} output positions adds one product g·x",
        "d": ("A {h}×{w} input x ({sp}), a {f1}×{f2} kernel, and a {h2}×{w2} output gradient g, by rows {g}. "
              "Weight w{mn} meets one input pixel at every output position: {pairs}. "
              "∂L/∂w{mn} = {expr} = {v}. The whole weight gradient, by rows: {dw}. {none}"),
        "pair": "output ({i},{j}) with g = {g} meets x[{r},{c}] = {x}", "pad_pair": "output ({i},{j}) with g = {g} meets padding 0",
        "none": "Input pixels {cells} are read by no window: their gradient is 0 and they change no weight's gradient.",
        "all": "Every input pixel is read by some window.",
        "sep": "; ", "comma": ", ",
    },
}


def _none_cell(cv: _Canvas, x: float, y: float, size: float) -> None:
    """A pixel no window reads: a dotted outline inside the cell and a diagonal stroke."""
    cv.parts.append(
        f'<rect class="cdf-line" x="{_n(x + 3)}" y="{_n(y + 3)}" width="{_n(size - 6)}" height="{_n(size - 6)}" '
        'stroke-dasharray="2 3"/>'
    )
    cv._grow(x, y, x + size, y + size)


def _legend_swatch(cv: _Canvas, kind: str, x: float, y: float, size: float) -> None:
    if kind == "none":
        cv.path(f"M{_n(x)} {_n(y)}h{_n(size)}v{_n(size)}h{_n(-size)}Z", "cdf-grid")
        _none_cell(cv, x - 1, y - 1, size + 2)
    else:
        _swatch(cv, kind, x, y, size)


def weight_gradient(x, grad_output, *, at, kernel_size, stride=1, padding=0, lang="zh") -> SVG:
    """One weight's gradient: the input pixels it met, the output gradients there, their sum.

    Three grids: the (zero-padded) input with the pixel that weight ``w[m, n]`` meets at
    each output position outlined, the output gradient ``g``, and the whole weight
    gradient with ``∂L/∂w[m, n]`` outlined; under them the sum of the products. Input
    pixels that no window reads (the stride skips them; :func:`convdoc.coverage`) are
    marked: they get no gradient and do not reach any weight's gradient. Every number
    comes from :func:`convdoc.explain_grad` and :func:`convdoc.conv2d_grad`.

    Parameters
    ----------
    x : array_like
        (H, W).
    grad_output : array_like
        (H2, W2), the output's shape.
    at : (int, int)
        The weight (m, n).
    kernel_size, stride, padding : int or (h, w) pair
    lang : {"zh", "en"}

    Returns
    -------
    SVG

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.explain_grad`; also an unknown ``lang`` or an input larger than
        12x12 cells with its padding.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc.figures import weight_gradient
    >>> from convdoc.examples import IMAGE
    >>> svg = weight_gradient(IMAGE, np.ones((2, 2), dtype=int), at=(0, 0), kernel_size=3, stride=2, lang="en")
    >>> 'data-grid="value">3</tspan>' in svg
    True
    """
    _lang(lang)
    t = _GRAD_TEXT[lang]
    xa = _numbers(check_array(x, "x", ranks=(2,), finite=False))
    p = check_pair(padding, "padding", minimum=0)
    _check_size(xa, p)
    e = explain_grad(xa, grad_output, at=at, kernel_size=kernel_size, stride=stride, padding=padding)
    ga = _numbers(np.asarray(grad_output))
    fh, fw = check_pair(kernel_size, "kernel_size", minimum=1)
    dw = conv2d_grad(xa, np.zeros((fh, fw), dtype=np.int8), ga, stride=e.stride, padding=p).weight
    (h, w), (h2, w2), s = xa.shape, ga.shape, e.stride
    m, n = e.at
    mn = f"{m},{n}".translate(str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,"))
    unread = [(r, c) for r in coverage(h, fh, s[0], p[0]).uncovered for c in range(w)]
    unread += [(r, c) for c in coverage(w, fw, s[1], p[1]).uncovered for r in range(h) if (r, c) not in unread]
    unread.sort()

    cv = _Canvas()
    cell = 30
    padded, mask = _pad3(xa[None], p)
    hp, wp = padded.shape[1:]
    texts = [[_v(v) for v in row] for row in padded[0]]
    met = tuple((term.row + p[0], term.col + p[1], 1, 1, "win") for term in e.terms)
    y0 = 44

    def column(x: float, cols: int, name: str, sub: str) -> tuple[float, float]:
        """A column wide enough for its grid and its header: (the grid's x, the next column's x)."""
        width = max(cols * cell, _text_width(name, 14), _text_width(sub, 12))
        _header(cv, x + width / 2, 14, name, sub)
        return x + (width - cols * cell) / 2, x + width + 32

    gx0, nx = column(0, wp, t["input"], t["sub"].format(s=pair_text(s), p=pair_text(p)))
    _grid(cv, gx0, y0, texts, cell, grid="x", pad=mask, overlays=met)
    for r, c in unread:
        _none_cell(cv, gx0 + (c + p[1]) * cell, y0 + (r + p[0]) * cell, cell)
    gx, nx = column(nx, w2, t["g"], t["g_sub"])
    _grid(cv, gx, y0, [[_v(v) for v in row] for row in ga], cell, grid="g")
    wx, _ = column(nx, fw, t["dw"], t["dw_sub"])
    _grid(cv, wx, y0, [[_v(v) for v in row] for row in dw], cell, grid="dw", overlays=((m, n, 1, 1, "out"),))
    y = y0 + max(hp, h2, fh) * cell + 28
    expr = " + ".join(f"{_signed(term.grad)}·{_signed(term.input)}" for term in e.terms)
    cv.line(0, y, [(f"∂L/∂w{mn} = Σ g·x = {expr} = ", "", None), (_v(e.value), "cdf-b", {"grid": "value"})])
    items = [("win", t["leg_met"].format(mn=mn)), ("out", t["leg_out"])]
    if mask.any():
        items.append(("pad", t["leg_pad"]))
    if unread:
        items.append(("none", t["leg_none"]))
    _legend(cv, 0, y + 18, items, max(cv.box[2], 300), swatch=_legend_swatch)

    pairs = t["sep"].join(
        (t["pad_pair"] if term.padded else t["pair"]).format(i=term.i, j=term.j, g=_v(term.grad), r=term.row, c=term.col, x=_v(term.input))
        for term in e.terms
    )
    none = t["none"].format(cells=t["comma"].join(f"({r},{c})" for r, c in unread)) if unread else t["all"]
    desc = t["d"].format(
        h=h, w=w, sp=t["sub"].format(s=pair_text(s), p=pair_text(p)), f1=fh, f2=fw, h2=h2, w2=w2, mn=mn,
        g=t["sep"].join(" ".join(_v(v) for v in row) for row in ga), pairs=pairs,
        expr=" + ".join(_signed(term.product) for term in e.terms), v=_v(e.value),
        dw=t["sep"].join(" ".join(_v(v) for v in row) for row in dw), none=none,
    )
    return cv.render(t["t"].format(mn=mn, n=len(e.terms)), desc, lang)
