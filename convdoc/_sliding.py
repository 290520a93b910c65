"""A window sliding along one axis: the arithmetic that every size in convdoc is built from.

A kernel of ``k`` taps spaced ``d`` apart (the dilation) spans ``d*(k-1) + 1`` input cells,
its effective size. Along ``size`` cells with ``p`` cells of padding on each side, that
leaves ``size + 2p - effective`` cells of room, and a window starts every ``s`` cells, so
``room/s + 1`` windows fit: rounded down (PyTorch's rule) or, with ``ceil_mode``, up.

Plain ``int`` in, ``int`` out, nothing checked: the public functions of :mod:`convdoc.sizes`
check their arguments and name them in their messages, and the hot paths of ``conv2d``
call these on sizes that are already known to be valid.
"""

from __future__ import annotations


def effective(k: int, d: int) -> int:
    """How many input cells a kernel of ``k`` taps, ``d`` apart, spans: ``d*(k-1) + 1``."""
    return d * (k - 1) + 1


def field_step(size: int, jump: int, k: int, s: int, d: int) -> tuple[int, int]:
    """Receptive field and jump after a window (k, s, d), from those before it: the window adds its
    span beyond one pixel, in steps of the jump, and multiplies the jump by its stride."""
    return size + (effective(k, d) - 1) * jump, jump * s


def inside(n: int, size: int, s: int, offset: int) -> tuple[int, int]:
    """The positions ``o`` in ``[lo, hi)`` of ``range(n)`` whose index ``o*s + offset`` lies in ``[0, size)``.

    Tap m of window o reads input ``o*s + m*d - p`` (offset ``m*d - p``): the outputs whose tap
    reads x, not padding (conv2d, pooling); and input i of a transposed convolution stamps tap m
    at ``i*s + m*d - p``: the inputs whose stamp lands in the output. ``lo >= hi`` when none do.
    """
    return min(n, max(0, -(offset // s))), min(n, max(0, (size - 1 - offset) // s + 1))


def room(size: int, k: int, p: int, d: int) -> int:
    """How far the window moves from its first position to its last possible one: ``size + 2p - effective``."""
    return size + 2 * p - effective(k, d)


def count(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool = False) -> int:
    """``room/s + 1`` windows, rounded down, or up with ``ceil_mode``; below 1 when not even one fits."""
    r = room(size, k, p, d)
    return (-(-r // s) if ceil_mode else r // s) + 1


def output(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool, axis: str) -> int:
    """The output size along one axis (PyTorch's rule), or a ``ValueError`` when no window fits.

    With ``ceil_mode`` the last window may hang past the padded input, but must start inside
    the input or the left padding (PyTorch drops it otherwise). ``axis`` ("", "[0]", "[1]")
    names the axis in the message.
    """
    eff, padded = effective(k, d), size + 2 * p
    out = count(size, k, s, p, d, ceil_mode)
    if not ceil_mode:
        if out < 1:
            raise ValueError(
                f"kernel_size{axis} is larger than the padded input: the kernel covers "
                f"dilation*(kernel_size-1)+1 = {d}*({k}-1)+1 = {eff} pixels, but "
                f"size + 2*padding = {size} + 2*{p} = {padded}; use a smaller kernel, "
                f"more padding or a larger input"
            )
        return out
    if (out - 1) * s >= size + p:
        out -= 1
    if out < 1:
        raise ValueError(
            f"kernel_size{axis} is larger than the padded input by more than stride - 1: the kernel covers "
            f"dilation*(kernel_size-1)+1 = {d}*({k}-1)+1 = {eff} pixels, size + 2*padding = "
            f"{size} + 2*{p} = {padded}, and with ceil_mode a window may reach at most stride - 1 = {s - 1} "
            f"pixel{'' if s == 2 else 's'} past the padded input (PyTorch's rule); use a smaller kernel, more padding or a larger input"
        )
    return out
