"""The strategies behind :func:`convdoc.conv2d`, and the memory they may use.

:func:`convdoc.conv2d` checks its arguments, then hands the 4-D arrays to one
of four strategies, chosen per call by :func:`choose_strategy`:

``"small"``
    The article's teaching cases and other tiny layers: one gather through a
    cached index array builds every window at once, one ``matmul`` does the
    rest. Costs a few microseconds, most of it Python.
``"pointwise"``
    1x1 filters without padding: the convolution *is* a matrix product
    ``(K, C) @ (C, H*W)`` per group, done in place on the input, no copy.
``"gemm"``
    Everything else with several channels per group: im2col. The windows of a
    band of output rows are copied into a column buffer laid out
    ``(C/groups * F_h * F_w, rows * W2)``, and one BLAS matrix product per group
    (``(K/groups, C/groups*F_h*F_w) @ columns``) writes straight into the
    output, which is already in (N, K, H2, W2) order. The buffer's layout is
    :func:`convdoc.im2col`'s, band by band; both fill it with :func:`_fill_taps`
    (:func:`columns`, for whole images), except that "same" stride-1 bands are
    filled faster from a flat copy (below). Bands are sized so the
    buffer stays in cache and under the workspace limit. For "same"
    convolutions with stride 1 (W2 == W, the usual 3x3 layer with padding 1)
    the band's input rows are first copied flat, with zero padding, so that
    every buffer row is a single run of ``rows * W`` values (one numpy call
    fills the buffer) and only the window columns that wrapped into a
    neighbouring row are zeroed afterwards; other cases copy tap by tap.
``"depthwise"``
    One channel per group (depthwise convolution): a matrix product per
    channel would be tiny, so each filter tap is instead one multiply-add over
    a block of channels (``out += w[:, m, n] * shifted_x``), on cache-sized
    blocks shared out to a few threads (numpy releases the GIL in these loops).

Workspace
---------
Padded copies and column buffers are processed in chunks whose size is capped
by :func:`workspace_limit` (``DEFAULT_WORKSPACE_LIMIT`` = 64 MiB), so the
memory a call needs beyond its result does not grow with the batch or the
image. Change the cap with :func:`set_workspace_limit` or, for a block of code,
with the context manager :func:`limited_workspace`. A chunk never holds less
than one output row, so a tiny limit is rounded up to that. Integer inputs
need one extra float64 array the size of the result (see below).

The column buffer is kept per thread between calls (a fresh multi-megabyte array
costs page faults on every call); it is never larger than the limit, and
:func:`release_workspace` frees it. A call that is a single chunk larger than
the cache-sized bands alternates its buffer between two places from call to
call, when both fit under the limit (see ``_turn``).

dtypes
------
float32 stays float32 and float64 stays float64 (BLAS ``sgemm``/``dgemm``).
Integer inputs of any width (bool, uint8 ... uint64) give ``int64``, exactly;
BLAS has no integer product, so they are computed in float64 when that is
provably exact (every partial sum below 2**53, checked from the largest
magnitudes), with numpy's ``int64`` loops when no partial sum can pass int64's
limit, and otherwise twice -- in uint64, which wraps modulo 2**64 by
definition, and in float64, which says where the true value lies -- so that
every result int64 can hold is exact and any other raises ``ValueError``
(:func:`_wide`). No strategy ever returns a wrapped-around integer.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import _sliding
from ._checks import INT64_MAX, check_int, check_int64, check_listing

__all__ = [
    "STRATEGIES",
    "DEFAULT_WORKSPACE_LIMIT",
    "workspace_limit",
    "set_workspace_limit",
    "limited_workspace",
    "use_strategy",
    "choose_strategy",
    "release_workspace",
]

STRATEGIES = ("small", "pointwise", "gemm", "depthwise")
DEFAULT_WORKSPACE_LIMIT = 64 * 2**20

_limit = DEFAULT_WORKSPACE_LIMIT
_forced: contextvars.ContextVar[str | None] = contextvars.ContextVar("convdoc_strategy", default=None)

# Tuning (bytes / multiply-adds), measured on a 2-core AVX-512 machine; see docs/performance.md.
_GEMM_CHUNK = 4 * 2**20  # column buffer per band: stays in the last-level cache ...
_GEMM_MIN_COLS = 1024  # ... unless the product would get fewer columns than this (limit permitting)
_TAPS_BLOCK = 4 * 2**20  # padded input, accumulator and temporary per depthwise block (per thread)
_SMALL_MACS = 1 << 15  # below this many multiply-adds the "small" path wins
_SMALL_INDEX = 1 << 14  # ... provided its index array stays this small


# --- workspace limit ------------------------------------------------------------------------


def workspace_limit() -> int:
    """Bytes of temporary memory (padded copies, column buffers) one conv2d call may use.

    Returns
    -------
    int
        The current cap; ``DEFAULT_WORKSPACE_LIMIT`` (64 MiB) unless changed.

    Examples
    --------
    >>> from convdoc.fast import workspace_limit
    >>> workspace_limit() // 2**20
    64
    """
    return _limit


def set_workspace_limit(nbytes: int) -> int:
    """Set the workspace cap for every later call; return the previous one.

    Parameters
    ----------
    nbytes : int
        New cap in bytes, at least 1. A chunk never holds less than one output
        row, so a cap below that is rounded up to it.

    Returns
    -------
    int
        The cap in force before the call.

    Raises
    ------
    TypeError
        ``nbytes`` is not an integer.
    ValueError
        ``nbytes`` is below 1.

    Examples
    --------
    >>> from convdoc.fast import set_workspace_limit, workspace_limit
    >>> old = set_workspace_limit(16 * 2**20)
    >>> workspace_limit() // 2**20
    16
    >>> set_workspace_limit(old) // 2**20
    16
    """
    global _limit
    nbytes = check_int(nbytes, "nbytes", minimum=1)
    old, _limit = _limit, nbytes
    return old


@contextlib.contextmanager
def limited_workspace(nbytes: int) -> Iterator[int]:
    """Context manager: use at most ``nbytes`` of workspace inside the ``with`` block.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import conv2d
    >>> from convdoc.fast import limited_workspace, workspace_limit
    >>> with limited_workspace(2**20):
    ...     out = conv2d(np.ones((1, 8, 32, 32)), np.ones((8, 8, 3, 3)), padding=1)
    ...     workspace_limit()
    1048576
    >>> out.shape
    (1, 8, 32, 32)
    """
    old = set_workspace_limit(nbytes)
    try:
        yield nbytes
    finally:
        set_workspace_limit(old)


@contextlib.contextmanager
def use_strategy(name: str) -> Iterator[str]:
    """Context manager: make :func:`convdoc.conv2d` use strategy ``name`` inside the block.

    For tests and measurements; every strategy computes the same result.

    Raises
    ------
    ValueError
        ``name`` is not one of ``STRATEGIES``, or (when conv2d is called) the
        strategy cannot compute that case (``"pointwise"`` needs 1x1 filters
        and no padding).

    Examples
    --------
    >>> from convdoc import conv2d
    >>> from convdoc.examples import IMAGE, FILTER
    >>> from convdoc.fast import use_strategy
    >>> with use_strategy("gemm"):
    ...     print(conv2d(IMAGE, FILTER))
    [[4 3 4]
     [2 4 3]
     [2 3 4]]
    """
    if name not in STRATEGIES:
        raise ValueError(f"name must be one of {STRATEGIES}, got {name!r}")
    token = _forced.set(name)
    try:
        yield name
    finally:
        _forced.reset(token)


# --- choosing -------------------------------------------------------------------------------


def choose_strategy(x_shape, w_shape, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1) -> str:
    """The strategy conv2d uses for 4-D shapes ``x (N, C, H, W)`` and ``weight (K, C/groups, F_h, F_w)``.

    The caller has validated the arguments (pairs for ``stride``, ``padding``
    and ``dilation``); :func:`convdoc.conv2d_strategy` is the checked public
    entry point.

    Examples
    --------
    >>> from convdoc.fast import choose_strategy
    >>> choose_strategy((1, 64, 56, 56), (64, 64, 3, 3), padding=(1, 1))
    'gemm'
    >>> choose_strategy((1, 64, 56, 56), (64, 1, 3, 3), padding=(1, 1), groups=64)
    'depthwise'
    """
    out_hw = tuple(
        _sliding.count(x_shape[2 + i], w_shape[2 + i], stride[i], padding[i], dilation[i]) for i in range(2)
    )
    return _choose(x_shape, w_shape, padding, groups, out_hw)


def _choose(x_shape, w_shape, padding, groups, out_hw) -> str:
    """:func:`choose_strategy` for a call whose output size ``out_hw`` is already known."""
    n, k, (cg, fh, fw), (h2, w2) = x_shape[0], w_shape[0], w_shape[1:], out_hw
    taps = cg * fh * fw
    if n * k * h2 * w2 * taps <= _SMALL_MACS and n * groups * taps * h2 * w2 <= _SMALL_INDEX:
        return "small"
    if cg == 1 and groups > 1:
        return "depthwise"
    if fh == fw == 1 and padding == (0, 0):
        return "pointwise"
    return "gemm"


def run(x, w, b, stride, padding, dilation, groups, out_hw, dtype):
    """Compute the 4-D convolution with the chosen (or forced) strategy; ``x``, ``w`` validated."""
    name = _forced.get()
    if name is None:
        name = _choose(x.shape, w.shape, padding, groups, out_hw)
    elif name == "pointwise" and (w.shape[2:] != (1, 1) or padding != (0, 0)):
        raise ValueError(
            f"strategy 'pointwise' needs 1x1 filters and padding 0, got filters {w.shape[2:]} and padding {padding}"
        )
    kernel = _KERNELS[name]
    args = (stride, padding, dilation, groups, out_hw)
    if dtype.kind != "i":
        return kernel(x, w, b, *args, dtype)
    bound = _int_bound(x, w, b)  # no partial sum of any output is larger in magnitude
    if bound < 2**53 and name != "small":  # BLAS in float64 is exact here, and fast
        return kernel(x, w, b, *args, np.dtype(np.float64)).astype(np.int64)
    if bound <= INT64_MAX:  # numpy's int64 loops: exact, nothing can overflow
        return kernel(x, w, b, *args, dtype)
    return _wide(kernel, x, w, b, args, bound)


def _max_abs(a: np.ndarray) -> int:
    """The largest magnitude in an integer (or bool) array, as a Python int (no overflow)."""
    if a.size <= 64:
        v = a.reshape(-1).tolist()
        return int(max(max(v), -min(v)))
    return max(int(a.max()), -int(a.min()))


def _int_bound(x, w, b) -> int:
    """max|x| * max|w| * (taps per output) + max|b|: no partial sum of the convolution exceeds it."""
    return _max_abs(x) * _max_abs(w) * math.prod(w.shape[1:]) + (0 if b is None else _max_abs(b))


def fits_int64(x, w, b) -> bool:
    """Whether int64 arithmetic computes this integer convolution exactly (see :func:`run`); ``w`` 4-D.

    For the tiny "small" cases, where a reduction costs as much as the convolution: pixels
    that fit in int32 and weights that fit in int16 cannot overflow below 2**16 taps
    (2**31 * 2**15 * 2**16 + 2**31 < 2**63), and numpy tells that with one cast each.
    """
    if w.shape[1] * w.shape[2] * w.shape[3] < 2**16 and _fits(x, _I32) and _fits(w, _I16) and (b is None or _fits(b, _I32)):
        return True
    return _int_bound(x, w, b) <= INT64_MAX


_I32, _I16 = np.dtype(np.int32), np.dtype(np.int16)


def _fits(a: np.ndarray, dtype: np.dtype) -> bool:
    """Whether every value of the integer array ``a`` fits in ``dtype`` (False when unsure)."""
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == "b" or (kind == "i" and size <= dtype.itemsize) or (kind == "u" and size < dtype.itemsize):
        return True  # by its type alone
    try:
        a.astype(dtype, casting="same_value")  # numpy >= 2.4: raises if a value would change
    except (ValueError, TypeError):  # a value does not fit, or an older numpy without "same_value"
        return False
    return True


def _wide(kernel, x, w, b, args, bound):
    """Integer inputs whose results may not fit in int64: exact results, or a ValueError.

    The convolution is computed twice: in uint64, which wraps modulo 2**64 by definition,
    so its result is each true value modulo 2**64; and in float64, which gives each true
    value to within ``err`` (the rounding of at most taps + 2 operations on terms no larger
    than ``bound``). Where the float64 value is clearly inside int64, the wrapped value *is*
    the true one; where it is clearly outside, int64 cannot hold the result; the few left
    in between are summed exactly in Python integers by :func:`element`.
    """
    taps = math.prod(w.shape[1:])
    wrapped = kernel(x, w, b, *args, np.dtype(np.uint64)).view(np.int64)
    with np.errstate(all="ignore"):
        magnitude = np.abs(kernel(x, w, b, *args, np.dtype(np.float64)))
    err = (taps + 4) * 2.0**-52 * float(bound) + 1.0
    limit = float(2**63)
    outside = np.argwhere(magnitude - err > limit * (1 + 2**-20))
    if len(outside):
        where = tuple(int(i) for i in outside[0])
        check_int64(element(x, w, b, *args[:4], where), where)  # raises, with the exact value
    unsure = np.argwhere(~(magnitude + err < limit * (1 - 2**-20)))
    check_listing(len(unsure) * taps, what="the outputs that may not fit in int64, exactly",
                  because=f"integers up to {_max_abs(x):,} in x and {_max_abs(w):,} in weight")
    for where in unsure:
        where = tuple(int(i) for i in where)
        wrapped[where] = check_int64(element(x, w, b, *args[:4], where), where)
    return wrapped


# --- the formula, one output at a time ---------------------------------------------------------


def element(x, w, b, stride, padding, dilation, groups, where, dtype=np.dtype(np.int64)):
    """Output ``where = (img, k, i, j)`` of the 4-D convolution, summed one product at a time.

    ``a[k,i,j] = b[k] + sum_d sum_m sum_n w[k,d,m,n] * xp[g*C_g + d, i*S + m*D, j*S + n*D]``,
    where ``xp`` is ``x`` with ``padding`` zeros on each side and ``g`` the group of
    filter ``k``. Integer dtypes sum Python ints (exact, never wrapping); float dtypes
    sum in that dtype. :func:`convdoc.conv2d_reference` is this, for every output.
    """
    num = int if dtype.kind == "i" else dtype.type
    img, k, i, j = where
    c_per_group, f_h, f_w = w.shape[1:]
    g = k // (w.shape[0] // groups)  # the group this filter belongs to
    (s_h, s_w), (p_h, p_w), (d_h, d_w) = stride, padding, dilation
    h, wd = x.shape[2:]

    def xp(d, r, c):  # x with `padding` zeros on each side
        r, c = r - p_h, c - p_w
        return num(x[img, d, r, c]) if 0 <= r < h and 0 <= c < wd else num(0)

    total = num(0) if b is None else num(b[k])
    for d in range(c_per_group):
        for m in range(f_h):
            for n in range(f_w):
                total += num(w[k, d, m, n]) * xp(g * c_per_group + d, i * s_h + m * d_h, j * s_w + n * d_w)
    return total


# --- "small": one gather, one matmul --------------------------------------------------------


class SmallPlan:
    """Index array and shapes of the "small" strategy for one set of shapes, cached by conv2d."""

    __slots__ = ("idx", "pad", "k", "groups", "dtype", "shape", "single")

    def __init__(self, idx, pad, k, groups, dtype, shape, single):
        self.idx, self.pad, self.k, self.groups = idx, pad, k, groups
        self.dtype, self.shape, self.single = dtype, shape, single


def small_plan(x4, w4, stride, padding, dilation, groups, dtype, shape) -> SmallPlan:
    """Gather indices: ``xflat[idx]`` is every window of every image as a column.

    ``idx[n, g, (d, m, q), (i, j)]`` is the flat position in x of the pixel that tap
    (m, q) of channel d of group g reads for output (i, j) of image n; with padding,
    positions in the padding point one past the end of x, where a zero is appended.
    ``shape`` is the result's shape; its last two axes are the output's height and width.
    """
    (n, c, h, w), (k, cg, fh, fw), (sh, sw), (ph, pw), (dh, dw) = x4, w4, stride, padding, dilation
    h2, w2 = shape[-2:]  # the output's height and width
    rows = np.arange(h2)[None, :] * sh + np.arange(fh)[:, None] * dh - ph  # (fh, h2)
    cols = np.arange(w2)[None, :] * sw + np.arange(fw)[:, None] * dw - pw  # (fw, w2)
    inside = ((rows >= 0) & (rows < h))[:, None, :, None] & ((cols >= 0) & (cols < w))[None, :, None, :]
    flat = rows[:, None, :, None] * w + cols[None, :, None, :]  # (fh, fw, h2, w2)
    chan = np.arange(n * c).reshape(n, groups, cg, 1, 1, 1, 1) * (h * w)
    idx = np.where(inside, flat + chan, n * c * h * w)  # padding -> the zero appended to x
    idx = idx.reshape(n, groups, cg * fh * fw, h2 * w2)
    single = n == 1 and groups == 1
    if single:
        idx = idx[0, 0]
    idx = np.ascontiguousarray(idx, dtype=np.intp)
    idx.setflags(write=False)
    return SmallPlan(idx, padding != (0, 0), k, groups, dtype, shape, single)


def small(x, w, b, plan: SmallPlan):
    """The "small" strategy on validated arrays of any accepted rank."""
    dtype = plan.dtype
    if x.size > 4 * plan.idx.size and (plan.pad or x.dtype != dtype or not x.flags.c_contiguous):
        cols = _gather(x, plan)  # a large x with few outputs: convert only the values read
    else:
        v = x.reshape(-1)
        if plan.pad:
            v = np.concatenate((v, _ZERO), dtype=dtype, casting="unsafe")
        elif v.dtype != dtype:
            v = v.astype(dtype)
        cols = v[plan.idx]
    wm = w.reshape(plan.k, -1) if plan.single else w.reshape(plan.groups, plan.k // plan.groups, -1)
    if wm.dtype != dtype:
        wm = wm.astype(dtype)
    out = wm.dot(cols) if plan.single else np.matmul(wm, cols)
    if b is not None:
        if b.dtype != dtype:
            b = b.astype(dtype)
        if b.ndim:
            b = b.reshape(plan.k, 1) if plan.single else b.reshape(plan.groups, plan.k // plan.groups, 1)
        out += b
    return out.reshape(plan.shape)


def _gather(x, plan: SmallPlan) -> np.ndarray:
    """``x.reshape(-1)[plan.idx]`` with zeros for padding, in ``plan.dtype``, without copying x whole."""
    inside = plan.idx < x.size
    at = np.where(inside, plan.idx, 0)
    cols = x.reshape(-1)[at] if x.flags.c_contiguous else x[np.unravel_index(at, x.shape)]
    cols = cols.astype(plan.dtype)
    if plan.pad:
        cols[~inside] = 0
    return cols


_ZERO = np.zeros(1, np.int8)


def _small(x, w, b, stride, padding, dilation, groups, out_hw, dtype):
    n, k = x.shape[0], w.shape[0]
    plan = small_plan(x.shape, w.shape, stride, padding, dilation, groups, dtype, (n, k) + tuple(out_hw))
    return small(x, w, b, plan)


# --- "pointwise": 1x1 filters ---------------------------------------------------------------


def _pointwise(x, w, b, stride, padding, dilation, groups, out_hw, dtype):
    n, c, h, wd = x.shape
    k = w.shape[0]
    h2, w2 = out_hw
    wm = w.reshape(groups, k // groups, c // groups).astype(dtype, copy=False)
    out = np.empty((n, k, h2, w2), dtype)
    ov = out.reshape(n, groups, k // groups, h2 * w2)
    if stride == (1, 1) and x.dtype == dtype and x.flags.c_contiguous:
        np.matmul(wm, x.reshape(n, groups, c // groups, h * wd), out=ov)
    else:  # strided or converted input: copy bands of rows under the workspace limit
        sh, sw = stride
        rows = max(1, min(h2, _chunk_bytes() // (c * w2 * dtype.itemsize)))
        buf = _workspace(c * rows * w2, dtype)
        for img in range(n):
            for r0 in range(0, h2, rows):
                r1 = min(h2, r0 + rows)
                band = buf[: c * (r1 - r0) * w2].reshape(c, r1 - r0, w2)
                band[...] = x[img, :, r0 * sh : (r1 - 1) * sh + 1 : sh, : (w2 - 1) * sw + 1 : sw]
                np.matmul(
                    wm,
                    band.reshape(groups, c // groups, (r1 - r0) * w2),
                    out=ov[img, :, :, r0 * w2 : r1 * w2],
                )
    if b is not None:
        out += b.astype(dtype, copy=False).reshape(k, 1, 1)
    return out


# --- "gemm": banded im2col + one BLAS product per group -------------------------------------


_local = threading.local()


def _workspace(size: int, dtype: np.dtype) -> np.ndarray:
    """A flat scratch array of ``size`` values, kept per thread and reused by later calls.

    Fresh multi-megabyte arrays cost page faults on every call (as much as the copy into
    them); the kept buffer is never larger than a chunk, so never above the workspace limit.
    """
    nbytes = size * dtype.itemsize
    raw = getattr(_local, "buffer", None)
    if raw is None or raw.nbytes < nbytes or raw.nbytes > max(nbytes, _limit):
        _local.buffer = None  # free the old buffer first: never hold two
        raw = _local.buffer = np.empty(nbytes, np.uint8)
    return raw[:nbytes].view(dtype)


def release_workspace() -> None:
    """Free the scratch buffer that conv2d keeps for the calling thread (it is reallocated when needed).

    Examples
    --------
    >>> from convdoc.fast import release_workspace
    >>> release_workspace()
    """
    _local.buffer = None


def _chunk_bytes() -> int:
    return min(_limit, _GEMM_CHUNK)


def _inside(in_hw, kernel, stride, padding, dilation, out_hw):
    """Per tap (m along the rows, q along the columns): the output rows, and columns, whose tap reads inside x."""
    return tuple(
        [_sliding.inside(out_hw[a], in_hw[a], stride[a], m * dilation[a] - padding[a]) for m in range(kernel[a])]
        for a in (0, 1)
    )


def columns(x, kernel, stride, padding, dilation, out_hw) -> np.ndarray:
    """The "gemm" strategy's column buffer for whole images: every window of ``x`` as a column.

    ``x`` is a validated 4-D array (N, C, H, W); the result, in ``x``'s dtype, is
    (N, C, F_h, F_w, H2, W2): ``cols[n, c, m, q, i, j]`` is the input value (0 in the
    padding) that tap (m, q) of channel c reads for output (i, j). Reshaped to
    (N, C*F_h*F_w, H2*W2) it is :func:`convdoc.im2col`. ``_gemm`` fills the same
    layout, band by band, with the same function (:func:`_fill_taps`).
    """
    n, c = x.shape[:2]
    cols = np.empty((n, c, *kernel, *out_hw), x.dtype)
    vi, vj = _inside(x.shape[2:], kernel, stride, padding, dilation, out_hw)
    _fill_taps(cols, x, 0, out_hw[0], vi, vj, stride, padding, dilation)
    return cols


def _gemm(x, w, b, stride, padding, dilation, groups, out_hw, dtype):
    n, k = x.shape[0], w.shape[0]
    kg, taps = k // groups, math.prod(w.shape[1:])
    h2, w2 = out_hw
    wm = w.reshape(groups, kg, taps).astype(dtype, copy=False)
    bias = None if b is None else b.astype(dtype, copy=False).reshape(groups, kg, 1)
    out = np.empty((n, k, h2, w2), dtype)
    ov = out.reshape(n, groups, kg, h2 * w2)
    for n0, n1, r0, r1, cols in column_bands(x, w.shape[2:], stride, padding, dilation, out_hw, dtype):
        target = ov[n0:n1, :, :, r0 * w2 : r1 * w2]
        np.matmul(wm, cols.reshape(n1 - n0, groups, taps, (r1 - r0) * w2), out=target)
        if bias is not None:
            target += bias
    return out


def column_bands(x, kernel, stride, padding, dilation, out_hw, dtype):
    """im2col in bands: ``(n0, n1, r0, r1, cols)`` for images n0:n1 and output rows r0:r1.

    ``cols`` has shape (images, C, F_h, F_w, rows, W2): the value that tap (m, q) of
    channel c reads for each output position of the band, zero in the padding. The
    "gemm" strategy multiplies the weights by it; :func:`weight_grad` multiplies the
    output gradient by its transpose. ``cols`` lives in the per-thread workspace: it is
    valid until the next band is asked for.
    """
    n, c, h, wd = x.shape
    fh, fw = kernel
    h2, w2 = out_hw
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    size = dtype.itemsize
    # "Same" convolutions with stride 1 (W2 == W, e.g. 3x3 with padding 1): output row i reads
    # whole input rows, so each row of the column buffer is one run of rows*W values of a flat,
    # zero-padded copy of the band's input rows (see _fill_flat); otherwise one copy per tap.
    flat = (sh, sw) == (1, 1) and w2 == wd

    def rows_in(rows):  # input rows (padding included) that a band of output rows reads
        return (rows - 1) * sh + (fh - 1) * dh + 1

    def chunk_bytes(imgs, rows):  # column buffer, plus the flat copy of the band's input
        return imgs * c * (fh * fw * rows * w2 + (rows_in(rows) * wd + 2 * pw if flat else 0)) * size

    budget = _chunk_bytes()
    if chunk_bytes(1, h2) <= budget:  # whole images per chunk
        imgs, rows = max(1, min(n, budget // chunk_bytes(1, h2))), h2
    else:  # bands of rows of one image, wide enough for an efficient product if the limit allows
        per_row = chunk_bytes(1, 2) - chunk_bytes(1, 1)  # chunk_bytes grows linearly with the rows
        fits = lambda nbytes: (nbytes - chunk_bytes(1, 1)) // per_row + 1  # noqa: E731
        rows = max(fits(budget), -(-_GEMM_MIN_COLS // w2))
        imgs, rows = 1, max(1, min(h2, rows, fits(_limit)))
    chunks = [(n0, min(n, n0 + imgs), r0, min(h2, r0 + rows)) for n0 in range(0, n, imgs) for r0 in range(0, h2, rows)]
    slot = chunk_bytes(imgs, rows) // size
    # A call that is a single chunk too large to stay in cache alternates its buffer between two
    # places from call to call (see _turn), limit permitting; bands of one call reuse one place.
    slots = 2 if len(chunks) == 1 and slot * size > _GEMM_CHUNK and 2 * slot * size <= _limit else 1
    ring = _workspace(slots * slot, dtype).reshape(slots, slot)
    if not flat:  # per tap, the output rows and columns whose window reads inside the image
        vi, vj = _inside((h, wd), (fh, fw), stride, padding, dilation, out_hw)

    for n0, n1, r0, r1 in chunks:
        ni, nr = n1 - n0, r1 - r0
        buf = ring[_turn(slots)]
        cols = buf[: ni * c * fh * fw * nr * w2].reshape(ni, c, fh, fw, nr, w2)
        if flat:
            _fill_flat(cols, buf[cols.size :], x[n0:n1], r0 - ph, rows_in(nr), pw, dh, dw)
        else:
            _fill_taps(cols, x[n0:n1], r0, r1, vi, vj, stride, padding, dilation)
        yield n0, n1, r0, r1, cols


def weight_grad(x, g, kernel, stride, padding, dilation, groups, dtype):
    """The weight gradient ``dW[k, d, m, q] = sum_{n,i,j} g[n,k,i,j] * xp[n, group(k)*C_g + d, i*S + m*D, j*S + q*D]``.

    ``x`` (N, C, H, W) and ``g`` (N, K, H2, W2) are validated; the result is (K, C/groups,
    F_h, F_w) in ``dtype``. It is the "gemm" strategy read backwards: the same column
    bands (:func:`column_bands`), and per band one BLAS product per group,
    ``g (K/groups, rows*W2) @ columns.T (rows*W2, C/groups*F_h*F_w)``, summed over the
    bands -- the forward pass's product with its operands swapped, as many flops.
    Integer inputs give exact ``int64`` results (float64 products while every partial sum
    stays below 2**53, int64 products while none can pass int64, Python integers beyond),
    and one that int64 cannot hold raises ``ValueError``.
    """
    if dtype.kind == "i":
        bound = _max_abs(x) * _max_abs(g) * g.shape[0] * g.shape[2] * g.shape[3]
        if bound < 2**53:
            return weight_grad(x, g, kernel, stride, padding, dilation, groups, np.dtype(np.float64)).astype(np.int64)
        if bound > INT64_MAX:
            return _weight_grad_exact(x, g, kernel, stride, padding, dilation, groups)
    n, c = x.shape[:2]
    k, (h2, w2) = g.shape[1], g.shape[2:]
    cg, kg = c // groups, k // groups
    taps = cg * kernel[0] * kernel[1]
    gs = g.astype(dtype, copy=False)
    acc = np.empty((groups, kg, taps), dtype)
    first = True
    for n0, n1, r0, r1, cols in column_bands(x, kernel, stride, padding, dilation, (h2, w2), dtype):
        ni, cells = n1 - n0, (r1 - r0) * w2
        gb = gs[n0:n1, :, r0:r1].reshape(ni, groups, kg, cells)
        if gb.strides[-1] != gb.itemsize:  # BLAS wants unit steps along the positions
            gb = np.ascontiguousarray(gb)
        ct = cols.reshape(ni, groups, taps, cells).swapaxes(-1, -2)
        if first and ni == 1:  # the first band straight into the result: one pass less over it
            np.matmul(gb[0], ct[0], out=acc)
        else:
            part = np.matmul(gb, ct)
            part = part[0] if ni == 1 else part.sum(axis=0)
            if first:
                acc[...] = part
            else:
                acc += part
        first = False
    return acc.reshape(k, cg, *kernel)


def _weight_grad_exact(x, g, kernel, stride, padding, dilation, groups):
    """:func:`weight_grad` in Python integers, for integers too large for int64 arithmetic."""
    n, c, h, wd = x.shape
    k, (h2, w2) = g.shape[1], g.shape[2:]
    cg, kg = c // groups, k // groups
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    check_listing(k * cg * kernel[0] * kernel[1] * n * h2 * w2, what="the products in Python integers",
                  because=f"integers up to {_max_abs(x):,} in x and {_max_abs(g):,} in grad_output, too large for int64 arithmetic")
    big = np.frompyfunc(int, 1, 1)
    xp = np.pad(big(x), ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=0)
    go = big(g)
    out = np.empty((k, cg, *kernel), dtype=object)
    for m in range(kernel[0]):
        for q in range(kernel[1]):
            xv = xp[:, :, m * dh : m * dh + (h2 - 1) * sh + 1 : sh, q * dw : q * dw + (w2 - 1) * sw + 1 : sw]
            for grp in range(groups):
                out[grp * kg : (grp + 1) * kg, :, m, q] = np.tensordot(
                    go[:, grp * kg : (grp + 1) * kg], xv[:, grp * cg : (grp + 1) * cg], axes=([0, 2, 3], [0, 2, 3]))
    for where in np.ndindex(out.shape):
        check_int64(out[where], where, what="weight gradient element", axes="filter, channel, row, column")
    return out.astype(np.int64)


def _turn(slots: int) -> int:
    """Which of ``slots`` places the next column buffer goes to; alternates per thread, across calls.

    Writing memory that another core has just read (BLAS reads the buffer with every core)
    first moves each cache line back from that core, and on some machines (virtual cores on
    different chiplets) that made refilling a large buffer right after the product several
    times slower. Alternating between two places leaves the lines time to go, while the
    product streams the weights in between. Where one call fills several bands, or the buffer
    fits in the cache (at most _GEMM_CHUNK), a second place only adds to what the caches must
    hold and was slower: those reuse one place. The measurements are on the performance page
    (docs/performance.md, "How steady these numbers are").
    """
    turn = getattr(_local, "turn", 0) + 1
    _local.turn = turn
    return turn % slots


def _fill_flat(cols, scratch, xs, top, rows_in, pw, dh, dw):
    """Windows of a band of a stride-1 convolution with W2 == W, into cols (imgs, C, Fh, Fw, rows, W).

    The band's input rows top .. top+rows_in-1 (zero outside the image) are copied flat, with
    pw zeros before and after, into scratch; tap (m, q) of output (i, j) is then flat value
    m*dh*W + q*dw + i*W + j, so each (channel, m, q) row of cols is one run of rows*W values.
    Window columns left or right of the image read the neighbouring row there, and are zeroed.
    """
    ni, c, fh, fw, nr, w2 = cols.shape
    h, wd = xs.shape[2:]
    run = rows_in * wd
    src = scratch[: ni * c * (run + 2 * pw)].reshape(ni, c, run + 2 * pw)
    src[:, :, :pw] = 0
    src[:, :, pw + run :] = 0
    body = src[:, :, pw : pw + run].reshape(ni, c, rows_in, wd)
    a = max(0, top)
    z = max(a, min(h, top + rows_in))  # input rows a:z exist; the rest is padding
    body[:, :, : a - top] = 0
    body[:, :, z - top :] = 0
    body[:, :, a - top : z - top] = xs[:, :, a:z]
    s0, s1, s2 = src.strides
    windows = as_strided(src, (ni, c, fh, fw, nr * w2), (s0, s1, dh * wd * s2, dw * s2, s2), writeable=False)
    cols.reshape(ni, c, fh, fw, nr * w2)[...] = windows
    for q in range(fw):
        off = q * dw - pw
        if off < 0:
            cols[:, :, :, q, :, : min(w2, -off)] = 0
        elif off > 0:
            cols[:, :, :, q, :, max(0, wd - off) :] = 0


def _fill_taps(cols, xs, r0, r1, vi, vj, stride, padding, dilation):
    """Windows of output rows r0:r1 of images xs into cols (imgs, C, Fh, Fw, rows, W2): a copy per tap."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    fh, fw, w2 = cols.shape[2], cols.shape[3], cols.shape[5]
    for m in range(fh):
        i0, i1 = max(vi[m][0], r0), min(vi[m][1], r1)
        for q in range(fw):
            j0, j1 = vj[q]
            dst = cols[:, :, m, q]
            if i0 >= i1 or j0 >= j1:
                dst[...] = 0
                continue
            if i0 > r0:
                dst[:, :, : i0 - r0] = 0
            if i1 < r1:
                dst[:, :, i1 - r0 :] = 0
            if j0 > 0:
                dst[:, :, i0 - r0 : i1 - r0, :j0] = 0
            if j1 < w2:
                dst[:, :, i0 - r0 : i1 - r0, j1:] = 0
            ra = i0 * sh + m * dh - ph
            ca = j0 * sw + q * dw - pw
            dst[:, :, i0 - r0 : i1 - r0, j0:j1] = xs[
                :, :, ra : ra + (i1 - i0 - 1) * sh + 1 : sh, ca : ca + (j1 - j0 - 1) * sw + 1 : sw
            ]


