"""Integer arithmetic of convolution layers: sizes, padding, receptive fields, parameters.

No function here takes an array: each returns Python ``int``, or a small frozen
dataclass of them. The sizes take 1, 2 or 3 spatial axes, with one rule
(:func:`convdoc._checks.count_axes`): all arguments ints is one axis and gives
an ``int``, exactly as before; any argument a tuple of ``n`` axes ((length,),
(h, w) or (d, h, w)) gives a tuple of ``n``, an int standing for every axis;
tuples of different lengths raise. This module holds the output sizes and gathers the other
topics, each in its own module, so that ``from convdoc.sizes import ...`` reaches
all of them:

* Sizes (here): :func:`output_size`, :func:`effective_kernel_size` and
  :func:`transposed_output_size`, from the one-axis arithmetic of
  :mod:`convdoc._sliding`.
* Coverage (:mod:`convdoc.windows`): :func:`coverage`, which names the input rows
  or columns that no window reads when the size does not divide, in zh and en.
* Padding (:mod:`convdoc.padding`): :func:`same_padding` (TensorFlow's SAME),
  :func:`padding_for` (one target, every framework's way of writing it) and
  :func:`stride_padding_for` (the inverse question: which stride and padding
  give this output size).
* Receptive fields (:mod:`convdoc.receptive`): :func:`receptive_field` and the
  layer-by-layer :func:`receptive_fields`.
* Parameters (:mod:`convdoc.params`): :func:`param_count` (bias, groups),
  :func:`depthwise_separable_param_count`, :func:`locally_connected_param_count`
  (no weight sharing) and :func:`linear_param_count` (fully connected).
"""

from __future__ import annotations

from typing import Any

from . import _sliding, padding, params, receptive, windows
from ._checks import axes_or_int, check_axes, check_bool, count_axes

__all__ = [
    "output_size",
    "effective_kernel_size",
    "transposed_output_size",
    *windows.__all__,
    *padding.__all__,
    *receptive.__all__,
    *params.__all__,
]

# and the names themselves
from .padding import *  # noqa: E402
from .params import *  # noqa: E402
from .receptive import *  # noqa: E402
from .windows import *  # noqa: E402


AXIS_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
AXES_IN_WORDS = {1: "length", 2: "height and width", 3: "depth, height and width"}  # all of them, as messages say it


def check_pool_padding(kernel_size: tuple[int, ...], padding: tuple[int, ...]) -> None:
    """PyTorch's rule for pooling: padding (per side) at most ``kernel_size // 2``, whatever the dilation.

    The one home of the rule: :func:`convdoc.max_pool2d`, :func:`convdoc.avg_pool2d` and the
    pooling layer specs (1, 2 or 3 axes, one value per axis) all call it.
    """
    for i, axis in enumerate(AXIS_NAMES[len(kernel_size)]):
        if padding[i] > kernel_size[i] // 2:
            w = "" if len(set(kernel_size)) == 1 and len(set(padding)) == 1 else f"[{i}]"
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
    size, kernel_size, stride, padding, dilation : int, or a tuple of 1, 2 or 3 axes
        ``size``, ``kernel_size``, ``stride`` and ``dilation`` must be >= 1,
        ``padding`` (per side) >= 0. Tuples ((length,), (h, w) or (d, h, w)
        for Conv1d, Conv2d, Conv3d) must all have the same length; an int
        stands for every axis.
    ceil_mode : bool
        Round up instead of down, as PyTorch's pooling layers do: the last window
        may then reach up to ``stride - 1`` pixels past the padded input (so a
        kernel that large is allowed), but a window that would start in the right
        padding is dropped.

    Returns
    -------
    int, or a tuple with one int per axis when any argument is a tuple.

    Raises
    ------
    TypeError
        A size that is not an integer (2.5, "3", None, True).
    ValueError
        A size below its minimum, a kernel larger than the padded input, or
        tuples of different lengths (or longer than 3).

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
    >>> output_size((16, 112, 112), 3, padding=1)  # a video clip through C3D's 3x3x3 conv
    (16, 112, 112)
    >>> output_size((16000,), 80, stride=16)  # one second of 16 kHz audio, one axis as a tuple
    (996,)
    """
    check_bool(ceil_mode, "ceil_mode")
    named = (("size", size), ("kernel_size", kernel_size), ("stride", stride), ("padding", padding), ("dilation", dilation))
    n = count_axes(named)
    axes = [check_axes(v, name, n or 1, minimum=0 if name == "padding" else 1) for name, v in named]
    return axes_or_int(
        tuple(_sliding.output(*(a[i] for a in axes), ceil_mode, axis="" if n is None else f"[{i}]") for i in range(n or 1)), n
    )


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
    size, kernel_size, stride, dilation : int or a tuple of 1, 2 or 3 axes, each >= 1
    padding, output_padding : int or a tuple of 1, 2 or 3 axes, each >= 0
        ``output_padding`` must be smaller than ``stride`` or ``dilation``.
        Tuples follow :func:`output_size`'s rule.

    Returns
    -------
    int, or a tuple with one int per axis when any argument is a tuple.

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
    named = (("size", size), ("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
             ("output_padding", output_padding), ("dilation", dilation))
    n = count_axes(named)
    axes = [check_axes(v, name, n or 1, minimum=0 if "padding" in name else 1) for name, v in named]

    def one(i: int) -> int:
        size, k, s, p, op, d = (q[i] for q in axes)
        if op >= max(s, d):
            raise ValueError(
                f"output_padding must be smaller than stride or dilation: "
                f"output_padding={op}, stride={s}, dilation={d}"
            )
        out = (size - 1) * s - 2 * p + _sliding.effective(k, d) + op
        if out < 1:
            raise ValueError(
                f"transposed convolution output would be empty: (size-1)*stride - 2*padding "
                f"+ dilation*(kernel_size-1) + output_padding + 1 = ({size}-1)*{s} - 2*{p} + "
                f"{d}*({k}-1) + {op} + 1 = {out}"
            )
        return out

    return axes_or_int(tuple(one(i) for i in range(n or 1)), n)


def effective_kernel_size(kernel_size: Any, dilation: Any = 1) -> Any:
    """How many input pixels a dilated kernel spans: ``dilation*(kernel_size-1) + 1``.

    Dumoulin & Visin write it ``k + (k-1)(d-1)``; it is the same number. A 3x3
    kernel with dilation 2 reads 3 pixels spread over 5.

    Parameters
    ----------
    kernel_size, dilation : int or a tuple of 1, 2 or 3 axes, each >= 1

    Returns
    -------
    int, or a tuple with one int per axis when either argument is a tuple.

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
    n = count_axes((("kernel_size", kernel_size), ("dilation", dilation)))
    ks = check_axes(kernel_size, "kernel_size", n or 1, minimum=1)
    ds = check_axes(dilation, "dilation", n or 1, minimum=1)
    return axes_or_int(tuple(_sliding.effective(k, d) for k, d in zip(ks, ds)), n)
