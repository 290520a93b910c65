"""Whole networks: layer specs and ``summary``, the shape and parameter arithmetic of a stack of layers.

A spec describes a layer the way PyTorch's constructor does, minus what the
incoming shape already tells: ``Conv2d(64, 3, padding=1)`` takes its input
channels, and ``Linear(10)`` its ``in_features``, from the layer before it.
``summary(layers, input_shape)`` walks the list once and answers, for every
layer, its output shape, its parameter count and its multiply-accumulate count
(MACs), computed with :func:`convdoc.output_size` and :func:`convdoc.param_count`.

Careful when copying from PyTorch: ``nn.Conv2d(3, 64, 11)`` starts with
``in_channels``; here the first argument is ``out_channels`` (``Conv2d(64, 11)``),
and ``in_channels=3`` is an optional keyword that is checked, not required.

When a layer cannot accept what arrives (a ``Linear(in_features=9216)`` that
receives 6400 features, a pooling window larger than its input), ``summary``
raises ``ValueError`` naming the layer as ``layers[i]``, what it expected, what
arrived, and the arithmetic of every earlier layer that shaped it.
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass, fields
from typing import Any, NamedTuple


from . import _sliding
from ._checks import MAX_SIZE, check_axes, check_bool, check_int, check_lang, is_pair
from .sizes import AXES_IN_WORDS, AXIS_NAMES, check_pool_padding, param_count

# re-exported by convdoc; Layer (the specs' base class) and Row (one row of a Summary) are used by their full name
__all__ = [
    "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm2d", "ReLU", "Flatten", "Linear", "summary", "Summary",
    "Totals",
    # 1-D (C, L) and 3-D (C, D, H, W) layers (ReLU6, Dropout and the other layers of real networks: convdoc/layers.py)
    "Conv1d", "Conv3d", "MaxPool1d", "MaxPool3d", "AvgPool1d", "AvgPool3d", "BatchNorm1d", "BatchNorm3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool3d",
]


# --- what a layer returns to summary, and how it refuses --------------------------------------


class _Step(NamedTuple):
    shape: tuple[int, ...]  # without the batch axis
    params: int
    macs: int  # per sample
    arithmetic: str
    rows: tuple[Row, ...] = ()  # a block's own rows (convdoc.blocks)


class _Reject(Exception):
    """A layer refuses the incoming shape; ``summary`` adds the index and the history."""

    def __init__(self, reason: str, fix: str = "", pytorch: str = "") -> None:
        super().__init__(reason)
        self.reason, self.fix, self.pytorch = reason, fix, pytorch
        # filled in on the way out of nested blocks (convdoc.blocks): the path from the block that
        # holds the refusing layer down to it (".body[2]"), that layer, and the rows before it inside
        self.where: str = ""
        self.layer: Layer | None = None
        self.trail: list[tuple[str, Row]] = []
        self.arrived: tuple[int, ...] = ()


def _spatial(value: Any, name: str, minimum: int, dims: int = 2) -> Any:
    """A checked int, or a checked tuple of ``dims`` ints ((h, w) for 2-D; a list or numpy ints become plain Python)."""
    axes = check_axes(value, name, dims, minimum=minimum)
    return axes if is_pair(value) else axes[0]


# a feature map of 1, 2 or 3 spatial axes (without the batch axis), and the letters of its axes
_MAPS = {1: "(C, L)", 2: "(C, H, W)", 3: "(C, D, H, W)"}
_LETTERS = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def _fields(spec: Layer, **values: Any) -> None:
    """Store checked, normalized values in a frozen spec, so specs print and compare alike."""
    for name, value in values.items():
        object.__setattr__(spec, name, value)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(n) for n in shape)


_HERE = "\x00"  # a block's own path in its message (convdoc.blocks): summary writes the path in


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _batch(n: int | None) -> int:
    return 1 if n is None else n


class _NoField(ValueError):
    """A layer with no receptive field in pixels; blocks add the path below them on the way out."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason, self.path = reason, ""

    def __str__(self) -> str:
        return self.reason


class _Global:
    """A layer whose outputs each depend on the whole input map: no receptive field in pixels."""

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        raise _NoField(
            f"{self!r} mixes every position of its input, so what follows sees the whole input: "
            "give the layers before it"
        )


class Layer:
    """Base class of the layer specs; ``summary`` accepts any of its subclasses."""

    _positional: tuple[str, ...] = ()
    _dims: int | None = None  # spatial axes of the feature map the layer needs (None: any shape)

    def __repr__(self) -> str:
        args = []
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name in self._positional:
                if value is not None:
                    args.append(repr(value))
            elif value != f.default:
                args.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:  # pragma: no cover
        raise NotImplementedError

    def _label(self) -> str:
        """How tables and messages name the layer: its repr; blocks name themselves more briefly."""
        return repr(self)

    _keeps_field = False  # True for layers that act on each value alone (ReLU, BatchNorm...)

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        """Receptive field (along the first spatial axis: the height of a 2-D map) and jump after this layer, from those before it.

        Layers that act on each value alone change neither; a sliding window adds its span
        beyond one pixel in steps of the jump (:func:`convdoc.receptive_fields`' rule). Layers
        that mix every input pixel, or enlarge the map, have no field of this kind, and a
        layer that states no rule is refused rather than guessed: a ValueError says so.
        """
        if self._keeps_field:
            return size, jump
        raise _NoField(f"{self._label()} has no receptive-field rule in convdoc")

    def _window_field(self, size: int, jump: int, kernel_size: Any, stride: Any, dilation: Any) -> tuple[int, int]:
        # along the first spatial axis (the height of a 2-D map); the values were checked by the spec
        k, s, d = (v if isinstance(v, int) else v[0] for v in (kernel_size, stride, dilation))
        return _sliding.field_step(size, jump, k, s, d)

    def _feature_map(self, shape: tuple[int, ...], what: str) -> tuple[int, ...]:
        dims = self._dims or 2
        if len(shape) == 1:
            raise _Reject(
                f"needs a {_MAPS[dims]} feature map for its {what}, but receives {_count(shape[0], 'flat feature')}",
                fix="Move Flatten() after the last convolution or pooling layer.",
            )
        if len(shape) != dims + 1:
            other = len(shape) - 1
            name = type(self).__name__
            raise _Reject(
                f"needs a {_MAPS[dims]} feature map for its {what} ({dims} spatial "
                f"ax{'i' if dims == 1 else 'e'}s), but receives a {_MAPS[other]} one, {_shape_text(shape)}",
                fix=(
                    f"Use the {other}-D layer ({name[:-2]}{other}d) here, or give the network a {_MAPS[dims]} "
                    f"input_shape; a network's layers all work on the same number of axes."
                ),
            )
        return shape


