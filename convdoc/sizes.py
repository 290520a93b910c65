"""Integer arithmetic of convolution layers: output sizes and parameter counts.

Nothing here touches arrays; everything returns Python ``int`` (or a pair of
them when a spatial argument was given as an ``(h, w)`` pair).
"""

from __future__ import annotations

from typing import Any

from ._checks import check_int, check_pair, is_pair

__all__ = [
    "output_size",
    "param_count",
    "transposed_output_size",
    "same_padding",
    "receptive_field",
]


def _out_1d(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool, axis: str) -> int:
    eff = d * (k - 1) + 1
    padded = size + 2 * p
    if eff > padded:
        raise ValueError(
            f"kernel_size{axis} is larger than the padded input: the kernel covers "
            f"dilation*(kernel_size-1)+1 = {d}*({k}-1)+1 = {eff} pixels, but "
            f"size + 2*padding = {size} + 2*{p} = {padded}; use a smaller kernel, "
            f"more padding or a larger input"
        )
    span = padded - eff
    if not ceil_mode:
        return span // s + 1
    out = -(-span // s) + 1
    # PyTorch pooling: the last window must start inside the input or the left padding.
    if (out - 1) * s >= size + p:
        out -= 1
    return out


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
        Round up instead of down, as PyTorch's pooling layers do; a window that
        would start in the right padding is dropped.

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

    ``(size-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1``.
    ``output_padding`` must be smaller than ``stride`` or ``dilation``.

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
    the odd pixel after.

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

    ``layers`` is a sequence of ``(kernel_size, stride)`` or
    ``(kernel_size, stride, dilation)`` tuples, first layer first.
    ``r = 1 + sum((d_l*(k_l-1)) * prod(strides before l))``.

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
