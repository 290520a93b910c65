"""1-D and 3-D convolution (cross-correlation), built on :func:`convdoc.conv2d`.

* :func:`conv1d` -- a sequence ``(C, L)`` is an image one pixel high: ``conv2d`` on
  ``(C, 1, L)`` with a ``(1, F)`` filter is the 1-D convolution, term for term.
* :func:`conv3d` -- a volume ``(C, D, H, W)``: each output depth ``z`` reads the ``F_d``
  input slices ``z*S_d + m*D_d - P_d`` (``m = 0 .. F_d-1``, zeros outside), so stacking
  those slices as channels (``C*F_d`` of them, the tap ``m`` beside its channel) and the
  filter's depth taps the same way turns every output slice into one ``conv2d``:
  ``a[k,z,i,j] = b[k] + sum_c sum_m sum_(p,q) w[k,c,m,p,q] * x[c, z*S_d + m*D_d - P_d, ...]``.
  The output slices go to ``conv2d`` as one batch, in chunks whose stacked input stays
  under :func:`convdoc.fast.workspace_limit`.

Both check their arguments with the rules of ``conv2d`` (:func:`convdoc.conv._prepare`
with one or three spatial axes), so the messages, the shapes and the integer rules are
the same: integer inputs give exact ``int64`` results, a result that int64 cannot hold
raises (naming the element in this function's own layout), float32 stays float32.

Shapes (PyTorch's conventions, as ``conv2d``'s table with one or three spatial axes)
-----------------------------------------------------------------------------------
=====================  ==========================  ============================
``x``                  ``weight``                  result
=====================  ==========================  ============================
(L,) / (D, H, W)       (F,) / (F, F, F)            (L2,) / (D2, H2, W2)
(C, L) / (C, D, H, W)  (C, F) / (C, F, F, F)       (L2,) / (D2, H2, W2)
(C, ...)               (K, C/groups, ...)          (K, L2) / (K, D2, H2, W2)
(N, C, ...)            (K, C/groups, ...)          (N, K, L2) / (N, K, D2, H2, W2)
=====================  ==========================  ============================
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import fast
from ._checks import check_finite, check_int64, overflow_of
from .conv import _all_finite, _prepare, conv2d

__all__ = ["conv1d", "conv3d"]


def _named(call: Callable[[], np.ndarray], where: Callable[[tuple[int, ...]], tuple[int, ...]]) -> np.ndarray:
    """``call()``, with an integer overflow reported at the element ``where`` maps conv2d's element to."""
    try:
        return call()
    except ValueError as exc:
        overflow = overflow_of(exc)
        if overflow is not None:
            check_int64(overflow[0], where(overflow[1]))  # raises: the same value, this layout's element
        raise


def conv1d(x: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1, groups: Any = 1) -> np.ndarray:
    """1-D cross-correlation of ``x`` with ``weight``, as ``torch.nn.functional.conv1d``.

    ``a[k,t] = b[k] + sum_c sum_m w[k,c,m] * xp[c, t*S + m*D]``, with ``xp`` the input
    with ``padding`` zeros at both ends: audio (channels x samples), text (embedding
    channels x tokens), any signal along one axis.

    Parameters
    ----------
    x : array_like
        (L,), (C, L) or (N, C, L), finite real numbers.
    weight : array_like
        (F,) or (C, F) for a single filter, or (K, C/groups, F) for K filters.
    bias : None, scalar or array_like of shape (K,)
        Added to every output position of filter k.
    stride, padding, dilation : int or (length,) tuple
        Step of the window (>= 1), zeros added at each end (>= 0), spacing of the
        filter taps (>= 1).
    groups : int
        Split the channels into ``groups`` independent convolutions; must divide C and K.

    Returns
    -------
    numpy.ndarray
        (L2,), (K, L2) or (N, K, L2), with ``L2 = output_size(L, F, stride, padding,
        dilation)``. ``int64`` for integer inputs, otherwise the inputs' float precision.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.conv2d`, for one spatial axis.

    Examples
    --------
    >>> from convdoc import conv1d
    >>> print(conv1d([1, 2, 3, 4, 5], [1, 0, -1]))  # a difference filter
    [-2 -2 -2]
    >>> conv1d([[0.0] * 16000], [[[0.5] * 80]] * 128, stride=16).shape  # 1 s of 16 kHz audio, 128 filters
    (128, 996)
    """
    plan, x, weight, _ = _prepare(x, weight, bias, stride, padding, dilation, groups, dims=1)
    (n, c, length), (k, cg, f) = plan.x4, plan.w4
    out = _named(
        lambda: conv2d(x.reshape(n, c, 1, length), weight.reshape(k, cg, 1, f), bias,
                       (1, *plan.stride), (0, *plan.padding), (1, *plan.dilation), plan.groups),
        lambda where: (where[0], where[1], where[3]),
    )
    return out.reshape(plan.shape)


