"""Which input cells the windows of one axis read, and a sentence that says so in zh or en.

When ``(size + 2*padding - effective kernel)/stride`` is not a whole number, frameworks
round down and the last rows or columns of the input are never read; with dilation a
strided kernel can also skip cells between its taps. :func:`coverage` names them, and
:meth:`Coverage.to_markdown` writes it as one or two sentences for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from . import _sliding
from ._checks import MAX_SIZE, check_bool, check_int, check_lang, check_listing, check_one_axis

__all__ = ["coverage", "Coverage"]


def _format_fraction(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    den = q.denominator
    for f in (2, 5):
        while den % f == 0:
            den //= f
    if den == 1:  # a terminating decimal: 4.5, 54.25
        return f"{float(q):g}"
    return f"{q.numerator}/{q.denominator} ≈ {float(q):.3f}"


_COVERAGE_TEXT = {
    "en": {
        "axis": {"column": ("column", "columns"), "row": ("row", "rows")},
        "eff": " (dilated kernel: {d}·({k}−1)+1 = {e} pixels)",
        "exact": "{formula} = {q}",
        "whole": ": {n} {windows}",
        "floor": " is not a whole number, so it is rounded down: {n} {windows}",
        "ceil": " is not a whole number; ceil_mode rounds it up: {n} {windows}",
        "dropped": (" is not a whole number; ceil_mode rounds it up to {c}, but window {c} would start in "
                    "the right padding, so it is dropped (PyTorch's rule): {n} {windows}"),
        "dropped_whole": ("; with ceil_mode, window {c} would start in the right padding, so it is dropped "
                          "(PyTorch's rule): {n} {windows}"),
        "windows": ("window", "windows"),
        "reading": ", reading {axis} {lists}",
        "reading_one": ", reading {axis} {lists}",
        "legend_pad": "p = padding",
        "legend_out": "– = past the padded input",
        "all": "Every {axis} of the input is covered",
        "none": "{Axis} {idx} {verb} never covered",
        "unused": "; {n} padding {axis} {verb2} never read",
    },
    "zh": {
        "axis": {"column": ("列", "列"), "row": ("行", "行")},
        "eff": "（扩张后的卷积核跨 {d}·({k}−1)+1 = {e} 个像素）",
        "exact": "{formula} = {q}",
        "whole": "：共 {n} 个窗口",
        "floor": "，不是整数，向下取整：共 {n} 个窗口",
        "ceil": "，不是整数；ceil_mode 向上取整：共 {n} 个窗口",
        "dropped": "，不是整数；ceil_mode 向上取整为 {c}，但第 {c} 个窗口会从右侧填充里开始，按 PyTorch 的规则被丢弃：共 {n} 个窗口",
        "dropped_whole": "；ceil_mode 下第 {c} 个窗口会从右侧填充里开始，按 PyTorch 的规则被丢弃：共 {n} 个窗口",
        "windows": ("", ""),
        "reading": "，分别读第 {lists} {axis}",
        "reading_one": "，读第 {lists} {axis}",
        "legend_pad": "p 表示填充",
        "legend_out": "– 表示超出了填充后的输入",
        "all": "输入的每一{axis}都被覆盖",
        "none": "第 {idx} {axis}没有被任何窗口读到",
        "unused": "；有 {n} {axis}填充没有被读到",
    },
}


@dataclass(frozen=True)
class Coverage:
    """Which input positions the windows of one axis read (see :func:`coverage`).

    Attributes
    ----------
    size, kernel_size, stride, padding, dilation, ceil_mode
        The arguments.
    output : int
        Number of windows, as :func:`output_size` computes it.
    exact : fractions.Fraction
        ``(size + 2*padding - effective kernel)/stride + 1`` before rounding;
        CS231n calls a setting "invalid" when this is not a whole number.
    windows : tuple of tuples of int
        The input indices each window reads, in order. Indices below 0 or from
        ``size`` to ``size + padding - 1`` are padding; indices from
        ``size + padding`` on lie past the padded input (only with ``ceil_mode``).
    uncovered : tuple of int
        Input indices (0 ... size-1) that no window reads.
    unused_padding : int
        Padding positions (both sides) that no window reads.
    dropped : bool
        ``ceil_mode`` rounded up, but the extra window would have started in the
        right padding, so it was dropped.
    """

    size: int
    kernel_size: int
    stride: int
    padding: int
    dilation: int
    ceil_mode: bool
    output: int
    exact: Fraction
    windows: tuple[tuple[int, ...], ...]
    uncovered: tuple[int, ...]
    unused_padding: int
    dropped: bool

    @property
    def remainder(self) -> int:
        """``(size + 2*padding - effective kernel) % stride``: positions at the end of the padded
        input that the last window of the floor rule does not reach (input or padding)."""
        return _sliding.room(self.size, self.kernel_size, self.padding, self.dilation) % self.stride

    def _cell(self, i: int) -> str:
        if 0 <= i < self.size:
            return str(i)
        if -self.padding <= i < self.size + self.padding:
            return "p"
        return "–"

    def _window_text(self, window: tuple[int, ...]) -> str:
        inside = all(0 <= i < self.size for i in window)
        if inside and self.dilation == 1 and len(window) > 4:
            return f"[{window[0]}–{window[-1]}]"
        return "[" + ", ".join(self._cell(i) for i in window) + "]"

    def to_markdown(self, lang: str = "en", axis: str = "column") -> str:
        """One or two sentences that say how many windows there are and what they miss.

        ``lang`` is ``"zh"`` or ``"en"``; ``axis`` is ``"column"`` (width) or
        ``"row"`` (height).
        """
        t = _COVERAGE_TEXT[check_lang(lang)]
        if axis not in ("column", "row"):
            raise ValueError(f"axis must be 'column' or 'row', got {axis!r}")
        one, many = t["axis"][axis]
        eff = _sliding.effective(self.kernel_size, self.dilation)
        formula = f"({self.size} + 2·{self.padding} − {eff})/{self.stride} + 1"
        text = t["exact"].format(formula=formula, q=_format_fraction(self.exact))
        if self.dilation > 1:
            text += t["eff"].format(d=self.dilation, k=self.kernel_size, e=eff)
        win_word = t["windows"][0 if self.output == 1 else 1]
        if self.dropped:
            key = "dropped" if self.exact.denominator != 1 else "dropped_whole"
        elif self.exact.denominator == 1:
            key = "whole"
        else:
            key = "ceil" if self.ceil_mode else "floor"
        text += t[key].format(n=self.output, windows=win_word, c=self.output + 1)
        lists = [self._window_text(w) for w in self.windows]
        if len(lists) > 6:
            lists = lists[:3] + ["…"] + lists[-1:]
        sep = "、" if lang == "zh" else ", "
        reading = t["reading_one"] if self.output == 1 else t["reading"]
        text += reading.format(axis=many if lang == "en" else one, lists=sep.join(lists))
        cells = {self._cell(i) for w in self.windows for i in w}
        legend = [t[key] for key, mark in (("legend_pad", "p"), ("legend_out", "–")) if mark in cells]
        if legend:
            opening, joiner, closing = ("（", "，", "）") if lang == "zh" else (" (", ", ", ")")
            text += opening + joiner.join(legend) + closing
        text += "。" if lang == "zh" else ". "
        if not self.uncovered:
            text += t["all"].format(axis=one)
        else:
            idx = _join_numbers(self.uncovered, lang)
            plural = len(self.uncovered) > 1
            word = many if plural else one
            text += t["none"].format(Axis=word.capitalize(), axis=one, idx=idx, verb="are" if plural else "is")
        if self.unused_padding:
            n = self.unused_padding
            text += t["unused"].format(n=n, axis=many if n > 1 and lang == "en" else one, verb2="are" if n > 1 else "is")
        text += "。" if lang == "zh" else "."
        return text

    def __str__(self) -> str:
        return self.to_markdown("en")


def _join_numbers(values: tuple[int, ...], lang: str) -> str:
    items = [str(v) for v in values]
    if len(items) > 8:
        items = items[:3] + ["…"] + items[-2:]
    if lang == "zh":
        return "、".join(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def coverage(
    size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    *,
    ceil_mode: bool = False,
) -> Coverage:
    """Which input rows (or columns) the windows read, and which they never reach.

    When ``(size + 2*padding - dilation*(kernel_size-1) - 1)/stride`` is not a
    whole number, frameworks round down and the last few rows or columns of the
    input are silently never read; with dilation, a strided kernel can also skip
    pixels between its taps. This function works along one axis (call it once
    for the rows and once for the columns) and names them.

    Parameters
    ----------
    size, kernel_size, stride, dilation : int, each >= 1
    padding : int >= 0
        Per side, as in PyTorch.
    ceil_mode : bool
        Count windows as PyTorch's pooling layers do with ``ceil_mode=True``.

    Returns
    -------
    Coverage
        ``.output``, ``.exact``, ``.windows``, ``.uncovered``,
        ``.unused_padding``, ``.dropped`` and ``.to_markdown(lang, axis)``.

    Raises
    ------
    TypeError
        A value that is not an integer (use one call per axis instead of a pair).
    ValueError
        A value below its minimum, or a kernel larger than the padded input.

    Examples
    --------
    CS231n's "invalid" setting: a 10-wide input, F = 3, S = 2, no padding.

    >>> from convdoc import coverage
    >>> c = coverage(10, 3, stride=2)
    >>> c.output, float(c.exact), c.remainder, c.uncovered
    (4, 4.5, 1, (9,))
    >>> print(c)
    (10 + 2·0 − 3)/2 + 1 = 4.5 is not a whole number, so it is rounded down: 4 windows, reading columns [0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]. Column 9 is never covered.
    """
    check_one_axis((("size", size), ("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
                    ("dilation", dilation)), who="coverage works along one axis",
                   instead="call it once for the rows and once for the columns")
    n = check_int(size, "size", minimum=1, maximum=MAX_SIZE)
    k = check_int(kernel_size, "kernel_size", minimum=1, maximum=MAX_SIZE)
    s = check_int(stride, "stride", minimum=1, maximum=MAX_SIZE)
    p = check_int(padding, "padding", minimum=0, maximum=MAX_SIZE)
    d = check_int(dilation, "dilation", minimum=1, maximum=MAX_SIZE)
    check_bool(ceil_mode, "ceil_mode")
    out = _sliding.output(n, k, s, p, d, ceil_mode, axis="")
    exact = Fraction(_sliding.room(n, k, p, d), s) + 1
    dropped = ceil_mode and _sliding.count(n, k, s, p, d, ceil_mode=True) > out
    check_listing(out * k + n + 2 * p, what="every window's taps and every input cell",
                  because=f"size={n}, kernel_size={k}, padding={p}")
    windows = tuple(tuple(o * s - p + m * d for m in range(k)) for o in range(out))
    read = read_mask(n, k, s, p, d, out)
    uncovered = tuple(int(i) for i in np.flatnonzero(~read[p : p + n]))
    unused = int(p + p - read[:p].sum() - read[p + n :].sum())
    return Coverage(n, k, s, p, d, ceil_mode, out, exact, windows, uncovered, unused, dropped)


def read_mask(n: int, k: int, s: int, p: int, d: int, out: int) -> np.ndarray:
    """Which cells of one padded axis the ``out`` windows read: mask[i + p] for input index i in [-p, n + p).

    Shared by :func:`coverage` and by conv2d, which trusts its result to reveal a NaN
    in x only when every input cell is read (``read_mask(...)[p:p + n].all()``).
    """
    mask = np.zeros(n + 2 * p, bool)
    starts = np.arange(out) * s
    for m in range(k):
        idx = starts + m * d
        mask[idx[idx < n + 2 * p]] = True
    return mask
