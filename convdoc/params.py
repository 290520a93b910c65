"""Trainable parameters of convolution and fully connected layers (integer arithmetic).

* :func:`param_count`: a convolution, with bias and groups; the input's height
  and width do not appear (weight sharing);
* :func:`depthwise_separable_param_count`: MobileNet's depthwise + pointwise pair;
* :func:`locally_connected_param_count`: a convolution's connections without weight sharing;
* :func:`linear_param_count`: a fully connected layer.
"""

from __future__ import annotations

import math
from typing import Any

from ._checks import check_axes, check_bool, check_int, count_axes

__all__ = ["param_count", "depthwise_separable_param_count", "locally_connected_param_count", "linear_param_count"]


def param_count(
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    *,
    bias: bool = True,
    groups: Any = 1,
) -> int:
    """Number of trainable parameters of a convolution layer (Conv2d, or Conv1d / Conv3d).

    ``out_channels * (in_channels/groups * kh * kw) + (out_channels if bias)``.
    The input's height and width do not appear: every position shares the same
    filters (weight sharing).

    Parameters
    ----------
    in_channels, out_channels : int >= 1
    kernel_size : int, or a tuple of 1, 2 or 3 values, each >= 1
        An int is a square 2-D kernel (``3`` means 3x3, the article's count). A
        tuple gives the layer's dimension: ``(k,)`` for Conv1d, ``(kh, kw)`` for
        Conv2d, ``(kd, kh, kw)`` for Conv3d; the product of its values is the
        number of taps per channel.
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
    >>> param_count(3, 64, (3, 3, 3))  # C3D's first Conv3d
    5248
    >>> param_count(1, 128, (80,))  # a Conv1d over raw audio
    10368
    """
    cin = check_int(in_channels, "in_channels", minimum=1)
    cout = check_int(out_channels, "out_channels", minimum=1)
    taps = kernel_taps(kernel_size)
    g = check_int(groups, "groups", minimum=1)
    check_bool(bias, "bias")
    if cin % g or cout % g:
        raise ValueError(
            f"groups must divide both in_channels and out_channels: groups={g}, "
            f"in_channels={cin}, out_channels={cout}"
        )
    return cout * (cin // g) * taps + (cout if bias else 0)


def kernel_taps(kernel_size: Any) -> int:
    """Taps per channel of a kernel: ``k*k`` for an int (a square 2-D kernel), the product of a tuple of 1, 2 or 3."""
    n = count_axes((("kernel_size", kernel_size),))
    return math.prod(check_axes(kernel_size, "kernel_size", n or 2, minimum=1))


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
    kernel_size : int or a tuple of 1, 2 or 3 values, each >= 1
        As for :func:`param_count`: an int is a square 2-D kernel.
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
    kernel_taps(kernel_size)
    check_bool(bias, "bias")
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
    kernel_size : int or a tuple of 1, 2 or 3 values, each >= 1
    out_size : int or a tuple of 1, 2 or 3 values, each >= 1
        The output's height and width (:func:`output_size`); an int is a square
        2-D output, as for ``kernel_size``, and tuples have the same length.
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
    n = count_axes((("kernel_size", kernel_size), ("out_size", out_size)))
    positions = math.prod(check_axes(out_size, "out_size", n or 2, minimum=1))
    return positions * param_count(in_channels, out_channels, kernel_size, bias=bias)


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
    check_bool(bias, "bias")
    return param_count(n_in, n_out, 1, bias=bias)  # a 1x1 convolution of a 1x1 input
