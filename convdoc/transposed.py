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

from ._checks import check_allocation, check_array, check_pair
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
) -> np.ndarray:
    """Transposed 2-D convolution, as ``torch.nn.functional.conv_transpose2d`` (``groups=1``).

    Parameters
    ----------
    x : array_like
        (H, W), (C, H, W) or (N, C, H, W), finite real numbers.
    weight : array_like
        (F_h, F_w) for one input and one output channel; (C, F_h, F_w) for C
        input channels and one output channel; (C, K, F_h, F_w) for K output
        channels -- PyTorch's layout, input channels first.
    bias : None, scalar or array_like of shape (K,)
    stride, padding, output_padding, dilation : int or (h, w) pair
        As the direct convolution this one transposes; ``output_padding``
        (extra rows/columns at the bottom/right) must be smaller than
        ``stride`` or ``dilation``.

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
        Wrong ranks, non-finite values, channel mismatch, ``output_padding``
        too large, or an empty output.

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
    x = check_array(x, "x", ranks=(2, 3, 4))
    weight = check_array(weight, "weight", ranks=(2, 3, 4))
    (sh, sw) = check_pair(stride, "stride", minimum=1)
    (ph, pw) = check_pair(padding, "padding", minimum=0)
    (oph, opw) = check_pair(output_padding, "output_padding", minimum=0)
    (dh, dw) = check_pair(dilation, "dilation", minimum=1)

    drop_n = x.ndim < 4
    x4 = x.reshape((1,) * (4 - x.ndim) + x.shape)
    if weight.ndim == 2:
        w4 = weight[None, None]
    elif weight.ndim == 3:
        w4 = weight[:, None]
    else:
        w4 = weight
    drop_k = weight.ndim < 4
    n, c, h, w = x4.shape
    cw, k, fh, fw = w4.shape
    if cw != c:
        raise ValueError(
            f"channel mismatch between x and weight: weight {weight.shape} expects {cw} input channels "
            f"(its first axis), x {x.shape} has {c}"
        )
    ho, wo = transposed_output_size((h, w), (fh, fw), (sh, sw), (ph, pw), (oph, opw), (dh, dw))
    # refused before anything is allocated (limit: convdoc._checks.MAX_ARRAY_BYTES)
    check_allocation((n, k, (h - 1) * sh + dh * (fh - 1) + 1, (w - 1) * sw + dw * (fw - 1) + 1), np.float64,
                     what="the output before cropping", because=f"stride={(sh, sw)}, dilation={(dh, dw)} on x of shape {x.shape}")

    b = None
    if bias is not None:
        b = check_array(bias, "bias", ranks=(0, 1))
        if b.ndim == 0:
            b = np.full(k, b.item(), dtype=b.dtype)
        elif b.shape[0] != k:
            raise ValueError(f"bias must have one value per output channel: weight has {k}, bias has shape {b.shape}")

    kinds = [a.dtype for a in (x4, w4, b) if a is not None]
    dtype = np.result_type(*kinds)
    dtype = np.dtype(np.int64) if dtype.kind in "iu" else (np.dtype(np.float32) if dtype.itemsize < 4 else dtype)
    xs, ws = x4.astype(dtype, copy=False), w4.astype(dtype, copy=False)

    # stamp: full[i*s + m*d] += x[i] * w[m], before cropping the padding
    full_h = (h - 1) * sh + dh * (fh - 1) + 1
    full_w = (w - 1) * sw + dw * (fw - 1) + 1
    full = np.zeros((n, k, full_h, full_w), dtype=dtype)
    for m in range(fh):
        for q in range(fw):
            contribution = np.einsum("nchw,ck->nkhw", xs, ws[:, :, m, q])
            full[:, :, m * dh : m * dh + (h - 1) * sh + 1 : sh, q * dw : q * dw + (w - 1) * sw + 1 : sw] += contribution
    out = np.zeros((n, k, ho, wo), dtype=dtype)
    keep_h = max(0, min(ho, full_h - ph))
    keep_w = max(0, min(wo, full_w - pw))
    out[:, :, :keep_h, :keep_w] = full[:, :, ph : ph + keep_h, pw : pw + keep_w]
    if b is not None:
        out += b.astype(dtype)[None, :, None, None]
    if drop_k:
        out = out[:, 0]
    if drop_n:
        out = out[0]
    return out
