"""Argument checks shared by every public function.

Each check names the parameter and the rule it broke, so a student reading the
message knows what to change. Integers are Python ``int`` or numpy integers;
``bool`` is refused on purpose (``True`` is an int in Python, but ``stride=True``
is always a mistake).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = [
    "check_int", "check_pair", "check_bool", "check_lang", "check_one_axis", "is_pair",
    "count_axes", "check_axes", "axes_or_int", "pair_text",
    "check_array", "check_finite", "check_bias", "result_dtype", "compute_dtype", "bool_as_int64",
    "check_allocation", "check_listing", "fits", "MAX_SIZE", "MAX_ARRAY_BYTES", "MAX_LISTED", "INT64_MAX", "check_int64", "overflow_of",
]

#: The largest value of a spatial argument (``size``, ``kernel_size``, ``stride``,
#: ``padding``, ``dilation``...): 2**31 - 1. No image has a side that long, and
#: below it numpy's int64 index arithmetic (``i*stride + m*dilation``) cannot overflow.
MAX_SIZE = 2**31 - 1

#: The largest array, in bytes, that convdoc allocates for one call (an output, a
#: zero-padded copy of the input): 1 GiB. Larger ones are refused with a ValueError
#: before anything is allocated, instead of a MemoryError or minutes of swapping.
MAX_ARRAY_BYTES = 2**30

#: The most items a function builds one by one in Python (windows, taps, candidate
#: settings): one million, about a second of work. More is refused with a ValueError
#: instead of running for minutes.
MAX_LISTED = 1_000_000

#: The largest integer result: integer inputs are computed exactly in int64, and a result
#: beyond it raises a ValueError instead of wrapping around.
INT64_MAX = 2**63 - 1

#: Values tested for NaN or infinity at a time (a boolean temporary of this many bytes).
_FINITE_BLOCK = 2**20


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def check_int(value: Any, name: str, *, minimum: int, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= ``minimum`` (and <= ``maximum``).

    Raises ``TypeError`` for non-integers (floats such as 2.5 or 2.0, strings,
    ``None``, ``bool``) and ``ValueError`` for integers below ``minimum`` or
    above ``maximum``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        kind = "a positive integer" if minimum >= 1 else f"an integer >= {minimum}"
        raise TypeError(f"{name} must be {kind}, got {_describe(value)}")
    value = int(value)
    if value < minimum:
        rule = "a positive integer (>= 1)" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {rule}, got {value}")
    if maximum is not None and value > maximum:
        limit = f"{maximum:,} (2**31 - 1, convdoc's limit for sizes)" if maximum == MAX_SIZE else f"{maximum:,}"
        raise ValueError(f"{name} must be at most {limit}, got {value}")
    return value


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False``; anything else (1, None, "yes") raises ``TypeError``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return value


def is_pair(value: Any) -> bool:
    return isinstance(value, (tuple, list))


def check_pair(value: Any, name: str, *, minimum: int, maximum: int | None = MAX_SIZE) -> tuple[int, int]:
    """Return ``(h, w)`` from an int or an ``(h, w)`` pair, each checked by :func:`check_int`.

    Spatial arguments are at most :data:`MAX_SIZE` unless ``maximum`` says otherwise.
    """
    return check_axes(value, name, 2, minimum=minimum, maximum=maximum)  # type: ignore[return-value]


def check_lang(lang: Any) -> str:
    """``lang`` if it is one of the site's two languages, ``"zh"`` or ``"en"``; else a ``ValueError``."""
    if not isinstance(lang, str) or lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang


def check_one_axis(args: tuple[tuple[str, Any], ...], *, who: str, instead: str) -> None:
    """Refuse an ``(h, w)`` pair where a function works along one axis: a ``TypeError`` naming the argument.

    ``who`` opens the message ("coverage works along one axis") and ``instead`` ends it
    with what to do.
    """
    for name, value in args:
        if is_pair(value):
            raise TypeError(f"{who}: {name} must be an int, got {value!r}; {instead}")


def count_axes(args: Any) -> int | None:
    """How many spatial axes the arguments given as tuples have: 1, 2 or 3, the same for all; ``None`` if all are ints.

    ``args`` holds ``(name, value)`` pairs. A tuple (or list) of another length, or two
    tuples of different lengths, raise ``ValueError`` naming the parameters. The rule of
    every size function that takes 1, 2 or 3 axes (:func:`convdoc.output_size`...): ints
    alone are one axis and give an ``int``; with tuples, an int stands for every axis.
    """
    n, first = None, ""
    for name, value in args:
        if not is_pair(value):
            continue
        if not 1 <= len(value) <= 3:
            raise ValueError(
                f"{name} must be an int or a tuple of 1, 2 or 3 axes ((length,), (h, w) or (d, h, w)), "
                f"got a sequence of length {len(value)}: {value!r}"
            )
        if n is None:
            n, first = len(value), name
        elif len(value) != n:
            raise ValueError(
                f"{name} has {len(value)} axes ({tuple(value)!r}) but {first} has {n}: give every tuple "
                f"the same number of axes (an int stands for every axis)"
            )
    return n


