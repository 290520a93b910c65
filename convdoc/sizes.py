"""Integer arithmetic of convolution layers: sizes, padding, receptive fields, parameters.

Nothing here touches arrays; everything returns Python ``int`` (or a pair of
them when a spatial argument was given as an ``(h, w)`` pair), or a small frozen
dataclass of them.

* Sizes: :func:`output_size`, :func:`effective_kernel_size`,
  :func:`transposed_output_size`, and :func:`coverage`, which names the input
  rows or columns that no window reads when the size does not divide.
* Padding: :func:`same_padding` (TensorFlow's SAME), :func:`padding_for` (one
  target, every framework's way of writing it) and :func:`stride_padding_for`
  (the inverse question: which stride and padding give this output size).
* Receptive fields: :func:`receptive_field` and the layer-by-layer
  :func:`receptive_fields`.
* Parameters: :func:`param_count` (bias, groups), :func:`depthwise_separable_param_count`,
  :func:`locally_connected_param_count` (no weight sharing) and
  :func:`linear_param_count` (fully connected).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._checks import check_int, check_listing, check_pair, is_pair

__all__ = [
    "output_size",
    "param_count",
    "transposed_output_size",
    "same_padding",
    "receptive_field",
    "effective_kernel_size",
    "coverage",
    "Coverage",
    "padding_for",
    "Padding",
    "stride_padding_for",
    "StridePadding",
    "receptive_fields",
    "LayerField",
    "depthwise_separable_param_count",
    "locally_connected_param_count",
    "linear_param_count",
]


def _check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _pair_or_int(values: tuple[int, int], as_pair: bool) -> Any:
    return tuple(values) if as_pair else values[0]


def _out_1d(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool, axis: str) -> int:
    eff = d * (k - 1) + 1
    padded = size + 2 * p
    span = padded - eff
    if not ceil_mode:
        if span < 0:
            raise ValueError(
                f"kernel_size{axis} is larger than the padded input: the kernel covers "
                f"dilation*(kernel_size-1)+1 = {d}*({k}-1)+1 = {eff} pixels, but "
                f"size + 2*padding = {size} + 2*{p} = {padded}; use a smaller kernel, "
                f"more padding or a larger input"
            )
        return span // s + 1
    # PyTorch's pooling rule: ceil((padded - eff)/s) + 1 windows, of which the last may hang
    # past the padded input, but must start inside the input or the left padding.
    out = -(-span // s) + 1
    if (out - 1) * s >= size + p:
        out -= 1
    if out < 1:
        raise ValueError(
            f"kernel_size{axis} is larger than the padded input by more than stride - 1: the kernel covers "
            f"dilation*(kernel_size-1)+1 = {d}*({k}-1)+1 = {eff} pixels, size + 2*padding = "
            f"{size} + 2*{p} = {padded}, and with ceil_mode a window may reach at most stride - 1 = {s - 1} "
            f"pixel{'' if s == 2 else 's'} past the padded input (PyTorch's rule); use a smaller kernel, more padding or a larger input"
        )
    return out


def check_pool_padding(kernel_size: tuple[int, int], padding: tuple[int, int]) -> None:
    """PyTorch's rule for pooling: padding (per side) at most ``kernel_size // 2``, whatever the dilation.

    The one home of the rule: :func:`convdoc.max_pool2d`, :func:`convdoc.avg_pool2d` and the
    ``MaxPool2d`` / ``AvgPool2d`` layer specs all call it.
    """
    for i, axis in enumerate(("height", "width")):
        if padding[i] > kernel_size[i] // 2:
            w = "" if kernel_size[0] == kernel_size[1] and padding[0] == padding[1] else f"[{i}]"
            k = kernel_size[i]
            raise ValueError(
                f"padding{w} must be at most half of kernel_size{w} (PyTorch's rule for pooling, whatever the "
                f"dilation): the {axis} padding{w}={padding[i]}, but kernel_size{w}={k} allows at most "
                f"{k}//2 = {k // 2}"
            )


def output_size(
    size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    *,
    ceil_mode: bool = False,
) -> Any:
    """Spatial size of a convolution or pooling output (PyTorch's rule).

    ``floor((size + 2*padding - dilation*(kernel_size-1) - 1) / stride) + 1``,
    which for ``dilation=1`` is the article's ``W2 = (W1 - F + 2P)/S + 1``
    rounded down.

    Parameters
    ----------
    size, kernel_size, stride, padding, dilation : int or (h, w) pair
        ``size``, ``kernel_size``, ``stride`` and ``dilation`` must be >= 1,
        ``padding`` (per side) >= 0.
    ceil_mode : bool
        Round up instead of down, as PyTorch's pooling layers do: the last window
        may then reach up to ``stride - 1`` pixels past the padded input (so a
        kernel that large is allowed), but a window that would start in the right
        padding is dropped.

    Returns
    -------
    int, or (int, int) when any spatial argument is an (h, w) pair.

    Raises
    ------
    TypeError
        A size that is not an integer (2.5, "3", None, True).
    ValueError
        A size below its minimum, or a kernel larger than the padded input.

    Examples
    --------
    >>> from convdoc import output_size
    >>> output_size(5, 3, stride=2)
    2
    >>> output_size(227, 11, stride=4)
    55
    >>> output_size((7, 5), 3, stride=2, padding=1)
    (4, 3)
    >>> output_size(1, 2, stride=2, ceil_mode=True)  # one window, half past the input
    1
    """
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode must be True or False, got {ceil_mode!r}")
    args = (size, kernel_size, stride, padding, dilation)
    pairs = [
        check_pair(size, "size", minimum=1),
        check_pair(kernel_size, "kernel_size", minimum=1),
        check_pair(stride, "stride", minimum=1),
        check_pair(padding, "padding", minimum=0),
        check_pair(dilation, "dilation", minimum=1),
    ]
    if any(is_pair(a) for a in args):
        return tuple(
            _out_1d(*(p[i] for p in pairs), ceil_mode, axis=f"[{i}]") for i in range(2)
        )
    return _out_1d(*(p[0] for p in pairs), ceil_mode, axis="")


def param_count(
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    *,
    bias: bool = True,
    groups: Any = 1,
) -> int:
    """Number of trainable parameters of a 2-D convolution layer.

    ``out_channels * (in_channels/groups * kh * kw) + (out_channels if bias)``.
    The input's height and width do not appear: every position shares the same
    filters (weight sharing).

    Parameters
    ----------
    in_channels, out_channels : int >= 1
    kernel_size : int or (h, w) pair, each >= 1
    bias : bool
        One bias per output channel when True.
    groups : int >= 1
        Must divide both ``in_channels`` and ``out_channels``; each filter then
        has ``in_channels/groups`` channels.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        A value that is not an integer, or ``bias`` not True/False.
    ValueError
        A value below 1, or ``groups`` that does not divide the channels.

    Examples
    --------
    >>> from convdoc import param_count
    >>> param_count(3, 2, 3)  # two 3x3x3 filters with a bias each
    56
    >>> param_count(3, 2, 3, bias=False)
    54
    >>> param_count(32, 32, 3, groups=32)  # depthwise 3x3
    320
    """
    cin = check_int(in_channels, "in_channels", minimum=1)
    cout = check_int(out_channels, "out_channels", minimum=1)
    kh, kw = check_pair(kernel_size, "kernel_size", minimum=1)
    g = check_int(groups, "groups", minimum=1)
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False, got {bias!r}")
    if cin % g or cout % g:
        raise ValueError(
            f"groups must divide both in_channels and out_channels: groups={g}, "
            f"in_channels={cin}, out_channels={cout}"
        )
    return cout * (cin // g) * kh * kw + (cout if bias else 0)


def transposed_output_size(
    size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
) -> Any:
    """Spatial size of a transposed convolution output (PyTorch's ConvTranspose2d).

    ``(size-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1``,
    for ``dilation = 1`` Dumoulin & Visin's ``o' = s(i'-1) + a + k - 2p`` with
    ``a = output_padding``. The transposed convolution of a convolution that maps
    ``i`` to ``o`` maps ``o`` back to ``i`` when ``a = (i + 2p - k) % s``.

    Parameters
    ----------
    size, kernel_size, stride, dilation : int or (h, w) pair, each >= 1
    padding, output_padding : int or (h, w) pair, each >= 0
        ``output_padding`` must be smaller than ``stride`` or ``dilation``.

    Returns
    -------
    int, or (int, int) when any argument is a pair.

    Raises
    ------
    TypeError
        A value that is not an integer.
    ValueError
        A value below its minimum, ``output_padding`` too large, or an empty output.

    Examples
    --------
    >>> from convdoc import transposed_output_size
    >>> transposed_output_size(2, 3, stride=2)
    5
    >>> transposed_output_size(2, 3, stride=2, output_padding=1)
    6
    """
    args = (size, kernel_size, stride, padding, output_padding, dilation)
    pairs = [
        check_pair(size, "size", minimum=1),
        check_pair(kernel_size, "kernel_size", minimum=1),
        check_pair(stride, "stride", minimum=1),
        check_pair(padding, "padding", minimum=0),
        check_pair(output_padding, "output_padding", minimum=0),
        check_pair(dilation, "dilation", minimum=1),
    ]

    def one(i: int) -> int:
        n, k, s, p, op, d = (q[i] for q in pairs)
        if op >= max(s, d):
            raise ValueError(
                f"output_padding must be smaller than stride or dilation: "
                f"output_padding={op}, stride={s}, dilation={d}"
            )
        out = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        if out < 1:
            raise ValueError(
                f"transposed convolution output would be empty: (size-1)*stride - 2*padding "
                f"+ dilation*(kernel_size-1) + output_padding + 1 = ({n}-1)*{s} - 2*{p} + "
                f"{d}*({k}-1) + {op} + 1 = {out}"
            )
        return out

    if any(is_pair(a) for a in args):
        return one(0), one(1)
    return one(0)


def same_padding(size: Any, kernel_size: Any, stride: Any = 1, dilation: Any = 1) -> tuple[int, int]:
    """TensorFlow's ``padding="SAME"``: the (before, after) padding along one axis.

    The output size is ``ceil(size / stride)``; the total padding
    ``max((out-1)*stride + dilation*(kernel_size-1) + 1 - size, 0)`` is split with
    the odd pixel after. :func:`padding_for` gives the same padding in every
    other convention too.

    Parameters
    ----------
    size, kernel_size, stride, dilation : int >= 1

    Returns
    -------
    (int, int)
        Padding before (top or left) and after (bottom or right).

    Raises
    ------
    TypeError
        A value that is not an integer.
    ValueError
        A value below 1.

    Examples
    --------
    >>> from convdoc import same_padding
    >>> same_padding(5, 3)
    (1, 1)
    >>> same_padding(224, 3, stride=2)  # odd total: one more pixel after
    (0, 1)
    """
    n = check_int(size, "size", minimum=1)
    k = check_int(kernel_size, "kernel_size", minimum=1)
    s = check_int(stride, "stride", minimum=1)
    d = check_int(dilation, "dilation", minimum=1)
    out = -(-n // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def receptive_field(layers: Any) -> int:
    """Receptive field (in input pixels, along one axis) of a stack of layers.

    ``r = 1 + sum((d_l*(k_l-1)) * prod(strides before l))``;
    :func:`receptive_fields` gives it layer by layer.

    Parameters
    ----------
    layers : sequence of (kernel_size, stride) or (kernel_size, stride, dilation)
        First layer first; pooling layers count like convolutions.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        ``layers`` is not a sequence of 2- or 3-tuples of integers.
    ValueError
        A kernel size, stride or dilation below 1.

    Examples
    --------
    >>> from convdoc import receptive_field
    >>> receptive_field([(3, 1), (3, 1)])  # two 3x3 see as much as one 5x5
    5
    >>> receptive_field([(3, 1)] * 3)
    7
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a sequence of (kernel_size, stride[, dilation]) tuples, got {layers!r}")
    r, jump = 1, 1
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) not in (2, 3):
            raise TypeError(
                f"layers[{i}] must be a (kernel_size, stride) or (kernel_size, stride, dilation) tuple, got {layer!r}"
            )
        k = check_int(layer[0], f"layers[{i}] kernel_size", minimum=1)
        s = check_int(layer[1], f"layers[{i}] stride", minimum=1)
        d = check_int(layer[2], f"layers[{i}] dilation", minimum=1) if len(layer) == 3 else 1
        r += d * (k - 1) * jump
        jump *= s
    return r


# --- sizes ------------------------------------------------------------------------------


def effective_kernel_size(kernel_size: Any, dilation: Any = 1) -> Any:
    """How many input pixels a dilated kernel spans: ``dilation*(kernel_size-1) + 1``.

    Dumoulin & Visin write it ``k + (k-1)(d-1)``; it is the same number. A 3x3
    kernel with dilation 2 reads 3 pixels spread over 5.

    Parameters
    ----------
    kernel_size, dilation : int or (h, w) pair, each >= 1

    Returns
    -------
    int, or (int, int) when either argument is a pair.

    Raises
    ------
    TypeError
        A value that is not an integer.
    ValueError
        A value below 1.

    Examples
    --------
    >>> from convdoc import effective_kernel_size
    >>> effective_kernel_size(3, dilation=2)
    5
    >>> effective_kernel_size(3)
    3
    >>> effective_kernel_size((3, 5), dilation=(1, 3))
    (3, 13)
    """
    ks = check_pair(kernel_size, "kernel_size", minimum=1)
    ds = check_pair(dilation, "dilation", minimum=1)
    out = (ds[0] * (ks[0] - 1) + 1, ds[1] * (ks[1] - 1) + 1)
    return _pair_or_int(out, is_pair(kernel_size) or is_pair(dilation))


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
        eff = self.dilation * (self.kernel_size - 1) + 1
        return (self.size + 2 * self.padding - eff) % self.stride

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
        if lang not in _COVERAGE_TEXT:
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        if axis not in ("column", "row"):
            raise ValueError(f"axis must be 'column' or 'row', got {axis!r}")
        t = _COVERAGE_TEXT[lang]
        one, many = t["axis"][axis]
        eff = self.dilation * (self.kernel_size - 1) + 1
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
    for name, value in (("size", size), ("kernel_size", kernel_size), ("stride", stride),
                        ("padding", padding), ("dilation", dilation)):
        if is_pair(value):
            raise TypeError(
                f"coverage works along one axis: {name} must be an int, got {value!r}; call it once "
                f"for the rows and once for the columns"
            )
    n = check_int(size, "size", minimum=1)
    k = check_int(kernel_size, "kernel_size", minimum=1)
    s = check_int(stride, "stride", minimum=1)
    p = check_int(padding, "padding", minimum=0)
    d = check_int(dilation, "dilation", minimum=1)
    _check_bool(ceil_mode, "ceil_mode")
    out = output_size(n, k, s, p, d, ceil_mode=ceil_mode)
    eff = d * (k - 1) + 1
    exact = Fraction(n + 2 * p - eff, s) + 1
    ceil_count = -(-(n + 2 * p - eff) // s) + 1
    dropped = ceil_mode and ceil_count > out
    check_listing(out * k + n + 2 * p, what="every window's taps and every input cell",
                  because=f"size={n}, kernel_size={k}, padding={p}")
    windows = tuple(tuple(o * s - p + m * d for m in range(k)) for o in range(out))
    read = _read_mask(n, k, s, p, d, out)
    uncovered = tuple(int(i) for i in np.flatnonzero(~read[p : p + n]))
    unused = int(p + p - read[:p].sum() - read[p + n :].sum())
    return Coverage(n, k, s, p, d, ceil_mode, out, exact, windows, uncovered, unused, dropped)


def _read_mask(n: int, k: int, s: int, p: int, d: int, out: int) -> np.ndarray:
    """Which cells of one padded axis the ``out`` windows read: mask[i + p] for input index i in [-p, n + p).

    Shared by :func:`coverage` and by conv2d, which trusts its result to reveal a NaN
    in x only when every input cell is read (``_read_mask(...)[p:p + n].all()``).
    """
    mask = np.zeros(n + 2 * p, bool)
    starts = np.arange(out) * s
    for m in range(k):
        idx = starts + m * d
        mask[idx[idx < n + 2 * p]] = True
    return mask


# --- padding conventions ------------------------------------------------------------------


@dataclass(frozen=True)
class Padding:
    """One padding, written the way each framework or textbook writes it (see :func:`padding_for`).

    Each attribute is an ``int`` for a square problem (every argument an int)
    and an ``(h, w)`` pair otherwise; ``sides`` and ``torch_pad`` always hold
    four ints.

    Attributes
    ----------
    output : int or (int, int)
        The output size this padding produces.
    per_side : int, (int, int) or None
        ``P`` of CS231n's ``(W - F + 2P)/S + 1`` and of PyTorch's
        ``Conv2d(padding=P)``: the smallest amount that, added on both sides,
        gives the same output size. With a stride above 1 it may add one row
        (column) more than ``total`` -- a row no window reaches -- and the
        windows then sit one pixel left of (above) TensorFlow's. ``None`` when
        no symmetric padding gives this output (stride 1 and an odd total).
    total : int or (int, int)
        d2l's ``p_h`` (and ``p_w``): the least number of rows (columns) added
        in all, the output being ``floor((n - k + p_h + s)/s)``.
    sides : (top, bottom, left, right)
        The explicit amounts, with the odd pixel at the bottom/right as
        TensorFlow's and Keras's ``"same"`` (and PyTorch's ``padding="same"``)
        do; the order of Keras ``ZeroPadding2D(((top, bottom), (left, right)))``.
    torch_pad : (left, right, top, bottom)
        The same amounts in the order ``torch.nn.functional.pad`` and
        ``nn.ZeroPad2d`` expect: last axis first.
    """

    output: Any
    per_side: Any
    total: Any
    sides: tuple[int, int, int, int]
    torch_pad: tuple[int, int, int, int]


_TARGETS = ("same", "valid", "full")


def padding_for(size: Any, kernel_size: Any, stride: Any = 1, dilation: Any = 1, *, output: Any) -> Padding:
    """The padding that gives a target output size, in every convention at once.

    ``output`` is one of

    * ``"valid"``: no padding (TensorFlow/Keras ``"VALID"``);
    * ``"same"``: TensorFlow's ``"SAME"``: output ``ceil(size/stride)``, total
      padding ``max((out-1)*stride + dilation*(kernel_size-1) + 1 - size, 0)``,
      the odd pixel after; with stride 1 this is also PyTorch's
      ``padding="same"`` and Dumoulin & Visin's "half" padding ``p = floor(k/2)``
      for odd kernels;
    * ``"full"``: every partial overlap counts, ``dilation*(kernel_size-1)`` on
      each side (Dumoulin & Visin's "full" padding, ``o = i + k - 1`` at stride 1);
    * an explicit output size (int or (h, w) pair): the least total padding that
      produces it.

    Parameters
    ----------
    size, kernel_size, stride, dilation : int or (h, w) pair, each >= 1
    output : "same", "valid", "full", int or (h, w) pair
        Case-insensitive strings.

    Returns
    -------
    Padding
        ``.output``, ``.per_side``, ``.total``, ``.sides`` (top, bottom, left,
        right) and ``.torch_pad`` (left, right, top, bottom).

    Raises
    ------
    TypeError
        A size that is not an integer, or ``output`` of another type.
    ValueError
        An unknown target, a kernel larger than the input for ``"valid"``, or an
        explicit output that padding cannot reach (smaller than the unpadded
        output: use a larger stride, see :func:`stride_padding_for`).

    Examples
    --------
    >>> from convdoc import padding_for
    >>> p = padding_for(5, 3, output="same")
    >>> p.output, p.per_side, p.total, p.sides
    (5, 1, 2, (1, 1, 1, 1))
    >>> p = padding_for(4, 2, output="same")  # an even kernel: the odd pixel goes after
    >>> p.output, p.per_side, p.total, p.sides, p.torch_pad
    (4, None, 1, (0, 1, 0, 1), (0, 1, 0, 1))
    >>> p = padding_for(224, 3, stride=2, output="same")
    >>> p.output, p.per_side, p.total, p.sides
    (112, 1, 1, (0, 1, 0, 1))
    """
    sizes = check_pair(size, "size", minimum=1)
    kernels = check_pair(kernel_size, "kernel_size", minimum=1)
    strides = check_pair(stride, "stride", minimum=1)
    dilations = check_pair(dilation, "dilation", minimum=1)
    as_pair = any(is_pair(a) for a in (size, kernel_size, stride, dilation, output))
    if isinstance(output, str):
        target = output.lower()
        if target not in _TARGETS:
            raise ValueError(
                f"output must be 'same', 'valid', 'full' or an output size, got {output!r}"
            )
        targets = (target, target)
    elif isinstance(output, (bool,)) or not (is_pair(output) or isinstance(output, int) or hasattr(output, "__index__")):
        raise TypeError(
            f"output must be 'same', 'valid', 'full' or an output size (int or (h, w) pair), got {output!r}"
        )
    else:
        targets = check_pair(output, "output", minimum=1)

    totals, outs, sym = [], [], []
    for i in range(2):
        n, k, s, d, t = sizes[i], kernels[i], strides[i], dilations[i], targets[i]
        eff = d * (k - 1) + 1
        axis = f"[{i}]" if as_pair else ""
        if t == "valid":
            total = 0
            if eff > n:
                raise ValueError(
                    f"output='valid' needs a kernel no larger than the input: dilation*(kernel_size-1)+1 = "
                    f"{eff} > size{axis} = {n}"
                )
        elif t == "same":
            total = max((-(-n // s) - 1) * s + eff - n, 0)
        elif t == "full":
            total = 2 * (eff - 1)
        else:
            total = max((t - 1) * s + eff - n, 0)
            if (n + total - eff) // s + 1 != t:
                unpadded = (n - eff) // s + 1
                raise ValueError(
                    f"output{axis}={t} cannot be reached by padding: without padding the output is already "
                    f"(size - dilation*(kernel_size-1) - 1)//stride + 1 = {unpadded}; use a larger stride or "
                    f"kernel (stride_padding_for lists the settings that give {t})"
                )
        out = (n + total - eff) // s + 1
        # every total padding from `total` up to `largest` gives the same output size
        largest = out * s - 1 - n + eff
        symmetric = (total + 1) // 2
        totals.append(total)
        outs.append(out)
        sym.append(symmetric if 2 * symmetric <= largest else None)

    befores = [t // 2 for t in totals]
    afters = [t - b for t, b in zip(totals, befores)]
    per_side = None if None in sym else _pair_or_int((sym[0], sym[1]), as_pair)
    return Padding(
        output=_pair_or_int((outs[0], outs[1]), as_pair),
        per_side=per_side,
        total=_pair_or_int((totals[0], totals[1]), as_pair),
        sides=(befores[0], afters[0], befores[1], afters[1]),
        torch_pad=(befores[1], afters[1], befores[0], afters[0]),
    )


@dataclass(frozen=True)
class StridePadding:
    """A stride and a symmetric padding that give the requested output size (see :func:`stride_padding_for`).

    ``remainder`` is ``(size + 2*padding - effective kernel) % stride``: how many
    rows (columns) at the end of the padded input no window reaches. CS231n
    calls a setting "invalid" unless it is 0; frameworks accept it and drop them.
    """

    stride: int
    padding: int
    remainder: int


def stride_padding_for(size: Any, kernel_size: Any, output: Any, *, dilation: Any = 1) -> tuple[StridePadding, ...]:
    """Every stride, with its smallest per-side padding, that turns ``size`` into ``output``.

    The inverse of :func:`output_size` along one axis: for each stride ``s``
    the least ``P`` with ``floor((size + 2P - dilation*(kernel_size-1) - 1)/s) + 1 == output``.
    Paddings are limited to ``dilation*(kernel_size-1)`` per side ("full"
    padding): beyond that, whole windows would read nothing but zeros.

    Parameters
    ----------
    size, kernel_size, output, dilation : int, each >= 1

    Returns
    -------
    tuple of StridePadding
        Sorted by stride; empty when no stride and padding give ``output``.
        For ``output=1`` every stride from the first one listed works, and only
        that one is listed.

    Raises
    ------
    TypeError
        A value that is not an integer.
    ValueError
        A value below 1.

    Examples
    --------
    The article's 5 -> 3 with a 3x3 filter: its stride 2, padding 1 is one of three.

    >>> from convdoc import stride_padding_for
    >>> for setting in stride_padding_for(5, 3, 3):
    ...     print(setting)
    StridePadding(stride=1, padding=0, remainder=0)
    StridePadding(stride=2, padding=1, remainder=0)
    StridePadding(stride=3, padding=2, remainder=0)
    """
    n = check_int(size, "size", minimum=1)
    k = check_int(kernel_size, "kernel_size", minimum=1)
    m = check_int(output, "output", minimum=1)
    d = check_int(dilation, "dilation", minimum=1)
    eff = d * (k - 1) + 1
    check_listing(((n + eff - 2) // max(m - 1, 1) + 1) * eff, what="the candidate strides and paddings",
                  because=f"size={n}, kernel_size={k}, output={m}, dilation={d}")
    settings = []
    s = 1
    # the largest padded span is n + 2*(eff-1) - eff; m windows need (m-1)*s of it
    while (m - 1) * s <= n + eff - 2:
        for p in range(eff):
            span = n + 2 * p - eff
            if span >= 0 and span // s + 1 == m:
                settings.append(StridePadding(s, p, span % s))
                break
        if m == 1 and settings:  # one window: every larger stride works too; list the first
            break
        s += 1
    return tuple(settings)


# --- receptive fields ---------------------------------------------------------------------


@dataclass(frozen=True)
class LayerField:
    """One row of :func:`receptive_fields`.

    ``jump`` is the distance, in input pixels, between two neighbouring outputs
    of this layer (the product of the strides so far); ``size`` is the receptive
    field of one output of this layer, in input pixels along one axis.
    """

    kernel_size: int
    stride: int
    dilation: int
    jump: int
    size: int


def receptive_fields(layers: Any) -> tuple[LayerField, ...]:
    """The receptive field after each layer of a stack, with the running jump.

    ``r_l = r_(l-1) + dilation_l*(kernel_size_l - 1)*jump_(l-1)`` and
    ``jump_l = jump_(l-1)*stride_l``, starting from ``r_0 = jump_0 = 1``.
    The last row's ``size`` is :func:`receptive_field`.

    Parameters
    ----------
    layers : sequence of (kernel_size, stride) or (kernel_size, stride, dilation)
        First layer first; pooling layers count like convolutions.

    Returns
    -------
    tuple of LayerField

    Raises
    ------
    TypeError
        ``layers`` is not a sequence of 2- or 3-tuples of integers.
    ValueError
        A kernel size, stride or dilation below 1.

    Examples
    --------
    >>> from convdoc import receptive_fields
    >>> [f.size for f in receptive_fields([(3, 1), (3, 1), (3, 1)])]
    [3, 5, 7]
    >>> [(f.size, f.jump) for f in receptive_fields([(3, 1, 1), (3, 1, 2), (3, 1, 4)])]
    [(3, 1), (7, 1), (15, 1)]
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a sequence of (kernel_size, stride[, dilation]) tuples, got {layers!r}")
    rows = []
    r, jump = 1, 1
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) not in (2, 3):
            raise TypeError(
                f"layers[{i}] must be a (kernel_size, stride) or (kernel_size, stride, dilation) tuple, got {layer!r}"
            )
        k = check_int(layer[0], f"layers[{i}] kernel_size", minimum=1)
        s = check_int(layer[1], f"layers[{i}] stride", minimum=1)
        d = check_int(layer[2], f"layers[{i}] dilation", minimum=1) if len(layer) == 3 else 1
        r += d * (k - 1) * jump
        jump *= s
        rows.append(LayerField(k, s, d, jump, r))
    return tuple(rows)


# --- parameters ---------------------------------------------------------------------------


def depthwise_separable_param_count(in_channels: Any, out_channels: Any, kernel_size: Any, *, bias: bool = True) -> int:
    """Parameters of a depthwise separable convolution (MobileNet's building block).

    A depthwise ``kernel_size`` convolution (one filter per input channel,
    ``groups=in_channels``) followed by a 1x1 pointwise convolution to
    ``out_channels``: ``C*kh*kw + C*K``, plus ``C + K`` biases when ``bias``.
    Against a full convolution (``K*C*kh*kw``) that is a fraction
    ``1/K + 1/(kh*kw)`` of the weights (MobileNets, Howard et al. 2017).

    Parameters
    ----------
    in_channels, out_channels : int >= 1
    kernel_size : int or (h, w) pair, each >= 1
    bias : bool
        Both convolutions have a bias or neither has (MobileNet: neither; a
        batch norm follows each).

    Returns
    -------
    int

    Raises
    ------
    TypeError
        A value that is not an integer, or ``bias`` not True/False.
    ValueError
        A value below 1.

    Examples
    --------
    MobileNets' Table 3: a 3x3 layer with 512 input and 512 output channels.

    >>> from convdoc import depthwise_separable_param_count, param_count
    >>> param_count(512, 512, 3, bias=False)
    2359296
    >>> depthwise_separable_param_count(512, 512, 3, bias=False)
    266752
    """
    cin = check_int(in_channels, "in_channels", minimum=1)
    cout = check_int(out_channels, "out_channels", minimum=1)
    check_pair(kernel_size, "kernel_size", minimum=1)
    _check_bool(bias, "bias")
    return param_count(cin, cin, kernel_size, bias=bias, groups=cin) + param_count(cin, cout, 1, bias=bias)


def locally_connected_param_count(
    in_channels: Any, out_channels: Any, kernel_size: Any, out_size: Any, *, bias: bool = True
) -> int:
    """Parameters of a layer with a convolution's connections but no weight sharing.

    Every one of the ``out_h*out_w*out_channels`` output neurons has its own
    ``in_channels*kh*kw`` weights (and bias): CS231n's count for AlexNet's first
    layer before it introduces parameter sharing.

    Parameters
    ----------
    in_channels, out_channels : int >= 1
    kernel_size : int or (h, w) pair, each >= 1
    out_size : int or (h, w) pair, each >= 1
        The output's height and width (:func:`output_size`).
    bias : bool

    Returns
    -------
    int

    Raises
    ------
    TypeError
        A value that is not an integer, or ``bias`` not True/False.
    ValueError
        A value below 1.

    Examples
    --------
    >>> from convdoc import locally_connected_param_count
    >>> locally_connected_param_count(3, 96, 11, 55)  # 55*55*96 * (11*11*3 + 1)
    105705600
    """
    oh, ow = check_pair(out_size, "out_size", minimum=1)
    return oh * ow * param_count(in_channels, out_channels, kernel_size, bias=bias)


def linear_param_count(in_features: Any, out_features: Any, *, bias: bool = True) -> int:
    """Parameters of a fully connected layer: ``in_features*out_features`` weights plus ``out_features`` biases.

    Parameters
    ----------
    in_features, out_features : int >= 1
    bias : bool

    Returns
    -------
    int

    Raises
    ------
    TypeError
        A value that is not an integer, or ``bias`` not True/False.
    ValueError
        A value below 1.

    Examples
    --------
    The article's 5x5x3 input fully connected to a 3x3x2 output:

    >>> from convdoc import linear_param_count
    >>> linear_param_count(5 * 5 * 3, 3 * 3 * 2)
    1368
    """
    n_in = check_int(in_features, "in_features", minimum=1)
    n_out = check_int(out_features, "out_features", minimum=1)
    _check_bool(bias, "bias")
    return n_in * n_out + (n_out if bias else 0)
