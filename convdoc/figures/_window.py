"""One output element: the window on the input, the filter, every product and their sum.

Two layouts share the parts of :class:`_Element`: a single-channel input shows the input
with the window and the feature map above the products (:func:`_single_channel`); a
multi-channel input shows one row of products per channel and the feature map beside the
sums (:func:`_channels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_array, check_pair, pair_text
from ..conv import conv2d
from ..explain import Explanation, _activate, explain
from ._parts import MAX_CHANNELS, _check_count, _check_size, _grid, _header, _legend, _numbers, _pad3
from ._svg import SVG, _Canvas, _text_width
from ._text import _SUB, _a, _lang, _shape, _signed, _v

__all__ = ["window"]


def window(x, weight, bias=0, *, at, stride=1, padding=0, activation=None, lang="zh") -> SVG:
    """One output element: the window on the input, the filter, every product and their sum.

    For an (H, W) input the figure shows the input with the window, the feature map with
    the cell being written (the cells before it, in reading order, already filled), then
    window ⊙ filter = products and the sum. For a (C, H, W) input it shows one row of
    window ⊙ filter = products per channel with each channel's sum, then the channel sums
    plus the bias. Every number comes from :func:`convdoc.explain` with the same arguments.

    Parameters
    ----------
    x : array_like
        (H, W) or (C, H, W).
    weight : array_like
        One filter, (F_h, F_w) or (C, F_h, F_w).
    bias : scalar
    at : (int, int)
        The output position (i, j).
    stride, padding : int or (h, w) pair
    activation : None or "relu"
    lang : {"zh", "en"}

    Returns
    -------
    SVG

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.explain`; also an unknown ``lang``, more than 4 channels, or an
        input larger than 12x12 cells with its padding.

    Examples
    --------
    >>> from convdoc.figures import window
    >>> from convdoc.examples import IMAGE, FILTER
    >>> svg = window(IMAGE, FILTER, at=(0, 0), activation="relu", lang="en")
    >>> 'data-grid="value"' in svg and ">4</text>" in svg
    True
    """
    t = _lang(lang)
    xa = _numbers(check_array(x, "x", ranks=(2, 3), finite=False))  # the size first: refuse before working
    x3 = xa.reshape((1,) * (3 - xa.ndim) + xa.shape)
    _check_count(x3.shape[0], MAX_CHANNELS, "x", "channels")
    p = check_pair(padding, "padding", minimum=0)
    _check_size(x3, p)
    e = explain(xa, weight, bias, at=at, stride=stride, padding=padding, activation=activation)
    wa = _numbers(np.asarray(weight))
    full = _activate(conv2d(xa, wa, e.bias, stride=e.stride, padding=p), activation)
    el = _Element(t, e, full, p, wa.shape[-2:], activation)
    cv = _single_channel(el, x3) if xa.ndim == 2 else _channels(el)
    return cv.render(el.title(), el.describe(xa, *el.sums_text(xa.ndim == 2)), lang)


@dataclass(frozen=True)
class _Element:
    """What both layouts draw: the explanation of ``a[i, j]``, the feature map and the window's place."""

    t: dict  # the strings of the language
    e: Explanation
    full: np.ndarray  # the feature map, after the activation
    padding: tuple[int, int]
    kernel: tuple[int, int]
    activation: Any

    @property
    def name(self) -> str:
        return _a(*self.e.at)

    @property
    def corner(self) -> tuple[int, int]:
        """The window's top-left cell, in padded coordinates."""
        return self.e.at[0] * self.e.stride[0], self.e.at[1] * self.e.stride[1]

    @property
    def channels(self) -> list:
        """The terms, channel by channel."""
        per = self.kernel[0] * self.kernel[1]
        return [self.e.terms[d * per : (d + 1) * per] for d in range(self.e.channels)]

    def sums(self) -> list:
        return [sum((term.product for term in terms), start=0) for terms in self.channels]

    def act(self, body: str) -> str:
        return f"relu({body})" if self.activation == "relu" else body

    def map_texts(self) -> list:
        """The feature map's values up to the cell being written, in reading order; the rest empty."""
        (i, j), (h2, w2) = self.e.at, self.full.shape
        return [[_v(self.full[r, c]) if (r, c) <= (i, j) else None for c in range(w2)] for r in range(h2)]

    def products(self, cv: _Canvas, y: float, cell: float, *, labelled: bool) -> tuple[list[float], float]:
        """window ⊙ filter = products, one row per channel (``labelled``: with its name and its sum)."""
        t, (fh, fw) = self.t, self.kernel
        gw = fw * cell
        label_w = 44 if labelled else 0
        xs = [label_w, label_w + gw + 30, label_w + 2 * (gw + 30)]
        for k, name in enumerate((t["window"], t["filter"], t["products"])):
            _header(cv, xs[k] + gw / 2, y + 14, name)
        y += 26
        for d, (terms, total) in enumerate(zip(self.channels, self.sums())):
            win = [[None] * fw for _ in range(fh)]
            wts = [[None] * fw for _ in range(fh)]
            prods = [[None] * fw for _ in range(fh)]
            pmask = np.zeros((fh, fw), dtype=bool)
            for term in terms:
                win[term.m][term.n] = _v(term.input)
                wts[term.m][term.n] = _v(term.weight)
                prods[term.m][term.n] = _v(term.product)
                pmask[term.m, term.n] = term.padded
            data = {"channel": d} if labelled else {}
            if labelled:
                cv.text(0, y + fh * cell / 2 + 5, t["channel_short"].format(d=d), size=13, anchor="start")
            _grid(cv, xs[0], y, win, cell, grid="xw", pad=pmask, overlays=((0, 0, fh, fw, "win"),), data=data)
            cv.text(xs[0] + gw + 15, y + fh * cell / 2 + 6, "⊙", size=18)
            _grid(cv, xs[1], y, wts, cell, grid="w", data=data)
            cv.text(xs[1] + gw + 15, y + fh * cell / 2 + 6, "=", size=18)
            _grid(cv, xs[2], y, prods, cell, grid="p", data=data)
            if labelled:
                cv.line(xs[2] + gw + 10, y + fh * cell / 2 + 5,
                        [("Σ = ", "", None), (_v(total), "cdf-b", {"grid": "sum", "channel": d})])
            y += fh * cell + 12
        return xs, y

    def value(self, cv: _Canvas, y: float, line: str, bottom: float, padded: bool) -> None:
        """The last line, ``... = value``, and under it (and under ``bottom``) the legend."""
        cv.line(0, y, [(line, "", None), (_v(self.e.value), "cdf-b", {"grid": "value"})])
        y = max(y + 14, bottom)
        items = [("win", self.t["leg_win"]), ("out", self.t["leg_out"])]
        if padded:
            items.append(("pad", self.t["leg_pad"]))
        _legend(cv, 0, y + 14, items, max(cv.box[2], 300))

    def title(self) -> str:
        return self.t["t_window"].format(a=self.name, n=len(self.e.terms))

    def grid_of(self, vals: list) -> str:
        fh, fw = self.kernel
        return self.t["sep"].join(" ".join(_v(v) for v in vals[r * fw : (r + 1) * fw]) for r in range(fh))

    def sums_text(self, single: bool) -> tuple[str, str]:
        """The description's middle: each channel's window, filter and products, then the sum."""
        t, e, sums = self.t, self.e, self.sums()
        if single:
            chan = t["d_window_2d"].format(
                x=self.grid_of([tm.input for tm in e.terms]), w=self.grid_of([tm.weight for tm in e.terms]),
                p=self.grid_of([tm.product for tm in e.terms]),
            )
            return chan, t["d_sum"].format(s=_v(sums[0]), b=_v(e.bias), t=_v(e.total))
        chan = "".join(
            t["d_window_ch"].format(
                d=d, x=self.grid_of([tm.input for tm in terms]), w=self.grid_of([tm.weight for tm in terms]),
                p=self.grid_of([tm.product for tm in terms]), s=_v(sums[d]),
            )
            for d, terms in enumerate(self.channels)
        )
        expr = " + ".join(_signed(v) for v in sums) + f" + {_signed(e.bias)}"
        return chan, t["d_sum_ch"].format(b=_v(e.bias), expr=expr, t=_v(e.total))

    def describe(self, xa: np.ndarray, chan: str, sumtxt: str) -> str:
        t, e, (fh, fw), (r0, c0), p = self.t, self.e, self.kernel, self.corner, self.padding
        npad = sum(1 for term in self.channels[0] if term.padded)
        where = t["d_where"].format(
            r0=r0, r1=r0 + fh - 1, c0=c0, c1=c0 + fw - 1,
            pad=t["d_where_pad"].format(n=npad) if any(p) else "",
        )
        acttxt = (t["d_act"] if self.activation == "relu" else t["d_noact"]).format(a=self.name, v=_v(e.value))
        return t["d_window"].format(
            shape=_shape(xa), sp=t["stride_pad"].format(s=pair_text(e.stride), p=pair_text(p)), a=self.name, where=where,
            chan=chan, sumtxt=sumtxt, acttxt=acttxt, i=e.at[0], j=e.at[1],
        )


def _single_channel(el: _Element, x3: np.ndarray) -> _Canvas:
    """An (H, W) input: the input with the window and the feature map, then the products and their sum."""
    t, e, p, (fh, fw), (r0, c0) = el.t, el.e, el.padding, el.kernel, el.corner
    (i, j), (h2, w2), s = e.at, el.full.shape, e.stride
    cv = _Canvas()
    # the input with the window, an arrow, the feature map with the cell being written
    xp3, pad = _pad3(x3, p)
    xp = xp3[0]
    cell = 28
    in_w, in_h = xp.shape[1] * cell, xp.shape[0] * cell
    sub = t["stride_pad"].format(s=pair_text(s), p=pair_text(p)) if any(p) else t["stride"].format(s=pair_text(s))
    _header(cv, in_w / 2, 14, t["input"], sub)
    gy = 44
    _grid(cv, 0, gy, [[_v(v) for v in row] for row in xp], cell, grid="x", pad=pad, overlays=((r0, c0, fh, fw, "win"),))
    mx = in_w + 56
    cv.arrow(in_w + 10, gy + in_h / 2, mx - 10, gy + in_h / 2)
    _header(cv, mx + w2 * cell / 2, 14, t["map"], f"{h2}×{w2}")
    _grid(cv, mx, gy, el.map_texts(), cell, grid="a", overlays=((i, j, 1, 1, "out"),))
    _, y = el.products(cv, gy + max(in_h, h2 * cell) + 26, 26, labelled=False)
    # the sum, the bias, the activation
    y += 12
    total = el.sums()[0]
    cv.text(0, y, t["sum_line"].format(terms=" + ".join(_signed(term.product) for term in e.terms), s=_v(total)),
            size=13, anchor="start")
    y += 22
    line = f"{el.name} = {el.act('Σ + w_b')} = {el.act(f'{_signed(total)} + {_signed(e.bias)}')} = "
    el.value(cv, y, line, 0, padded=any(term.padded for term in e.terms) or any(p))
    return cv


def _channels(el: _Element) -> _Canvas:
    """A (C, H, W) input: where the window is, the products channel by channel, their sums and the feature map."""
    t, e, p, (fh, fw), (r0, c0) = el.t, el.e, el.padding, el.kernel, el.corner
    (i, j), (h2, w2) = e.at, el.full.shape
    cv = _Canvas()
    where = t["where"] if any(p) else t["where_raw"]
    cv.text(0, 14, where.format(r0=r0, r1=r0 + fh - 1, c0=c0, c1=c0 + fw - 1), size=13, anchor="start")
    cv.text(0, 32, t["stride_pad"].format(s=pair_text(e.stride), p=pair_text(p)), size=13, anchor="start", cls="cdf-soft")
    xs, y = el.products(cv, 46.0, 24, labelled=True)
    # the channel sums, the bias, the activation; the feature map, with the cell being written, to the right
    y += 12
    symbolic = f"{el.name} = {el.act(' + '.join(f'Σ{str(d).translate(_SUB)}' for d in range(e.channels)) + ' + w_b')}"
    numeric = " + ".join(_signed(v) for v in el.sums()) + f" + {_signed(e.bias)}"
    line = f"= {el.act(numeric)} = "
    cell = 24
    widest = max(_text_width(symbolic, 13), _text_width(line + _v(e.value), 13))
    mx = max(xs[2], widest + 24)
    _header(cv, mx + w2 * cell / 2, y, t["map"], f"{h2}×{w2}")
    _grid(cv, mx, y + 26, el.map_texts(), cell, grid="a", overlays=((i, j, 1, 1, "out"),))
    bottom = y + 26 + h2 * cell
    cv.text(0, y, symbolic, size=13, anchor="start")
    el.value(cv, y + 22, line, bottom, padded=any(term.padded for term in e.terms))
    return cv
