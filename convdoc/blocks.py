"""Blocks: layers that hold layers, and the two ways paths join (addition and concatenation).

- :class:`Sequential` runs its layers one after the other (torchvision's ``layer1``,
  ``features``, ``denseblock1``...).
- :class:`Residual` runs a ``body`` and a ``shortcut`` on the same input and adds
  them: the shortcut is the identity, or a projection (a 1×1 convolution) when the
  body changes the shape. ResNet's blocks, and MobileNetV2's inverted residuals.
- :class:`Concat` runs its branches on the same input and stacks their outputs
  along the channels: Inception's four branches, DenseNet's ``[x, f(x)]`` (an empty
  branch is the identity), U-Net's skip connections.

Every block is a layer spec, so blocks nest, and ``summary`` walks them with the
same rule as a plain list. A layer inside a block is named by its path, which is
also the Python expression that reaches it: ``layers[4][0].body[2]`` is the third
layer of the body of the first block of ``layers[4]``.

When the paths that a block joins do not fit together, ``summary`` raises
``ValueError`` naming the block, both paths and their shapes, and every layer on
each path that changed what differs, with its arithmetic:

>>> from convdoc import Conv2d, BatchNorm2d, ReLU, Residual, summary
>>> block = Residual([Conv2d(8, 3, stride=2, padding=1), BatchNorm2d()])
>>> try:
...     summary([Conv2d(8, 1), block], (3, 9, 9))
... except ValueError as e:
...     print(str(e).splitlines()[0])
layers[1] Residual cannot add its two paths: the body gives (8, 5, 5), the identity shortcut gives (8, 9, 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._checks import check_pair, pair_text
from .network import _HERE as HERE, Layer, Row, _batch, _chain, _check_layer, _NoField, _Reject, _shape_text, _Step
from .sizes import AXES_IN_WORDS

__all__ = ["Sequential", "Residual", "Concat"]



def _layers(value: Any, where: str) -> tuple[Layer, ...]:
    """A list or tuple of layer specs (a single spec is a list of one); a TypeError names ``where``."""
    if isinstance(value, Layer):
        return (value,)
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{where} must be a list of layer specs, got {value!r} ({type(value).__name__})")
    return tuple(_check_layer(f"{where}[{i}]", layer) for i, layer in enumerate(value))


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"name must be a string, got {value!r} ({type(value).__name__})")
    return value


class _Block(Layer):
    """What the blocks share: a name, a short label, and the sums of their rows."""

    name: str
    _kind = ""

    def _label(self) -> str:
        return f"{self.name} ({self._kind})" if self.name else self._kind

    @staticmethod
    def _step(shape: tuple[int, ...], rows: tuple[Row, ...], n: int | None, arithmetic: str) -> _Step:
        # the rows' MACs count all N samples; a step counts one (summary multiplies by N)
        return _Step(shape, sum(r.params for r in rows), sum(r.macs for r in rows) // _batch(n), arithmetic, rows)


@dataclass(frozen=True, repr=False, init=False)
class Sequential(_Block):
    """Layers one after the other, as one row (with its own rows) in a summary.

    Parameters
    ----------
    *layers : layer specs
        The layers, first layer first; blocks may be among them.
    name : str, keyword-only
        Shown in summaries, e.g. torchvision's ``"layer1"``.

    Raises
    ------
    TypeError
        Something that is not a layer spec among the layers (named ``[i]``), or a
        ``name`` that is not a string.

    Examples
    --------
    >>> from convdoc import Sequential, Conv2d, ReLU, summary
    >>> stage = Sequential(Conv2d(8, 3, padding=1), ReLU(), name="stage1")
    >>> stage[0], len(stage)
    (Conv2d(8, 3, padding=1), 2)
    >>> summary([stage], (3, 32, 32)).rows[0].rows[0].output_shape
    (8, 32, 32)
    """

    layers: tuple[Layer, ...]
    name: str

    _kind = "Sequential"

    def __init__(self, *layers: Any, name: str = "") -> None:
        object.__setattr__(self, "layers", tuple(_check_layer(f"[{i}]", layer) for i, layer in enumerate(layers)))
        object.__setattr__(self, "name", _name(name))

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        return _fold(self.layers, size, jump, lambda i: f"[{i}]")

    def __getitem__(self, i: int) -> Layer:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        args = [repr(layer) for layer in self.layers] + ([f"name={self.name!r}"] if self.name else [])
        return f"Sequential({', '.join(args)})"

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        rows, out = _chain(self.layers, shape, n, lambda i: f"[{i}]")
        return self._step(out, rows, n, "")


def _fold(layers: tuple[Layer, ...], size: int, jump: int, key: Any) -> tuple[int, int]:
    """Receptive field and jump after a chain of layers (Layer._field, one after the other).

    ``key(i)`` names layer i below the block, for the path of a layer with no field.
    """
    for i, layer in enumerate(layers):
        try:
            size, jump = layer._field(size, jump)
        except _NoField as exc:
            exc.path = key(i) + exc.path
            raise
    return size, jump


def _widest(paths: list[tuple[int, int]]) -> tuple[int, int]:
    """Where paths join, an output sees what the widest path sees (their jumps agree when their sizes do)."""
    return max(size for size, _ in paths), max(jump for _, jump in paths)


def _leaves(rows: tuple[Row, ...], prefix: str) -> list[tuple[str, Row]]:
    """The layers (not blocks) of some rows, in order, with their paths below the block."""
    out: list[tuple[str, Row]] = []
    for r in rows:
        if r.rows:
            out += _leaves(r.rows, prefix + r.key)
        elif not isinstance(r.layer, _Block):
            out.append((prefix + r.key, r))
    return out


def _changes(path: str, rows: tuple[Row, ...], part: Any, what: str, nb: int) -> str:
    """How the layers of one path changed ``part`` of the shape (channels, or the spatial size).

    ``nb`` is 1 when the rows' shapes carry the batch axis N, 0 when they do not.
    """
    lines = []
    for where, r in _leaves(rows, HERE):
        before, after = part(r.input_shape[nb:]), part(r.output_shape[nb:])
        if before == after:
            continue
        if isinstance(after, tuple):  # the spatial size: the layer's arithmetic says how
            change = f"{r.arithmetic} -> {_shape_text(after)}" if r.arithmetic else f"{_shape_text(before)} -> {_shape_text(after)}"
        else:
            change = f"{before} -> {after} {what}"
        lines.append(f"    {where} {r.layer._label()}: {change}")
    if not lines:
        return f"  {path}: no layer changes the {what}"
    return "\n".join([f"  {path}:", *lines])


def _mismatch(
    paths: list[tuple[str, tuple[Row, ...], tuple[int, ...]]], nb: int, channels: bool = True
) -> tuple[str, str]:
    """What differs between two paths' output shapes, and which layers made it differ (with formulas)."""
    (a_name, a_rows, a), (b_name, b_rows, b) = paths
    if len(a) != len(b):
        return "rank", f"  {a_name} gives {a}, {b_name} gives {b}: a feature map and flat features cannot be joined"
    parts: list[tuple[str, Any]] = []
    if len(a) > 1 and a[1:] != b[1:]:
        parts.append((AXES_IN_WORDS.get(len(a) - 1, "size"), lambda shape: tuple(shape[1:])))  # a is (C, ...)
    if a[0] != b[0] and channels:
        parts.append(("channels" if len(a) > 1 else "features", lambda shape: shape[0] if shape else 0))
    lines = []
    for what, part in parts:
        x, y = (_shape_text(p) if isinstance(p, tuple) else p for p in (part(a), part(b)))
        lines.append(f"The {what} differ ({x} and {y}); the layers that change them:")
        for name, rows, _ in paths:
            lines.append(_changes(name, rows, part, what, nb))
    return parts[0][0], "\n".join(lines)


