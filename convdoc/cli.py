"""The ``convdoc`` command: quick answers from the shell.

``convdoc size``, ``convdoc params``, ``convdoc summary`` and ``convdoc rf`` print the
arithmetic of :func:`convdoc.output_size` (with SAME padding, :func:`convdoc.padding_for`;
transposed, :func:`convdoc.transposed_output_size`), :func:`convdoc.param_count`,
:func:`convdoc.summary` and :func:`convdoc.receptive_fields`. Sizes have one, two or
three axes: ``224``, ``7x5``, ``16x112x112``. ``python -m convdoc`` runs the same command. Bad input
prints a message on stderr and exits with status 2 (argparse's convention);
success exits with 0.

A network is given as a compact spec, e.g. ``"conv:64:3:p1,relu,maxpool:2,flatten,linear:10"``;
:func:`parse_spec` turns it into layer specs:

>>> from convdoc.cli import parse_spec
>>> layers, input_shape = parse_spec("input:3x32x32, conv:64:3:p1, relu, maxpool:2, flatten, linear:10")
>>> layers
[Conv2d(64, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(10)]
>>> input_shape
(3, 32, 32)
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
import unicodedata
from typing import Any, Sequence

from . import __version__, networks
from ._checks import MAX_SIZE, check_int
from .blocks import Concat, Residual
from .layers import ConvTranspose2d, Dropout, ReLU6, Upsample
from .network import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveAvgPool3d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    Conv1d,
    Conv2d,
    Conv3d,
    Flatten,
    Layer,
    Linear,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    ReLU,
    _axis,
    summary,
)
from .sizes import AXIS_NAMES, output_size, padding_for, param_count, receptive_fields, transposed_output_size

__all__ = ["main", "parse_spec", "SpecError"]

SPEC_HELP = """\
spec syntax
  Layers are separated by commas (or semicolons, or new lines in a file); '#' starts a
  comment. A layer is a name followed by colon-separated arguments: its positional
  values first, then options. A size is N, HxW or DxHxW (3; 3x5 for height 3, width 5;
  1x2x2 for depth 1, height 2, width 2).

  conv:OUT:K[:sS][:pP][:dD][:gG][:nobias][:inC]
        Conv2d(OUT, K, stride=S, padding=P, dilation=D, groups=G, bias=False,
        in_channels=C); input channels come from the previous layer, inC only checks
  maxpool:K[:sS][:pP][:dD][:ceil]   MaxPool2d(K, stride=S, ...); stride defaults to K
  avgpool:K[:sS][:pP][:ceil]        AvgPool2d(K, stride=S, padding=P, ceil_mode=True)
  adaptiveavgpool:S                 AdaptiveAvgPool2d(S), e.g. adaptiveavgpool:6x6
  bn[:C]                            BatchNorm2d(C): 2 parameters per channel
  relu, relu6                       ReLU(), ReLU6()
  dropout[:P]                       Dropout(P), P from 0 to 1 (default 0.5): no parameters
  flatten                           Flatten(): (C, H, W) becomes C*H*W features
  linear:OUT[:nobias][:inF]         Linear(OUT, in_features=F); inF only checks
  upsample:S                        Upsample(scale_factor=S)
  convt:OUT:K[:sS][:pP][:opA][:nobias]
        ConvTranspose2d(OUT, K, stride=S, padding=P, output_padding=A, bias=False)
  input:CxHxW or input:NxCxHxW      the input shape, as the first item (--input overrides it)

  1-D and 3-D layers take the same arguments: conv1d, maxpool1d, avgpool1d, bn1d,
  adaptiveavgpool1d on an input CxL (e.g. input:1x16000, one second of 16 kHz audio);
  conv3d, maxpool3d, avgpool3d, bn3d, adaptiveavgpool3d on an input CxDxHxW (e.g.
  input:3x16x112x112, a 16-frame clip), with DxHxW sizes such as maxpool3d:1x2x2.

  Branches (nested to any depth; '|' separates the paths):
  res(BODY)                         Residual(BODY): BODY(x) + x
  res(BODY | SHORTCUT)              Residual(BODY, SHORTCUT): BODY(x) + SHORTCUT(x), e.g. a
                                    projection res(conv:128:3:s2:p1,bn,relu,conv:128:3:p1,bn | conv:128:1:s2,bn)
  cat(B1 | B2 | ...)                Concat(B1, B2, ...): the branches' channels side by side;
                                    an empty branch is the input itself: cat( | bn,relu,conv:32:3:p1)
  A layer inside a block is named by its path, e.g. layers[3].body[1] or layers[5].branches[2][0].

  A network of the model zoo by its torchvision name instead of a spec: resnet50, mobilenet_v2...
  (convdoc.networks); the input defaults to 3x224x224 (lenet5: 1x32x32).

  Options may be spelled out: stride=2, padding=1, dilation=2, groups=2, bias=false,
  in_channels=64, in_features=9216, ceil_mode=true, p=0.2. Aliases: conv2d, maxpool2d,
  avgpool2d, adaptiveavgpool2d, adaptive, batchnorm, batchnorm2d, batchnorm1d,
  batchnorm3d, fc.

