"""More layer specs for whole networks: ReLU6, Dropout, Upsample and ConvTranspose2d.

They complete :mod:`convdoc.network`'s specs for the model zoo
(:mod:`convdoc.networks`): MobileNetV2 uses ReLU6, every classifier Dropout, and a
U-Net's decoder doubles its feature maps with ConvTranspose2d (or Upsample).
Like every spec, each takes what the incoming shape tells from the layer before it.
"""

from __future__ import annotations

import numbers
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from ._checks import check_pair
from .network import Conv2d, Layer, _check_channels, _Elementwise, _fields, _NoField, _per_axis, _Reject, _spatial, _Step
from .sizes import param_count, transposed_output_size


class _Enlarging:
    """Upsampling layers: an output pixel does not stand for a window of input pixels."""

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        raise _NoField(
            f"{self!r} enlarges the feature map; receptive fields here follow windows that slide over "
            "their input (convolutions and pooling), so give the layers before it"
        )

__all__ = ["ReLU6", "Dropout", "Upsample", "ConvTranspose2d"]


@dataclass(frozen=True, repr=False)
class ReLU6(_Elementwise):
    """``min(max(x, 0), 6)`` element by element (MobileNetV2): same shape, no parameters.

    Examples
    --------
    >>> from convdoc import ReLU6
    >>> ReLU6()
    ReLU6()
    """


@dataclass(frozen=True, repr=False)
class Dropout(_Elementwise):
    """Zeroes each value with probability ``p`` while training: same shape, no parameters.

    Parameters
    ----------
    p : float
        The probability, from 0 to 1 (PyTorch's default 0.5).

    Raises
    ------
    TypeError, ValueError
        ``p`` that is not a number, or not between 0 and 1.

    Examples
    --------
    >>> from convdoc import Dropout
    >>> Dropout(), Dropout(0.2)
    (Dropout(), Dropout(p=0.2))
    """

    p: float = 0.5

    def __post_init__(self) -> None:
        p = self.p
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
            raise TypeError(f"p must be a probability (a number from 0 to 1), got {p!r} ({type(p).__name__})")
        if not 0 <= p <= 1:  # NaN fails too
            raise ValueError(f"p must be a probability from 0 to 1 (PyTorch: 'dropout probability has to be between 0 and 1'), got {p}")
        _fields(self, p=float(p))


_MODES = ("nearest", "bilinear", "bicubic", "nearest-exact")


@dataclass(frozen=True, repr=False)
class Upsample(_Enlarging, Layer):
    """Enlarges a feature map to ``size``, or by an integer ``scale_factor``; no parameters.

    The output size is ``floor(size * scale_factor)`` per axis, as PyTorch's
    ``nn.Upsample``; the mode (nearest, bilinear...) changes the values, not the shape.

    Parameters
    ----------
    size : int or (h, w) pair, optional
        The output height and width.
    scale_factor : int or (h, w) pair, optional
        The factor per axis; give either ``size`` or ``scale_factor``.
    mode : str
        ``"nearest"``, ``"bilinear"``, ``"bicubic"`` or ``"nearest-exact"``.

    Raises
    ------
    TypeError, ValueError
        Neither or both of ``size`` and ``scale_factor``, a value that is not a
        positive integer, or an unknown ``mode``.

    Examples
    --------
    >>> from convdoc import Upsample
    >>> Upsample(scale_factor=2)
    Upsample(scale_factor=2)
    """

    size: Any = None
    scale_factor: Any = None
    mode: str = "nearest"

    def __post_init__(self) -> None:
        if (self.size is None) == (self.scale_factor is None):
            raise ValueError(
                f"give either size or scale_factor (as PyTorch's nn.Upsample), got size={self.size!r}, "
                f"scale_factor={self.scale_factor!r}"
            )
        if self.size is not None:
            _fields(self, size=_spatial(self.size, "size", 1))
        else:
            _fields(self, scale_factor=_spatial(self.scale_factor, "scale_factor", 1))
        if not isinstance(self.mode, str):
            raise TypeError(f"mode must be a string such as 'nearest', got {self.mode!r} ({type(self.mode).__name__})")
        if self.mode not in _MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, _MODES))}, got {self.mode!r}")

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        c, h, w = self._feature_map(shape, "input")
        if self.size is not None:
            oh, ow = check_pair(self.size, "size", minimum=1)
            return _Step((c, oh, ow), 0, 0, f"{h}x{w} -> {oh}x{ow}")
        sh, sw = check_pair(self.scale_factor, "scale_factor", minimum=1)
        return _Step((c, h * sh, w * sw), 0, 0, _per_axis([f"{n}*{s} = {n * s}" for n, s in ((h, sh), (w, sw))]))


