"""Transposed convolution (PyTorch's ``conv_transpose2d``), the other direction of :func:`convdoc.conv2d`.

Every input pixel stamps a copy of the filter, scaled by its value, onto the
output, ``stride`` pixels apart; overlapping stamps add up. Then ``padding``
rows and columns are cut from each side and ``output_padding`` added at the
bottom and right, so the output size is :func:`convdoc.transposed_output_size`::

    (size - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1

which for ``dilation = 1`` is Dumoulin & Visin's ``o' = s(i' - 1) + a + k - 2p``
with ``a = output_padding``.

It is the transpose (the adjoint) of the direct convolution with the same
filter, stride, padding and dilation: for every ``x`` of the direct
convolution's input shape and ``y`` of its output shape,
``sum(conv2d(x, w) * y) == sum(x * conv_transpose2d(y, w))``. It maps shapes
back, not values: it is not the inverse of the convolution, which is why
"deconvolution" is a misleading name for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import (
    INT64_MAX, check_allocation, check_array, check_bias, check_finite, check_int, check_int64, check_listing, check_pair,
    result_dtype,
)
from . import _sliding, fast
from .fast import _max_abs
from .sizes import transposed_output_size

__all__ = ["conv_transpose2d"]


def conv_transpose2d(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    groups: Any = 1,
) -> np.ndarray:
    """Transposed 2-D convolution, as ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    x : array_like
        (H, W), (C, H, W) or (N, C, H, W), finite real numbers.
    weight : array_like
        (F_h, F_w) for one input and one output channel; (C, F_h, F_w) for C
        input channels and one output channel; (C, K/groups, F_h, F_w) for K
        output channels -- PyTorch's layout, input channels first: the layout
        of the direct convolution's weight (K', C'/groups, F_h, F_w) that this
        one transposes, so ``conv_transpose2d(y, w, groups=g)`` maps the shape
        of ``conv2d(x, w, groups=g)`` back to the shape of ``x``.
    bias : None, scalar or array_like of shape (K,)
    stride, padding, output_padding, dilation : int or (h, w) pair
        As the direct convolution this one transposes; ``output_padding``
        (extra rows/columns at the bottom/right) must be smaller than
        ``stride`` or ``dilation``.
    groups : int
        Split the channels into ``groups`` independent transposed convolutions,
        as the direct convolution's ``groups``: must divide C; each group maps
        C/groups input channels to K/groups output channels. ``groups > 1``
        needs the 4-D weight.

    Returns
    -------
    numpy.ndarray
        (H', W') for a 2-D or 3-D ``weight`` with 2-D or 3-D ``x``, (K, H', W')
        for 3-D ``x`` and 4-D ``weight``, (N, K, H', W') for 4-D ``x``, where
        ``H' = transposed_output_size(H, F_h, stride, padding, output_padding, dilation)``.
        ``int64`` for integer inputs, otherwise the inputs' float precision.

    Raises
    ------
    TypeError
        Non-numeric arrays, sizes that are not integers.
    ValueError
        Wrong ranks, non-finite values, channel mismatch, groups that do not
        divide the channels, ``output_padding`` too large, or an empty output.

    Examples
    --------
    Each input pixel stamps the filter, scaled, ``stride`` pixels apart:

    >>> import numpy as np
    >>> from convdoc import conv_transpose2d
    >>> print(conv_transpose2d([[1, 2], [3, 4]], [[1, 2], [3, 4]], stride=2))
    [[ 1  2  2  4]
     [ 3  4  6  8]
     [ 3  6  4  8]
     [ 9 12 12 16]]
    >>> print(conv_transpose2d([[1, 2], [3, 4]], np.ones((2, 2), dtype=int)))
    [[ 1  3  2]
     [ 4 10  6]
     [ 3  7  4]]
    """
    x = check_array(x, "x", ranks=(2, 3, 4), finite=False)
    weight = check_array(weight, "weight", ranks=(2, 3, 4), finite=False)
    stride = check_pair(stride, "stride", minimum=1)
    padding = check_pair(padding, "padding", minimum=0)
    output_padding = check_pair(output_padding, "output_padding", minimum=0)
    dilation = check_pair(dilation, "dilation", minimum=1)
    groups = check_int(groups, "groups", minimum=1)
    if groups > 1 and weight.ndim != 4:
        raise ValueError(
            f"groups={groups} needs a 4-D weight (C, K/groups, F_h, F_w), got weight of shape {weight.shape}"
        )

    drop_n = x.ndim < 4
    x4 = x.reshape((1,) * (4 - x.ndim) + x.shape)
    w4 = {2: lambda: weight[None, None], 3: lambda: weight[:, None], 4: lambda: weight}[weight.ndim]()
    drop_k = weight.ndim < 4
    n, c, h, w = x4.shape
    cw, kg, fh, fw = w4.shape
    k = kg * groups
    if c % groups:
        raise ValueError(f"groups must divide the input channels: x has {c} channels, groups={groups}")
    if cw != c:
        raise ValueError(
            f"channel mismatch between x and weight: weight {weight.shape} expects {cw} input channels "
            f"(its first axis), x {x.shape} has {c}"
        )
    b, weak = check_bias(bias, k, per="output channel")
    ho, wo = transposed_output_size((h, w), (fh, fw), stride, padding, output_padding, dilation)
    dtype = result_dtype(x4, w4, b, weak_bias=weak)
    # refused before anything is allocated (limit: convdoc._checks.MAX_ARRAY_BYTES)
    check_allocation((n, k, ho, wo), dtype, what="the output",
                     because=f"stride={stride}, dilation={dilation} on x of shape {x.shape}")
    check_finite(x, "x")
    check_finite(weight, "weight")

    if dtype.kind == "i":
        terms = c // groups * fh * fw  # products that meet in one output, at most (stride and dilation can only lower it)
        bound = _max_abs(x4) * _max_abs(w4) * terms + (0 if b is None else _max_abs(b))
        if bound > INT64_MAX:
            return _finish(_exact(x4, w4, b, stride, padding, dilation, groups, (ho, wo)), drop_n, drop_k)
        if bound < 2**53:  # BLAS in float64 is exact here, and fast
            out = _stamp(x4, w4, b, stride, padding, dilation, groups, (ho, wo), np.dtype(np.float64))
            return _finish(out.astype(np.int64), drop_n, drop_k)
    out = _stamp(x4, w4, b, stride, padding, dilation, groups, (ho, wo), dtype)
    return _finish(out, drop_n, drop_k)


def _finish(out: np.ndarray, drop_n: bool, drop_k: bool) -> np.ndarray:
    if drop_k:
        out = out[:, 0]
    if drop_n:
        out = out[0]
    return out


def _stamp(x, w, b, stride, padding, dilation, groups, out_hw, dtype):
    """``out[i*s + m*d - p] += x[i] * w[m]`` per filter tap (m, q), straight into the cropped output.

    col2im, the "gemm" strategy of :mod:`convdoc.fast` run backwards: for a block of images
    or a band of input rows, one matrix product per group, ``w.T (K/groups*F_h*F_w, C/groups)
    @ x (C/groups, rows*W)``, gives every stamp at once; each tap's plane of it is then added
    to the output, ``stride`` pixels apart. Blocks are sized like the forward pass's column
    buffer (:func:`convdoc.fast.workspace_limit`); the input is converted to ``dtype`` a block
    at a time.
    """
    (sh, sw), (ph, pw), (dh, dw), (ho, wo) = stride, padding, dilation, out_hw
    n, c, h, wd = x.shape
    cg, kg, fh, fw = c // groups, *w.shape[1:]
    out = np.zeros((n, kg * groups, ho, wo), dtype=dtype)
    wt = w.reshape(groups, cg, kg * fh * fw).swapaxes(1, 2).astype(dtype, copy=False)
    taps_i = [_sliding.inside(h, ho, sh, m * dh - ph) for m in range(fh)]
    taps_j = [_sliding.inside(wd, wo, sw, q * dw - pw) for q in range(fw)]
    # only the input rows and columns whose stamps land inside the output are read
    ia, iz = min(i0 for i0, _ in taps_i), max(i1 for _, i1 in taps_i)
    ja, jz = min(j0 for j0, _ in taps_j), max(j1 for _, j1 in taps_j)
    width = jz - ja
    if iz <= ia or width <= 0:
        return out + (0 if b is None else b.astype(dtype)[None, :, None, None])
    per_row = groups * kg * fh * fw * width * max(dtype.itemsize, 8)  # the stamps of one input row
    rows = max(1, min(iz - ia, fast._chunk_bytes() // per_row))
    imgs = max(1, min(n, fast._chunk_bytes() // (per_row * (iz - ia)))) if rows == iz - ia else 1
    for n0 in range(0, n, imgs):
        n1 = min(n, n0 + imgs)
        for a in range(ia, iz, rows):
            z = min(iz, a + rows)
            xb = x[n0:n1, :, a:z, ja:jz].astype(dtype).reshape(n1 - n0, groups, cg, (z - a) * width)
            stamps = np.matmul(wt, xb).reshape(n1 - n0, groups * kg, fh, fw, z - a, width)
            for m, (i0, i1) in enumerate(taps_i):
                i0, i1 = max(i0, a), min(i1, z)
                for q, (j0, j1) in enumerate(taps_j):
                    if i0 >= i1 or j0 >= j1:
                        continue
                    r0, c0 = i0 * sh + m * dh - ph, j0 * sw + q * dw - pw
                    out[n0:n1, :, r0 : r0 + (i1 - i0 - 1) * sh + 1 : sh, c0 : c0 + (j1 - j0 - 1) * sw + 1 : sw] += (
                        stamps[:, :, m, q, i0 - a : i1 - a, j0 - ja : j1 - ja])
    if b is not None:
        out += b.astype(dtype)[None, :, None, None]
    return out


def _exact(x, w, b, stride, padding, dilation, groups, out_hw):
    """The stamps summed in Python integers (exact), for integers too large for int64 arithmetic."""
    check_listing(x.size * w.shape[1] * w.shape[2] * w.shape[3], what="the products in Python integers",
                  because=f"integers up to {_max_abs(x):,} in x and {_max_abs(w):,} in weight, too large for int64 arithmetic")
    big = np.frompyfunc(int, 1, 1)
    total = _stamp(big(x), big(w), None if b is None else big(b), stride, padding, dilation, groups, out_hw, np.dtype(object))
    for where in np.argwhere((total > INT64_MAX) | (total < -INT64_MAX - 1))[:1]:
        check_int64(total[tuple(where)], tuple(int(i) for i in where))
    return total.astype(np.int64)