# --- the spatial arithmetic, written out -----------------------------------------------------


def _formula(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> str:
    """PyTorch's size rule with the numbers filled in, without its result."""
    inner = f"{n} + 2*{p} - {k}" if d == 1 else f"{n} + 2*{p} - {d}*({k}-1) - 1"
    return f"{'ceil' if ceil_mode else 'floor'}(({inner})/{s}) + 1"


def _axis(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> tuple[int | None, str]:
    """One axis: (size, "formula = size"), or (None, why it is empty)."""
    text = _formula(n, k, s, p, d, ceil_mode)
    try:  # the arguments were checked when the layer was made; n is a size the layers before computed
        out = _sliding.output(n, k, s, p, d, ceil_mode, axis="")
    except ValueError:
        eff = _sliding.effective(k, d)
        window = f"{k}-pixel" if d == 1 else f"{d}*({k}-1)+1 = {eff}-pixel"
        if not ceil_mode:
            why = f"the {window} window does not fit in the padded input {n} + 2*{p} = {n + 2 * p}"
            return None, f"{text} = {_sliding.count(n, k, s, p, d)}, because {why}"
        return None, (
            f"{text} = {_sliding.count(n, k, s, p, d, ceil_mode=True)}, because the {window} window reaches past the padded "
            f"input {n} + 2*{p} = {n + 2 * p} by more than stride - 1 = {s - 1} pixel{'' if s == 2 else 's'}"
        )
    if ceil_mode and _sliding.count(n, k, s, p, d, ceil_mode=True) != out:
        # PyTorch drops a last window that would start in the padding
        return out, f"{text} - 1 = {out} (the last window would start in the padding)"
    return out, f"{text} = {out}"


def _window(
    kind: str,
    shape: tuple[int, ...],
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
) -> tuple[tuple[int, ...], str]:
    """Output sizes (one per spatial axis) of a sliding window, and the arithmetic.

    ``kind`` is "conv", "max" or "avg" (pooling): it picks PyTorch's message for an empty output.
    """
    c, *sizes = shape
    dims = len(sizes)
    k, s, p, d = (check_axes(v, "", dims, minimum=0) for v in (kernel_size, stride, padding, dilation))
    axes = [_axis(size, k[i], s[i], p[i], d[i], ceil_mode) for i, size in enumerate(sizes)]
    outs, texts = [a[0] for a in axes], [a[1] for a in axes]
    same = len(set(texts)) == 1  # the formula holds the numbers: equal text, equal arithmetic
    names = AXIS_NAMES[dims]
    if None in outs:
        if same:
            why = f"{AXES_IN_WORDS[dims]}: {texts[0]}"
        else:
            why = "; ".join(f"{name}: {t}" for name, size, t in zip(names, outs, texts) if size is None)
        if kind == "conv":
            eff = [_sliding.effective(k[i], d[i]) for i in range(dims)]
            pytorch = (
                f"Calculated padded input size per channel: ({' x '.join(str(n + 2 * q) for n, q in zip(sizes, p))}). "
                f"Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be greater than actual input size"
            )
        else:  # PyTorch's pooling_output_shape, before its "too small" check
            raw = [
                size if size is not None else _sliding.count(n, k[i], s[i], p[i], d[i], ceil_mode)
                for i, (size, n) in enumerate(zip(outs, sizes))
            ]
            if dims == 1:  # max_pool1d has its own check; avg_pool1d is avg_pool2d on a 1-pixel-high map
                pytorch = (
                    f"max_pool1d() Invalid computed output size: {raw[0]}" if kind == "max" else
                    f"Given input size: ({c}x1x{sizes[0]}). Calculated output size: ({c}x1x{raw[0]}). Output size is too small"
                )
            elif dims == 3 and kind == "avg":
                pytorch = ""  # avg_pool3d words it differently with and without padding
            else:
                pytorch = (
                    f"Given input size: ({_shape_text((c, *sizes))}). Calculated output size: "
                    f"({_shape_text((c, *raw))}). Output size is too small"
                )
        raise _Reject(
            f"would produce an empty feature map: {why}",
            fix="Use a larger input, more padding, or fewer downsampling layers before this one.",
            pytorch=pytorch,
        )
    return tuple(outs), _per_axis(texts)


def _per_axis(texts: list[str]) -> str:
    """The arithmetic of a layer's axes: one axis's when every axis reads the same, else each after its letter."""
    return texts[0] if len(set(texts)) == 1 else "; ".join(f"{a}: {t}" for a, t in zip(_LETTERS[len(texts)], texts))


def _check_channels(layer: Any, c: int, pytorch: str = "") -> None:
    """A convolution's (or transposed convolution's) ``c`` incoming channels against its ``in_channels`` and ``groups``."""
    g = layer.groups
    if layer.in_channels is not None and c != layer.in_channels:
        raise _Reject(
            f"expects in_channels={layer.in_channels}, but receives {_count(c, 'channel')}",
            fix=f"Write in_channels={c}, or change the layers above to deliver {_count(layer.in_channels, 'channel')}.",
            pytorch=pytorch,
        )
    if c % g:
        raise _Reject(
            f"has groups={g}, which must divide the {_count(c, 'incoming channel')}",
            fix="Choose groups that divides both the incoming channels and out_channels.",
        )


# --- the layer specs ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Conv(Layer):
    """What Conv1d, Conv2d and Conv3d share: PyTorch's arguments, input channels inferred, one rule per axis."""

    out_channels: int
    kernel_size: Any
    stride: Any = 1
    padding: Any = 0
    dilation: Any = 1
    groups: int = 1
    bias: bool = True
    _: KW_ONLY
    in_channels: int | None = None

    _positional = ("out_channels", "kernel_size")

    def __post_init__(self) -> None:
        out = check_int(self.out_channels, "out_channels", minimum=1)
        g = check_int(self.groups, "groups", minimum=1)
        dims = self._dims
        _fields(
            self,
            out_channels=out,
            kernel_size=_spatial(self.kernel_size, "kernel_size", 1, dims),
            stride=_spatial(self.stride, "stride", 1, dims),
            padding=_spatial(self.padding, "padding", 0, dims),
            dilation=_spatial(self.dilation, "dilation", 1, dims),
            groups=g,
            bias=check_bool(self.bias, "bias"),
        )
        if out % g:
            raise ValueError(f"groups must divide out_channels: groups={g}, out_channels={out}")
        if self.in_channels is not None:
            cin = check_int(self.in_channels, "in_channels", minimum=1)
            if cin % g:
                raise ValueError(f"groups must divide in_channels: groups={g}, in_channels={cin}")
            _fields(self, in_channels=cin)

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        c, *sizes = self._feature_map(shape, "input")
        g, out = self.groups, self.out_channels
        kernel = check_axes(self.kernel_size, "kernel_size", len(sizes), minimum=1)  # an int: every axis
        _check_channels(self, c, pytorch="" if self.in_channels is None else (
            f"Given groups={g}, weight of size [{', '.join(map(str, (out, self.in_channels // g, *kernel)))}], "
            f"expected input[{', '.join(map(str, (_batch(n), c, *sizes)))}] to have {self.in_channels} channels, "
            f"but got {c} channels instead"
        ))
        outs, arithmetic = _window("conv", (c, *sizes), kernel, self.stride, self.padding, self.dilation, False)
        params = param_count(c, out, kernel, bias=self.bias, groups=g)
        weights = param_count(c, out, kernel, bias=False, groups=g)
        return _Step((out, *outs), params, weights * math.prod(outs), arithmetic)

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        return self._window_field(size, jump, self.kernel_size, self.stride, self.dilation)


@dataclass(frozen=True, repr=False)
class Conv2d(_Conv):
    """A 2-D convolution: ``out_channels`` filters of ``kernel_size``, input channels inferred.

    Parameters
    ----------
    out_channels : int
        Number of filters, hence of output channels.
    kernel_size, stride, padding, dilation : int or (h, w) pair
        As in PyTorch's ``nn.Conv2d``; ``padding`` is added on every side.
    groups : int
        Grouped convolution; must divide ``out_channels`` (and the input channels).
    bias : bool
        One bias per filter.
    in_channels : int, optional, keyword-only
        A consistency check: ``summary`` raises if another number of channels arrives.

    Raises
    ------
    TypeError, ValueError
        A value that is not an integer, below its minimum, or ``groups`` not dividing
        ``out_channels``.

    Examples
    --------
    >>> from convdoc import Conv2d
    >>> Conv2d(64, 11, stride=4, padding=2)
    Conv2d(64, 11, stride=4, padding=2)
    """

    _dims = 2


@dataclass(frozen=True, repr=False)
class Conv1d(_Conv):
    """A 1-D convolution over a (C, L) sequence (audio samples, the tokens of a text), as ``nn.Conv1d``.

    The same arguments as :class:`Conv2d`, each an int or a ``(length,)`` tuple; a
    filter holds ``in_channels/groups * kernel_size`` weights.

    Parameters
    ----------
    out_channels : int
        Number of filters, hence of output channels.
    kernel_size, stride, padding, dilation : int or (length,) tuple
        As in PyTorch's ``nn.Conv1d``; ``padding`` is added at both ends.
    groups : int
        Grouped convolution; must divide ``out_channels`` (and the input channels).
    bias : bool
        One bias per filter.
    in_channels : int, optional, keyword-only
        A consistency check: ``summary`` raises if another number of channels arrives.

    Raises
    ------
    TypeError, ValueError
        As :class:`Conv2d`.

    Examples
    --------
    >>> from convdoc import Conv1d, summary
    >>> summary([Conv1d(128, 80, stride=16)], (1, 16000)).output_shape  # 1 s of 16 kHz audio
    (128, 996)
    """

    _dims = 1


@dataclass(frozen=True, repr=False)
class Conv3d(_Conv):
    """A 3-D convolution over a (C, D, H, W) volume (a video clip, a CT scan), as ``nn.Conv3d``.

    The same arguments as :class:`Conv2d`, each an int (the same on every axis) or a
    ``(d, h, w)`` triple; a filter holds ``in_channels/groups * kd * kh * kw`` weights.

    Parameters
    ----------
    out_channels : int
        Number of filters, hence of output channels.
    kernel_size, stride, padding, dilation : int or (d, h, w) triple
        As in PyTorch's ``nn.Conv3d``; ``padding`` is added on every side.
    groups : int
        Grouped convolution; must divide ``out_channels`` (and the input channels).
    bias : bool
        One bias per filter.
    in_channels : int, optional, keyword-only
        A consistency check: ``summary`` raises if another number of channels arrives.

    Raises
    ------
    TypeError, ValueError
        As :class:`Conv2d`.

    Examples
    --------
    >>> from convdoc import Conv3d, summary
    >>> s = summary([Conv3d(64, 3, padding=1)], (3, 16, 112, 112))  # C3D's first layer
    >>> s.output_shape, s.total_params
    ((64, 16, 112, 112), 5248)
    """

    _dims = 3


class _Pooling(Layer):
    """What the max and average pooling specs share: their checks, and a window whose stride defaults to its size."""

    _positional = ("kernel_size",)

    def __post_init__(self) -> None:
        dims = self._dims
        checked = dict(
            kernel_size=_spatial(self.kernel_size, "kernel_size", 1, dims),
            stride=None if self.stride is None else _spatial(self.stride, "stride", 1, dims),
            padding=_spatial(self.padding, "padding", 0, dims),
        )
        if self._dilated:
            checked["dilation"] = _spatial(self.dilation, "dilation", 1, dims)
        _fields(self, **checked, ceil_mode=check_bool(self.ceil_mode, "ceil_mode"))
        check_pool_padding(check_axes(self.kernel_size, "kernel_size", dims, minimum=1),
                           check_axes(self.padding, "padding", dims, minimum=0))

    @property
    def _dilated(self) -> bool:
        return "dilation" in self.__dataclass_fields__  # type: ignore[attr-defined]  (AvgPool2d has none, as in PyTorch)

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        c, *sizes = self._feature_map(shape, "input")
        stride = self.kernel_size if self.stride is None else self.stride
        dilation = self.dilation if self._dilated else 1  # type: ignore[attr-defined]
        kind = "max" if self._dilated else "avg"
        outs, arithmetic = _window(kind, (c, *sizes), self.kernel_size, stride, self.padding, dilation, self.ceil_mode)
        return _Step((c, *outs), 0, 0, arithmetic)

    def _field(self, size: int, jump: int) -> tuple[int, int]:
        stride = self.kernel_size if self.stride is None else self.stride
        return self._window_field(size, jump, self.kernel_size, stride, self.dilation if self._dilated else 1)  # type: ignore[attr-defined]


@dataclass(frozen=True, repr=False)
class _MaxPool(_Pooling):
    kernel_size: Any
    stride: Any = None
    padding: Any = 0
    dilation: Any = 1
    ceil_mode: bool = False


@dataclass(frozen=True, repr=False)
class MaxPool2d(_MaxPool):
    """Max pooling: the largest value of each window; no parameters.

    Parameters
    ----------
    kernel_size, stride, padding, dilation : int or (h, w) pair
        As in PyTorch's ``nn.MaxPool2d``: ``stride`` defaults to ``kernel_size``,
        and ``padding`` may be at most ``kernel_size // 2`` (PyTorch's rule, whatever the dilation).
    ceil_mode : bool
        Round the output size up instead of down; a window that would start in
        the right padding is dropped, as PyTorch does.

    Raises
    ------
    TypeError, ValueError
        A value that is not an integer or below its minimum, or padding larger
        than half the window.

    Examples
    --------
    >>> from convdoc import MaxPool2d
    >>> MaxPool2d(3, stride=2)
    MaxPool2d(3, stride=2)
    """

    _dims = 2


@dataclass(frozen=True, repr=False)
class MaxPool1d(_MaxPool):
    """Max pooling along a (C, L) sequence, as ``nn.MaxPool1d``; no parameters.

    Parameters
    ----------
    kernel_size, stride, padding, dilation : int or (length,) tuple
        As :class:`MaxPool2d`, along one axis.
    ceil_mode : bool
        As :class:`MaxPool2d`.

    Raises
    ------
    TypeError, ValueError
        As :class:`MaxPool2d`.

    Examples
    --------
    >>> from convdoc import MaxPool1d
    >>> MaxPool1d(4)
    MaxPool1d(4)
    """

    _dims = 1


@dataclass(frozen=True, repr=False)
class MaxPool3d(_MaxPool):
    """Max pooling over a (C, D, H, W) volume, as ``nn.MaxPool3d``; no parameters.

    Parameters
    ----------
    kernel_size, stride, padding, dilation : int or (d, h, w) triple
        As :class:`MaxPool2d`, on three axes: C3D's first pooling is
        ``MaxPool3d((1, 2, 2))``, which halves height and width but keeps every frame.
    ceil_mode : bool
        As :class:`MaxPool2d`.

    Raises
    ------
    TypeError, ValueError
        As :class:`MaxPool2d`.

    Examples
    --------
    >>> from convdoc import MaxPool3d
    >>> MaxPool3d((1, 2, 2))
    MaxPool3d((1, 2, 2))
    """

    _dims = 3


@dataclass(frozen=True, repr=False)
class _AvgPool(_Pooling):
    kernel_size: Any
    stride: Any = None
    padding: Any = 0
    ceil_mode: bool = False


@dataclass(frozen=True, repr=False)
class AvgPool2d(_AvgPool):
    """Average pooling: the mean of each window; no parameters.

    Parameters
    ----------
    kernel_size, stride, padding : int or (h, w) pair
        As in PyTorch's ``nn.AvgPool2d``: ``stride`` defaults to ``kernel_size``,
        and ``padding`` may be at most half the window.
    ceil_mode : bool
        Round the output size up, with the same rule as :class:`MaxPool2d`.

    Raises
    ------
    TypeError, ValueError
        As :class:`MaxPool2d`.

    Examples
    --------
    >>> from convdoc import AvgPool2d
    >>> AvgPool2d(2)
    AvgPool2d(2)
    """

    _dims = 2


@dataclass(frozen=True, repr=False)
class AvgPool1d(_AvgPool):
    """Average pooling along a (C, L) sequence, as ``nn.AvgPool1d``; no parameters.

    Parameters
    ----------
    kernel_size, stride, padding : int or (length,) tuple
        As :class:`AvgPool2d`, along one axis.
    ceil_mode : bool
        As :class:`MaxPool2d`.

    Raises
    ------
    TypeError, ValueError
        As :class:`MaxPool2d`.

    Examples
    --------
    >>> from convdoc import AvgPool1d
    >>> AvgPool1d(3, stride=2)
    AvgPool1d(3, stride=2)
    """

    _dims = 1


@dataclass(frozen=True, repr=False)
class AvgPool3d(_AvgPool):
    """Average pooling over a (C, D, H, W) volume, as ``nn.AvgPool3d``; no parameters.

    Parameters
    ----------
    kernel_size, stride, padding : int or (d, h, w) triple
        As :class:`AvgPool2d`, on three axes.
    ceil_mode : bool
        As :class:`MaxPool2d`.

    Raises
    ------
    TypeError, ValueError
        As :class:`MaxPool2d`.

    Examples
    --------
    >>> from convdoc import AvgPool3d
    >>> AvgPool3d(2)
    AvgPool3d(2)
    """

    _dims = 3


@dataclass(frozen=True, repr=False)
class _AdaptiveAvgPool(_Global, Layer):
    """What the adaptive average pooling specs share: a checked ``output_size``, None keeping an axis."""

    output_size: Any

    _positional = ("output_size",)

    def __post_init__(self) -> None:
        value = self.output_size
        if is_pair(value):
            check_axes(tuple(1 if v is None else v for v in value), "output_size", self._dims, minimum=1)
            value = tuple(None if v is None else check_int(v, f"output_size[{i}]", minimum=1) for i, v in enumerate(value))
        else:
            value = check_int(value, "output_size", minimum=1)
        _fields(self, output_size=value)

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        c, *sizes = self._feature_map(shape, "input")
        wanted = self.output_size if is_pair(self.output_size) else (self.output_size,) * len(sizes)
        outs = tuple(size if o is None else o for size, o in zip(sizes, wanted))
        return _Step((c, *outs), 0, 0, f"{_shape_text(tuple(sizes))} -> {_shape_text(outs)}")


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool2d(_AdaptiveAvgPool):
    """Average pooling to a fixed ``output_size`` (int or (h, w); None keeps that axis).

    Whatever the incoming height and width, the output is ``output_size``: this is
    how torchvision's AlexNet and VGG keep ``in_features`` of their first Linear
    fixed for any input size.

    Parameters
    ----------
    output_size : int or (h, w) pair
        The output height and width; ``None`` in a pair keeps that input size.

    Raises
    ------
    TypeError, ValueError
        An output size that is not a positive integer (or None inside a pair).

    Examples
    --------
    >>> from convdoc import AdaptiveAvgPool2d
    >>> AdaptiveAvgPool2d((6, 6))
    AdaptiveAvgPool2d((6, 6))
    """

    _dims = 2


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool1d(_AdaptiveAvgPool):
    """Average pooling of a (C, L) sequence to a fixed length, as ``nn.AdaptiveAvgPool1d``.

    ``AdaptiveAvgPool1d(1)`` averages each channel over time: the usual end of an
    audio or text CNN, whatever the length of the input.

    Parameters
    ----------
    output_size : int or (length,) tuple

    Raises
    ------
    TypeError, ValueError
        An output size that is not a positive integer.

    Examples
    --------
    >>> from convdoc import AdaptiveAvgPool1d
    >>> AdaptiveAvgPool1d(1)
    AdaptiveAvgPool1d(1)
    """

    _dims = 1


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool3d(_AdaptiveAvgPool):
    """Average pooling of a (C, D, H, W) volume to a fixed size, as ``nn.AdaptiveAvgPool3d``.

    Parameters
    ----------
    output_size : int or (d, h, w) triple
        ``None`` in the triple keeps that input size.

    Raises
    ------
    TypeError, ValueError
        An output size that is not a positive integer (or None inside the triple).

    Examples
    --------
    >>> from convdoc import AdaptiveAvgPool3d
    >>> AdaptiveAvgPool3d((1, 1, 1))
    AdaptiveAvgPool3d((1, 1, 1))
    """

    _dims = 3


@dataclass(frozen=True, repr=False)
class _BatchNorm(Layer):
    """What the batch-norm specs share: 2 parameters per channel, and the ``num_features`` check."""

    _keeps_field = True

    num_features: int | None = None

    _positional = ("num_features",)

    def __post_init__(self) -> None:
        if self.num_features is not None:
            _fields(self, num_features=check_int(self.num_features, "num_features", minimum=1))

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        # BatchNorm1d also normalizes flat features (N, C), as after a Linear layer
        c = shape[0] if self._dims == 1 and len(shape) == 1 else self._feature_map(shape, "channels")[0]
        if self.num_features is not None and c != self.num_features:
            raise _Reject(
                f"expects num_features={self.num_features}, but receives {_count(c, 'channel')}",
                fix=(
                    f"Write {type(self).__name__}({c}), or change the layers above to deliver "
                    f"{_count(self.num_features, 'channel')}."
                ),
                pytorch=f"running_mean should contain {c} elements not {self.num_features}",
            )
        return _Step(shape, 2 * c, 0, "")


@dataclass(frozen=True, repr=False)
class BatchNorm2d(_BatchNorm):
    """Batch normalization over channels: 2 trainable parameters (scale and shift) per channel.

    The running mean and variance are buffers, not parameters, so they are not
    counted (as in PyTorch's ``parameters()``).

    Parameters
    ----------
    num_features : int, optional
        A consistency check, as PyTorch's ``nn.BatchNorm2d(num_features)``:
        ``summary`` raises if another number of channels arrives.

    Raises
    ------
    TypeError, ValueError
        A ``num_features`` that is not a positive integer.

    Examples
    --------
    >>> from convdoc import BatchNorm2d
    >>> BatchNorm2d(), BatchNorm2d(64)
    (BatchNorm2d(), BatchNorm2d(64))
    """

    _dims = 2


@dataclass(frozen=True, repr=False)
class BatchNorm1d(_BatchNorm):
    """Batch normalization of a (C, L) sequence or of C flat features: 2 parameters per channel.

    As ``nn.BatchNorm1d``, which takes (N, C, L) or (N, C): it may follow a Conv1d
    or a Linear layer.

    Parameters
    ----------
    num_features : int, optional
        A consistency check, as :class:`BatchNorm2d`.

    Raises
    ------
    TypeError, ValueError
        A ``num_features`` that is not a positive integer.

    Examples
    --------
    >>> from convdoc import BatchNorm1d, Flatten, Linear, summary
    >>> summary([Flatten(), Linear(256), BatchNorm1d()], (64, 4, 4)).rows[-1].params
    512
    """

    _dims = 1


@dataclass(frozen=True, repr=False)
class BatchNorm3d(_BatchNorm):
    """Batch normalization of a (C, D, H, W) volume: 2 parameters per channel, as ``nn.BatchNorm3d``.

    Parameters
    ----------
    num_features : int, optional
        A consistency check, as :class:`BatchNorm2d`.

    Raises
    ------
    TypeError, ValueError
        A ``num_features`` that is not a positive integer.

    Examples
    --------
    >>> from convdoc import BatchNorm3d
    >>> BatchNorm3d(64)
    BatchNorm3d(64)
    """

    _dims = 3


class _Elementwise(Layer):
    """A layer that acts on each value alone (ReLU, ReLU6, Dropout): the same shape, no parameters, no MACs."""

    _keeps_field = True

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        return _Step(shape, 0, 0, "")


@dataclass(frozen=True, repr=False)
class ReLU(_Elementwise):
    """``max(x, 0)`` element by element: same shape, no parameters.

    Examples
    --------
    >>> from convdoc import ReLU
    >>> ReLU()
    ReLU()
    """


@dataclass(frozen=True, repr=False)
class Flatten(_Global, Layer):
    """(C, H, W) becomes C*H*W features (the batch axis N, if any, is kept), like ``nn.Flatten()``.

    Examples
    --------
    >>> from convdoc import Flatten
    >>> Flatten()
    Flatten()
    """

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        if len(shape) == 1:
            return _Step(shape, 0, 0, "")
        features = math.prod(shape)
        return _Step((features,), 0, 0, f"{'*'.join(map(str, shape))} = {features}")


@dataclass(frozen=True, repr=False)
class Linear(_Global, Layer):
    """A fully connected layer: ``out_features`` outputs, ``in_features`` inferred from the input.

    Parameters
    ----------
    out_features : int
        Number of outputs.
    bias : bool
        One bias per output.
    in_features : int, optional, keyword-only
        A consistency check: ``summary`` raises, with the arithmetic, if another
        number of features arrives.

    Raises
    ------
    TypeError, ValueError
        A value that is not a positive integer, or ``bias`` not a bool.

    Examples
    --------
    >>> from convdoc import Linear
    >>> Linear(4096, in_features=9216)
    Linear(4096, in_features=9216)
    """

    out_features: int
    bias: bool = True
    _: KW_ONLY
    in_features: int | None = None

    _positional = ("out_features",)

    def __post_init__(self) -> None:
        _fields(
            self,
            out_features=check_int(self.out_features, "out_features", minimum=1),
            bias=check_bool(self.bias, "bias"),
        )
        if self.in_features is not None:
            _fields(self, in_features=check_int(self.in_features, "in_features", minimum=1))

    def _apply(self, shape: tuple[int, ...], n: int | None) -> _Step:
        out = self.out_features
        if len(shape) != 1:
            features = math.prod(shape)
            pytorch = ""
            if self.in_features is not None and shape[-1] != self.in_features:
                rows = _batch(n) * features // shape[-1]
                pytorch = (
                    f"mat1 and mat2 shapes cannot be multiplied ({rows}x{shape[-1]} and "
                    f"{self.in_features}x{out})"
                )
            raise _Reject(
                f"receives a {_shape_text(shape)} feature map, but a Linear layer needs flat "
                f"features (PyTorch's nn.Linear would act on the last axis, of size {shape[-1]}, only)",
                fix=(
                    f"Add Flatten() before it: Flatten turns the {_shape_text(shape)} feature map into "
                    f"{'*'.join(map(str, shape))} = {features} features."
                ),
                pytorch=pytorch,
            )
        (features,) = shape
        if self.in_features is not None and features != self.in_features:
            raise _Reject(
                f"expects in_features={self.in_features}, but receives {_count(features, 'feature')}",
                fix=(
                    f"Write Linear({out}, in_features={features}), or change the layers above to deliver "
                    f"{_count(self.in_features, 'feature')}."
                ),
                pytorch=(
                    f"mat1 and mat2 shapes cannot be multiplied ({_batch(n)}x{features} and "
                    f"{self.in_features}x{out})"
                ),
            )
        # a Linear layer is a 1x1 convolution of a 1x1 input: the same parameter formula
        params = param_count(features, out, 1, bias=self.bias)
        weights = param_count(features, out, 1, bias=False)
        return _Step((out,), params, weights, f"in_features = {features}")


# --- the summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One layer of a :class:`Summary`.

    ``index`` is the position in its list (``layers[index]`` at the top level);
    ``arithmetic`` says how the output shape was computed (empty for layers that
    keep the shape). A block (:class:`convdoc.Sequential`, :class:`convdoc.Residual`,
    :class:`convdoc.Concat`) has its own ``rows``, its parameters and MACs are
    their sums, and ``key`` is how its container names a row (``"layers[4]"``,
    ``"[0]"``, ``".body[2]"``): the keys from the top down make a path such as
    ``layers[4][0].body[2]``, which is also the Python expression that reaches the
    layer in the list of specs.
    """

    index: int
    layer: Layer
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    macs: int
    arithmetic: str
    key: str = ""
    rows: tuple[Row, ...] = ()

    @property
    def output_bytes(self) -> int:
        """The memory of this row's output as float32, all N samples: the activations it keeps."""
        return math.prod(self.output_shape) * FLOAT32_BYTES


_HEADERS = {
    "en": ("#", "layer", "output shape", "params", "MACs", "size arithmetic", "input", "total"),
    "zh": ("序号", "层", "输出形状", "参数量", "乘加次数（MACs）", "尺寸怎么算", "输入", "合计"),
}

FLOAT32_BYTES = 4  # every value counted by Totals is a float32, as torchinfo assumes
MB = 10**6  # torchinfo's megabyte


@dataclass(frozen=True)
class Totals:
    """The totals of a :class:`Summary` as torchinfo prints them under its table.

    Conventions (the same as torchinfo 1.8 unless said otherwise):

    - ``total_params``: every parameter once; all are trainable (no frozen layers here).
    - ``total_macs``: the multiply-accumulates of the Conv2d, ConvTranspose2d and Linear
      weights, for all N samples, as PyTorch's ``FlopCounterMode`` (its FLOPs / 2).
      *Differs from torchinfo*, whose "mult-adds" also count one per bias and per
      BatchNorm parameter (per sample); for ResNet-50 both round to 4.09 G.
    - ``input_mb``: the input tensor, float32, batch included, in MB of 10**6 bytes.
    - ``forward_backward_mb``: the outputs of the layers that have parameters
      (convolutions, BatchNorm, Linear; not ReLU, pooling or the sum of a residual
      block), counted twice (the value and its gradient), float32.
    - ``params_mb``: the parameters, float32.
    - ``total_mb``: the sum of the three.
    """

    total_params: int
    total_macs: int
    input_mb: float
    forward_backward_mb: float
    params_mb: float

    @property
    def total_mb(self) -> float:
        return self.input_mb + self.forward_backward_mb + self.params_mb

    def __str__(self) -> str:
        return "\n".join([
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.total_params:,}",
            "Non-trainable params: 0",
            f"Total mult-adds: {self.total_macs:,} ({self.total_macs / 1e9:.2f} G)",
            f"Input size (MB): {self.input_mb:.2f}",
            f"Forward/backward pass size (MB): {self.forward_backward_mb:.2f}",
            f"Params size (MB): {self.params_mb:.2f}",
            f"Estimated Total Size (MB): {self.total_mb:.2f}",
        ])


def _leaves(rows: tuple[Row, ...]) -> Any:
    for r in rows:
        if r.rows:
            yield from _leaves(r.rows)
        else:
            yield r


@dataclass(frozen=True)
class Summary:
    """What ``summary`` returns: one :class:`Row` per layer and the totals.

    ``str(s)`` is a plain-text table, ``s.to_markdown(lang)`` a Markdown one; both
    show the rows of blocks down to ``depth`` (1: the top level only).
    ``macs`` count the multiply-accumulates of the convolution and Linear weights for the
    whole input (all N samples); pooling, ReLU and BatchNorm count 0.
    ``s.totals`` gives the figures torchinfo prints under its table.
    """

    rows: tuple[Row, ...]
    input_shape: tuple[int, ...]
    depth: int = 3

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.rows[-1].output_shape if self.rows else self.input_shape

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def total_macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def totals(self) -> Totals:
        """Params, MACs and memory as torchinfo's footer (see :class:`Totals` for the conventions)."""
        activations = sum(r.output_bytes for r in _leaves(self.rows) if r.params)
        return Totals(
            self.total_params,
            self.total_macs,
            math.prod(self.input_shape) * FLOAT32_BYTES / MB,
            2 * activations / MB,
            self.total_params * FLOAT32_BYTES / MB,
        )

    def walk(self, depth: int | None = None) -> Any:
        """Every row down to ``depth`` (all if None), parents first: ``(path, level, row)`` tuples.

        ``path`` is the expression that reaches the layer (``"layers[4][0].body[2]"``),
        ``level`` is 1 for the rows of ``s.rows``, 2 for theirs, and so on.
        """

        def down(rows: tuple[Row, ...], prefix: str, level: int) -> Any:
            for r in rows:
                path = prefix + r.key
                yield path, level, r
                if depth is None or level < depth:
                    yield from down(r.rows, path, level + 1)

        return down(self.rows, "", 1)

    def __repr__(self) -> str:
        return (
            f"<Summary of {len(self.rows)} layers: {self.input_shape} -> {self.output_shape}, "
            f"{self.total_params:,} parameters>"
        )

    def _cells(self, lang: str, indent: bool) -> list[tuple[str, ...]]:
        h = _HEADERS[lang]
        cells = [("", h[6], str(self.input_shape), "", "", "")]
        for path, level, r in self.walk(self.depth):
            if level == 1:
                number, label = str(r.index), r.layer._label()
            elif indent:  # the text table: indented under its block, with its key there
                number, label = "", "  " * (level - 1) + f"{r.key.lstrip('.')} {r.layer._label()}"
            else:  # Markdown cannot indent: the path, without the list's name
                number, label = path.removeprefix("layers"), r.layer._label()
            cells.append((number, label, str(r.output_shape), f"{r.params:,}", f"{r.macs:,}", r.arithmetic))
        cells.append(("", h[7], "", f"{self.total_params:,}", f"{self.total_macs:,}", ""))
        return cells

    def __str__(self) -> str:
        head = _HEADERS["en"][:5]
        cells = [c[:5] for c in self._cells("en", indent=True)]
        widths = [max(len(row[i]) for row in [head, *cells]) for i in range(5)]
        right = (True, False, False, True, True)

        def line(row: tuple[str, ...]) -> str:
            parts = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(row, widths, right)]
            return "  ".join(parts).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([line(head), rule, *(line(c) for c in cells[:-1]), rule, line(cells[-1])])

    def to_markdown(self, lang: str = "zh") -> str:
        """A Markdown table (headers in ``"zh"`` or ``"en"``), with the size arithmetic per layer.

        Rows inside blocks (down to the summary's ``depth``) are numbered by their path.

        Examples
        --------
        >>> from convdoc import Conv2d, Flatten, summary
        >>> print(summary([Conv2d(2, 3), Flatten()], (1, 5, 5)).to_markdown("en"))
        | # | layer | output shape | params | MACs | size arithmetic |
        |---:|---|---|---:|---:|---|
        |  | input | (1, 5, 5) |  |  |  |
        | 0 | `Conv2d(2, 3)` | (2, 3, 3) | 20 | 162 | `floor((5 + 2*0 - 3)/1) + 1 = 3` |
        | 1 | `Flatten()` | (18,) | 0 | 0 | `2*3*3 = 18` |
        |  | **total** |  | **20** | **162** |  |
        """
        cells = self._cells(check_lang(lang), indent=False)
        out = ["| " + " | ".join(_HEADERS[lang][:6]) + " |", "|---:|---|---|---:|---:|---|"]
        for i, (idx, layer, shape, params, macs, arith) in enumerate(cells):
            if i == len(cells) - 1:
                layer, params, macs = f"**{layer}**", f"**{params}**", f"**{macs}**"
            elif i > 0:
                layer = f"`{layer}`"
            arith = f"`{arith}`" if arith else ""
            out.append(f"| {idx} | {layer} | {shape} | {params} | {macs} | {arith} |")
        return "\n".join(out)