_TUPLES = {1: "a (length,) tuple", 2: "an (h, w) pair", 3: "a (d, h, w) triple"}


def check_axes(value: Any, name: str, n: int, *, minimum: int, maximum: int | None = MAX_SIZE) -> tuple[int, ...]:
    """``value`` as ``n`` checked ints: an int for every axis, or a tuple of ``n`` (see :func:`count_axes`).

    Each value is checked by :func:`check_int`, an axis named ``name[i]``.
    """
    if is_pair(value):
        if len(value) != n:
            raise ValueError(
                f"{name} must be an int or {_TUPLES[n]}, got a sequence of length {len(value)}: {value!r}"
            )
        return tuple(check_int(v, f"{name}[{i}]", minimum=minimum, maximum=maximum) for i, v in enumerate(value))
    return (check_int(value, name, minimum=minimum, maximum=maximum),) * n


def axes_or_int(values: tuple[int, ...], n: int | None) -> Any:
    """The tuple of values when the arguments had ``n`` axes (:func:`count_axes`), else the single ``int``."""
    return values[0] if n is None else tuple(values)


def pair_text(pair: tuple[int, int]) -> str:
    """A checked (h, w) pair as messages and figures write it: ``3`` when both axes agree, else ``(3, 5)``."""
    return str(pair[0]) if pair[0] == pair[1] else str(tuple(pair))