@dataclass(frozen=True, repr=False)
class ConvTranspose2d(_Enlarging, Layer):
    """A transposed convolution (U-Net's "up-convolution"): ``out_channels`` filters, input channels inferred.

    Output size per axis, PyTorch's rule (:func:`convdoc.transposed_output_size`):
    ``(size-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1``.
    Parameters: ``in_channels * (out_channels/groups) * kh * kw`` weights plus
    ``out_channels`` biases, the same count as a Conv2d from ``out_channels`` to
    ``in_channels`` channels. MACs, as PyTorch's FlopCounterMode: every weight once
    per input position.

    Parameters
    ----------
    out_channels : int
    kernel_size, stride, padding, output_padding, dilation : int or (h, w) pair
        As in PyTorch's ``nn.ConvTranspose2d``.
    groups : int
        Must divide ``out_channels`` and the input channels.
    bias : bool
    in_channels : int, optional, keyword-only
        A consistency check, as :class:`Conv2d`'s.

    Raises
    ------
    TypeError, ValueError
        A value that is not an integer or below its minimum, ``groups`` not dividing
        ``out_channels``, or ``output_padding`` not smaller than stride or dilation.

    Examples
    --------
    >>> from convdoc import ConvTranspose2d, summary
    >>> s = summary([ConvTranspose2d(64, 2, stride=2)], (128, 28, 28))
    >>> s.output_shape, s.total_params
    ((64, 56, 56), 32832)
    """

    out_channels: int
    kernel_size: Any
    stride: Any = 1
    padding: Any = 0
    output_padding: Any = 0
    groups: int = 1
    bias: bool = True
    dilation: Any = 1
    _: KW_ONLY
    in_channels: int | None = None

    _positional = ("out_channels", "kernel_size")

    def __post_init__(self) -> None:
        # the checks a Conv2d makes of the same arguments (one home for them), and its normalized values
        conv = Conv2d(self.out_channels, self.kernel_size, self.stride, self.padding, self.dilation, self.groups,
                      self.bias, in_channels=self.in_channels)
        _fields(self, **{f: getattr(conv, f) for f in
                         ("out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "in_channels")})
        _fields(self, output_padding=_spatial(self.output_padding, "output_padding", 0))
        for op, st, d in zip(*(check_pair(v, "", minimum=0) for v in (self.output_padding, self.stride, self.dilation))):
            if op >= max(st, d):  # PyTorch's rule, checked again by transposed_output_size
                raise ValueError(
                    f"output_padding must be smaller than stride or dilation: output_padding={self.output_padding!r}, "
                    f"stride={self.stride!r}, dilation={self.dilation!r}"
                )

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        c, h, w = self._feature_map(shape, "input")
        g, out = self.groups, self.out_channels
        _check_channels(self, c)
        args = [check_pair(v, "", minimum=0) for v in (self.kernel_size, self.stride, self.padding, self.output_padding, self.dilation)]
        texts, sizes = [], []
        for axis, size in enumerate((h, w)):
            k, s, p, op, d = (a[axis] for a in args)
            try:
                o = transposed_output_size(size, k, s, p, op, d)
            except ValueError as exc:
                raise _Reject(f"would produce an empty feature map: {exc}") from None
            texts.append(f"({size}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {o}")
            sizes.append(o)
        arithmetic = _per_axis(texts)
        # weight (in, out/groups, kh, kw): the parameters of a Conv2d from out to in channels
        params = param_count(out, c, self.kernel_size, bias=False, groups=g) + (out if self.bias else 0)
        weights = params - (out if self.bias else 0)
        return _Step((out, *sizes), params, weights * h * w, arithmetic)

