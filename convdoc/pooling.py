"""Max and average pooling with PyTorch's semantics, in numpy.

``max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)``
and ``avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False)`` follow
``torch.nn.functional.max_pool2d`` / ``avg_pool2d``:

* ``stride`` defaults to ``kernel_size`` (non-overlapping windows);
* the output size is :func:`convdoc.output_size` with the same arguments;
* ``padding`` (per side) may be at most ``kernel_size // 2``;
* max pooling pads with minus infinity, so padding never wins a maximum;
* average pooling pads with zeros and divides by the number of window cells
  that lie inside the *padded* input (``count_include_pad=True``, PyTorch's
  default): padding counts, but with ``ceil_mode`` the part of the last window
  that hangs past the padded input does not;
* with ``ceil_mode=True`` the size is rounded up, except that a window that
  would start in the right padding is dropped.

``x`` is (H, W), (C, H, W) or (N, C, H, W) and the result keeps its rank: every
channel is pooled on its own. Max pooling keeps the dtype; average pooling
returns float64 for integer input and keeps float32/float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import check_allocation, check_array, check_pair
from .sizes import output_size

__all__ = ["max_pool2d", "avg_pool2d"]


def _check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _setup(x, kernel_size, stride, padding, dilation, ceil_mode):
    x = check_array(x, "x", ranks=(2, 3, 4))
    kernel = check_pair(kernel_size, "kernel_size", minimum=1)
    strides = kernel if stride is None else check_pair(stride, "stride", minimum=1)
    pads = check_pair(padding, "padding", minimum=0)
    dils = check_pair(dilation, "dilation", minimum=1)
    _check_bool(ceil_mode, "ceil_mode")
    for i, name in enumerate(("height", "width")):
        if pads[i] > kernel[i] // 2:
            raise ValueError(
                f"padding must be at most half of kernel_size (PyTorch's rule for pooling): the {name} "
                f"padding is {pads[i]} but kernel_size {kernel[i]} allows at most {kernel[i] // 2}"
            )
    h, w = x.shape[-2:]
    try:
        out = output_size((h, w), kernel, strides, pads, dils, ceil_mode=ceil_mode)
    except ValueError as exc:
        raise ValueError(f"{exc} (x spatial size {(h, w)})") from None
    # every window's values are gathered at once: refused before allocating (convdoc._checks)
    check_allocation((*x.shape[:-2], out[0], kernel[0], out[1], kernel[1]), np.float64,
                     what="the gathered windows", because=f"kernel_size={kernel} on x of shape {x.shape}")
    return x, kernel, strides, pads, dils, out


def _taps(size: int, out: int, k: int, s: int, p: int, d: int) -> np.ndarray:
    """Input index read by tap ``m`` of window ``o``: an (out, k) array, may lie outside [0, size)."""
    return np.arange(out)[:, None] * s - p + np.arange(k)[None, :] * d


def _gather(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values under every tap, shape (..., Ho, kh, Wo, kw), and the mask of taps inside x."""
    h, w = x.shape[-2:]
    r_ok = (rows >= 0) & (rows < h)
    c_ok = (cols >= 0) & (cols < w)
    r = np.clip(rows, 0, h - 1)
    c = np.clip(cols, 0, w - 1)
    values = x[..., r[:, :, None, None], c[None, None, :, :]]
    mask = r_ok[:, :, None, None] & c_ok[None, None, :, :]
    return values, mask