def _bytes(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"  # pragma: no cover


def fits(shape: tuple[int, ...], dtype: Any) -> bool:
    """Whether an array of ``shape`` and ``dtype`` stays within :data:`MAX_ARRAY_BYTES`."""
    return math.prod(int(d) for d in shape) * np.dtype(dtype).itemsize <= MAX_ARRAY_BYTES


def check_listing(count: int, *, what: str, because: str, instead: str = "") -> None:
    """Refuse to build more than :data:`MAX_LISTED` items one by one (see :func:`check_allocation`).

    ``instead`` says what to use for such a call, if there is something.
    """
    if count > MAX_LISTED:
        raise ValueError(
            f"{because}: listing {what} would take {count:,} steps, more than convdoc's limit of "
            f"{MAX_LISTED:,} (convdoc._checks.MAX_LISTED){'; ' + instead if instead else ''}"
        )


def check_allocation(shape: tuple[int, ...], dtype: Any, *, what: str, because: str) -> None:
    """Refuse, before allocating it, an array larger than :data:`MAX_ARRAY_BYTES`.

    ``what`` names the array ("the output", "the zero-padded input") and
    ``because`` the arguments that make it that large ("padding=100000"), so the
    message names the parameter and the rule::

        padding=100000: the zero-padded input would be 1x1x200005x200005 int64
        values = 298 GiB, more than convdoc's limit of 1 GiB per array
        (convdoc._checks.MAX_ARRAY_BYTES)
    """
    dims = tuple(int(d) for d in shape)
    itemsize = np.dtype(dtype).itemsize
    nbytes = math.prod(dims) * itemsize  # Python ints: no overflow, however large
    if nbytes > MAX_ARRAY_BYTES:
        raise ValueError(
            f"{because}: {what} would be {'x'.join(map(str, dims))} {np.dtype(dtype).name} values = "
            f"{_bytes(nbytes)}, more than convdoc's limit of {_bytes(MAX_ARRAY_BYTES)} per array "
            f"(convdoc._checks.MAX_ARRAY_BYTES)"
        )


def check_array(value: Any, name: str, *, ranks: tuple[int, ...], finite: bool = True) -> np.ndarray:
    """Return ``value`` as a real numpy array whose rank is one of ``ranks``, without copying it.

    ``bool`` arrays stay ``bool`` (a binary image is fine: the caller reads it as 0/1
    and gives ``int64`` results); complex, string and object arrays and masked arrays
    raise ``TypeError``; empty axes and other ranks raise ``ValueError``. With
    ``finite`` (the default) NaN or infinity raise ``ValueError`` too; callers that
    must first refuse an oversized result pass ``finite=False`` and call
    :func:`check_finite` after their size checks.
    """
    if value is None:
        raise TypeError(f"{name} must be an array, got None")
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a numpy masked array, whose mask convdoc cannot honour: fill the "
            f"masked values first, e.g. {name}.filled(0), or pass {name}.data to use the values under the mask"
        )
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array (all rows the same length): {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers (int or float), got dtype {arr.dtype}"
        )
    if arr.ndim not in ranks:
        allowed = " or ".join(str(r) for r in ranks)
        raise ValueError(f"{name} must have {allowed} dimensions, got shape {arr.shape} ({arr.ndim} dimensions)")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def _blocks(arr: np.ndarray, limit: int):
    """Views of ``arr`` of at most ``limit`` values that together cover it (any strides, no copy)."""
    if arr.size <= limit or arr.ndim == 0:
        yield arr
        return
    inner = arr.size // arr.shape[0]
    if inner > limit:
        for i in range(arr.shape[0]):
            yield from _blocks(arr[i], limit)
        return
    step = max(1, limit // inner)
    for i in range(0, arr.shape[0], step):
        yield arr[i : i + step]


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if a float array holds NaN or infinity; reads it in blocks.

    The boolean temporary of ``np.isfinite`` is at most :data:`_FINITE_BLOCK` values,
    however large (or however broadcast) the array is.
    """
    if arr.dtype.kind != "f":
        return
    for block in _blocks(arr, _FINITE_BLOCK):
        if not np.isfinite(block).all():
            raise ValueError(f"{name} contains NaN or infinity; every value must be finite")


def check_bias(bias: Any, count: int, *, per: str) -> tuple[np.ndarray | None, bool]:
    """The bias as a 1-D array of ``count`` values (or None), and whether it was given as Python numbers.

    ``per`` names what each value belongs to ("filter", "output channel"). A scalar
    is used for every one. ``True``/``False`` are refused: ``bias=True`` reads like
    "with a bias" but would add 1 everywhere (PyTorch raises a TypeError too). A bias
    given as Python numbers (``0.5``, ``[1, 2]``) is *weak*, as numpy's own Python
    scalars are: it does not widen float32 inputs to float64 (:func:`result_dtype`).
    """
    if bias is None:
        return None, False
    b = check_array(bias, "bias", ranks=(0, 1))
    if b.dtype == np.bool_:  # [True, False]: the same rule
        raise TypeError(
            f"bias must be a number or one number per {per}, got {bias!r}: True/False is not a bias "
            f"(it would add 1 or 0); use bias=None for no bias"
        )
    if b.ndim == 0:
        b = np.full(count, b.item(), dtype=b.dtype)
    elif b.shape[0] != count:
        raise ValueError(f"bias must have one value per {per}: weight has {count} {per}s, bias has shape {b.shape}")
    return b, not isinstance(bias, (np.ndarray, np.generic))


def result_dtype(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, *, weak_bias: bool) -> np.dtype:
    """The dtype of a convolution's result: ``int64`` for integer and bool inputs, else numpy's float.

    Integers of any width (uint64 included) give ``int64``, computed exactly (a result
    that int64 cannot hold raises). Floats promote as numpy does, float16 to float32.
    A ``weak_bias`` was given as Python numbers (:func:`check_bias`): only its kind
    counts (a float makes an integer result float64), never its precision (float32
    stays float32), as with numpy's own Python scalars.
    """
    weak = bias if weak_bias else None
    arrays = (x, weight) if weak_bias else (x, weight, bias)
    dts = [a.dtype for a in arrays if a is not None]
    if all(dt.kind in "biu" for dt in dts):
        dt = np.dtype(np.int64)
        if weak is not None and weak.dtype.kind == "f":
            return np.dtype(np.float64)
        return dt
    return compute_dtype(np.result_type(*dts), integers=np.int64)


def compute_dtype(dt: np.dtype, *, integers: Any) -> np.dtype:
    """The dtype a result is computed and returned in: ``integers`` for integer and bool input, else
    the input's float precision, float16 raised to float32 (:func:`result_dtype`, pooling, gradients)."""
    if dt.kind != "f":
        return np.dtype(integers)
    return dt if dt.itemsize >= 4 else np.dtype(np.float32)


def bool_as_int64(dt: np.dtype) -> np.dtype:
    """The dtype of a result that keeps its input's values (relu, max pooling): the input's, bool counted as int64."""
    return np.dtype(np.int64) if dt == np.bool_ else dt


_ELEMENT = {3: "image, filter, position", 4: "image, filter, row, column", 5: "image, filter, depth, row, column"}


def check_int64(value: int, where: tuple[int, ...], *, what: str = "output element", axes: str | None = None) -> int:
    """``value`` (an exact Python int) if int64 can hold it; else a ValueError naming the element.

    ``what`` names the array and ``axes`` its axes (by default an output's, by the rank of ``where``).
    The error holds the exact ``value`` and the element ``where`` as attributes
    (:func:`overflow_of`), so that a caller computing in another layout (conv3d's depth
    taps folded into a conv2d) can name its own element.
    """
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        axes = axes or _ELEMENT.get(len(where))
        exc = ValueError(
            f"integer overflow: {what} {where}{f' ({axes})' if axes else ''} "
            f"is {value:,}, which int64 cannot hold (it holds {-INT64_MAX - 1:,} to {INT64_MAX:,}); convdoc computes integer inputs exactly in int64 and "
            f"never wraps around: convert x or weight to float64 for an approximate result"
        )
        exc.overflow = (value, where)  # type: ignore[attr-defined]
        raise exc
    return value


def overflow_of(exc: BaseException) -> tuple[int, tuple[int, ...]] | None:
    """``(value, where)`` of an integer overflow raised by :func:`check_int64`, else None."""
    return getattr(exc, "overflow", None)