def _torch_dims(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, int, int]:
    """The dimension PyTorch's broadcasting complains about (it compares from the last one)."""
    for i in range(len(a) - 1, -1, -1):
        if a[i] != b[i]:
            return a[i], b[i], i
    return a[0], b[0], 0  # pragma: no cover - only called on shapes that differ


def _stride(layers: tuple[Layer, ...]) -> tuple[int, int]:
    """The total stride of a chain of layers, per axis: the stride a projection shortcut needs."""
    sh = sw = 1
    for layer in layers:
        inner = getattr(layer, "layers", None) or getattr(layer, "body", None)
        if inner:
            h, w = _stride(inner)
        else:
            stride = getattr(layer, "stride", 1)
            h, w = check_pair(getattr(layer, "kernel_size", 1) if stride is None else stride, "stride", minimum=1)
        sh, sw = sh * h, sw * w
    return sh, sw


@dataclass(frozen=True, repr=False, init=False)
class Residual(_Block):
    """``body(x) + shortcut(x)``, then an optional activation: the residual block of ResNet.

    The shortcut is the identity unless a projection is given (torchvision's
    ``downsample``: a strided 1×1 convolution and a BatchNorm). Both paths must
    give the same shape; if they do not, ``summary`` says which layers made them
    differ, with their arithmetic.

    Parameters
    ----------
    body : list of layer specs
        The residual path; not empty.
    shortcut : list of layer specs, optional
        The projection; ``None`` or ``[]`` for the identity.
    activation : layer spec, optional, keyword-only
        Applied after the sum (ResNet: ``ReLU()``; MobileNetV2: none).
    name : str, keyword-only
        Shown in summaries (``"Bottleneck"``, ``"BasicBlock"``...).

    Raises
    ------
    TypeError
        ``body`` or ``shortcut`` not a list of layer specs (the message names
        ``body[i]`` or ``shortcut[i]``), or an ``activation`` that is not one.
    ValueError
        An empty ``body``.

    Examples
    --------
    ResNet-18's first block keeps 64 channels: the identity is enough.

    >>> from convdoc import Residual, Conv2d, BatchNorm2d, ReLU, summary
    >>> block = Residual(
    ...     [Conv2d(64, 3, padding=1, bias=False), BatchNorm2d(), ReLU(),
    ...      Conv2d(64, 3, padding=1, bias=False), BatchNorm2d()],
    ...     activation=ReLU(), name="BasicBlock")
    >>> s = summary([block], (64, 56, 56))
    >>> s.output_shape, s.total_params
    ((64, 56, 56), 73984)
    """

    body: tuple[Layer, ...]
    shortcut: tuple[Layer, ...]
    activation: Layer | None
    name: str

    _kind = "Residual"

    def __init__(self, body: Any, shortcut: Any = None, *, activation: Any = None, name: str = "") -> None:
        checked = _layers(body, "body")
        if not checked:
            raise ValueError("body must hold at least one layer: a residual block adds the body's output to its input")
        object.__setattr__(self, "body", checked)
        object.__setattr__(self, "shortcut", () if shortcut is None else _layers(shortcut, "shortcut"))
        if activation is not None:
            _check_layer("activation", activation)
        object.__setattr__(self, "activation", activation)
        object.__setattr__(self, "name", _name(name))

    def __repr__(self) -> str:
        args = [f"[{', '.join(map(repr, self.body))}]"]
        if self.shortcut:
            args.append(f"[{', '.join(map(repr, self.shortcut))}]")
        if self.activation is not None:
            args.append(f"activation={self.activation!r}")
        if self.name:
            args.append(f"name={self.name!r}")
        return f"Residual({', '.join(args)})"

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        joined = _widest([
            _fold(self.body, size, jump, lambda i: f".body[{i}]"),
            _fold(self.shortcut, size, jump, lambda i: f".shortcut[{i}]"),
        ])
        return joined if self.activation is None else _fold((self.activation,), *joined, lambda i: ".activation")

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        body, a = _chain(self.body, shape, n, lambda i: f".body[{i}]")
        short, b = _chain(self.shortcut, shape, n, lambda i: f".shortcut[{i}]")
        kind = "projection shortcut" if self.shortcut else "identity shortcut"
        if a != b:
            what, detail = _mismatch([("the body", body, a), (f"the {kind}", short, b)], 0 if n is None else 1)
            x, y, dim = _torch_dims((_batch(n), *a), (_batch(n), *b))
            if what == "rank":
                fix = "A residual block adds two tensors of the same shape; end the body where the input's kind of shape returns."
            elif self.shortcut:
                fix = f"Make the shortcut give {a} as well: the same stride and out_channels as the body."
            else:
                stride = "" if a[1:] == b[1:] or len(a) != 3 else f", stride={pair_text(_stride(self.body))}"
                fix = (
                    f"The identity only works when the body keeps the shape. Give the block a projection shortcut, "
                    f"as torchvision's downsample: shortcut=[Conv2d({a[0]}, 1{stride}, bias=False), BatchNorm2d()]."
                )
            raise _Reject(
                f"cannot add its two paths: the body gives {a}, the {kind} gives {b}.\n{detail}",
                fix=fix,
                pytorch=f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {dim}"
                if what != "rank" else "",
            )
        rows = body + short
        if self.activation is not None:
            after, a = _chain([self.activation], a, n, lambda i: ".activation")
            rows += after
        return self._step(a, rows, n, f"body + {'shortcut' if self.shortcut else 'identity'}")


