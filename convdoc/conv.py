"""2-D convolution (cross-correlation, as every deep-learning framework computes it).

Two implementations with one signature:

* :func:`conv2d_reference` -- plain loops that read like the formula
  ``a[k,i,j] = sum_d sum_m sum_n w[k,d,m,n] * x[d, i*S+m*D, j*S+n*D] + b[k]``;
* :func:`conv2d` -- the vectorised path used for real work.

Both share :func:`_prepare`, which checks the arguments and brings every case to
the 4-D layout ``x (N, C, H, W)``, ``weight (K, C/groups, F_h, F_w)``.

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
result then has no filter axis. Integer (and bool) inputs give ``int64`` results;
float inputs keep their precision (float32 in, float32 out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import check_array, check_int, check_pair
from .sizes import output_size

__all__ = ["conv2d", "conv2d_reference", "relu"]


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


def _result_dtype(*arrays: np.ndarray | None) -> np.dtype:
    kinds = [a.dtype for a in arrays if a is not None]
    dt = np.result_type(*kinds)
    if dt.kind in "iu":
        return np.dtype(np.int64)
    if dt.itemsize < 4:  # float16: compute and return float32 precision
        return np.dtype(np.float32)
    return dt


def _prepare(x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: Any) -> _Plan:
    x = check_array(x, "x", ranks=(2, 3, 4))
    weight = check_array(weight, "weight", ranks=(2, 3, 4))
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

    b = None
    if bias is not None:
        b = check_array(bias, "bias", ranks=(0, 1))
        if b.ndim == 0:
            b = np.full(k, b.item(), dtype=b.dtype)
        elif b.shape[0] != k:
            raise ValueError(f"bias must have one value per filter: weight has {k} filters, bias has shape {b.shape}")

    try:
        out_hw = output_size((h, wd), (fh, fw), stride, padding, dilation)
    except ValueError as exc:
        raise ValueError(f"{exc} (x spatial size {(h, wd)}, weight spatial size {(fh, fw)})") from None
    return _Plan(x4, w4, b, stride, padding, dilation, groups, out_hw, _result_dtype(x4, w4, b), drop_n, drop_k)


def _finish(plan: _Plan, out: np.ndarray) -> np.ndarray:
    if plan.drop_k:
        out = out[:, 0]
    if plan.drop_n:
        out = out[0]
    return out


def _pad(x4: np.ndarray, padding: tuple[int, int], dtype: np.dtype) -> np.ndarray:
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x4.astype(dtype, copy=False)
    n, c, h, w = x4.shape
    xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dtype)
    xp[:, :, ph : ph + h, pw : pw + w] = x4
    return xp


def conv2d_reference(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Cross-correlation written as the formula, one multiply-add at a time.

    ``a[k,i,j] = b[k] + sum_d sum_m sum_n w[k,d,m,n] * xp[g*C_g + d, i*S + m*D, j*S + n*D]``
    where ``xp`` is ``x`` with ``padding`` zeros on each side and ``g`` the group
    of filter ``k``. Slow on purpose: it is the definition that :func:`conv2d`
    is tested against. Same arguments and result as :func:`conv2d`.

    Examples
    --------
    >>> from convdoc import conv2d_reference
    >>> from convdoc.examples import IMAGE, FILTER
    >>> print(conv2d_reference(IMAGE, FILTER))
    [[4 3 4]
     [2 4 3]
     [2 3 4]]
    """
    p = _prepare(x, weight, bias, stride, padding, dilation, groups)
    xp = _pad(p.x, p.padding, p.dtype)
    w = p.w.astype(p.dtype)
    n_imgs, c = xp.shape[:2]
    k_filters, c_per_group, f_h, f_w = w.shape
    k_per_group = k_filters // p.groups
    (s_h, s_w), (d_h, d_w), (h2, w2) = p.stride, p.dilation, p.out_hw
    out = np.zeros((n_imgs, k_filters, h2, w2), dtype=p.dtype)
    for img in range(n_imgs):
        for k in range(k_filters):
            g = k // k_per_group  # the group this filter belongs to
            for i in range(h2):
                for j in range(w2):
                    total = p.dtype.type(0) if p.b is None else p.dtype.type(p.b[k])
                    for d in range(c_per_group):
                        for m in range(f_h):
                            for n in range(f_w):
                                total += w[k, d, m, n] * xp[img, g * c_per_group + d, i * s_h + m * d_h, j * s_w + n * d_w]
                    out[img, k, i, j] = total
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
        Non-numeric arrays, sizes that are not integers.
    ValueError
        Wrong ranks, empty or non-finite arrays, channel mismatch, groups that do
        not divide, a kernel larger than the padded input.

    Examples
    --------
    >>> from convdoc import conv2d
    >>> from convdoc.examples import IMAGE, FILTER
    >>> print(conv2d(IMAGE, FILTER, stride=2))
    [[4 4]
     [2 4]]
    """
    p = _prepare(x, weight, bias, stride, padding, dilation, groups)
    xp = _pad(p.x, p.padding, p.dtype)
    w = p.w.astype(p.dtype, copy=False)
    (s_h, s_w), (d_h, d_w), (h2, w2) = p.stride, p.dilation, p.out_hw
    k_filters, c_per_group, f_h, f_w = w.shape
    k_per_group = k_filters // p.groups
    n_imgs = xp.shape[0]
    out = np.empty((n_imgs, k_filters, h2, w2), dtype=p.dtype)
    for g in range(p.groups):
        xg = xp[:, g * c_per_group : (g + 1) * c_per_group]
        wg = w[g * k_per_group : (g + 1) * k_per_group]
        # windows[n, c, i, j, m, q] = xg[n, c, i*s_h + m*d_h, j*s_w + q*d_w]
        span_h, span_w = d_h * (f_h - 1) + 1, d_w * (f_w - 1) + 1
        windows = np.lib.stride_tricks.sliding_window_view(xg, (span_h, span_w), axis=(2, 3))
        windows = windows[:, :, : (h2 - 1) * s_h + 1 : s_h, : (w2 - 1) * s_w + 1 : s_w, ::d_h, ::d_w]
        # contract over (c, m, q): result (K_g, N, H2, W2)
        res = np.tensordot(wg, windows, axes=([1, 2, 3], [1, 4, 5]))
        out[:, g * k_per_group : (g + 1) * k_per_group] = res.transpose(1, 0, 2, 3)
    if p.b is not None:
        out += p.b.astype(p.dtype, copy=False)[None, :, None, None]
    return _finish(p, out)


def relu(x):
    """The rectified linear unit ``max(x, 0)``, element by element; keeps shape and dtype.

    Examples
    --------
    >>> from convdoc import relu
    >>> print(relu([-5, 0, 3]))
    [0 0 3]
    """
    arr = check_array(x, "x", ranks=tuple(range(0, 33)))
    return np.maximum(arr, 0).astype(arr.dtype, copy=False)