_STOP = object()  # a Flatten or a Linear: no spatial layer before it


def _first_spatial(layers: Any, key: Any) -> tuple[str, Layer] | None:
    """(path, layer) of the first layer with spatial axes, looking into blocks; None if a Flatten or Linear comes first."""
    found = _first_in(layers, key)
    return None if found is _STOP else found  # type: ignore[return-value]


def _first_in(layers: Any, key: Any) -> Any:
    for i, layer in enumerate(layers):
        if isinstance(layer, (Flatten, Linear)):
            return _STOP
        if getattr(layer, "_dims", None):
            return key(i), layer
        # a block: its first path (Sequential's layers, a Residual's body, a Concat's first branch)
        inner = getattr(layer, "layers", None) or getattr(layer, "body", None) or next(iter(getattr(layer, "branches", ())), None)
        if inner:
            found = _first_in(inner, lambda j, i=i: f"{key(i)}[{j}]")
            if found is not None:
                return found
    return None


def _check_input_shape(input_shape: Any, first: tuple[str, Layer] | None = None) -> tuple[int, ...]:
    """The checked input shape; ``first`` is the first layer with spatial axes (path, layer), which sets their number."""
    dims = 2 if first is None else first[1]._dims or 2
    by = "" if dims == 2 else f" for a network whose {first[0]} is {type(first[1]).__name__}"  # type: ignore[index]
    maps = (_MAPS[dims], f"(N, {_MAPS[dims][1:]}")
    if not isinstance(input_shape, (tuple, list)):
        raise TypeError(
            f"input_shape must be a {maps[0]} or {maps[1]} tuple{by}, got {input_shape!r} "
            f"({type(input_shape).__name__})"
        )
    if len(input_shape) not in (dims + 1, dims + 2):
        hint = ""
        if len(input_shape) == 2 and dims == 2:
            hint = f"; for a single-channel image write (1, {input_shape[0]}, {input_shape[1]})"
        elif len(input_shape) == dims and dims != 2:
            hint = f"; for a single channel write {(1, *input_shape)!r}"
        raise ValueError(
            f"input_shape must be {maps[0]} or {maps[1]}{by}, got {tuple(input_shape)!r} "
            f"({len(input_shape)} values){hint}"
        )
    return tuple(check_int(v, f"input_shape[{i}]", minimum=1, maximum=MAX_SIZE) for i, v in enumerate(input_shape))


