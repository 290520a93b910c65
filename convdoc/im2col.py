"""im2col: every window of the input as one column of a matrix, so that a convolution is a matrix product.

For a filter bank ``weight`` of shape (K, C, F_h, F_w)::

    conv2d(x, weight, bias, stride, padding, dilation)
        == (weight.reshape(K, -1) @ im2col(x, (F_h, F_w), stride, padding, dilation)
            + bias[:, None]).reshape(K, H2, W2)

for ``x`` of shape (C, H, W). The matrix is what :func:`convdoc.conv2d`'s "gemm"
strategy builds band by band, with the same code (:func:`convdoc.fast.columns`),
and what ``torch.nn.functional.unfold`` returns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import fast
from ._checks import check_allocation, check_array, check_finite, check_pair
from .sizes import output_size

__all__ = ["im2col"]


def im2col(x: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> np.ndarray:
    """The im2col matrix of ``x``: one row per filter tap, one column per output position.

    Row ``(c, m, q)`` (channel c, filter row m, filter column q), numbered
    ``c*F_h*F_w + m*F_w + q``, which is the order of ``weight.reshape(K, -1)``;
    column ``i*W2 + j`` is output position (i, j), row by row. Entry
    ``[(c, m, q), (i, j)]`` is the pixel ``x[c, i*stride + m*dilation - padding,
    j*stride + q*dilation - padding]``, or 0 where that lies in the padding. So
    ``weight.reshape(K, -1) @ im2col(x, ...)`` is :func:`convdoc.conv2d` without the
    bias, one row per filter, and with ``groups`` group g's filters multiply rows
    ``g*C/groups*F_h*F_w`` to ``(g+1)*C/groups*F_h*F_w``. Same layout as
    ``torch.nn.functional.unfold``.

    Parameters
    ----------
    x : array_like
        (H, W), (C, H, W) or (N, C, H, W), finite real numbers.
    kernel_size : int or (h, w) pair
        The filter's size (F_h, F_w), >= 1.
    stride, padding, dilation : int or (h, w) pair
        As for :func:`convdoc.conv2d`: step of the window (>= 1), zeros added on
        each side (>= 0), spacing of the filter taps (>= 1).

    Returns
    -------
    numpy.ndarray
        (F_h*F_w, H2*W2) for a 2-D ``x``, (C*F_h*F_w, H2*W2) for a 3-D one and
        (N, C*F_h*F_w, H2*W2) for a batch, with ``H2 = output_size(H, F_h,
        stride, padding, dilation)`` and ``W2`` likewise; ``x``'s dtype.

    Raises
    ------
    TypeError
        Non-numeric or masked arrays, sizes that are not integers (a weight
        array given as ``kernel_size`` too: pass ``weight.shape[-2:]``).
    ValueError
        Wrong ranks, empty or non-finite arrays, a kernel larger than the padded
        input, or a matrix larger than ``convdoc._checks.MAX_ARRAY_BYTES`` (it has
        F_h*F_w values for every input value read: :func:`convdoc.conv2d` never
        builds it whole).

    Examples
    --------
    >>> from convdoc import conv2d, im2col
    >>> from convdoc.examples import IMAGE, FILTER
    >>> cols = im2col(IMAGE, 3)
    >>> cols.shape
    (9, 9)
    >>> print(cols[:, 0])  # the first window, read row by row
    [1 1 1 0 1 1 0 0 1]
    >>> print((FILTER.reshape(-1) @ cols).reshape(3, 3))
    [[4 3 4]
     [2 4 3]
     [2 3 4]]
    >>> bool(((FILTER.reshape(-1) @ cols).reshape(3, 3) == conv2d(IMAGE, FILTER)).all())
    True
    """
    # conv2d's rules (convdoc.conv._prepare), for an input and a kernel size
    x = check_array(x, "x", ranks=(2, 3, 4), finite=False)
    if np.ndim(kernel_size) > 1:  # im2col(x, weight) instead of im2col(x, weight.shape[-2:])
        raise TypeError(
            f"kernel_size must be an int or an (h, w) pair, got an array of shape {np.shape(kernel_size)}; "
            f"for the windows a weight reads, pass its size: im2col(x, weight.shape[-2:])"
        )
    kernel = check_pair(kernel_size, "kernel_size", minimum=1)
    stride = check_pair(stride, "stride", minimum=1)
    padding = check_pair(padding, "padding", minimum=0)
    dilation = check_pair(dilation, "dilation", minimum=1)
    x4 = x.reshape((1,) * (4 - x.ndim) + x.shape)
    n, c, h, w = x4.shape
    try:
        out_hw = output_size((h, w), kernel, stride, padding, dilation)
    except ValueError as exc:
        raise ValueError(f"{exc} (x spatial size {(h, w)})") from None
    rows, cols = c * kernel[0] * kernel[1], out_hw[0] * out_hw[1]
    shape = ((n,) if x.ndim == 4 else ()) + (rows, cols)
    check_allocation(shape, x.dtype, what="the im2col matrix",
                     because=f"kernel_size={kernel}, stride={stride}, padding={padding}, dilation={dilation} on x of shape {x.shape}")
    check_finite(x, "x")
    return fast.columns(x4, kernel, stride, padding, dilation, out_hw).reshape(shape)
