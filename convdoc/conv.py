"""2-D convolution (cross-correlation, as every deep-learning framework computes it).

Two implementations with one signature:

* :func:`conv2d_reference` -- plain loops that read like the formula
  ``a[k,i,j] = sum_d sum_m sum_n w[k,d,m,n] * x[d, i*S+m*D, j*S+n*D] + b[k]``;
* :func:`conv2d` -- the fast path used for real work: it hands the 4-D arrays to
  one of the strategies of :mod:`convdoc.fast` (im2col + BLAS, 1x1 matrix product,
  depthwise multiply-accumulate, or a gather for tiny cases), with bounded memory.

Both rely on :func:`_prepare`, which checks the arguments and brings every case to
the 4-D layout ``x (N, C, H, W)``, ``weight (K, C/groups, F_h, F_w)``; conv2d first
tries :func:`_quick_plan`, the same rules for plain arguments at a fraction of the
cost, and leaves every unusual or invalid call to :func:`_prepare`.

Shapes (PyTorch's conventions)
------------------------------
=================  ====================  =====================
``x``              ``weight``            result
=================  ====================  =====================
(H, W)             (F, F)                (H2, W2)
(C, H, W)          (C, F, F)             (H2, W2)
(C, H, W)          (K, C/groups, F, F)   (K, H2, W2)
(N, C, H, W)       (K, C/groups, F, F)   (N, K, H2, W2)
=================  ====================  =====================

A 2-D ``x`` is one channel; a 2-D or 3-D ``weight`` is a single filter, and the
result then has no filter axis. Integer (and bool) inputs of any width give exact
``int64`` results, and a result that int64 cannot hold raises ``ValueError`` instead
of wrapping around; float inputs keep their precision (float32 in, float32 out, also
with a bias given as a Python number). Arguments are checked before anything is
allocated, and the strategies convert only the values they read.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import fast
from ._checks import (
    MAX_SIZE, check_allocation, check_array, check_bias, check_finite, check_int, check_int64, check_listing, check_pair,
    fits, result_dtype,
)
from .sizes import output_size, _read_mask

__all__ = ["conv2d", "conv2d_reference", "conv2d_strategy", "relu"]


@dataclass(frozen=True)
class _Plan:
    x: np.ndarray  # (N, C, H, W)
    w: np.ndarray  # (K, C/groups, Fh, Fw)
    b: np.ndarray | None  # (K,)
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    groups: int
    out_hw: tuple[int, int]
    dtype: np.dtype
    drop_n: bool
    drop_k: bool


def _prepare(
    x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: Any, *,
    values: bool = True, memory: bool = True,
) -> _Plan:
    """Check every argument and bring the call to 4-D arrays, refusing before anything is allocated.

    Shapes, sizes and the memory the result needs are checked first; the values
    (NaN, infinity) last, and only with ``values`` (conv2d_reference first counts its steps);
    ``memory=False`` skips the size limits for callers that compute a single output (explain).
    Nothing is converted or copied: the strategies convert what they read.
    """
    x = check_array(x, "x", ranks=(2, 3, 4), finite=False)
    weight = check_array(weight, "weight", ranks=(2, 3, 4), finite=False)
    stride = check_pair(stride, "stride", minimum=1)
    padding = check_pair(padding, "padding", minimum=0)
    dilation = check_pair(dilation, "dilation", minimum=1)
    groups = check_int(groups, "groups", minimum=1)

    drop_n = x.ndim < 4
    x4 = x.reshape((1,) * (4 - x.ndim) + x.shape)
    drop_k = weight.ndim < 4
    w4 = weight.reshape((1,) * (4 - weight.ndim) + weight.shape)
    n, c, h, wd = x4.shape
    k, cg, fh, fw = w4.shape

    if c % groups:
        raise ValueError(f"groups must divide the input channels: x has {c} channels, groups={groups}")
    if k % groups:
        raise ValueError(f"groups must divide the number of filters: weight has {k} filters, groups={groups}")
    if cg * groups != c:
        if groups == 1:
            rule = f"each filter must have as many channels as x: weight {weight.shape} has {cg}, x {x.shape} has {c}"
        else:
            rule = (
                f"with groups={groups} each filter must have in_channels/groups = {c}/{groups} = "
                f"{c // groups} channels, but weight {weight.shape} has {cg}"
            )
        raise ValueError(f"channel mismatch between x and weight: {rule}")

    b, weak = check_bias(bias, k, per="filter")
    try:
        out_hw = output_size((h, wd), (fh, fw), stride, padding, dilation)
    except ValueError as exc:
        raise ValueError(f"{exc} (x spatial size {(h, wd)}, weight spatial size {(fh, fw)})") from None
    dtype = result_dtype(x4, w4, b, weak_bias=weak)
    # refused before anything is allocated (limits: convdoc._checks, README "bad input");
    # the strategies hold the padded rows of a band, never more than the whole padded input
    if memory and padding != (0, 0):
        check_allocation((n, c, h + 2 * padding[0], wd + 2 * padding[1]), dtype,
                         what="the zero-padded input", because=f"padding={padding} on x of shape {x.shape}")
    if memory:
        check_allocation((n, k, *out_hw), dtype, what="the output",
                         because=f"x of shape {x.shape} with stride={stride}, padding={padding}")
    if values:
        check_finite(x, "x")
        check_finite(weight, "weight")
    return _Plan(x4, w4, b, stride, padding, dilation, groups, out_hw, dtype, drop_n, drop_k)


def _finish(plan: _Plan, out: np.ndarray) -> np.ndarray:
    if plan.drop_k:
        out = out[:, 0]
    if plan.drop_n:
        out = out[0]
    return out


def conv2d_reference(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Cross-correlation written as the formula, one multiply-add at a time.

    ``a[k,i,j] = b[k] + sum_d sum_m sum_n w[k,d,m,n] * xp[g*C_g + d, i*S + m*D, j*S + n*D]``
    where ``xp`` is ``x`` with ``padding`` zeros on each side and ``g`` the group
    of filter ``k``. Slow on purpose: it is the definition that :func:`conv2d`
    is tested against. Same arguments and result as :func:`conv2d`; integer
    results are summed as Python integers, so they are exact, and one that
    int64 cannot hold raises ``ValueError``. Calls of more than a million
    multiply-adds (``convdoc._checks.MAX_LISTED``) are refused: use :func:`conv2d`.

    Examples
    --------
    >>> from convdoc import conv2d_reference
    >>> from convdoc.examples import IMAGE, FILTER
    >>> print(conv2d_reference(IMAGE, FILTER))
    [[4 3 4]
     [2 4 3]
     [2 3 4]]
    """
    p = _prepare(x, weight, bias, stride, padding, dilation, groups, values=False)
    n_imgs, k_filters, (h2, w2) = p.x.shape[0], p.w.shape[0], p.out_hw
    check_listing(n_imgs * k_filters * h2 * w2 * math.prod(p.w.shape[1:]), what="the multiply-adds one by one",
                  because=f"conv2d_reference on x of shape {np.shape(x)} with weight of shape {np.shape(weight)}",
                  instead="use conv2d, which computes the same result without listing them")
    check_finite(p.x, "x")
    check_finite(p.w, "weight")
    out = np.zeros((n_imgs, k_filters, h2, w2), dtype=p.dtype)
    args = (p.x, p.w, p.b, p.stride, p.padding, p.dilation, p.groups)
    for img in range(n_imgs):
        for k in range(k_filters):
            for i in range(h2):
                for j in range(w2):  # the formula, one product at a time: fast.element
                    value = fast.element(*args, (img, k, i, j), p.dtype)
                    out[img, k, i, j] = check_int64(value, (img, k, i, j)) if p.dtype.kind == "i" else value
    return _finish(p, out)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of ``x`` with ``weight``, as ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array_like
        (H, W), (C, H, W) or (N, C, H, W), finite real numbers.
    weight : array_like
        (F_h, F_w) or (C, F_h, F_w) for a single filter, or
        (K, C/groups, F_h, F_w) for K filters.
    bias : None, scalar or array_like of shape (K,)
        Added to every output position of filter k (the article's w_b).
    stride, padding, dilation : int or (h, w) pair
        Step of the window (>= 1), zeros added on each side (>= 0), spacing of
        the filter taps (>= 1).
    groups : int
        Split the channels into ``groups`` independent convolutions; must divide
        C and K.

    Returns
    -------
    numpy.ndarray
        (H2, W2), (K, H2, W2) or (N, K, H2, W2) (see the module docstring), with
        ``H2 = output_size(H, F_h, stride, padding, dilation)``. ``int64`` for
        integer inputs, otherwise the inputs' float precision.

    Raises
    ------
    TypeError
        Non-numeric or masked arrays, sizes that are not integers, ``bias=True``.
    ValueError
        Wrong ranks, empty or non-finite arrays, channel mismatch, groups that do
        not divide, a kernel larger than the padded input, a result larger than
        ``convdoc._checks.MAX_ARRAY_BYTES``, or an integer result beyond int64.

    Notes
    -----
    The strategy depends on the shapes (:func:`conv2d_strategy` tells which):
    im2col with one BLAS product per group for ordinary layers, a single
    matrix product for 1x1 filters, per-tap multiply-accumulate for depthwise
    layers, and one gather plus one product for tiny cases; all agree with
    :func:`conv2d_reference`. Temporary memory is processed in chunks capped by
    :func:`convdoc.fast.workspace_limit` (64 MiB by default).

    Examples
    --------
    >>> from convdoc import conv2d
    >>> from convdoc.examples import IMAGE, FILTER
    >>> print(conv2d(IMAGE, FILTER, stride=2))
    [[4 4]
     [2 4]]
    """
    plan = _quick_plan(x, weight, bias, stride, padding, dilation, groups)
    if plan is None:  # anything unusual, and every error, takes the checked road
        p = _prepare(x, weight, bias, stride, padding, dilation, groups)
        out = fast.run(p.x, p.w, p.b, p.stride, p.padding, p.dilation, p.groups, p.out_hw, p.dtype)
        return _finish(p, out)
    if plan.small is not None and fast._forced.get() is None and (plan.dtype.kind != "i" or fast.fits_int64(x, weight.reshape(plan.w4), bias)):
        return fast.small(x, weight, bias, plan.small)
    b = bias
    if b is not None and b.ndim == 0:
        b = np.full(plan.w4[0], b.item(), dtype=b.dtype)
    args = (x.reshape(plan.x4), weight.reshape(plan.w4), b, plan.stride, plan.padding, plan.dilation, groups)
    if not (plan.vouch_x or plan.vouch_w):
        return fast.run(*args, plan.out_hw, plan.dtype).reshape(plan.shape)
    with np.errstate(over="ignore", invalid="ignore"):  # a NaN input is an error, not a warning
        out = fast.run(*args, plan.out_hw, plan.dtype)
    if not _all_finite(out):
        if (plan.vouch_x and not _all_finite(x)) or (plan.vouch_w and not _all_finite(weight)):
            _prepare(x, weight, bias, stride, padding, dilation, groups)  # raises, naming the array
        warnings.warn("overflow encountered in conv2d: finite inputs gave infinite or NaN results", RuntimeWarning, stacklevel=2)
    return out.reshape(plan.shape)


def conv2d_strategy(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Name of the strategy :func:`conv2d` uses for these arguments (see :mod:`convdoc.fast`).

    Parameters
    ----------
    x, weight, bias, stride, padding, dilation, groups
        As for :func:`conv2d` (arrays or only their shapes' worth of data).

    Returns
    -------
    str
        ``"small"``, ``"pointwise"``, ``"gemm"`` or ``"depthwise"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d` for invalid arguments.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import conv2d_strategy
    >>> from convdoc.examples import IMAGE, FILTER
    >>> conv2d_strategy(IMAGE, FILTER)
    'small'
    >>> conv2d_strategy(np.ones((1, 64, 56, 56)), np.ones((64, 64, 3, 3)), padding=1)
    'gemm'
    """
    p = _prepare(x, weight, bias, stride, padding, dilation, groups)
    forced = fast._forced.get()
    if forced is not None:
        return forced
    return fast.choose_strategy(p.x.shape, p.w.shape, p.stride, p.padding, p.dilation, p.groups)


# --- a low-overhead front door for conv2d (see _quick_plan) ---------------------------------


class _QuickPlan:
    """What conv2d needs to know about a call that depends only on shapes, dtypes and sizes."""

    __slots__ = ("x4", "w4", "stride", "padding", "dilation", "out_hw", "dtype", "shape", "small", "vouch_x", "vouch_w")

    def __init__(self, x4, w4, stride, padding, dilation, out_hw, dtype, shape, small, vouch_x, vouch_w):
        self.x4, self.w4, self.stride, self.padding, self.dilation = x4, w4, stride, padding, dilation
        self.out_hw, self.dtype, self.shape, self.small = out_hw, dtype, shape, small
        # the result is checked for NaN and infinity instead of x / the weight, see _new_plan
        self.vouch_x, self.vouch_w = vouch_x, vouch_w


_plans: dict = {}


def _quick_pair(value, minimum):
    if type(value) is int:
        return (value, value) if minimum <= value <= MAX_SIZE else None
    if type(value) is tuple and len(value) == 2:
        a, b = value
        if type(a) is int and type(b) is int and minimum <= a <= MAX_SIZE and minimum <= b <= MAX_SIZE:
            return value
    return None


def _all_finite(a):
    """``np.isfinite(a).all()`` for a float array, cheaper for the smallest and largest ones."""
    if a.size <= 32:  # Python's float sum is NaN or infinite as soon as one term is (no warnings)
        if math.isfinite(sum(a.reshape(-1).tolist())):
            return True
    elif a.size > 4096 and a.flags.c_contiguous:  # no boolean temporary: x . x is finite or not
        v = a.reshape(-1)
        with np.errstate(all="ignore"):
            if math.isfinite(v.dot(v)):
                return True
    try:  # the exact test, also after an overflow above, in blocks
        check_finite(a, "")
    except ValueError:
        return False
    return True


def _new_plan(xs, ws, xdt, wdt, bspec, s, p, d, groups):
    """The _QuickPlan of a valid call, or None where _prepare must decide (or raise)."""
    if len(xs) not in (2, 3, 4) or len(ws) not in (2, 3, 4) or 0 in xs or 0 in ws:
        return None
    if xdt.kind not in "iuf" or wdt.kind not in "iuf":
        return None
    x4 = (1,) * (4 - len(xs)) + xs
    w4 = (1,) * (4 - len(ws)) + ws
    n, c, h, wd = x4
    k, cg, fh, fw = w4
    if cg * groups != c or k % groups:
        return None
    arrays = [np.empty(0, xdt), np.empty(0, wdt)]
    if bspec is not None:
        bs, bdt = bspec
        if bdt.kind not in "iuf" or len(bs) > 1 or (len(bs) == 1 and bs[0] != k):
            return None
        arrays.append(np.empty(0, bdt))
    span_h, span_w = h + 2 * p[0] - d[0] * (fh - 1) - 1, wd + 2 * p[1] - d[1] * (fw - 1) - 1
    if span_h < 0 or span_w < 0:
        return None
    out_hw = (span_h // s[0] + 1, span_w // s[1] + 1)
    dtype = result_dtype(*arrays[:2], arrays[2] if len(arrays) > 2 else None, weak_bias=False)
    if not (fits((n, c, h + 2 * p[0], wd + 2 * p[1]), dtype) and fits((n, k, *out_hw), dtype)):
        return None  # too large: _prepare refuses it with a message
    shape = ((n,) if len(xs) == 4 else ()) + ((k,) if len(ws) == 4 else ()) + out_hw
    small = None
    if fast.choose_strategy(x4, w4, s, p, d, groups) == "small":
        small = fast.small_plan(x4, w4, s, p, d, groups, dtype, shape)
    # IEEE arithmetic keeps NaN * 0 and inf * 0 as NaN. Every weight multiplies at least one
    # value (padding zeros included), so a non-finite weight always gives a non-finite result;
    # so does a non-finite pixel of x when every pixel is read by some window. Where the weight
    # (deep layers: 18.9 MB of weights, 0.8 MB of result in VGG's conv5_2 in float64) or x
    # (a 1x1 layer that shrinks 256 channels to 64) has more values than the result, checking
    # the result is the cheaper pass; the inputs are only checked when it is not finite.
    results = n * k * out_hw[0] * out_hw[1]
    trust = small is None and dtype.kind == "f" and _nan_survives(dtype)
    vouch_w = trust and wdt.kind == "f" and math.prod(ws) > results
    vouch_x = (
        trust and xdt.kind == "f" and math.prod(xs) > results
        and _read_mask(h, fh, s[0], p[0], d[0], out_hw[0])[p[0] : p[0] + h].all()
        and _read_mask(wd, fw, s[1], p[1], d[1], out_hw[1])[p[1] : p[1] + wd].all()
    )
    return _QuickPlan(x4, w4, s, p, d, out_hw, dtype, shape, small, vouch_x, vouch_w)


_survives: dict = {}


def _nan_survives(dtype) -> bool:
    """True when numpy's matrix product keeps NaN * 0 = NaN in ``dtype`` (measured once).

    IEEE arithmetic requires it, but a BLAS may skip zero factors (old reference BLAS
    did); then conv2d checks every weight itself instead of trusting the result.
    """
    if dtype not in _survives:
        a = np.ones((64, 64), dtype)
        a[5, 7] = np.nan
        a[9, 11] = np.inf
        zeros = np.zeros((64, 64), dtype)
        with np.errstate(all="ignore"):
            left, right = a @ zeros, zeros @ a.T  # the bad value in either factor
        _survives[dtype] = bool(np.isnan(left[[5, 9]]).all() and np.isnan(right[:, [5, 9]]).all())
    return _survives[dtype]


def _quick_plan(x, weight, bias, stride, padding, dilation, groups):
    """_QuickPlan for plain, valid, common arguments (numpy arrays, Python ints); else None.

    _prepare costs about 20 microseconds, ten times the arithmetic of the article's 5x5
    example. This front door checks the same rules, caching what depends only on shapes
    and sizes; for anything else it returns None, so every error message still comes
    from _prepare.
    """
    if type(x) is not np.ndarray or type(weight) is not np.ndarray or type(groups) is not int or groups < 1:
        return None
    s = _quick_pair(stride, 1)
    p = _quick_pair(padding, 0)
    d = _quick_pair(dilation, 1)
    if s is None or p is None or d is None:
        return None
    if bias is None:
        key = (x.shape, weight.shape, x.dtype, weight.dtype, s, p, d, groups)
    elif type(bias) is np.ndarray:
        key = (x.shape, weight.shape, x.dtype, weight.dtype, s, p, d, groups, bias.shape, bias.dtype)
    else:
        return None
    plan = _plans.get(key)
    if plan is None:
        bspec = None if bias is None else (bias.shape, bias.dtype)
        plan = _new_plan(x.shape, weight.shape, x.dtype, weight.dtype, bspec, s, p, d, groups)
        if plan is None:
            return None
        if len(_plans) >= 512:
            _plans.clear()
        _plans[key] = plan
    if x.dtype.kind == "f" and not plan.vouch_x and not _all_finite(x):
        return None
    if weight.dtype.kind == "f" and not plan.vouch_w and not _all_finite(weight):
        return None
    if bias is not None and bias.dtype.kind == "f" and not _all_finite(bias):
        return None
    return plan


def relu(x):
    """The rectified linear unit ``max(x, 0)``, element by element; keeps shape and dtype (bool gives int64).

    A result larger than ``convdoc._checks.MAX_ARRAY_BYTES`` is refused before it is allocated.

    Examples
    --------
    >>> from convdoc import relu
    >>> print(relu([-5, 0, 3]))
    [0 0 3]
    """
    arr = check_array(x, "x", ranks=tuple(range(0, 33)), finite=False)
    dtype = np.dtype(np.int64) if arr.dtype == np.bool_ else arr.dtype
    check_allocation(arr.shape, dtype, what="the result", because=f"relu of x with shape {arr.shape}")
    check_finite(arr, "x")
    return np.maximum(arr, 0, dtype=dtype)