def _check_layer(where: str, layer: Any) -> Layer:
    """A layer spec, or a TypeError naming ``where`` (``layers[3]``, ``layers[3].body[1]``)."""
    if isinstance(layer, Layer):
        return layer
    if isinstance(layer, type) and issubclass(layer, Layer):
        raise TypeError(f"{where} is the class {layer.__name__} itself, not a layer: write {layer.__name__}()")
    hint = (
        "; join lists with + instead of nesting them, or wrap the inner list in Sequential(...)"
        if isinstance(layer, (list, tuple)) else ""
    )
    raise TypeError(
        f"{where} must be a layer spec (Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, "
        f"BatchNorm2d, ReLU, Flatten, Linear, their 1d and 3d versions, or a block such as Sequential, "
        f"Residual or Concat), got {layer!r} ({type(layer).__name__}){hint}"
    )


def _history(trail: list[tuple[str, Row]], input_shape: tuple[int, ...], shape: tuple[int, ...]) -> str:
    if not trail:
        return f"It receives input_shape {input_shape} directly."
    lines = [f"How input_shape {input_shape} became {shape}:"]
    changed = [(path, r) for path, r in trail if r.output_shape != r.input_shape]
    for path, r in changed:
        how = f": {r.arithmetic}" if r.arithmetic else ""
        lines.append(f"  {path} {r.layer._label()}{how} -> {r.output_shape}")
    if not changed:
        lines.append("  (no layer before it changes the shape)")
    return "\n".join(lines)


