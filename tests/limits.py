"""Guards for tests that prove convdoc refuses (or answers) before doing a lot of work.

:func:`time_limit` stops a call that works for seconds where it should refuse at once;
:func:`peak_below` fails a block that allocates more than it should (numpy reports its
allocations to tracemalloc). Used by the bad-input sweep and the real-input tests.
"""

from __future__ import annotations

import contextlib
import signal
import tracemalloc


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int):
    """Raise :class:`TookTooLong` in the block after ``seconds`` (SIGALRM: main thread, POSIX)."""

    def expire(signum, frame):
        raise TookTooLong(f"still working after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def peak_below(limit: int):
    """Fail if the block allocates more than ``limit`` bytes at its peak."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < limit, f"allocated {peak / 2**20:.1f} MiB at its peak, limit {limit / 2**20:.1f} MiB"
