"""The ``convdoc`` command: quick answers from the shell.

``convdoc size``, ``convdoc params`` and ``convdoc summary`` print the arithmetic
of :func:`convdoc.output_size`, :func:`convdoc.param_count` and
:func:`convdoc.summary`. ``python -m convdoc`` runs the same command. Bad input
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
from typing import Any, Sequence

from . import __version__
from .network import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    Layer,
    Linear,
    MaxPool2d,
    ReLU,
    _axis,
    summary,
)
from .sizes import output_size, param_count

__all__ = ["main", "parse_spec", "SpecError"]

SPEC_HELP = """\
spec syntax
  Layers are separated by commas (or semicolons, or new lines in a file); '#' starts a
  comment. A layer is a name followed by colon-separated arguments: its positional
  values first, then options. A size is N or HxW (3, or 3x5 for height 3, width 5).

  conv:OUT:K[:sS][:pP][:dD][:gG][:nobias][:inC]
        Conv2d(OUT, K, stride=S, padding=P, dilation=D, groups=G, bias=False,
        in_channels=C); input channels come from the previous layer, inC only checks
  maxpool:K[:sS][:pP][:dD][:ceil]   MaxPool2d(K, stride=S, ...); stride defaults to K
  avgpool:K[:sS][:pP][:ceil]        AvgPool2d(K, stride=S, padding=P, ceil_mode=True)
  adaptiveavgpool:S                 AdaptiveAvgPool2d(S), e.g. adaptiveavgpool:6x6
  bn[:C]                            BatchNorm2d(C): 2 parameters per channel
  relu                              ReLU()
  flatten                           Flatten(): (C, H, W) becomes C*H*W features
  linear:OUT[:nobias][:inF]         Linear(OUT, in_features=F); inF only checks
  input:CxHxW or input:NxCxHxW      the input shape, as the first item (--input overrides it)

  Options may be spelled out: stride=2, padding=1, dilation=2, groups=2, bias=false,
  in_channels=64, in_features=9216, ceil_mode=true. Aliases: conv2d, maxpool2d,
  avgpool2d, adaptiveavgpool2d, adaptive, batchnorm, batchnorm2d, fc.

examples
  convdoc summary "conv:6:5,relu,maxpool:2,conv:16:5,relu,maxpool:2,flatten,linear:120,relu,linear:84,relu,linear:10" --input 1x32x32
  convdoc summary "conv:32:3:p1,relu,maxpool:2,conv:64:3:p1,relu,maxpool:2,flatten" -i 3x32x32
      (end with flatten: the output shape is the in_features of your first Linear)
  convdoc summary --file vgg16.txt --markdown
