"""2-D convolution (cross-correlation, as every deep-learning framework computes it).

Two implementations with one signature:

* :func:`conv2d_reference` -- plain loops that read like the formula
  ``a[k,i,j] = sum_d sum_m sum_n w[k,d,m,n] * x[d, i*S+m*D, j*S+n*D] + b[k]``;
* :func:`conv2d` -- the fast path used for real work: it hands the 4-D arrays to
  one of the strategies of :mod:`convdoc.fast` (im2col + BLAS, 1x1 matrix product,
  depthwise multiply-accumulate, or a gather for tiny cases), with bounded memory.

Both rely on :func:`_prepare`, the one set of rules that checks the arguments and
plans the call in the 4-D layout ``x (N, C, H, W)``, ``weight (K, C/groups, F_h, F_w)``.
A plan depends only on shapes, dtypes and sizes, so conv2d keeps the plans of plain
calls in a cache (:func:`_plan`) and a tiny call costs a few microseconds.

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
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import fast
from ._checks import (
    bool_as_int64, check_allocation, check_array, check_axes, check_bias, check_finite, check_int, check_int64, check_listing,
    result_dtype,
)
from .sizes import output_size
from .windows import read_mask

__all__ = ["conv2d", "conv2d_reference", "relu", "conv2d_strategy"]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a call needs to know that depends only on shapes, dtypes and sizes, not on values.

    The arrays go to the strategies as ``x.reshape(x4)`` (N, C, H, W) and
    ``weight.reshape(w4)`` (K, C/groups, F_h, F_w); the result comes back as ``shape``.
    ``small`` (the "small" strategy's gather plan) and ``vouch_x`` / ``vouch_w`` (the
    result is checked for NaN and infinity instead of x / the weight, see
    :func:`_for_conv2d`) are set for conv2d only.
    """

    x4: tuple[int, int, int, int]
    w4: tuple[int, int, int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    groups: int
    out_hw: tuple[int, int]
    dtype: np.dtype
    shape: tuple[int, ...]
    small: fast.SmallPlan | None = None
    vouch_x: bool = False
    vouch_w: bool = False


def _prepare(
    x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: Any, *, memory: bool = True,
    dims: int = 2,
) -> tuple[_Plan, np.ndarray, np.ndarray, np.ndarray | None]:
    """Check every argument but the values of x and weight; return the plan and x, weight and bias as arrays.

    The one set of rules behind every plan and every error message, in the order the
    errors are reported: each argument's type and range, then channels and groups, the
    bias (NaN in it included), the output size and the memory the result needs, refused
    before anything is allocated. ``memory=False`` skips the size limits for callers that
    compute a single output (explain). The values of x and weight (NaN, infinity) are left
    to the caller, which first decides how to check them. Nothing is converted or copied:
    x and weight keep their rank and dtype, the bias is 1-D (or None).

    ``dims`` is the number of spatial axes: 2 for conv2d, 1 for conv1d and 3 for conv3d
    (:mod:`convdoc.convnd`); the plan's ``x4`` is then (N, C, *spatial), ``w4``
    (K, C/groups, *kernel) and ``out_hw`` one size per spatial axis.
    """
    ranks = (dims, dims + 1, dims + 2)
    x = check_array(x, "x", ranks=ranks, finite=False)
    weight = check_array(weight, "weight", ranks=ranks, finite=False)
    stride = check_axes(stride, "stride", dims, minimum=1)
    padding = check_axes(padding, "padding", dims, minimum=0)
    dilation = check_axes(dilation, "dilation", dims, minimum=1)
    groups = check_int(groups, "groups", minimum=1)

    x4 = (1,) * (dims + 2 - x.ndim) + x.shape
    w4 = (1,) * (dims + 2 - weight.ndim) + weight.shape
    n, c, *spatial = x4
    k, cg, *kernel = w4

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
        out_hw = output_size(tuple(spatial), tuple(kernel), stride, padding, dilation)
    except ValueError as exc:
        raise ValueError(f"{exc} (x spatial size {tuple(spatial)}, weight spatial size {tuple(kernel)})") from None
    dtype = result_dtype(x, weight, b, weak_bias=weak)
    # refused before anything is allocated (limits: convdoc._checks, README "bad input");
    # the strategies hold the padded rows of a band, never more than the whole padded input
    if memory and any(padding):
        check_allocation((n, c, *(size + 2 * p for size, p in zip(spatial, padding))), dtype,
                         what="the zero-padded input", because=f"padding={padding} on x of shape {x.shape}")
    if memory:
        check_allocation((n, k, *out_hw), dtype, what="the output",
                         because=f"x of shape {x.shape} with stride={stride}, padding={padding}")
    shape = ((n,) if x.ndim == dims + 2 else ()) + ((k,) if weight.ndim == dims + 2 else ()) + out_hw
    return _Plan(x4, w4, stride, padding, dilation, groups, out_hw, dtype, shape), x, weight, b


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
    p, x, weight, b = _prepare(x, weight, bias, stride, padding, dilation, groups)
    n_imgs, k_filters, (h2, w2) = p.x4[0], p.w4[0], p.out_hw
    check_listing(n_imgs * k_filters * h2 * w2 * math.prod(p.w4[1:]), what="the multiply-adds one by one",
                  because=f"conv2d_reference on x of shape {x.shape} with weight of shape {weight.shape}",
                  instead="use conv2d, which computes the same result without listing them")
    check_finite(x, "x")
    check_finite(weight, "weight")
    out = np.zeros((n_imgs, k_filters, h2, w2), dtype=p.dtype)
    args = (x.reshape(p.x4), weight.reshape(p.w4), b, p.stride, p.padding, p.dilation, p.groups)
    for img in range(n_imgs):
        for k in range(k_filters):
            for i in range(h2):
                for j in range(w2):  # the formula, one product at a time: fast.element
                    value = fast.element(*args, (img, k, i, j), p.dtype)
                    out[img, k, i, j] = check_int64(value, (img, k, i, j)) if p.dtype.kind == "i" else value
    return out.reshape(p.shape)


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
    plan, x, weight, bias = _plan(x, weight, bias, stride, padding, dilation, groups)
    # the values, where the plan does not leave them to the result: NaN and infinity are errors
    if bias is not None and bias.dtype.kind == "f" and not _all_finite(bias):
        check_finite(bias, "bias")
    if x.dtype.kind == "f" and not plan.vouch_x and not _all_finite(x):
        check_finite(x, "x")
    if weight.dtype.kind == "f" and not plan.vouch_w and not _all_finite(weight):
        check_finite(weight, "weight")
    if plan.small is not None and fast._forced.get() is None and (plan.dtype.kind != "i" or fast.fits_int64(x, weight.reshape(plan.w4), bias)):
        return fast.small(x, weight, bias, plan.small)
    args = (x.reshape(plan.x4), weight.reshape(plan.w4), bias, plan.stride, plan.padding, plan.dilation, plan.groups)
    if not (plan.vouch_x or plan.vouch_w):
        return fast.run(*args, plan.out_hw, plan.dtype).reshape(plan.shape)
    with np.errstate(over="ignore", invalid="ignore"):  # a NaN input is an error, not a warning
        out = fast.run(*args, plan.out_hw, plan.dtype)
    if not _all_finite(out):
        if plan.vouch_x:
            check_finite(x, "x")
        if plan.vouch_w:
            check_finite(weight, "weight")
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
    p, x, weight, _ = _prepare(x, weight, bias, stride, padding, dilation, groups)
    check_finite(x, "x")
    check_finite(weight, "weight")
    forced = fast._forced.get()
    if forced is not None:
        return forced
    return fast.choose_strategy(p.x4, p.w4, p.stride, p.padding, p.dilation, p.groups)


# --- conv2d's front door: plans cached by shapes, dtypes and sizes -------------------------


_plans: dict = {}


def _plan(x, weight, bias, stride, padding, dilation, groups):
    """conv2d's plan and arrays: :func:`_prepare`, cached when the arguments are plain.

    _prepare's checks, in Python, cost several times the arithmetic of the article's 5x5
    example (docs/performance.md has the numbers). With plain arguments (numpy arrays,
    Python ints or pairs of them) its outcome depends only on what the cache key holds, so
    a plan found there stands for every check but the values; anything else (lists, numpy
    integers, a bias given as a number) is prepared on every call. Either way every plan
    and every error message comes from :func:`_prepare`.
    """
    if (
        type(x) is np.ndarray and type(weight) is np.ndarray and type(groups) is int
        and (bias is None or type(bias) is np.ndarray)
        and _plain(stride) and _plain(padding) and _plain(dilation)
    ):
        key = (x.shape, x.dtype, weight.shape, weight.dtype, stride, padding, dilation, groups,
               None if bias is None else (bias.shape, bias.dtype))
        plan = _plans.get(key)
        if plan is None:
            plan = _for_conv2d(*_prepare(x, weight, bias, stride, padding, dilation, groups)[:3])
            if len(_plans) >= 512:
                _plans.clear()
            _plans[key] = plan
        if bias is not None and bias.ndim == 0:  # one number for every filter
            bias = check_bias(bias, plan.w4[0], per="filter")[0]
        return plan, x, weight, bias
    plan, x, weight, bias = _prepare(x, weight, bias, stride, padding, dilation, groups)
    return _for_conv2d(plan, x, weight), x, weight, bias


def _plain(value) -> bool:
    """A Python int or a tuple of two: a size that _prepare reads the same way every time."""
    return type(value) is int or (
        type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int
    )


def _for_conv2d(plan: _Plan, x: np.ndarray, weight: np.ndarray) -> _Plan:
    """The plan with what conv2d decides from the shapes: the "small" gather plan, and which inputs the result vouches for."""
    (n, _, h, wd), (k, _, fh, fw), out_hw = plan.x4, plan.w4, plan.out_hw
    s, p, d, dtype = plan.stride, plan.padding, plan.dilation, plan.dtype
    small = None
    if fast.choose_strategy(plan.x4, plan.w4, s, p, d, plan.groups) == "small":
        small = fast.small_plan(plan.x4, plan.w4, s, p, d, plan.groups, dtype, plan.shape)
    # IEEE arithmetic keeps NaN * 0 and inf * 0 as NaN. Every weight multiplies at least one
    # value (padding zeros included), so a non-finite weight always gives a non-finite result;
    # so does a non-finite pixel of x when every pixel is read by some window. Where the weight
    # (deep layers: 18.9 MB of weights, 0.8 MB of result in VGG's conv5_2 in float64) or x
    # (a 1x1 layer that shrinks 256 channels to 64) has more values than the result, checking
    # the result is the cheaper pass; the inputs are only checked when it is not finite.
    results = n * k * out_hw[0] * out_hw[1]
    trust = small is None and dtype.kind == "f" and _nan_survives(dtype)
    vouch_w = trust and weight.dtype.kind == "f" and weight.size > results
    vouch_x = (
        trust and x.dtype.kind == "f" and x.size > results
        and read_mask(h, fh, s[0], p[0], d[0], out_hw[0])[p[0] : p[0] + h].all()
        and read_mask(wd, fw, s[1], p[1], d[1], out_hw[1])[p[1] : p[1] + wd].all()
    )
    return replace(plan, small=small, vouch_x=vouch_x, vouch_w=vouch_w)


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
    dtype = bool_as_int64(arr.dtype)
    check_allocation(arr.shape, dtype, what="the result", because=f"relu of x with shape {arr.shape}")
    check_finite(arr, "x")
    return np.maximum(arr, 0, dtype=dtype)
