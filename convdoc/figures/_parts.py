"""What every figure is made of: its checked inputs, and grids, headers and legends on the canvas."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_array, check_int, check_pair
from ..conv import conv2d
from ..explain import _activate, _check_activation
from ._svg import _Canvas, _n, _text_width

#: Largest padded input side, channel count, filter count and number of frames a figure draws.
MAX_SIDE = 12
MAX_CHANNELS = 4
MAX_FILTERS = 4
MAX_FRAMES = 25


def _numbers(a: np.ndarray) -> np.ndarray:
    """A binary (bool) image as the 0/1 integers a figure prints; other arrays as they are."""
    return a.astype(np.int64) if a.dtype == np.bool_ else a


def _check_size(x: np.ndarray, p: tuple[int, int]) -> None:
    """``x`` (its last two axes) with ``p`` padding on each side must fit in a figure."""
    hp, wp = x.shape[-2] + 2 * p[0], x.shape[-1] + 2 * p[1]
    if hp > MAX_SIDE or wp > MAX_SIDE:
        raise ValueError(
            f"x is too large to draw: with its padding it is {hp}x{wp} cells, and figures draw at most "
            f"{MAX_SIDE}x{MAX_SIDE}; use conv2d or explain for larger inputs"
        )


def _check_count(n: int, limit: int, array: str, things: str) -> None:
    """At most ``limit`` channels or filters in a figure ("x has 5 channels; figures draw at most 4")."""
    if n > limit:
        raise ValueError(f"{array} has {n} {things}; figures draw at most {limit}")


def _check_at(at: Any, shape: tuple[int, ...], name: str = "at") -> tuple[int, ...]:
    if not isinstance(at, (tuple, list)) or len(at) != len(shape):
        kind = "an (i, j) pair" if len(shape) == 2 else "a (k, i, j) triple"
        raise TypeError(f"{name} must be {kind} of output indices, got {at!r}")
    idx = tuple(check_int(v, f"{name}[{n}]", minimum=0) for n, v in enumerate(at))
    if any(v >= s for v, s in zip(idx, shape)):
        dims = "x".join(str(s) for s in shape)
        raise ValueError(f"{name}={tuple(at)} is outside the output: the output is {dims}")
    return idx


def _pad3(x3: np.ndarray, p: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    padded = np.pad(x3, ((0, 0), (p[0], p[0]), (p[1], p[1])))
    mask = np.ones(padded.shape[1:], dtype=bool)
    mask[p[0] : p[0] + x3.shape[1], p[1] : p[1] + x3.shape[2]] = False
    return padded, mask


def _single_filter(x, weight, bias, stride, padding, activation):
    """Validate a 2-D x with one 2-D filter; return arrays, pairs and the feature map."""
    xa = _numbers(check_array(x, "x", ranks=(2,)))
    wa = _numbers(check_array(weight, "weight", ranks=(2,)))
    b = check_array(bias, "bias", ranks=(0,)).item()
    _check_activation(activation)
    s = check_pair(stride, "stride", minimum=1)
    p = check_pair(padding, "padding", minimum=0)
    _check_size(xa, p)
    a = _activate(conv2d(xa, wa, b, stride=s, padding=p), activation)  # conv2d checks that the filter fits
    return xa, wa, b, s, p, a


def _grid(
    cv: _Canvas,
    x0: float,
    y0: float,
    texts: list[list[str | None]],
    cell: float,
    *,
    grid: str,
    pad: np.ndarray | None = None,
    overlays: tuple = (),
    font: float | None = None,
    soft: bool = False,
    data: dict | None = None,
) -> None:
    """Draw a grid of cells: padding fills and hatching, tints, lines, outlines, then the values.

    ``overlays`` holds ``(row, col, rows, cols, kind)`` with kind ``"win"`` (dashed outline) or
    ``"out"`` (thick solid outline); each cell's ``<text>`` carries ``data-grid`` and ``data-cell``.
    """
    rows, cols = len(texts), len(texts[0])
    font = font or round(cell * 0.54)
    if pad is not None and pad.any():
        _padding(cv, [(x0 + c * cell, y0 + r * cell) for r, c in zip(*np.nonzero(pad))], cell)
    for r, c, h, w, kind in overlays:
        cv.rect(x0 + c * cell, y0 + r * cell, w * cell, h * cell, f"cdf-{kind}-bg")
    _lines(cv, x0, y0, rows, cols, cell)
    for r, c, h, w, kind in overlays:  # data-box: (row, col, rows, cols) of the outlined cells
        cv.rect(x0 + c * cell, y0 + r * cell, w * cell, h * cell, f"cdf-{kind}",
                {"grid": grid, **(data or {}), "box": f"{r},{c},{h},{w}"})
    for r in range(rows):
        for c in range(cols):
            s = texts[r][c]
            if s is None:
                continue
            cls = "cdf-pv" if pad is not None and pad[r, c] else ("cdf-soft" if soft else "")
            cv.text(
                x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell + 0.36 * font, s,
                size=font, cls=cls, data={"grid": grid, **(data or {}), "cell": f"{r},{c}"},
            )


def _header(cv: _Canvas, cx: float, y: float, name: str, sub: str | None = None) -> None:
    """A grid's name (and a smaller second line) centred above it; ``y`` is the first baseline."""
    cv.text(cx, y, name, size=14, cls="cdf-b")
    if sub:
        cv.text(cx, y + 16, sub, size=12, cls="cdf-soft")