@dataclass(frozen=True, repr=False, init=False)
class Concat(_Block):
    """Branches on the same input, their outputs stacked along the channels (``torch.cat(dim=1)``).

    An empty branch is the identity: DenseNet's layer is ``Concat([], [...])``,
    its input followed by the new channels. All branches must give the same height
    and width (or all flat features); the channels add up.

    Parameters
    ----------
    *branches : lists of layer specs
        At least one; a single layer spec counts as a branch of one layer.
    name : str, keyword-only
        Shown in summaries (``"Inception"``, ``"_DenseLayer"``...).

    Raises
    ------
    TypeError
        A branch that is not a list of layer specs (the message names ``branches[i]``).
    ValueError
        No branches at all.

    Examples
    --------
    GoogLeNet's inception (3a): 64 + 128 + 32 + 32 = 256 channels.

    >>> from convdoc import Concat, Conv2d, MaxPool2d, summary
    >>> inception = Concat(
    ...     [Conv2d(64, 1)],
    ...     [Conv2d(96, 1), Conv2d(128, 3, padding=1)],
    ...     [Conv2d(16, 1), Conv2d(32, 3, padding=1)],
    ...     [MaxPool2d(3, stride=1, padding=1), Conv2d(32, 1)])
    >>> s = summary([inception], (192, 28, 28))
    >>> s.output_shape, s.rows[0].arithmetic
    ((256, 28, 28), '64 + 128 + 32 + 32 = 256')
    """

    branches: tuple[tuple[Layer, ...], ...]
    name: str

    _kind = "Concat"

    def __init__(self, *branches: Any, name: str = "") -> None:
        if not branches:
            raise ValueError(
                "branches: Concat needs at least one branch, e.g. Concat([Conv2d(64, 1)], [Conv2d(32, 3, padding=1)]); "
                "an empty branch [] is the identity"
            )
        checked = tuple(_layers(b, f"branches[{i}]") for i, b in enumerate(branches))
        object.__setattr__(self, "branches", checked)
        object.__setattr__(self, "name", _name(name))

    def __repr__(self) -> str:
        args = [f"[{', '.join(map(repr, b))}]" for b in self.branches] + ([f"name={self.name!r}"] if self.name else [])
        return f"Concat({', '.join(args)})"

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        return _widest([
            _fold(branch, size, jump, lambda j, i=i: f".branches[{i}][{j}]") for i, branch in enumerate(self.branches)
        ])

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        outs = []
        for i, branch in enumerate(self.branches):
            rows, out = _chain(branch, shape, n, lambda j, i=i: f".branches[{i}][{j}]")
            outs.append((f"branches[{i}]" + (" (identity)" if not branch else ""), rows, out))
        first = outs[0]
        for other in outs[1:]:
            a, b = first[2], other[2]
            if len(a) != len(b) or a[1:] != b[1:]:
                what, detail = _mismatch([first, other], 0 if n is None else 1, channels=False)
                j = outs.index(other)
                pytorch = ""
                if what != "rank":
                    axis = next(i for i in range(1, len(a)) if a[i] != b[i])  # PyTorch's dimension is axis + 1
                    pytorch = (f"Sizes of tensors must match except in dimension 1. Expected size {a[axis]} "
                               f"but got size {b[axis]} for tensor number {j} in the list")
                raise _Reject(
                    f"cannot concatenate its branches: {first[0]} gives {a}, {other[0]} gives {b}; "
                    f"concatenation stacks channels, so every branch must give the same "
                    f"{AXES_IN_WORDS.get(len(a) - 1, 'size')}.\n{detail}",
                    fix="Make the branches keep the same size: the same strides, and padding (k-1)/2 for a k×k window "
                        "with stride 1; for a U-Net, use an input whose size the poolings divide exactly.",
                    pytorch=pytorch,
                )
        channels = [out[0] for _, _, out in outs]
        rows = tuple(r for _, branch_rows, _ in outs for r in branch_rows)
        total = sum(channels)
        arithmetic = f"{' + '.join(map(str, channels))} = {total}" if len(channels) > 1 else ""
        return self._step((total, *first[2][1:]), rows, n, arithmetic)

