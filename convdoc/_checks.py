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
    "check_int", "check_pair", "check_array", "is_pair", "check_allocation", "check_listing",
    "fits", "MAX_SIZE", "MAX_ARRAY_BYTES", "MAX_LISTED",
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


def is_pair(value: Any) -> bool:
    return isinstance(value, (tuple, list))


def check_pair(value: Any, name: str, *, minimum: int, maximum: int | None = MAX_SIZE) -> tuple[int, int]:
    """Return ``(h, w)`` from an int or an ``(h, w)`` pair, each checked by :func:`check_int`.

    Spatial arguments are at most :data:`MAX_SIZE` unless ``maximum`` says otherwise.
    """
    if is_pair(value):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be an int or an (h, w) pair, got a sequence of length {len(value)}: {value!r}"
            )
        return (
            check_int(value[0], f"{name}[0]", minimum=minimum, maximum=maximum),
            check_int(value[1], f"{name}[1]", minimum=minimum, maximum=maximum),
        )
    v = check_int(value, name, minimum=minimum, maximum=maximum)
    return v, v


def _bytes(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"  # pragma: no cover


def fits(shape: tuple[int, ...], dtype: Any) -> bool:
    """Whether an array of ``shape`` and ``dtype`` stays within :data:`MAX_ARRAY_BYTES`."""
    return math.prod(int(d) for d in shape) * np.dtype(dtype).itemsize <= MAX_ARRAY_BYTES


def check_listing(count: int, *, what: str, because: str) -> None:
    """Refuse to build more than :data:`MAX_LISTED` items one by one (see :func:`check_allocation`)."""
    if count > MAX_LISTED:
        raise ValueError(
            f"{because}: listing {what} would take {count:,} steps, more than convdoc's limit of "
            f"{MAX_LISTED:,} (convdoc._checks.MAX_LISTED)"
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


def check_array(value: Any, name: str, *, ranks: tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a finite real numpy array whose rank is one of ``ranks``.

    ``bool`` arrays become ``int64`` (a binary image is fine); complex, string and
    object arrays raise ``TypeError``; NaN or infinity, empty axes and other ranks
    raise ``ValueError``.
    """
    if value is None:
        raise TypeError(f"{name} must be an array, got None")
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array (all rows the same length): {exc}") from None
    if arr.dtype == np.bool_:
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must hold real numbers (int or float), got dtype {arr.dtype}"
        )
    if arr.ndim not in ranks:
        allowed = " or ".join(str(r) for r in ranks)
        raise ValueError(f"{name} must have {allowed} dimensions, got shape {arr.shape} ({arr.ndim} dimensions)")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity; every value must be finite")
    return arr
