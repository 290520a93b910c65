"""Argument checks shared by every public function.

Each check names the parameter and the rule it broke, so a student reading the
message knows what to change. Integers are Python ``int`` or numpy integers;
``bool`` is refused on purpose (``True`` is an int in Python, but ``stride=True``
is always a mistake).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["check_int", "check_pair", "check_array", "is_pair"]


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def check_int(value: Any, name: str, *, minimum: int) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= ``minimum``.

    Raises ``TypeError`` for non-integers (floats such as 2.5 or 2.0, strings,
    ``None``, ``bool``) and ``ValueError`` for integers below ``minimum``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        kind = "a positive integer" if minimum >= 1 else f"an integer >= {minimum}"
        raise TypeError(f"{name} must be {kind}, got {_describe(value)}")
    value = int(value)
    if value < minimum:
        rule = "a positive integer (>= 1)" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {rule}, got {value}")
    return value


def is_pair(value: Any) -> bool:
    return isinstance(value, (tuple, list))


def check_pair(value: Any, name: str, *, minimum: int) -> tuple[int, int]:
    """Return ``(h, w)`` from an int or an ``(h, w)`` pair, each checked by :func:`check_int`."""
    if is_pair(value):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be an int or an (h, w) pair, got a sequence of length {len(value)}: {value!r}"
            )
        return (
            check_int(value[0], f"{name}[0]", minimum=minimum),
            check_int(value[1], f"{name}[1]", minimum=minimum),
        )
    v = check_int(value, name, minimum=minimum)
    return v, v


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