def _chain(layers: Any, shape: tuple[int, ...], n: int | None, key: Any) -> tuple[tuple[Row, ...], tuple[int, ...]]:
    """Run checked layer specs one after the other; ``key(i)`` names row i in its container.

    ``shape`` has no batch axis; the rows' shapes have it when ``n`` is given. A refusal
    leaves with the path down to the refusing layer and the rows before it on that path.
    """
    batch = () if n is None else (n,)
    rows: list[Row] = []
    for i, layer in enumerate(layers):
        try:
            step = layer._apply(shape, n)
        except _Reject as r:
            here = key(i)
            if r.layer is None:
                r.layer, r.arrived = layer, batch + shape
            r.trail = [(key(j), row) for j, row in enumerate(rows)] + [(here + p, row) for p, row in r.trail]
            r.where = here + r.where
            raise
        rows.append(Row(
            i, layer, batch + shape, batch + step.shape, step.params, step.macs * _batch(n), step.arithmetic,
            key(i), step.rows,
        ))
        shape = step.shape
    return tuple(rows), shape


def summary(layers: Any, input_shape: Any, *, depth: int = 3) -> Summary:
    """Output shape, parameters and MACs of every layer of a network, and the totals.

    Parameters
    ----------
    layers : sequence of layer specs
        ``Conv2d``, ``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d``,
        ``BatchNorm2d``, ``ReLU``, ``Flatten`` and ``Linear``, first layer first, the 1-D
        (``Conv1d``...) and 3-D (``Conv3d``...) versions of the first five, more layers
        (``ReLU6``, ``Dropout``, ``Upsample``, ``ConvTranspose2d``), and blocks that hold
        layers (``Sequential``, ``Residual``, ``Concat``). Input channels and
        ``in_features`` are taken from the incoming shape.
    input_shape : tuple of int
        ``(C, H, W)``, or ``(N, C, H, W)`` to keep a batch axis N in every shape
        (MACs then count all N samples). For a network whose first spatial layer is
        1-D, ``(C, L)`` or ``(N, C, L)``; 3-D, ``(C, D, H, W)`` or ``(N, C, D, H, W)``
        (PyTorch reads a 4-D tensor the same way: a batch for Conv2d, one volume
        for Conv3d).
    depth : int
        How deep the printed tables go into blocks, as torchinfo's ``depth``: 1
        shows the top-level rows only. The rows themselves always hold everything.

    Returns
    -------
    Summary
        ``.rows`` (each with ``.output_shape``, ``.params``, ``.macs``,
        ``.arithmetic``, and a block's own ``.rows``), ``.output_shape``,
        ``.total_params``, ``.total_macs``, ``.totals`` (torchinfo's footer);
        ``str()`` gives a text table and ``.to_markdown(lang)`` a Markdown table.

    Raises
    ------
    TypeError
        ``layers`` is not a list of layer specs, or ``input_shape`` not a tuple of ints.
    ValueError
        A layer cannot take what arrives: a channel or ``in_features`` check that
        fails, a Linear that receives a feature map (add Flatten), a convolution or
        pooling after Flatten, an empty output, or two paths of a block that do not
        fit together. The message names the layer by its path (``layers[i]``, or
        ``layers[4][0].body[2]`` inside blocks), what it expected, what arrived,
        the arithmetic of the layers before it, and the error PyTorch would give.

    Examples
    --------
    LeNet-5 with the full C3 layer, as most frameworks build it today:

    >>> from convdoc import Conv2d, MaxPool2d, ReLU, Flatten, Linear, summary
    >>> s = summary([
    ...     Conv2d(6, 5), ReLU(), MaxPool2d(2),
    ...     Conv2d(16, 5), ReLU(), MaxPool2d(2),
    ...     Flatten(), Linear(120), ReLU(), Linear(84), ReLU(), Linear(10),
    ... ], (1, 32, 32))
    >>> s.rows[7].input_shape  # what the first Linear receives: in_features = 400
    (400,)
    >>> s.output_shape, s.total_params
    ((10,), 61706)
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError(
            f"layers must be a list of layer specs such as [Conv2d(6, 5), ReLU()], got {layers!r} "
            f"({type(layers).__name__})"
        )
    layers = [_check_layer(f"layers[{i}]", layer) for i, layer in enumerate(layers)]
    # the first layer with spatial axes (before Flatten or Linear end them) tells whether input_shape
    # has a batch axis, as in PyTorch: (1, 3, 32, 32) is a batch of one for a Conv2d, one volume for a Conv3d
    first = _first_spatial(layers, lambda i: f"layers[{i}]")
    full = _check_input_shape(input_shape, first)
    depth = check_int(depth, "depth", minimum=1)
    n = full[0] if len(full) == (first[1]._dims if first else 2) + 2 else None
    try:
        rows, _ = _chain(layers, full if n is None else full[1:], n, lambda i: f"layers[{i}]")
    except _Reject as r:
        reason = r.reason if r.reason.endswith((".", ":")) or "\n" in r.reason else r.reason + "."
        parts = [f"{r.where} {r.layer._label()} {reason}", _history(r.trail, full, r.arrived)]  # type: ignore[union-attr]
        if r.fix:
            parts.append(r.fix)
        if r.pytorch:
            parts.append(f'In PyTorch this is the error "{r.pytorch}".')
        raise ValueError("\n".join(parts).replace(_HERE, r.where)) from None
    return Summary(rows, full, depth)