"""

# name -> (spec class, required positional fields, optional positional fields, options)
_LAYERS: dict[str, tuple[type[Layer], tuple[str, ...], tuple[str, ...], frozenset[str]]] = {
    "conv": (
        Conv2d,
        ("out_channels", "kernel_size"),
        (),
        frozenset({"stride", "padding", "dilation", "groups", "bias", "in_channels"}),
    ),
    "maxpool": (MaxPool2d, ("kernel_size",), (), frozenset({"stride", "padding", "dilation", "ceil_mode"})),
    "avgpool": (AvgPool2d, ("kernel_size",), (), frozenset({"stride", "padding", "ceil_mode"})),
    "adaptiveavgpool": (AdaptiveAvgPool2d, ("output_size",), (), frozenset()),
    "bn": (BatchNorm2d, (), ("num_features",), frozenset()),
    "relu": (ReLU, (), (), frozenset()),
    "flatten": (Flatten, (), (), frozenset()),
    "linear": (Linear, ("out_features",), (), frozenset({"bias", "in_features"})),
}
_ALIASES = {
    "conv2d": "conv",
    "maxpool2d": "maxpool",
    "avgpool2d": "avgpool",
    "adaptiveavgpool2d": "adaptiveavgpool",
    "adaptive": "adaptiveavgpool",
    "batchnorm": "bn",
    "batchnorm2d": "bn",
    "fc": "linear",
}
_SHORT = {"s": "stride", "p": "padding", "d": "dilation", "g": "groups"}
_FLAGS = {"nobias": ("bias", False), "ceil": ("ceil_mode", True)}
_BOOLEANS = {"true": True, "false": False}
_SIZE = re.compile(r"^-?\d+(?:x-?\d+)?$")


class SpecError(ValueError):
    """A network spec that cannot be read; the message names the item and the rule."""


def _size(text: str) -> Any:
    """'3' -> 3, '3x5' -> (3, 5)."""
    parts = [int(p) for p in text.split("x")]
    return parts[0] if len(parts) == 1 else tuple(parts)


def _shape(text: str) -> tuple[int, ...]:
    """'3x224x224', '3,224,224' or '(3, 224, 224)' -> (3, 224, 224)."""
    cleaned = text.strip().strip("()[]").replace(" ", "")
    parts = [p for p in re.split(r"[x,]", cleaned)]
    if not 3 <= len(parts) <= 4 or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise SpecError(
            f"an input shape is CxHxW or NxCxHxW with positive integers (e.g. 3x224x224), got {text!r}"
        )
    return tuple(int(p) for p in parts)


def _layer(index: int, item: str) -> Layer:
    where = f"layers[{index}] {item!r}"
    name, *tokens = [t.strip() for t in item.split(":")]
    name = _ALIASES.get(name.lower(), name.lower())
    if name not in _LAYERS:
        known = ", ".join(sorted(_LAYERS))
        raise SpecError(f"{where}: unknown layer {name!r}; the layers are {known} (and input:CxHxW first)")
    cls, required, optional, options = _LAYERS[name]
    positional: list[Any] = []
    kwargs: dict[str, Any] = {}
    takes = ", ".join(sorted(options)) or "no options"

    def option(key: str, value: Any, token: str) -> None:
        if key not in options:
            raise SpecError(f"{where}: {name} does not take {token!r} ({key}); it takes {takes}")
        if key in kwargs:
            raise SpecError(f"{where}: {key} is given twice")
        kwargs[key] = value

    for token in tokens:
        low = token.lower()
        if not token:
            raise SpecError(f"{where}: empty argument (two colons in a row, or a trailing colon)")
        if low in _FLAGS:
            option(*_FLAGS[low], token)
        elif m := re.fullmatch(r"(in|s|p|d|g)(-?\d+(?:x-?\d+)?)", low):
            key = {"conv": "in_channels", "linear": "in_features"}.get(name, "in") if m[1] == "in" else _SHORT[m[1]]
            option(key, _size(m[2]), token)
        elif m := re.fullmatch(r"([a-z_]+)=(.*)", low):
            key, value = m[1], m[2]
            if key == "in":
                key = {"conv": "in_channels", "linear": "in_features"}.get(name, "in")
            if key in ("bias", "ceil_mode"):
                if value not in _BOOLEANS:
                    raise SpecError(f"{where}: {key} must be true or false, got {value!r}")
                option(key, _BOOLEANS[value], token)
            elif _SIZE.fullmatch(value):
                option(key, _size(value), token)
            else:
                raise SpecError(f"{where}: {key} must be an integer or HxW, got {value!r}")
        elif _SIZE.fullmatch(low):
            positional.append(_size(low))
        else:
            raise SpecError(
                f"{where}: cannot read {token!r}; expected a number, HxW, an option such as s2 or "
                f"stride=2, or a flag (nobias, ceil)"
            )
    fields = required + optional
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
    items = [item.strip() for item in re.split(r"[,;\n]", "\n".join(lines)) if item.strip()]
    input_shape = None
    if items and items[0].lower().startswith("input:"):
        input_shape = _shape(items.pop(0).split(":", 1)[1])
    for item in items:
        if item.lower().startswith("input:"):
            raise SpecError(f"{item!r}: the input shape must be the first item of the spec")
    if not items:
        raise SpecError("the spec has no layers; e.g. conv:64:3:p1,relu,maxpool:2,flatten,linear:10")
    return [_layer(i, item) for i, item in enumerate(items)], input_shape


# --- the commands ------------------------------------------------------------------------------


def _size_arg(text: str) -> Any:
    if not _SIZE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"expected an integer or HxW (e.g. 3 or 3x5), got {text!r}")
    return _size(text.strip())


def _pairs(*values: Any) -> list[tuple[int, int]]:
    return [v if isinstance(v, tuple) else (v, v) for v in values]


def _run_size(args: argparse.Namespace) -> str:
    # output_size validates every argument and is the number we print
    result = output_size(
        args.size, args.kernel_size, args.stride, args.padding, args.dilation, ceil_mode=args.ceil_mode
    )
    if args.quiet:
        return "x".join(map(str, result)) if isinstance(result, tuple) else str(result)
    columns = _pairs(args.size, args.kernel_size, args.stride, args.padding, args.dilation)
    texts = [_axis(*(c[i] for c in columns), args.ceil_mode)[1] for i in range(2)]
    if not isinstance(result, tuple) or texts[0] == texts[1]:
        return texts[0]
    return f"height: {texts[0]}\nwidth:  {texts[1]}"


def _run_params(args: argparse.Namespace) -> str:
    bias = not args.no_bias
    n = param_count(args.in_channels, args.out_channels, args.kernel_size, bias=bias, groups=args.groups)
    if args.quiet:
        return str(n)
    (kh, kw), g = _pairs(args.kernel_size)[0], args.groups
    cin = f"({args.in_channels}/{g})" if g > 1 else str(args.in_channels)
    return f"{args.out_channels}*{cin}*{kh}*{kw}" + (f" + {args.out_channels}" if bias else "") + f" = {n}"


def _run_summary(args: argparse.Namespace) -> str:
    if args.file is not None:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as f:
                text = f.read()
    else:
        text = args.spec
    layers, shape = parse_spec(text)
    if args.input is not None:
        shape = _shape(args.input)
    if shape is None:
        raise SpecError("no input shape: give --input CxHxW (e.g. --input 3x224x224) or start the spec with input:CxHxW")
    s = summary(layers, shape)
    return s.to_markdown(args.lang) if args.markdown else str(s)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``convdoc`` command."""
    parser = argparse.ArgumentParser(
        prog="convdoc",
        description=textwrap.fill(
            "Quick answers about convolutional networks, with PyTorch's rules: the output size of "
            "a convolution or pooling layer, the parameter count of a Conv2d, and a layer-by-layer "
            "summary (shapes, parameters, MACs) of a network described in a compact spec.",
            width=78,
        ),
        epilog=(
            "examples:\n"
            "  convdoc size 224 11 --stride 4 --padding 2\n"
            "  convdoc params 3 64 11\n"
            '  convdoc summary "conv:64:3:p1,relu,maxpool:2,flatten,linear:10" --input 3x32x32\n'
            "Run 'convdoc COMMAND --help' for the details of each command."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"convdoc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    size = sub.add_parser(
        "size",
        help="output size of a convolution or pooling layer",
        description=(
            "Output size along one axis (or height and width, with HxW values) of a convolution or "
            "pooling layer: floor((size + 2*padding - dilation*(kernel_size-1) - 1)/stride) + 1."
        ),
        epilog="example: convdoc size 224 11 --stride 4 --padding 2   prints  floor((224 + 2*2 - 11)/4) + 1 = 55",
    )
    size.add_argument("size", type=_size_arg, metavar="SIZE", help="input size: N, or HxW")
    size.add_argument("kernel_size", type=_size_arg, metavar="KERNEL", help="kernel size: K, or KHxKW")
    size.add_argument("-s", "--stride", type=_size_arg, default=1, help="stride (default 1)")
    size.add_argument("-p", "--padding", type=_size_arg, default=0, help="padding on each side (default 0)")
    size.add_argument("-d", "--dilation", type=_size_arg, default=1, help="dilation (default 1)")
    size.add_argument("--ceil-mode", action="store_true", help="round up, as pooling with ceil_mode=True")
    size.add_argument("-q", "--quiet", action="store_true", help="print the number only")
    size.set_defaults(run=_run_size)

    params = sub.add_parser(
        "params",
        help="parameter count of a Conv2d (or, with kernel 1, a Linear) layer",
        description=(
            "Trainable parameters of a Conv2d layer: out_channels*(in_channels/groups)*kh*kw "
            "weights, plus out_channels biases. A Linear layer is the case KERNEL=1."
        ),
        epilog="examples: convdoc params 3 64 11   convdoc params 9216 4096 1 (a Linear layer)",
    )
    params.add_argument("in_channels", type=int, metavar="IN_CHANNELS")
    params.add_argument("out_channels", type=int, metavar="OUT_CHANNELS")
    params.add_argument("kernel_size", type=_size_arg, metavar="KERNEL", help="K, or KHxKW")
    params.add_argument("-g", "--groups", type=int, default=1, help="groups (default 1)")
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
    source = summ.add_mutually_exclusive_group(required=True)
    source.add_argument("spec", nargs="?", metavar="SPEC", help='the network, e.g. "conv:64:3:p1,relu,maxpool:2,flatten,linear:10"')
    source.add_argument("-f", "--file", metavar="FILE", help="read the spec from FILE ('-' for stdin)")
    summ.add_argument("-i", "--input", metavar="SHAPE", help="input shape CxHxW or NxCxHxW, e.g. 3x224x224")
    summ.add_argument("--markdown", action="store_true", help="print a Markdown table with the size arithmetic")
    summ.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the Markdown headers (default en)")
    summ.set_defaults(run=_run_summary)
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
    try:
        print(args.run(args))
    except (ValueError, TypeError, OSError) as exc:
        print(f"convdoc {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 0
