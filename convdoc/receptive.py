"""Receptive fields: how many input pixels, along one axis, one output of a stack of layers sees.

Each layer widens the field by its kernel's span minus one, counted in steps of the
``jump`` (the product of the strides before it): :func:`receptive_fields` lists the
field after every layer, and :func:`receptive_field` is its last row. A kernel size,
stride or dilation may be a tuple of 1, 2 or 3 axes (a video's (d, h, w)): each axis
is then computed on its own, and the results are tuples, by :func:`convdoc.output_size`'s
rule (ints alone give ints).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _sliding
from ._checks import axes_or_int, check_axes, count_axes

__all__ = ["receptive_field", "receptive_fields", "LayerField"]


def receptive_field(layers: Any) -> Any:
    """Receptive field (in input pixels, along one axis) of a stack of layers.

    ``r = 1 + sum((d_l*(k_l-1)) * prod(strides before l))``: the ``size`` of the
    last row of :func:`receptive_fields`, which gives it layer by layer (1 for no layers).

    ``layers`` may also be layer specs, as :func:`convdoc.summary` takes them
    (the first value of a (h, w) kernel, stride or dilation: the field along the
    height). Where paths join, in a :class:`convdoc.Residual` or a
    :class:`convdoc.Concat`, an output sees what the widest path sees: the
    field is the largest over the paths (an identity path adds nothing).

    Parameters
    ----------
    layers : sequence of (kernel_size, stride) or (kernel_size, stride, dilation), or of layer specs
        First layer first; pooling layers count like convolutions; layers that keep
        the shape (ReLU, BatchNorm...) add nothing. Each value of a tuple is an int
        or a tuple of 1, 2 or 3 axes, all tuples of the same length.

    Returns
    -------
    int, or a tuple with one int per axis when any value is a tuple.

    Raises
    ------
    TypeError
        ``layers`` is not a sequence of 2- or 3-tuples of integers, or of layer specs.
    ValueError
        A kernel size, stride or dilation below 1, tuples of different lengths, or a
        layer spec with no field in pixels (Flatten, Linear and AdaptiveAvgPool2d see
        the whole input; Upsample and ConvTranspose2d enlarge it), named as ``layers[i]``.

    Examples
    --------
    >>> from convdoc import receptive_field
    >>> receptive_field([(3, 1), (3, 1)])  # two 3x3 see as much as one 5x5
    5
    >>> receptive_field([(3, 1)] * 3)
    7
    >>> receptive_field([((3, 3, 3), 1), ((1, 2, 2), (1, 2, 2)), (3, 1)])  # C3D's first layers (d, h, w)
    (5, 8, 8)

    Through branches, the widest path counts:

    >>> from convdoc import Concat, Conv2d, MaxPool2d
    >>> receptive_field([Concat([Conv2d(8, 1)], [Conv2d(8, 3, padding=1), Conv2d(8, 3, padding=1)])])
    5
    """
    if not isinstance(layers, (str, bytes)) and isinstance(layers, (list, tuple)) and layers and all(
        hasattr(layer, "_field") and not isinstance(layer, type) for layer in layers
    ):
        size, jump = 1, 1
        for i, layer in enumerate(layers):
            try:
                size, jump = layer._field(size, jump)
            except ValueError as exc:  # the path below layers[i], when a block holds the layer
                raise ValueError(f"layers[{i}]{getattr(exc, 'path', '')}: {exc}") from None
        return size
    fields = receptive_fields(layers)
    return fields[-1].size if fields else 1


@dataclass(frozen=True)
class LayerField:
    """One row of :func:`receptive_fields`.

    ``jump`` is the distance, in input pixels, between two neighbouring outputs
    of this layer (the product of the strides so far); ``size`` is the receptive
    field of one output of this layer, in input pixels along one axis. Each is a
    tuple with one value per axis when the layers were given with tuples.
    """

    kernel_size: Any
    stride: Any
    dilation: Any
    jump: Any
    size: Any


def receptive_fields(layers: Any) -> tuple[LayerField, ...]:
    """The receptive field after each layer of a stack, with the running jump.

    ``r_l = r_(l-1) + dilation_l*(kernel_size_l - 1)*jump_(l-1)`` and
    ``jump_l = jump_(l-1)*stride_l``, starting from ``r_0 = jump_0 = 1``.
    The last row's ``size`` is :func:`receptive_field`.

    Parameters
    ----------
    layers : sequence of (kernel_size, stride) or (kernel_size, stride, dilation)
        First layer first; pooling layers count like convolutions. Each value is
        an int or a tuple of 1, 2 or 3 axes (:func:`receptive_field`).

    Returns
    -------
    tuple of LayerField

    Raises
    ------
    TypeError
        ``layers`` is not a sequence of 2- or 3-tuples of integers.
    ValueError
        A kernel size, stride or dilation below 1, or tuples of different lengths.

    Examples
    --------
    >>> from convdoc import receptive_fields
    >>> [f.size for f in receptive_fields([(3, 1), (3, 1), (3, 1)])]
    [3, 5, 7]
    >>> [(f.size, f.jump) for f in receptive_fields([(3, 1, 1), (3, 1, 2), (3, 1, 4)])]
    [(3, 1), (7, 1), (15, 1)]
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a sequence of (kernel_size, stride[, dilation]) tuples, got {layers!r}")
    checked = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) not in (2, 3):
            raise TypeError(
                f"layers[{i}] must be a (kernel_size, stride) or (kernel_size, stride, dilation) tuple, got {layer!r}"
            )
        checked.append(tuple(zip((f"layers[{i}] kernel_size", f"layers[{i}] stride", f"layers[{i}] dilation"), (*layer, 1))))
    n = count_axes(item for layer in checked for item in layer)
    rows = []
    r, jump = [1] * (n or 1), [1] * (n or 1)
    for layer in checked:
        k, s, d = (check_axes(value, name, n or 1, minimum=1) for name, value in layer)
        for a in range(n or 1):
            r[a], jump[a] = _sliding.field_step(r[a], jump[a], k[a], s[a], d[a])
        rows.append(LayerField(*(axes_or_int(tuple(v), n) for v in (k, s, d, jump, r))))
    return tuple(rows)
