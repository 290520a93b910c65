"""Count the examples hypothesis runs, so the test session can print one total.

Every property test in ``test_properties.py`` is decorated with :func:`counted`
(below ``@given``); ``tests/conftest.py`` prints the total at the end of the run:
``hypothesis: 33,118 examples run by 32 property tests (profile 'ci': 500 per property, ...)``.
"""

from __future__ import annotations

import functools
from collections import Counter

EXAMPLES: Counter[str] = Counter()


def counted(test):
    """Count each call of ``test`` (one call per example hypothesis runs, shrinking included)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        EXAMPLES[test.__qualname__] += 1
        return test(*args, **kwargs)

    return wrapper
