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

from . import _sliding
from ._checks import bool_as_int64, check_allocation, check_array, check_bool, check_finite, check_pair, compute_dtype
from .sizes import check_pool_padding, output_size

__all__ = ["max_pool2d", "avg_pool2d"]


class _Pool:
    """A checked pooling call: the arguments as (h, w) pairs, the output size and dtype."""

    def __init__(self, x, kernel_size, stride, padding, dilation, ceil_mode, dtype_of):
        x = check_array(x, "x", ranks=(2, 3, 4), finite=False)
        self.kernel = check_pair(kernel_size, "kernel_size", minimum=1)
        self.stride = self.kernel if stride is None else check_pair(stride, "stride", minimum=1)
        self.padding = check_pair(padding, "padding", minimum=0)
        self.dilation = check_pair(dilation, "dilation", minimum=1)
        self.ceil_mode = check_bool(ceil_mode, "ceil_mode")
        check_pool_padding(self.kernel, self.padding)
        h, w = x.shape[-2:]
        try:
            self.out = output_size((h, w), self.kernel, self.stride, self.padding, self.dilation, ceil_mode=ceil_mode)
        except ValueError as exc:
            raise ValueError(f"{exc} (x spatial size {(h, w)})") from None
        self.dtype = dtype_of(x.dtype)
        # refused before anything is allocated (convdoc._checks); the larger of the result and
        # the intermediate of the separable pass (one axis pooled, the other not yet)
        because = f"kernel_size={self.kernel}, stride={self.stride} on x of shape {x.shape}"
        lead = x.shape[:-2]
        check_allocation((*lead, *self.out), self.dtype, what="the output", because=because)
        self.rows_first = self.out[0] * w <= h * self.out[1]
        half = (*lead, self.out[0], w) if self.rows_first else (*lead, h, self.out[1])
        check_allocation(half, self.dtype, what="the windows pooled along one axis", because=because)
        check_finite(x, "x")
        self.x = x

    def taps(self, axis: int):
        """For each tap of the window along ``axis`` (0 rows, 1 columns): the outputs whose tap reads
        inside x, as ``slice(o0, o1)``, and the input positions they read, as a strided slice."""
        size = self.x.shape[-2 + axis]
        k, s, p, d, out = (v[axis] for v in (self.kernel, self.stride, self.padding, self.dilation, self.out))
        for m in _useful_taps(size, k, s, p, d, out):
            offset = m * d - p  # tap m of output o reads input o*s + offset
            o0, o1 = _sliding.inside(out, size, s, offset)
            if o0 < o1:
                start = o0 * s + offset
                yield slice(o0, o1), slice(start, start + (o1 - o0 - 1) * s + 1, s)

    def check_every_window_reads_x(self) -> None:
        """Max pooling's rule: with dilation, a window may not read padding only (PyTorch's -inf)."""
        for axis, name in enumerate(("height", "width")):
            read = np.zeros(self.out[axis], bool)
            for dst, _ in self.taps(axis):
                read[dst] = True
            if not read.all():
                raise ValueError(
                    f"with dilation={self.dilation}, output {int(np.argmin(read))} along the {name} reads only padding "
                    f"(PyTorch would return -inf there); use less padding or a smaller dilation"
                )

    def divisors(self) -> np.ndarray:
        """Average pooling's divisor per output (out_h, out_w), in the result's dtype: the window's
        cells inside the padded input, ``min(start + k, size + pad) - start`` per axis."""
        counts = []
        for axis in (0, 1):
            size, k, s, p, out = (v[axis] for v in (self.x.shape[-2:], self.kernel, self.stride, self.padding, self.out))
            start = np.arange(out) * s - p
            counts.append(np.minimum(start + k, size + p) - start)
        return (counts[0][:, None] * counts[1][None, :]).astype(self.dtype)

    def reduce(self, fill, combine) -> np.ndarray:
        """Pool along one axis, then the other (max and sum are separable); ``combine(dst, src)``
        folds one tap into ``dst`` in place, converting only the values it reads."""
        src = self.x
        for axis in ((0, 1) if self.rows_first else (1, 0)):
            shape = list(src.shape)
            shape[-2 + axis] = self.out[axis]
            acc = np.full(shape, fill, dtype=self.dtype)
            for dst, read in self.taps(axis):
                combine(acc[_at(axis, dst)], src[_at(axis, read)])
            src = acc
        return src


def _useful_taps(size: int, k: int, s: int, p: int, d: int, out: int):
    """The taps m of a window that read inside x for some output o, without trying all k of them.

    Tap m of output o reads input ``o*s + m*d - p``. Padding is at most k // 2, so the
    windows span at most ``size + s - 1`` positions: with ``s <= size`` the taps in use form
    one range, and with ``s > size`` there are at most two windows, each reading at most
    ``size`` cells (a kernel of 2**31 - 1 taps never means 2**31 loop steps).
    """
    first = lambda o: max(0, -((o * s - p) // d))  # noqa: E731  (the first m with o*s + m*d - p >= 0)
    last = lambda o: min(k - 1, (size - 1 + p - o * s) // d)  # noqa: E731  (the last m with ... < size)
    if s <= size:
        return range(first(out - 1), last(0) + 1)
    return sorted({m for o in range(out) for m in range(first(o), last(o) + 1)})


def _at(axis: int, index: slice) -> tuple:
    """Index the row (axis 0) or column (axis 1) axis of an array of any rank >= 2."""
    return (Ellipsis, index, slice(None)) if axis == 0 else (Ellipsis, index)


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
    pool = _Pool(x, kernel_size, stride, padding, dilation, ceil_mode, bool_as_int64)
    pool.check_every_window_reads_x()
    low = -np.inf if pool.dtype.kind == "f" else np.iinfo(pool.dtype).min  # padding never wins
    return pool.reduce(low, lambda dst, src: np.maximum(dst, src, out=dst))


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
    pool = _Pool(x, kernel_size, stride, padding, 1, ceil_mode, _mean_dtype)
    total = pool.reduce(0, lambda dst, src: np.add(dst, src, out=dst))
    total /= pool.divisors()
    return total


def _mean_dtype(dt: np.dtype) -> np.dtype:
    """float64 for integer and bool input, float32 for float16, else the input's float."""
    return compute_dtype(dt, integers=np.float64)
