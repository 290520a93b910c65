"""Gradients: what training needs from a conv layer and a pooling layer, in numpy.

A layer's output ``a = conv2d(x, w, b)`` feeds a loss ``L``; backpropagation hands the layer
``g = dL/da`` (``grad_output``, the shape of ``a``) and asks for ``dL/dx``, ``dL/dw`` and
``dL/db``. From the element formula ``a[k,i,j] = b[k] + sum_{d,m,n} w[k,d,m,n] *
xp[d, i*S + m*D, j*S + n*D]`` (``xp``: x with the zero padding), each is a sum over the
output positions where that value was used:

* ``dL/db[k] = sum_{i,j} g[k,i,j]`` -- the bias is added everywhere;
* ``dL/dw[k,d,m,n] = sum_{i,j} g[k,i,j] * xp[d, i*S + m*D, j*S + n*D]`` -- a correlation of
  the input with the output gradient (every weight is used at every position: weight sharing);
* ``dL/dx[d,r,c] = sum of g[k,i,j] * w[k,d,m,n]`` over the (k, i, j, m, n) with
  ``i*S + m*D - P = r`` and ``j*S + n*D - P = c`` -- every output stamps its gradient, times
  the filter, back onto the pixels it read: :func:`convdoc.conv_transpose2d` with the same
  weights, stride, padding, dilation and groups, with ``output_padding`` restoring the rows and
  columns that the forward pass's rounding down left unread (they get zero gradient).

With ``stride=1`` the last one is a "full" convolution with the flipped kernel (padding
``D*(F-1) - P``); with a larger stride it is not a convolution of ``g`` at all but of ``g``
with ``stride - 1`` zeros between its values, which is what the transposed convolution does.

Pooling passes the gradient back through its windows: max pooling to the one pixel that won
each window (the first largest value in the window's row-major order, as PyTorch), average
pooling to every pixel of the window, divided by the same divisor as the forward pass.

dtypes follow the forward functions: integer (and bool) inputs give exact ``int64``
gradients (a value int64 cannot hold raises ``ValueError``), except that average pooling's
gradient is float64, as its output is; float inputs keep their precision (float16 becomes
float32), with x, weight and grad_output promoted together as numpy does.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from . import _sliding, fast
from ._checks import (
    INT64_MAX, bool_as_int64, check_allocation, check_array, check_finite, check_int64, compute_dtype, pair_text, result_dtype,
)
from .conv import _prepare, conv2d
from .fast import _max_abs
from .pooling import _mean_dtype, _Pool
from .transposed import conv_transpose2d

__all__ = ["conv2d_grad", "ConvGrad", "max_pool2d_grad", "avg_pool2d_grad", "grad_output_padding"]


class ConvGrad(NamedTuple):
    """The gradients of a conv layer's loss with respect to its input, weights and bias.

    ``x`` has the shape of the input, ``weight`` the shape of the weight, and ``bias`` is
    an array of one value per filter for a 4-D weight, or one number (a Python ``int`` or
    ``float``) for a single filter.
    """

    x: np.ndarray
    weight: np.ndarray
    bias: Any


def grad_output_padding(size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> Any:
    """The ``output_padding`` that makes the transposed convolution give back ``size``.

    The forward pass reads ``(size + 2*padding - dilation*(kernel_size-1) - 1) mod stride``
    rows at the end of the input with no window (it rounds down); the transposed
    convolution of its output is that many rows short, and ``output_padding`` adds them.

    Parameters
    ----------
    size, kernel_size, stride, padding, dilation : int or tuple of 1, 2 or 3 axes
        As for :func:`convdoc.output_size`.

    Returns
    -------
    int or tuple of int
        A tuple, one value per axis, when any argument was a tuple.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.output_size`.

    Examples
    --------
    >>> from convdoc import grad_output_padding, output_size, transposed_output_size
    >>> output_size(6, 3, stride=2, padding=1)
    3
    >>> transposed_output_size(3, 3, stride=2, padding=1)
    5
    >>> grad_output_padding(6, 3, stride=2, padding=1)
    1
    >>> transposed_output_size(3, 3, stride=2, padding=1, output_padding=1)
    6
    """
    from .sizes import output_size  # its checks and messages; then the rows it leaves unread

    output_size(size, kernel_size, stride, padding, dilation)  # also: tuples of one length
    args = (size, kernel_size, stride, padding, dilation)
    axes = max((len(v) for v in args if isinstance(v, (tuple, list))), default=0)
    rest = _unread(*(tuple(v) if isinstance(v, (tuple, list)) else (v,) * (axes or 1) for v in args))
    return rest if axes else rest[0]


def _unread(size, kernel, stride, padding, dilation) -> tuple[int, int]:
    """Per axis, the input rows (columns) past the last window: ``room mod stride`` (checked values)."""
    return tuple(_sliding.room(int(n), int(k), int(p), int(d)) % int(s)
                 for n, k, s, p, d in zip(size, kernel, stride, padding, dilation))


def conv2d_grad(x, weight, grad_output, *, stride=1, padding=0, dilation=1, groups=1) -> ConvGrad:
    """The gradients of a loss with respect to ``x``, ``weight`` and the bias of ``conv2d(x, weight, ...)``.

    Parameters
    ----------
    x, weight : array_like
        As for :func:`convdoc.conv2d`, with the same checks.
    grad_output : array_like
        The loss's gradient with respect to the layer's output: exactly the shape
        ``conv2d(x, weight, stride=..., ...)`` returns.
    stride, padding, dilation : int or (h, w) pair
    groups : int
        As for :func:`convdoc.conv2d`.

    Returns
    -------
    ConvGrad
        ``.x`` (the shape of ``x``): ``conv_transpose2d(grad_output, weight, stride=...,
        padding=..., output_padding=grad_output_padding(...), dilation=..., groups=...)``,
        computed with stride 1 as the equal "full" convolution with the flipped filters,
        through :func:`convdoc.conv2d`'s fast strategies;
        ``.weight`` (the shape of ``weight``): each weight's products with the input pixels
        it met, times the output gradient there, summed over every output position (and
        image); ``.bias``: the output gradient summed over every position (and image),
        per filter. The bias gradient does not depend on whether the layer had a bias.
        int64 for integer inputs (exact), else the inputs' common float precision.

    Raises
    ------
    TypeError
        As :func:`convdoc.conv2d`; ``grad_output`` not a real array.
    ValueError
        As :func:`convdoc.conv2d`; ``grad_output`` not of the output's shape, NaN or
        infinity in it, or an integer gradient beyond int64.

    Examples
    --------
    The article's 5x5 image and 3x3 filter, with a loss whose gradient is 1 at every
    output (the sum of the feature map): each weight's gradient is the sum of the 9 input
    pixels it met.

    >>> import numpy as np
    >>> from convdoc import conv2d_grad
    >>> from convdoc.examples import IMAGE, FILTER
    >>> g = conv2d_grad(IMAGE, FILTER, np.ones((3, 3), dtype=int))
    >>> print(g.weight)
    [[6 7 6]
     [4 7 7]
     [4 6 6]]
    >>> g.bias
    9
    >>> print(g.x)
    [[1 1 2 1 1]
     [1 2 3 2 1]
     [2 3 5 3 2]
     [1 2 3 2 1]
     [1 1 2 1 1]]
    """
    p, x, weight, _ = _prepare(x, weight, None, stride, padding, dilation, groups)
    check_finite(x, "x")
    check_finite(weight, "weight")
    g = check_array(grad_output, "grad_output", ranks=(2, 3, 4), finite=False)
    if g.shape != p.shape:
        raise ValueError(
            f"grad_output must have the shape of the layer's output, {p.shape}: conv2d of x {x.shape} with "
            f"weight {weight.shape}, stride={pair_text(p.stride)}, padding={pair_text(p.padding)}, "
            f"dilation={pair_text(p.dilation)}, groups={p.groups} gives {p.shape}; got grad_output of shape {g.shape}"
        )
    dtype = result_dtype(x, weight, g, weak_bias=False)  # the three arrays promoted together
    check_allocation(p.x4, dtype, what="the input gradient", because=f"x of shape {x.shape}")
    check_finite(g, "grad_output")
    (n, c, h, wd), (k, _, fh, fw), (h2, w2) = p.x4, p.w4, p.out_hw
    x4, w4, g4 = x.reshape(p.x4), weight.reshape(p.w4), g.reshape(n, k, h2, w2)
    if dtype.kind == "f":  # one precision for every product (integers: conv_transpose2d is exact)
        w4, g4 = w4.astype(dtype, copy=False), g4.astype(dtype, copy=False)
    # dL/dx: every output stamps g * filter back onto the pixels it read; output_padding gives
    # back the rows and columns that no window read (their gradient is 0)
    gx = _input_grad(g4, w4, (h, wd), p.stride, p.padding, p.dilation, p.groups)
    gx = gx.astype(dtype, copy=False)
    # dL/dw: the forward pass's column bands, multiplied by g instead of by the weights
    gw = fast.weight_grad(x4, g4, (fh, fw), p.stride, p.padding, p.dilation, p.groups, dtype)
    gb = _sum_exact(g4, (0, 2, 3), dtype, what="bias gradient element")
    bias = gb if weight.ndim == 4 else gb[0].item()
    return ConvGrad(gx.reshape(x.shape), gw.reshape(weight.shape), bias)


def _input_grad(g4, w4, size, stride, padding, dilation, groups):
    """dL/dx for validated 4-D ``g4`` (N, K, H2, W2) and ``w4`` (K, C/groups, F_h, F_w); ``size`` is x's (H, W).

    Every output stamps g * filter back onto the pixels it read: conv_transpose2d, with
    output_padding giving back the rows and columns that no window read (their gradient is 0).
    With stride 1 that is the "full" convolution of g with the flipped filters, channels and
    filters swapped within each group, which conv2d computes with its fast strategies.
    """
    k, cg, fh, fw = w4.shape
    kg = k // groups
    full = tuple(dl * (f - 1) - pd for dl, f, pd in zip(dilation, (fh, fw), padding))
    if stride == (1, 1) and min(full) >= 0:
        flipped = w4[:, :, ::-1, ::-1].reshape(groups, kg, cg, fh, fw).transpose(0, 2, 1, 3, 4)
        return conv2d(g4, np.ascontiguousarray(flipped.reshape(cg * groups, kg, fh, fw)), padding=full,
                      dilation=dilation, groups=groups)
    extra = _unread(size, (fh, fw), stride, padding, dilation)
    return conv_transpose2d(g4, w4, stride=stride, padding=padding, output_padding=extra,
                            dilation=dilation, groups=groups)


def _sum_exact(a: np.ndarray, axis: tuple[int, ...], dtype: np.dtype, *, what: str) -> np.ndarray:
    """``a.sum(axis)`` in ``dtype``; for integers exact, and a sum int64 cannot hold raises."""
    if dtype.kind != "i":
        return a.sum(axis=axis, dtype=dtype)
    terms = math.prod(a.shape[i] for i in axis)
    if _max_abs(a) * terms <= INT64_MAX:
        return a.sum(axis=axis, dtype=np.int64)
    total = np.frompyfunc(int, 1, 1)(a).sum(axis=axis)
    for where in np.ndindex(total.shape):
        check_int64(total[where], where, what=what)
    return total.astype(np.int64)


def _grad_of_pool(pool: _Pool, grad_output: Any, dtype_of) -> tuple[np.ndarray, np.dtype]:
    """grad_output checked against the pooling's output shape, and the gradient's dtype."""
    g = check_array(grad_output, "grad_output", ranks=(2, 3, 4), finite=False)
    want = pool.x.shape[:-2] + tuple(pool.out)
    if g.shape != want:
        raise ValueError(
            f"grad_output must have the shape of the pooling's output, {want}: x {pool.x.shape} with "
            f"kernel_size={pair_text(pool.kernel)}, stride={pair_text(pool.stride)}, padding={pair_text(pool.padding)}"
            f"{'' if pool.dilation == (1, 1) else f', dilation={pair_text(pool.dilation)}'}, ceil_mode={pool.ceil_mode} "
            f"gives {want}; got grad_output of shape {g.shape}"
        )
    dtype = dtype_of(g.dtype)
    check_allocation(pool.x.shape, dtype, what="the input gradient", because=f"x of shape {pool.x.shape}")
    check_finite(g, "grad_output")
    return g, dtype


def _tap_pairs(pool: _Pool):
    """Every tap (m, n) of the window, rows outer, in row-major order: the outputs it serves
    (row slice, column slice) and the input pixels it reads there (row slice, column slice)."""
    for rows_out, rows_in in pool.taps(0):
        for cols_out, cols_in in pool.taps(1):
            yield (Ellipsis, rows_out, cols_out), (Ellipsis, rows_in, cols_in)


def max_pool2d_grad(x, grad_output, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> np.ndarray:
    """The gradient of a loss with respect to the input of ``max_pool2d(x, kernel_size, ...)``.

    Each window passes its output's gradient to the one pixel that won it, the first
    largest value in the window's row-major order (PyTorch's choice when values tie);
    a pixel that won several windows gets the sum, a pixel that won none gets 0.

    Parameters
    ----------
    x : array_like, shape (H, W), (C, H, W) or (N, C, H, W)
        The pooling's input.
    grad_output : array_like
        The loss's gradient with respect to the pooling's output: exactly its shape.
    kernel_size, stride, padding, dilation, ceil_mode
        As for :func:`convdoc.max_pool2d`, with the same checks.

    Returns
    -------
    numpy.ndarray
        The shape of ``x``, in ``grad_output``'s precision: int64 for integers (exact),
        float32 for float16, else its float dtype.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.max_pool2d`; ``grad_output`` not a real array, not of the
        output's shape, or holding NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import max_pool2d_grad
    >>> x = np.array([[1, 5, 2, 2],
    ...               [3, 0, 2, 1],
    ...               [7, 7, 4, 1],
    ...               [7, 0, 0, 3]])
    >>> print(max_pool2d_grad(x, [[10, 20], [30, 40]], 2))
    [[ 0 10 20  0]
     [ 0  0  0  0]
     [30  0 40  0]
     [ 0  0  0  0]]
    """
    pool = _Pool(x, kernel_size, stride, padding, dilation, ceil_mode, bool_as_int64)
    pool.check_every_window_reads_x()
    g, dtype = _grad_of_pool(pool, grad_output, _grad_dtype)
    x = pool.x
    h, w = x.shape[-2:]
    best = np.zeros(g.shape, x.dtype)
    where = np.full(g.shape, -1, np.intp)  # flat index r*W + c of each window's winner
    rows, cols = np.arange(h), np.arange(w)
    for out, read in _tap_pairs(pool):
        v, b, at = x[read], best[out], where[out]
        take = (v > b) | (at < 0)  # strictly larger: the first maximum stays
        best[out] = np.where(take, v, b)
        where[out] = np.where(take, rows[read[1]][:, None] * w + cols[read[2]][None, :], at)
    planes = math.prod(x.shape[:-2])
    gv = g.reshape(planes, -1)
    exact = dtype.kind == "i" and _max_abs(g) * gv.shape[1] > INT64_MAX
    gx = np.zeros((planes, h * w), dtype=object if exact else dtype)
    np.add.at(gx, (np.arange(planes)[:, None], where.reshape(planes, -1)),
              np.frompyfunc(int, 1, 1)(gv) if exact else gv.astype(dtype, copy=False))
    if exact:
        for at in np.ndindex(gx.shape):
            check_int64(gx[at], at, what="input gradient element")
    return gx.astype(dtype, copy=False).reshape(x.shape)


def avg_pool2d_grad(x, grad_output, kernel_size, stride=None, padding=0, ceil_mode=False) -> np.ndarray:
    """The gradient of a loss with respect to the input of ``avg_pool2d(x, kernel_size, ...)``.

    Each window passes its output's gradient, divided by the forward pass's divisor, to
    every input pixel in it (padding cells take their share and drop it); a pixel in
    several windows gets the sum.

    Parameters
    ----------
    x : array_like, shape (H, W), (C, H, W) or (N, C, H, W)
        The pooling's input (only its shape matters).
    grad_output : array_like
        The loss's gradient with respect to the pooling's output: exactly its shape.
    kernel_size, stride, padding, ceil_mode
        As for :func:`convdoc.avg_pool2d`, with the same checks and divisors
        (padding counts, cells past the padded input with ``ceil_mode`` do not).

    Returns
    -------
    numpy.ndarray
        The shape of ``x``; float64 for integer ``grad_output``, float32 for float16,
        else its float dtype.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.avg_pool2d`; ``grad_output`` not a real array, not of the
        output's shape, or holding NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import avg_pool2d_grad
    >>> print(avg_pool2d_grad(np.zeros((4, 4)), [[4, 8], [12, 16]], 2))
    [[1. 1. 2. 2.]
     [1. 1. 2. 2.]
     [3. 3. 4. 4.]
     [3. 3. 4. 4.]]
    """
    pool = _Pool(x, kernel_size, stride, padding, 1, ceil_mode, _mean_dtype)
    g, dtype = _grad_of_pool(pool, grad_output, _mean_dtype)
    share = g.astype(dtype) / pool.divisors().astype(dtype)
    gx = np.zeros(pool.x.shape, dtype)
    for out, read in _tap_pairs(pool):
        gx[read] += share[out]
    return gx


def _grad_dtype(dt: np.dtype) -> np.dtype:
    """int64 for integer and bool gradients, float32 for float16, else the float dtype."""
    return compute_dtype(dt, integers=np.int64)