def _square(x: float, y: float, size: float) -> str:
    """The outline of a square cell, as path data."""
    return f"M{_n(x)} {_n(y)}h{_n(size)}v{_n(size)}h{_n(-size)}Z"


def _padding(cv: _Canvas, corners: list[tuple[float, float]], size: float) -> None:
    """Padding cells at ``corners`` (top-left), filled grey and hatched.

    Two corner strokes each: the hatching leaves the centre clear for the cell's mark ("0").
    """
    q = size / 3
    cv.path("".join(_square(x, y, size) for x, y in corners), "cdf-pad")
    cv.path("".join(
        f"M{_n(x)} {_n(y + q)}L{_n(x + q)} {_n(y)}M{_n(x + size - q)} {_n(y + size)}L{_n(x + size)} {_n(y + size - q)}"
        for x, y in corners
    ), "cdf-hatch")


def _lines(cv: _Canvas, x0: float, y0: float, rows: int, cols: int, cell: float) -> None:
    """The outline and the inner lines of a grid of ``rows`` x ``cols`` cells."""
    width, height = cols * cell, rows * cell
    lines = f"M{_n(x0)} {_n(y0)}h{_n(width)}v{_n(height)}h{_n(-width)}Z"
    lines += "".join(f"M{_n(x0)} {_n(y0 + r * cell)}h{_n(width)}" for r in range(1, rows))
    lines += "".join(f"M{_n(x0 + c * cell)} {_n(y0)}v{_n(height)}" for c in range(1, cols))
    cv.path(lines, "cdf-grid")
    cv._grow(x0, y0, x0 + width, y0 + height)


def _pad_swatch(cv: _Canvas, x: float, y: float, size: float, mark: str) -> None:
    """A legend's padding cell: grey, hatched and outlined, with its mark."""
    _padding(cv, [(x, y)], size)
    cv.path(_square(x, y, size), "cdf-grid")
    cv.text(x + size / 2, y + size / 2 + 4, mark, size=11, cls="cdf-pv")


def _swatch(cv: _Canvas, kind: str, x: float, y: float, size: float) -> None:
    """The grids' legend swatches: zero padding, a window corner's dot, a window ("win") or output ("out") outline."""
    if kind == "pad":
        _pad_swatch(cv, x, y, size, "0")
    elif kind == "dot":
        cv.path(_square(x, y, size), "cdf-grid")
        cv.circle(x + 5, y + 5, 2.6, "cdf-dot")
    else:
        cv.rect(x, y, size, size, f"cdf-{kind}-bg")
        cv.rect(x, y, size, size, f"cdf-{kind}")


def _legend(cv: _Canvas, x: float, y: float, items: list[tuple[str, str]], width: float, swatch=_swatch) -> float:
    """(kind, label) pairs, each drawn as ``swatch(cv, kind, x, y, size)`` and its label, wrapped to ``width``.

    Returns the y below the legend.
    """
    sw, gap, line = 16, 18, 22
    cx = x
    for kind, label in items:
        w = sw + 6 + _text_width(label, 12)
        if cx > x and cx + w > x + width:
            cx, y = x, y + line
        swatch(cv, kind, cx, y, sw)
        cv.text(cx + sw + 6, y + sw / 2 + 4.5, label, size=12, anchor="start")
        cx += w + gap
    return y + line