examples
  convdoc summary "conv:6:5,relu,maxpool:2,conv:16:5,relu,maxpool:2,flatten,linear:120,relu,linear:84,relu,linear:10" --input 1x32x32
  convdoc summary "conv3d:64:3:p1,relu,maxpool3d:1x2x2,conv3d:128:3:p1,relu,maxpool3d:2" -i 3x16x112x112
  convdoc summary "conv:32:3:p1,relu,maxpool:2,conv:64:3:p1,relu,maxpool:2,flatten" -i 3x32x32
      (end with flatten: the output shape is the in_features of your first Linear)
  convdoc summary --file vgg16.txt --markdown
  convdoc summary resnet50 -i 3x224x224 --depth 2 --totals
  convdoc summary "conv:64:3:p1, res(conv:64:3:p1,bn,relu,conv:64:3:p1,bn), relu, cat(conv:32:1 | maxpool:3:s1:p1,conv:32:1)" -i 3x32x32
"""

# name -> (spec class, required positional fields, optional positional fields, options)
_LAYERS: dict[str, tuple[type[Layer], tuple[str, ...], tuple[str, ...], frozenset[str]]] = {}
for _suffix, (_conv, _max, _avg, _adaptive, _bn) in {
    "": (Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm2d),
    "1d": (Conv1d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, BatchNorm1d),
    "3d": (Conv3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, BatchNorm3d),
}.items():
    _LAYERS.update({
        f"conv{_suffix}": (
            _conv,
            ("out_channels", "kernel_size"),
            (),
            frozenset({"stride", "padding", "dilation", "groups", "bias", "in_channels"}),
        ),
        f"maxpool{_suffix}": (_max, ("kernel_size",), (), frozenset({"stride", "padding", "dilation", "ceil_mode"})),
        f"avgpool{_suffix}": (_avg, ("kernel_size",), (), frozenset({"stride", "padding", "ceil_mode"})),
        f"adaptiveavgpool{_suffix}": (_adaptive, ("output_size",), (), frozenset()),
        f"bn{_suffix}": (_bn, (), ("num_features",), frozenset()),
    })
_LAYERS.update({
    "relu": (ReLU, (), (), frozenset()),
    "relu6": (ReLU6, (), (), frozenset()),
    "dropout": (Dropout, (), ("p",), frozenset({"p"})),
    "flatten": (Flatten, (), (), frozenset()),
    "linear": (Linear, ("out_features",), (), frozenset({"bias", "in_features"})),
    "upsample": (Upsample, ("scale_factor",), (), frozenset()),
    "convt": (
        ConvTranspose2d,
        ("out_channels", "kernel_size"),
        (),
        frozenset({"stride", "padding", "output_padding", "dilation", "groups", "bias", "in_channels"}),
    ),
})
del _suffix, _conv, _max, _avg, _adaptive, _bn
_ALIASES = {
    "conv2d": "conv",
    "maxpool2d": "maxpool",
    "avgpool2d": "avgpool",
    "adaptiveavgpool2d": "adaptiveavgpool",
    "adaptive": "adaptiveavgpool",
    "batchnorm": "bn",
    "batchnorm2d": "bn",
    "batchnorm1d": "bn1d",
    "batchnorm3d": "bn3d",
    "fc": "linear",
    "convtranspose": "convt",
    "convtranspose2d": "convt",
}
_SHORT = {"s": "stride", "p": "padding", "d": "dilation", "g": "groups", "op": "output_padding"}
_FLAGS = {"nobias": ("bias", False), "ceil": ("ceil_mode", True)}
_BOOLEANS = {"true": True, "false": False}
# Numbers on the command line and in a spec: an optional minus sign and decimal digits (any
# script's decimal digits, as Python's int() reads them: '٣' and '３' are 3). Every number is
# checked against its field's minimum and against MAX_SIZE, convdoc's limit for sizes, before
# it reaches the library; a number with more digits than MAX_SIZE is refused without int(),
# so Python's 4300-digit limit never shows and a huge number is quoted by its first digits.
_INT = re.compile(r"-?\d+")
_SIZE = re.compile(r"-?\d+(?:x-?\d+){0,2}")
_NUMBERISH = re.compile(r"[-+.\d]")  # a token that starts like a number is read as one
_MINIMUM = {"padding": 0, "output_padding": 0}  # every other field is at least 1
_MAX_DIGITS = len(str(MAX_SIZE))
_PYTHON_DIGITS = 4300  # sys.get_int_max_str_digits() by default
# counts, unlimited in the library as in PyTorch: only spatial sizes are at most MAX_SIZE
_COUNTS = {"in_channels", "out_channels", "in_features", "out_features", "groups", "num_features"}
_INT_RULE = "expected an integer"
_SIZE_RULE = "expected an integer, HxW or DxHxW (e.g. 3 or 3x5)"
_PADDING_RULE = "expected an integer, HxW, DxHxW, same, valid or full"
_PROBABILITY = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")


class SpecError(ValueError):
    """A network spec that cannot be read; the message names the item and the rule."""


def _short(text: str, limit: int = 40) -> str:
    """``repr(text)`` for an error message: long runs of digits and long texts are cut.

    >>> _short("conv:" + "9" * 5000 + ":3")
    "'conv:99999999...:3' (5,007 characters)"
    """
    cut = re.sub(r"\d{13,}", lambda m: m[0][:8] + "...", text)
    if len(cut) > limit:
        cut = cut[: limit - 3] + "..."
    return repr(cut) + (f" ({len(text):,} characters)" if len(text) > limit else "")


def _integer(text: str, name: str, minimum: int) -> int:
    """One checked number, with the library's own limits and messages; a ValueError names ``name``.

    Spatial sizes are at most MAX_SIZE; counts (channels, features, groups) have no limit
    in the library, only Python's: the command reads numbers of at most 4,300 digits.
    ``text`` already matches ``-?\\d+``.
    """
    negative = text.startswith("-")
    digits = text.lstrip("-")
    if not digits.isascii():
        digits = "".join(str(unicodedata.decimal(c)) for c in digits)
    digits = digits.lstrip("0") or "0"
    maximum = None if name.split("[")[0] in _COUNTS else MAX_SIZE
    number = f"{'-' if negative else ''}{digits[:8]}... (a {len(digits):,}-digit number)"
    if maximum is None and len(digits) > _PYTHON_DIGITS and not negative:
        raise ValueError(f"{name} has {len(digits):,} digits; the convdoc command reads numbers of at most "
                         f"{_PYTHON_DIGITS:,} digits (Python's limit), got {number}")
    if len(digits) <= (_MAX_DIGITS if maximum is not None else _PYTHON_DIGITS):
        return check_int(-int(digits) if negative else int(digits), name, minimum=minimum, maximum=maximum)
    # too many digits for any allowed value: check_int words the rule, we quote the number
    stand_in = minimum - 1 if negative else MAX_SIZE + 1
    try:
        check_int(stand_in, name, minimum=minimum, maximum=maximum)
    except ValueError as exc:
        rule = str(exc).rsplit(", got ", 1)[0]
    raise ValueError(f"{rule}, got {number}")


def _value(text: str, name: str) -> Any:
    """'3' -> 3, '3x5' -> (3, 5), '16x112x112' -> (16, 112, 112), each number checked by :func:`_integer`.

    A ValueError names ``name``. Dropout's ``p`` is the one number that is not an integer.

    >>> _value("3x5", "kernel_size")
    (3, 5)
    >>> _value("2.5", "stride")
    Traceback (most recent call last):
    ValueError: stride must be an integer, HxW or DxHxW, got '2.5'
    >>> _value("9" * 5000, "kernel_size")
    Traceback (most recent call last):
    ValueError: kernel_size must be at most 2,147,483,647 (2**31 - 1, convdoc's limit for sizes), got 99999999... (a 5,000-digit number)
    """
    text = text.strip().lower()
    if name == "p":  # Dropout's probability: Dropout checks the range
        if not _PROBABILITY.fullmatch(text):
            raise ValueError(f"p must be a probability such as 0.5, got {_short(text)}")
        return float(text)
    if not _SIZE.fullmatch(text):
        raise ValueError(f"{name} must be an integer, HxW or DxHxW, got {_short(text)}")
    minimum = _MINIMUM.get(name, 1)
    parts = text.split("x")
    if len(parts) == 1:
        return _integer(parts[0], name, minimum)
    return tuple(_integer(p, f"{name}[{i}]", minimum) for i, p in enumerate(parts))


def _shape(text: str, where: str) -> tuple[int, ...]:
    """'3x224x224', '3,224,224' or '(3, 224, 224)' -> (3, 224, 224); ``where`` names the source.

    2 to 5 values: CxL, CxHxW, CxDxHxW, with or without N first; summary checks them
    against the network's layers.
    """
    cleaned = text.strip().strip("()[]").replace(" ", "").lower()
    parts = re.split(r"[x,]", cleaned)
    if not 2 <= len(parts) <= 5 or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise SpecError(
            f"{where}: an input shape is CxHxW or NxCxHxW (CxL or CxDxHxW for 1-D and 3-D layers) with "
            f"positive integers (e.g. 3x224x224), got {_short(text)}"
        )
    try:
        return tuple(_integer(p, f"input_shape[{i}]", 1) for i, p in enumerate(parts))
    except ValueError as exc:
        raise SpecError(f"{where} {_short(text)}: {exc}") from None


_BLOCK = re.compile(r"(res|residual|cat|concat)\s*\((.*)\)", re.DOTALL | re.IGNORECASE)


def _split(text: str, separators: str, where: str) -> list[str]:
    """Split ``text`` at the separators outside parentheses; a SpecError names unbalanced ones."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise SpecError(f"{where}: a ')' without its '(' in {_short(text)}")
        elif depth == 0 and char in separators:
            parts.append(text[start:i])
            start = i + 1
    if depth:
        raise SpecError(f"{where}: a '(' without its ')' in {_short(text)}")
    return [*parts, text[start:]]


def _chain(text: str, path: str, where: str) -> list[Layer]:
    """The layers of one path of a block: items separated by commas, each a layer or a block."""
    items = [item.strip() for item in _split(text, ",;\n", where)]
    items = [] if items == [""] else items
    for i, item in enumerate(items):
        if not item:
            raise SpecError(f"{path}[{i}] in {where}: an empty item (two commas in a row, or a trailing comma)")
    return [_item(f"{path}[{i}]", item) for i, item in enumerate(items)]


def _item(path: str, item: str) -> Layer:
    """One item of a spec: a layer, or a block res(...) / cat(...) whose layers are named below ``path``."""
    m = _BLOCK.fullmatch(item.strip())
    if m is None:
        if "(" in item or ")" in item or "|" in item:
            raise SpecError(
                f"{path} {_short(item)}: parentheses and '|' belong to blocks: res(BODY), res(BODY | SHORTCUT), "
                "cat(B1 | B2 | ...)"
            )
        return _layer(path, item)
    where = f"{path} {_short(item)}"
    paths = _split(m[2], "|", where)
    try:
        if m[1].lower().startswith("res"):
            if len(paths) > 2:
                raise SpecError(f"{where}: res takes BODY or BODY | SHORTCUT, got {len(paths)} paths separated by '|'")
            body = _chain(paths[0], f"{path}.body", where)
            shortcut = _chain(paths[1], f"{path}.shortcut", where) if len(paths) == 2 else None
            return Residual(body, shortcut)
        return Concat(*(_chain(p, f"{path}.branches[{i}]", where) for i, p in enumerate(paths)))
    except ValueError as exc:
        if isinstance(exc, SpecError):
            raise
        raise SpecError(f"{where}: {exc}") from None


def _layer(path: str, item: str) -> Layer:
    where = f"{path} {_short(item)}"
    name, *tokens = [t.strip() for t in item.split(":")]
    name = _ALIASES.get(name.lower(), name.lower())
    if name not in _LAYERS:
        known = ", ".join(sorted(_LAYERS))
        raise SpecError(f"{where}: unknown layer {_short(name)}; the layers are {known} (and input:CxHxW first)")
    cls, required, optional, options = _LAYERS[name]
    positional: list[Any] = []
    kwargs: dict[str, Any] = {}
    takes = ", ".join(sorted(options)) or "no options"

    fields = required + optional

    def number(key: str, text: str) -> Any:
        try:
            return _value(text, key)
        except ValueError as exc:
            raise SpecError(f"{where}: {exc}") from None

    def option(key: str, token: str) -> None:
        if key not in options:
            raise SpecError(f"{where}: {name} does not take {_short(token)} ({key}); it takes {takes}")
        if key in kwargs:
            raise SpecError(f"{where}: {key} is given twice")

    for token in tokens:
        low = token.lower()
        if not token:
            raise SpecError(f"{where}: empty argument (two colons in a row, or a trailing colon)")
        if low in _FLAGS:
            key, flag = _FLAGS[low]
            option(key, token)
            kwargs[key] = flag
        elif m := re.fullmatch(r"(in|op|s|p|d|g)([-+.\d].*|)", low, re.DOTALL):  # s2, p1x0, op1, s (no value)
            key = {"conv": "in_channels", "convt": "in_channels", "linear": "in_features"}.get(name, "in") if m[1] == "in" else _SHORT[m[1]]
            option(key, token)
            kwargs[key] = number(key, m[2])
        elif m := re.fullmatch(r"([a-z_]+)=(.*)", low, re.DOTALL):
            key, value = m[1], m[2]
            if key == "in":
                key = {"conv": "in_channels", "convt": "in_channels", "linear": "in_features"}.get(name, "in")
            option(key, token)
            if key in ("bias", "ceil_mode"):
                if value not in _BOOLEANS:
                    raise SpecError(f"{where}: {key} must be true or false, got {_short(value)}")
                kwargs[key] = _BOOLEANS[value]
            else:
                kwargs[key] = number(key, value)
        elif _NUMBERISH.match(low):
            # the next positional field; surplus values are only counted (the error below)
            positional.append(number(fields[len(positional)], low) if len(positional) < len(fields) else None)
        else:
            raise SpecError(
                f"{where}: cannot read {_short(token)}; expected a number, HxW, DxHxW, an option such as s2 or "
                f"stride=2, or a flag (nobias, ceil)"
            )
    if not len(required) <= len(positional) <= len(fields):
        want = ":".join(f.upper() for f in required) or "no values"
        if optional:
            want += f" (optionally :{optional[0].upper()})"
        raise SpecError(f"{where}: {name} takes {want}, got {len(positional)} value(s)")
    kwargs.update(zip(fields, positional))
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise SpecError(f"{where}: {exc}") from None


def parse_spec(text: str) -> tuple[list[Layer], tuple[int, ...] | None]:
    """Read a network spec (see ``convdoc summary --help``) into layer specs and an input shape.

    Parameters
    ----------
    text : str
        Items separated by commas, semicolons or new lines; ``#`` starts a comment.
        An optional first item ``input:CxHxW`` gives the input shape.

    Returns
    -------
    (list of layer specs, tuple or None)
        The layers, and the input shape if the spec has an ``input`` item.

    Raises
    ------
    SpecError
        (a ``ValueError``) naming the item as ``layers[i]`` and what is wrong with it.

    Examples
    --------
    >>> from convdoc.cli import parse_spec
    >>> parse_spec("conv:96:11:s4, maxpool:3:s2, conv:256:5:p2:g2, bn, fc:10:in9216")[0]
    [Conv2d(96, 11, stride=4), MaxPool2d(3, stride=2), Conv2d(256, 5, padding=2, groups=2), BatchNorm2d(), Linear(10, in_features=9216)]
    """
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    items = [item.strip() for item in _split("\n".join(lines), ",;\n", "the spec") if item.strip()]
    input_shape = None
    if items and items[0].lower().startswith("input:"):
        input_shape = _shape(items.pop(0).split(":", 1)[1], "the spec's input item")
    for item in items:
        if item.lower().startswith("input:"):
            raise SpecError(f"{_short(item)}: the input shape must be the first item of the spec")
    if not items:
        raise SpecError("the spec has no layers; e.g. conv:64:3:p1,relu,maxpool:2,flatten,linear:10")
    return [_item(f"layers[{i}]", item) for i, item in enumerate(items)], input_shape


# --- the commands ------------------------------------------------------------------------------


def _syntax(pattern: re.Pattern[str], rule: str, metavar: str) -> Any:
    """An argparse ``type`` that checks only the spelling of a number and returns the text.

    The value is checked, and converted, by :func:`_value` when the command runs, so a
    number out of range gets the same message as everywhere else, without argparse's usage.
    """

    def check(text: str) -> str:
        if not pattern.fullmatch(text.strip().lower()):
            raise argparse.ArgumentTypeError(f"{rule}, got {_short(text)}")
        return text

    check.__name__ = metavar  # argparse's fallback message names the type: never a function name
    return check


_size_arg = _syntax(_SIZE, _SIZE_RULE, "size")
_int_arg = _syntax(_INT, _INT_RULE, "integer")
_padding_arg = _syntax(re.compile(f"(?:{_SIZE.pattern}|same|valid|full)"), _PADDING_RULE, "padding")


def _axes(values: Sequence[Any], n: int) -> list[tuple[Any, ...]]:
    """Each value as a tuple of ``n`` (an int stands for every axis); the library has checked the lengths."""
    return [v if isinstance(v, tuple) else (v,) * n for v in values]


def _per_axis(texts: list[str], result: Any) -> str:
    """One line when every axis has the same arithmetic, else one line per axis, named."""
    if not isinstance(result, tuple) or len(set(texts)) == 1:
        return texts[0]
    names = AXIS_NAMES[len(texts)]
    width = max(map(len, names)) + 1
    return "\n".join(f"{name + ':':<{width}} {text}" for name, text in zip(names, texts))


def _shown(result: Any) -> str:
    return "x".join(map(str, result)) if isinstance(result, tuple) else str(result)


def _kernel_text(k: int, d: int) -> str:
    return f"{k}" if d == 1 else f"{d}*({k}-1) + 1"


def _run_size(args: argparse.Namespace) -> str:
    for key in ("size", "kernel_size", "stride", "dilation", "output_padding"):
        setattr(args, key, _value(getattr(args, key), key))
    target = args.padding.strip().lower()
    if target in ("same", "valid", "full"):
        if args.transposed or args.ceil_mode:
            option = "--transposed" if args.transposed else "--ceil-mode"
            raise ValueError(f"--padding {target} does not apply to {option}: give the padding as a number")
        pad = padding_for(args.size, args.kernel_size, args.stride, args.dilation, output=target)
        if target != "same":  # valid and full are a padding per side: the usual formula
            args.padding = pad.total // 2 if isinstance(pad.total, int) else tuple(t // 2 for t in pad.total)
            return _run_size_with(args)
        result = pad.output
        if args.quiet:
            return _shown(result)
        n = len(result) if isinstance(result, tuple) else 1
        columns = _axes((args.size, args.kernel_size, args.stride, args.dilation, result), n)
        texts = []
        for i in range(n):
            size, k, s, d, out = (c[i] for c in columns)
            before, after = pad.sides[2 * i : 2 * i + 2]  # ints: a square problem, the first axis
            texts.append(
                f"ceil({size}/{s}) = {out}, padding {before} before and {after} after: total "
                f"max(({out}-1)*{s} + {_kernel_text(k, d)} - {size}, 0) = {before + after}"
            )
        return _per_axis(texts, result)
    args.padding = _value(args.padding, "padding")
    return _run_size_with(args)


def _run_size_with(args: argparse.Namespace) -> str:
    """The output size (transposed with --transposed) for a padding given as numbers, with its arithmetic."""
    if args.transposed:
        if args.ceil_mode:
            raise ValueError("--ceil-mode does not apply to --transposed (PyTorch's ConvTranspose has no ceil_mode)")
        # transposed_output_size validates every argument and is the number we print
        result = transposed_output_size(args.size, args.kernel_size, args.stride, args.padding,
                                        args.output_padding, args.dilation)
    else:
        if args.output_padding != 0:
            raise ValueError("--output-padding applies to --transposed only")
        result = output_size(args.size, args.kernel_size, args.stride, args.padding, args.dilation, ceil_mode=args.ceil_mode)
    if args.quiet:
        return _shown(result)
    n = len(result) if isinstance(result, tuple) else 1
    columns = _axes((args.size, args.kernel_size, args.stride, args.padding, args.dilation, args.output_padding, result), n)
    texts = []
    for i in range(n):
        size, k, s, p, d, op, out = (c[i] for c in columns)
        if args.transposed:
            texts.append(f"({size}-1)*{s} - 2*{p} + {_kernel_text(k, d)}" + (f" + {op}" if op else "") + f" = {out}")
        else:
            texts.append(_axis(size, k, s, p, d, args.ceil_mode)[1])
    return _per_axis(texts, result)


def _run_params(args: argparse.Namespace) -> str:
    for key in ("in_channels", "out_channels", "kernel_size", "groups"):
        setattr(args, key, _value(getattr(args, key), key))
    kernel = args.kernel_size
    if args.dims is not None:
        if isinstance(kernel, tuple) and len(kernel) != args.dims:
            raise ValueError(f"kernel_size {_shown(kernel)} has {len(kernel)} axes, but --dims is {args.dims}")
        kernel = kernel if isinstance(kernel, tuple) else (kernel,) * args.dims
    bias = not args.no_bias
    n = param_count(args.in_channels, args.out_channels, kernel, bias=bias, groups=args.groups)
    if args.quiet:
        return str(n)
    taps, g = kernel if isinstance(kernel, tuple) else (kernel, kernel), args.groups
    cin = f"({args.in_channels}/{g})" if g > 1 else str(args.in_channels)
    return f"{args.out_channels}*{cin}*{'*'.join(map(str, taps))}" + (f" + {args.out_channels}" if bias else "") + f" = {n}"


def _run_rf(args: argparse.Namespace) -> str:
    layers, _ = parse_spec(_spec_text(args))
    windows, rows, stop = [], [], None
    for i, layer in enumerate(layers):
        if isinstance(layer, (Flatten, Linear, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d)):
            stop = (i, layer)  # from here on every output depends on the whole input
            break
        if layer._dims and rows and layer._dims != rows[0][1]._dims:
            first = rows[0]
            raise ValueError(f"layers[{i}] {layer!r} works on {layer._dims} spatial axes, but layers[{first[0]}] "
                             f"{first[1]!r} on {first[1]._dims}: a network's layers all work on the same number of axes")
        kernel = getattr(layer, "kernel_size", None)
        if kernel is None:  # ReLU, BatchNorm, Dropout: each output sees what its input saw
            continue
        stride = kernel if layer.stride is None else layer.stride
        windows.append((kernel, stride, getattr(layer, "dilation", 1)))
        rows.append((i, layer))
    if not windows:
        raise ValueError("the spec has no convolution or pooling layer before any flatten, linear or adaptive "
                         "pooling: no receptive field to compute")
    fields = receptive_fields(windows)  # checks that every layer has the same number of axes
    if args.quiet:
        return _shown(fields[-1].size)
    head = ("#", "layer", "kernel", "stride", "dilation", "jump", "receptive field")
    cells = [
        (str(i), repr(layer), *(_shown(getattr(f, a)) for a in ("kernel_size", "stride", "dilation", "jump", "size")))
        for (i, layer), f in zip(rows, fields)
    ]
    widths = [max(len(row[c]) for row in [head, *cells]) for c in range(len(head))]
    lines = ["  ".join(v.ljust(w) if c == 1 else v.rjust(w) for c, (v, w) in enumerate(zip(row, widths))).rstrip()
             for row in [head, *cells]]
    last = fields[-1].size
    axes = f"per axis ({', '.join(AXIS_NAMES[len(last)])})" if isinstance(last, tuple) else "along each axis"
    lines.append(f"receptive field of one output of layers[{rows[-1][0]}]: {_shown(last)} input pixels {axes}")
    if stop is not None:
        lines.append(f"(layers[{stop[0]}] {stop[1]!r} and the layers after it see the whole input)")
    return "\n".join(lines)


def _add_spec_source(parser: argparse.ArgumentParser, example: str) -> None:
    """A network spec as SPEC on the command line or ``--file FILE``, one of the two; read by :func:`_spec_text`."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("spec", nargs="?", metavar="SPEC", help=f"the network, e.g. {example}")
    source.add_argument("-f", "--file", metavar="FILE", help="read the spec from FILE ('-' for stdin)")


def _spec_text(args: argparse.Namespace) -> str:
    """The spec from the command line, a file, or stdin ('-')."""
    if args.file is None:
        return args.spec
    if args.file == "-":
        return sys.stdin.read()
    with open(args.file, encoding="utf-8") as f:
        return f.read()


def _run_summary(args: argparse.Namespace) -> str:
    text = _spec_text(args)
    name = text.strip().lower()
    if name in networks.__all__:  # a network of the zoo, by its torchvision name
        layers, shape = getattr(networks, name)(), ((1, 32, 32) if name == "lenet5" else (3, 224, 224))
    else:
        layers, shape = parse_spec(text)
    if args.input is not None:
        shape = _shape(args.input, "--input")
    if shape is None:
        raise SpecError("no input shape: give --input CxHxW (e.g. --input 3x224x224) or start the spec with input:CxHxW")
    depth = _value(args.depth, "--depth")
    s = summary(layers, shape, depth=depth)
    table = s.to_markdown(args.lang) if args.markdown else str(s)
    return f"{table}\n\n{s.totals}" if args.totals else table


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``convdoc`` command."""
    parser = argparse.ArgumentParser(
        prog="convdoc",
        description=textwrap.fill(
            "Quick answers about convolutional networks, with PyTorch's rules: the output size of "
            "a convolution or pooling layer (also with SAME padding, or transposed), the parameter "
            "count of a Conv1d/2d/3d, a layer-by-layer summary (shapes, parameters, MACs) of a network "
            "described in a compact spec, and its receptive field.",
            width=78,
        ),
        epilog=(
            "examples:\n"
            "  convdoc size 224 11 --stride 4 --padding 2\n"
            "  convdoc size 16x112x112 3 --padding 1\n"
            "  convdoc size 224 3 --stride 2 --padding same\n"
            "  convdoc params 3 64 11\n"
            '  convdoc summary "conv:64:3:p1,relu,maxpool:2,flatten,linear:10" --input 3x32x32\n'
            '  convdoc rf "conv:64:3,conv:64:3,maxpool:2,conv:128:3"\n'
            "Run 'convdoc COMMAND --help' for the details of each command."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"convdoc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    size = sub.add_parser(
        "size",
        help="output size of a convolution or pooling layer (or a transposed convolution)",
        description=(
            "Output size along one axis (or each axis, with HxW or DxHxW values) of a convolution or "
            "pooling layer: floor((size + 2*padding - dilation*(kernel_size-1) - 1)/stride) + 1; with "
            "--padding same, TensorFlow's SAME (output ceil(size/stride), the odd pixel of padding "
            "after); with --transposed, a ConvTranspose layer's output."
        ),
        epilog=(
            "examples:\n"
            "  convdoc size 224 11 --stride 4 --padding 2     floor((224 + 2*2 - 11)/4) + 1 = 55\n"
            "  convdoc size 16x112x112 3 --padding 1          a video clip through a 3x3x3 Conv3d\n"
            "  convdoc size 224 3 --stride 2 --padding same   ceil(224/2) = 112, padding 0 before and 1 after\n"
            "  convdoc size 56 2 --stride 2 --transposed      (56-1)*2 - 2*0 + 2 = 112"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    size.add_argument("size", type=_size_arg, metavar="SIZE", help="input size: N, HxW or DxHxW")
    size.add_argument("kernel_size", type=_size_arg, metavar="KERNEL", help="kernel size: K, KHxKW or KDxKHxKW")
    size.add_argument("-s", "--stride", type=_size_arg, default="1", help="stride (default 1)")
    size.add_argument("-p", "--padding", type=_padding_arg, default="0",
                      help="padding on each side (default 0), or same, valid or full")
    size.add_argument("-d", "--dilation", type=_size_arg, default="1", help="dilation (default 1)")
    size.add_argument("--ceil-mode", action="store_true", help="round up, as pooling with ceil_mode=True")
    size.add_argument("-t", "--transposed", action="store_true", help="a transposed convolution (ConvTranspose) instead")
    size.add_argument("-o", "--output-padding", type=_size_arg, default="0", metavar="OP",
                      help="with --transposed: extra rows or columns on one side (default 0)")
    size.add_argument("-q", "--quiet", action="store_true", help="print the number only")
    size.set_defaults(run=_run_size)

    params = sub.add_parser(
        "params",
        help="parameter count of a Conv2d, Conv1d or Conv3d (or, with kernel 1, a Linear) layer",
        description=(
            "Trainable parameters of a Conv2d layer: out_channels*(in_channels/groups)*kh*kw "
            "weights, plus out_channels biases. A Linear layer is the case KERNEL=1. A kernel KDxKHxKW "
            "is a Conv3d's; a single K is a square 2-D kernel unless --dims says 1 or 3."
        ),
        epilog="examples: convdoc params 3 64 11   convdoc params 3 64 3x3x3   convdoc params 1 128 80 --dims 1   "
               "convdoc params 9216 4096 1 (a Linear layer)",
    )
    params.add_argument("in_channels", type=_int_arg, metavar="IN_CHANNELS")
    params.add_argument("out_channels", type=_int_arg, metavar="OUT_CHANNELS")
    params.add_argument("kernel_size", type=_size_arg, metavar="KERNEL", help="K, KHxKW or KDxKHxKW")
    params.add_argument("--dims", type=int, choices=(1, 2, 3), help="spatial axes of the layer (Conv1d, Conv2d, Conv3d)")
    params.add_argument("-g", "--groups", type=_int_arg, default="1", help="groups (default 1)")
    params.add_argument("--no-bias", action="store_true", help="the layer has no bias")
    params.add_argument("-q", "--quiet", action="store_true", help="print the number only")
    params.set_defaults(run=_run_params)

    summ = sub.add_parser(
        "summary",
        help="shapes, parameters and MACs of a network, layer by layer",
        description=textwrap.fill(
            "Layer-by-layer output shape, parameter count and multiply-accumulates (MACs) of a "
            "network given as a spec on the command line or in a file, with the totals. Input "
            "channels and in_features are inferred from the previous layer.",
            width=78,
        ),
        epilog=SPEC_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_spec_source(summ, '"conv:64:3:p1,relu,maxpool:2,flatten,linear:10", or a zoo name such as resnet50')
    summ.add_argument("-i", "--input", metavar="SHAPE", help="input shape CxHxW or NxCxHxW, e.g. 3x224x224")
    summ.add_argument("--markdown", action="store_true", help="print a Markdown table with the size arithmetic")
    summ.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the Markdown headers (default en)")
    summ.add_argument("--depth", type=_int_arg, default="3", metavar="N",
                      help="show the layers inside blocks down to N levels (default 3; 1: the top level only)")
    summ.add_argument("--totals", action="store_true",
                      help="also print torchinfo's totals: params, mult-adds, input / forward-backward / params size (MB)")
    summ.set_defaults(run=_run_summary)

    rf = sub.add_parser(
        "rf",
        help="receptive field of a network, layer by layer",
        description=textwrap.fill(
            "How many input pixels, along each axis, one output of each convolution or pooling layer "
            "sees: r = r_prev + dilation*(kernel_size-1)*jump_prev, jump = jump_prev*stride "
            "(receptive_fields). The spec is summary's; ReLU, BatchNorm and Dropout do not change the "
            "field, and it ends at the first flatten, linear or adaptive pooling.",
            width=78,
        ),
        epilog='example: convdoc rf "conv:64:3,conv:64:3,maxpool:2,conv:128:3"   (receptive field 10)',
    )
    _add_spec_source(rf, '"conv:64:3,conv:64:3,maxpool:2"')
    rf.add_argument("-q", "--quiet", action="store_true", help="print the last receptive field only")
    rf.set_defaults(run=_run_rf)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``convdoc`` command; returns the exit status (0, or 2 for bad input).

    Examples
    --------
    >>> from convdoc.cli import main
    >>> main(["size", "227", "11", "--stride", "4"])
    floor((227 + 2*0 - 11)/4) + 1 = 55
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)  # bad syntax: argparse prints usage and exits with 2
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # a count read in 4,300 digits can grow longer: print it whole
    try:
        print(args.run(args))
    except (ValueError, TypeError, OSError) as exc:
        # a number the reader typed, quoted back by a library rule: its first digits and its length
        message = re.sub(r"\d{13,}", lambda m: f"{m[0][:8]}... (a {len(m[0]):,}-digit number)", str(exc))
        print(f"convdoc {args.command}: error: {message}", file=sys.stderr)
        return 2
    finally:
        sys.set_int_max_str_digits(previous)
    return 0
