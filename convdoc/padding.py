"""Padding conventions: how much padding gives which output size, written every framework's way.

* :func:`same_padding`: TensorFlow's ``padding="SAME"`` along one axis, (before, after);
* :func:`padding_for`: the padding for a target ("same", "valid", "full" or a size), as
  CS231n's ``P``, d2l's total, explicit sides and ``torch.nn.functional.pad``'s order;
* :func:`stride_padding_for`: the inverse question, every stride and padding that give
  an output size.

The one rule behind them: ``t`` windows of a kernel spanning ``effective`` cells, ``stride``
apart, need ``(t-1)*stride + effective`` cells, so the least total padding is that minus
``size`` (:func:`_least_total`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _sliding
from ._checks import axes_or_int, check_axes, check_int, check_listing, count_axes, is_pair

__all__ = ["same_padding", "padding_for", "Padding", "stride_padding_for", "StridePadding"]


def _least_total(n: int, k: int, s: int, d: int, t: int) -> int:
    """The least total padding (both sides) for ``t`` windows along ``n`` cells: ``(t-1)*s + effective - n``, at least 0."""
    return max((t - 1) * s + _sliding.effective(k, d) - n, 0)


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
    total = _least_total(n, k, s, d, -(-n // s))
    return total // 2, total - total // 2


@dataclass(frozen=True)
class Padding:
    """One padding, written the way each framework or textbook writes it (see :func:`padding_for`).

    Each attribute is an ``int`` for a square problem (every argument an int)
    and a tuple with one value per axis when an argument is a tuple of 1, 2 or
    3 axes ((length,), (h, w) or (d, h, w)). ``sides`` and ``torch_pad`` hold
    two ints per axis: four for a square problem (the same on both axes of a
    2-D layer), two for one axis, six for three.

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
        (before, after) per axis, first axis first: (left, right) for one axis,
        (front, back, top, bottom, left, right) for three.
    torch_pad : (left, right, top, bottom)
        The same amounts in the order ``torch.nn.functional.pad`` and
        ``nn.ZeroPad2d`` (``ZeroPad1d``, ``ZeroPad3d``) expect: last axis first.
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
    * an explicit output size (int or tuple): the least total padding that
      produces it.

    Parameters
    ----------
    size, kernel_size, stride, dilation : int or a tuple of 1, 2 or 3 axes, each >= 1
        Tuples follow :func:`output_size`'s rule: the same length for all, an int
        standing for every axis. All ints is a square 2-D problem, as before.
    output : "same", "valid", "full", int or tuple
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
    >>> p = padding_for((16, 112, 112), 3, stride=(1, 2, 2), output="same")  # a video clip
    >>> p.output, p.sides, p.torch_pad
    ((16, 56, 56), (1, 1, 0, 1, 0, 1), (0, 1, 0, 1, 1, 1))
    """
    if isinstance(output, str):
        target = output.lower()
        if target not in _TARGETS:
            raise ValueError(
                f"output must be 'same', 'valid', 'full' or an output size, got {output!r}"
            )
    elif isinstance(output, (bool,)) or not (is_pair(output) or isinstance(output, int) or hasattr(output, "__index__")):
        raise TypeError(
            f"output must be 'same', 'valid', 'full' or an output size (int or tuple of 1, 2 or 3 axes), got {output!r}"
        )
    named = (("size", size), ("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation), ("output", output))
    n = count_axes(named)
    axes = n or 2  # all ints: a square 2-D problem, as sides (top, bottom, left, right) has always said
    sizes, kernels, strides, dilations = (check_axes(v, name, axes, minimum=1) for name, v in named[:4])
    targets = (target,) * axes if isinstance(output, str) else check_axes(output, "output", axes, minimum=1)

    totals, outs, sym = [], [], []
    for i in range(axes):
        size, k, s, d, t = sizes[i], kernels[i], strides[i], dilations[i], targets[i]
        eff = _sliding.effective(k, d)
        axis = "" if n is None else f"[{i}]"
        if t == "valid":
            total = 0
            if eff > size:
                raise ValueError(
                    f"output='valid' needs a kernel no larger than the input: dilation*(kernel_size-1)+1 = "
                    f"{eff} > size{axis} = {size}"
                )
        elif t == "same":
            total = _least_total(size, k, s, d, -(-size // s))
        elif t == "full":
            total = 2 * (eff - 1)
        else:
            total = _least_total(size, k, s, d, t)
            if _sliding.count(size + total, k, s, 0, d) != t:
                unpadded = _sliding.count(size, k, s, 0, d)
                raise ValueError(
                    f"output{axis}={t} cannot be reached by padding: without padding the output is already "
                    f"(size - dilation*(kernel_size-1) - 1)//stride + 1 = {unpadded}; use a larger stride or "
                    f"kernel (stride_padding_for lists the settings that give {t})"
                )
        out = _sliding.count(size + total, k, s, 0, d)
        # every total padding from `total` up to `largest` gives the same output size
        largest = out * s - 1 - size + eff
        symmetric = (total + 1) // 2
        totals.append(total)
        outs.append(out)
        sym.append(symmetric if 2 * symmetric <= largest else None)

    befores = [t // 2 for t in totals]
    sides = tuple(v for t, b in zip(totals, befores) for v in (b, t - b))
    torch_pad = tuple(v for i in reversed(range(axes)) for v in sides[2 * i : 2 * i + 2])
    return Padding(
        output=axes_or_int(tuple(outs), n),
        per_side=None if None in sym else axes_or_int(tuple(sym), n),
        total=axes_or_int(tuple(totals), n),
        sides=sides,
        torch_pad=torch_pad,
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
    eff = _sliding.effective(k, d)
    check_listing(((n + eff - 2) // max(m - 1, 1) + 1) * eff, what="the candidate strides and paddings",
                  because=f"size={n}, kernel_size={k}, output={m}, dilation={d}")
    settings = []
    s = 1
    # the largest padded span is n + 2*(eff-1) - eff; m windows need (m-1)*s of it
    while (m - 1) * s <= n + eff - 2:
        # the room grows by 2 per pixel of padding: the least padding that holds m - 1 strides,
        # if it is below eff and leaves no room for an m+1-th window
        p = max(0, -(-((m - 1) * s - _sliding.room(n, k, 0, d)) // 2))
        if p < eff and _sliding.count(n, k, s, p, d) == m:
            settings.append(StridePadding(s, p, _sliding.room(n, k, p, d) % s))
        if m == 1 and settings:  # one window: every larger stride works too; list the first
            break
        s += 1
    return tuple(settings)