def max_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """Max pooling: the largest value in each window, channel by channel (PyTorch's ``max_pool2d``).

    Parameters
    ----------
    x : array_like, shape (H, W), (C, H, W) or (N, C, H, W)
    kernel_size : int or (h, w) pair, >= 1
    stride : int or (h, w) pair, >= 1, optional
        Defaults to ``kernel_size``.
    padding : int or (h, w) pair, >= 0
        Implicit minus-infinity padding on each side; at most ``kernel_size // 2``.
    dilation : int or (h, w) pair, >= 1
        Spacing between the cells of a window.
    ceil_mode : bool
        Round the output size up; a window that would start in the right padding
        is dropped.

    Returns
    -------
    numpy.ndarray
        Same rank and dtype as ``x``; the last two axes have the size
        :func:`convdoc.output_size` gives for these arguments.

    Raises
    ------
    TypeError
        ``x`` is not a real array, or a size is not an integer, or ``ceil_mode``
        is not True/False.
    ValueError
        ``x`` has the wrong rank or contains NaN/infinity; padding larger than
        half the kernel; a window larger than the padded input; or (only with
        dilation) a window that would read nothing but padding.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import max_pool2d
    >>> x = np.arange(16).reshape(4, 4)
    >>> print(max_pool2d(x, 2))
    [[ 5  7]
     [13 15]]
    >>> print(max_pool2d(x, 3, stride=1))
    [[10 11]
     [14 15]]
    """
    x, kernel, strides, pads, dils, (ho, wo) = _setup(x, kernel_size, stride, padding, dilation, ceil_mode)
    h, w = x.shape[-2:]
    rows = _taps(h, ho, kernel[0], strides[0], pads[0], dils[0])
    cols = _taps(w, wo, kernel[1], strides[1], pads[1], dils[1])
    empty_r = ~((rows >= 0) & (rows < h)).any(axis=1)
    empty_c = ~((cols >= 0) & (cols < w)).any(axis=1)
    if empty_r.any() or empty_c.any():
        axis, which = ("height", int(np.flatnonzero(empty_r)[0])) if empty_r.any() else (
            "width", int(np.flatnonzero(empty_c)[0]))
        raise ValueError(
            f"with dilation={dils}, output {which} along the {axis} reads only padding (PyTorch would "
            f"return -inf there); use less padding or a smaller dilation"
        )
    values, mask = _gather(x, rows, cols)
    if x.dtype.kind == "f":
        low = -np.inf
    else:
        low = np.iinfo(x.dtype).min
    values = np.where(mask, values, np.array(low, dtype=x.dtype))
    return values.max(axis=(-3, -1))


def avg_pool2d(
    x: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
) -> np.ndarray:
    """Average pooling: the mean of each window, channel by channel (PyTorch's ``avg_pool2d``).

    Padding counts as zeros in the sum and as cells in the divisor
    (``count_include_pad=True``); with ``ceil_mode``, cells of the last window
    that lie past the padded input are not counted. So a window of
    ``kernel_size`` 3 that covers one padding cell, two input cells and nothing
    else divides by 3, and one that covers one input cell, one padding cell and
    one cell past the padding divides by 2.

    Parameters
    ----------
    x : array_like, shape (H, W), (C, H, W) or (N, C, H, W)
    kernel_size : int or (h, w) pair, >= 1
    stride : int or (h, w) pair, >= 1, optional
        Defaults to ``kernel_size``.
    padding : int or (h, w) pair, >= 0
        Implicit zero padding on each side; at most ``kernel_size // 2``.
    ceil_mode : bool
        Round the output size up; a window that would start in the right padding
        is dropped.

    Returns
    -------
    numpy.ndarray
        Same rank as ``x``; float64 for integer input, else ``x``'s float dtype
        (float16 is computed and returned as float32).

    Raises
    ------
    TypeError
        ``x`` is not a real array, or a size is not an integer, or ``ceil_mode``
        is not True/False.
    ValueError
        ``x`` has the wrong rank or contains NaN/infinity; padding larger than
        half the kernel; or a window larger than the padded input.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import avg_pool2d
    >>> x = np.arange(16).reshape(4, 4)
    >>> print(avg_pool2d(x, 2))
    [[ 2.5  4.5]
     [10.5 12.5]]
    >>> print(avg_pool2d([[1, 2, 3, 4, 5, 6]], (1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True))
    [[1. 3. 5. 3.]]
    """
    x, kernel, strides, pads, _, (ho, wo) = _setup(x, kernel_size, stride, padding, 1, ceil_mode)
    h, w = x.shape[-2:]
    dtype = x.dtype if x.dtype.kind == "f" and x.dtype.itemsize >= 4 else np.dtype(
        np.float32 if x.dtype.kind == "f" else np.float64)
    rows = _taps(h, ho, kernel[0], strides[0], pads[0], 1)
    cols = _taps(w, wo, kernel[1], strides[1], pads[1], 1)
    values, mask = _gather(x.astype(dtype), rows, cols)
    total = np.where(mask, values, 0).sum(axis=(-3, -1))
    # cells inside the padded input, per window and axis: min(start + k, size + pad) - start
    count_r = np.minimum(rows[:, 0] + kernel[0], h + pads[0]) - rows[:, 0]
    count_c = np.minimum(cols[:, 0] + kernel[1], w + pads[1]) - cols[:, 0]
    divisor = (count_r[:, None] * count_c[None, :]).astype(dtype)
    return (total / divisor).astype(dtype, copy=False)