# --- "depthwise": per-tap multiply-accumulate over channel blocks ----------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _threads() -> int:
    """Worker threads for the depthwise strategy: the usable cores, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="convdoc")
        return _pool


def _depthwise(x, w, b, stride, padding, dilation, groups, out_hw, dtype):
    n, c, h, wd = x.shape
    k, cg, fh, fw = w.shape
    kg = k // groups
    h2, w2 = out_hw
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    wp = wd + 2 * pw
    flat = stride == (1, 1)  # then every tap reads one contiguous run of the padded rows
    extra = (fw - 1) * dw if flat else 0
    wt = w.astype(dtype, copy=False).reshape(groups, kg, cg, fh, fw)
    bias = None if b is None else b.astype(dtype, copy=False).reshape(groups, kg, 1, 1)
    out = np.empty((n, k, h2, w2), dtype)
    ov = out.reshape(n, groups, kg, h2, w2)

    # A chunk is (image, block of groups, band of output rows). Its workspace: the padded
    # input rows it reads, an accumulator and a temporary of kg * rows * wp (or w2) values.
    def chunk_bytes(ng, nr):
        rows_in = (nr - 1) * sh + (fh - 1) * dh + 1
        acc = nr * (wp if flat else w2)
        return ng * (cg * (rows_in * wp + extra) + 2 * kg * acc) * dtype.itemsize

    workers = _threads()
    budget = max(1, min(_TAPS_BLOCK, _limit // workers))
    if chunk_bytes(1, h2) <= budget:  # whole images, in blocks of groups ...
        nr = h2
        blocks = -(-groups // max(1, budget // chunk_bytes(1, h2)))
        if n < workers:  # ... as many per image as keeps every thread busy
            blocks = min(groups, -(-blocks // workers) * workers)
        ng = -(-groups // blocks)
    else:
        ng = 1
        nr = max(1, min(h2, budget // chunk_bytes(1, 1)))
        while nr < h2 and chunk_bytes(1, nr + 1) <= budget:
            nr += 1
        while nr > 1 and chunk_bytes(1, nr) > budget:
            nr -= 1
    work = [
        (img, g0, min(groups, g0 + ng), r0, min(h2, r0 + nr))
        for img in range(n)
        for g0 in range(0, groups, ng)
        for r0 in range(0, h2, nr)
    ]

    def block(img, g0, g1, r0, r1):
        ng, nr = g1 - g0, r1 - r0
        top = r0 * sh - ph  # first input row read, in unpadded coordinates
        rows_in = (nr - 1) * sh + (fh - 1) * dh + 1
        xb = np.zeros((ng, cg, rows_in * wp + extra), dtype)
        xr = xb[:, :, : rows_in * wp].reshape(ng, cg, rows_in, wp)
        a, z = max(0, top), min(h, top + rows_in)
        if a < z:
            xr[:, :, a - top : z - top, pw : pw + wd] = x[img, g0 * cg : g1 * cg, a:z].reshape(ng, cg, z - a, wd)
        if flat:
            acc = np.empty((ng, kg, nr * wp), dtype)
            shape_w = (ng, kg, 1)
        else:
            acc = ov[img, g0:g1, :, r0:r1]
            shape_w = (ng, kg, 1, 1)
        tmp = np.empty(acc.shape, dtype)
        first = True
        for d in range(cg):
            for m in range(fh):
                for q in range(fw):
                    wv = wt[g0:g1, :, d, m, q].reshape(shape_w)
                    if flat:
                        off = m * dh * wp + q * dw
                        src = xb[:, d, None, off : off + nr * wp]
                    else:
                        src = xr[:, d, None, m * dh : m * dh + (nr - 1) * sh + 1 : sh, q * dw : q * dw + (w2 - 1) * sw + 1 : sw]
                    if first:
                        np.multiply(src, wv, out=acc)
                        first = False
                    else:
                        np.multiply(src, wv, out=tmp)
                        acc += tmp
        dst = ov[img, g0:g1, :, r0:r1]
        if flat:
            dst[...] = acc.reshape(ng, kg, nr, wp)[..., :w2]
        if bias is not None:
            dst += bias[g0:g1]

    chunks = iter(work)  # shared by the threads: each takes the next chunk when it is free

    def share():
        for args in chunks:
            block(*args)

    helpers = [_executor().submit(share) for _ in range(min(workers, len(work)) - 1)]
    share()  # the calling thread works too
    for helper in helpers:
        helper.result()
    return out


_KERNELS = {"small": _small, "pointwise": _pointwise, "gemm": _gemm, "depthwise": _depthwise}