def conv3d(x: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1, groups: Any = 1) -> np.ndarray:
    """3-D cross-correlation of ``x`` with ``weight``, as ``torch.nn.functional.conv3d``.

    ``a[k,z,i,j] = b[k] + sum_c sum_m sum_p sum_q w[k,c,m,p,q] * xp[c, z*S_d + m*D_d, i*S_h + p*D_h, j*S_w + q*D_w]``:
    a video clip (channels x frames x height x width) or a medical volume.

    Parameters
    ----------
    x : array_like
        (D, H, W), (C, D, H, W) or (N, C, D, H, W), finite real numbers.
    weight : array_like
        (F_d, F_h, F_w) or (C, F_d, F_h, F_w) for a single filter, or
        (K, C/groups, F_d, F_h, F_w) for K filters.
    bias : None, scalar or array_like of shape (K,)
        Added to every output position of filter k.
    stride, padding, dilation : int or (d, h, w) triple
        Step of the window (>= 1), zeros added on each side (>= 0), spacing of the
        filter taps (>= 1).
    groups : int
        Split the channels into ``groups`` independent convolutions; must divide C and K.

    Returns
    -------
    numpy.ndarray
        (D2, H2, W2), (K, D2, H2, W2) or (N, K, D2, H2, W2), each size given by
        :func:`convdoc.output_size` on its axis. ``int64`` for integer inputs,
        otherwise the inputs' float precision.

    Raises
    ------
    TypeError, ValueError
        As :func:`convdoc.conv2d`, for three spatial axes.

    Examples
    --------
    >>> import numpy as np
    >>> from convdoc import conv3d
    >>> cube = np.arange(18).reshape(2, 3, 3)  # (D, H, W): two 3x3 slices
    >>> print(conv3d(cube, np.ones((2, 2, 2), dtype=int)))  # sums of 2x2x2 blocks
    [[[52 60]
      [76 84]]]
    >>> clip = np.zeros((3, 16, 112, 112), dtype=np.float32)  # C3D's first layer on a 16-frame clip
    >>> conv3d(clip, np.zeros((64, 3, 3, 3, 3), dtype=np.float32), padding=1).shape
    (64, 16, 112, 112)
    """
    plan, x, weight, _ = _prepare(x, weight, bias, stride, padding, dilation, groups, dims=3)
    # conv2d checks the slices it is given; a slice no output reads must not hide a NaN
    if x.dtype.kind == "f" and not _all_finite(x):
        check_finite(x, "x")
    (n, c, depth, h, w), (k, cg, fd, fh, fw) = plan.x4, plan.w4
    (sd, sh, sw), (pd, ph, pw), (dd, dh, dw) = plan.stride, plan.padding, plan.dilation
    d2 = plan.out_hw[0]
    x5 = x.reshape(plan.x4)
    w2 = weight.reshape(k, cg * fd, fh, fw)  # channel c*F_d + m: tap m of channel c
    taps = np.arange(d2)[:, None] * sd + np.arange(fd)[None, :] * dd - pd  # (D2, F_d): the slice each tap reads
    out = np.empty((n, k, *plan.out_hw), dtype=plan.dtype)
    # the stacked slices of `step` output depths stay under the workspace limit (at least one)
    step = max(1, fast.workspace_limit() // (c * fd * h * w * x.dtype.itemsize))
    for img in range(n):
        for z0 in range(0, d2, step):
            zs = taps[z0 : z0 + step]
            stacked = np.zeros((len(zs), c, fd, h, w), dtype=x.dtype)
            for m in range(fd):
                inside = (zs[:, m] >= 0) & (zs[:, m] < depth)
                stacked[inside, :, m] = np.moveaxis(x5[img][:, zs[inside, m]], 1, 0)
            part = _named(
                lambda: conv2d(stacked.reshape(len(zs), c * fd, h, w), w2, bias, (sh, sw), (ph, pw), (dh, dw), plan.groups),
                lambda where, img=img, z0=z0: (img, where[1], z0 + where[0], where[2], where[3]),
            )
            out[img, :, z0 : z0 + len(zs)] = np.moveaxis(part, 0, 1)
    return out.reshape(plan.shape)

