"""Sybil collects every page of the site and every docstring of convdoc.

* ``docs/**/*.md`` (中文 ``page.md`` and English ``page.en.md``): each
  ```` ```python ```` block runs; ``>>>`` blocks are doctests whose outputs must
  match what convdoc computes now. Blocks of one page share a namespace, so one
  pytest-xdist worker runs them all, in order (the scheduler at the end of this file).
* ``convdoc/**/*.py`` (the figures package included): the ``Examples`` sections of the docstrings.
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.rest import DocTestParser

OPTIONS = ELLIPSIS | NORMALIZE_WHITESPACE

pytest_collect_file = (
    Sybil(
        parsers=[PythonCodeBlockParser(doctest_optionflags=OPTIONS)],
        patterns=["docs/**/*.md", "docs/*.md", "README.md"],
        name="docs",
    )
    + Sybil(
        parsers=[DocTestParser(optionflags=OPTIONS)],
        patterns=["convdoc/*.py", "convdoc/**/*.py"],
        name="docstrings",
    )
).pytest()


# modules whose tests share a costly module fixture (every page visited, every snippet run, a wheel
# built, two tiny sites built): one worker runs each, so that the fixture is made once
TOGETHER = {"tests/test_page_weight.py", "tests/test_copy_alone.py", "tests/test_package.py", "tests/test_site_integrity.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Hand out the tests one by one, in collection order, but each page's examples as one unit
    (and each module of :data:`TOGETHER`).

    pytest-xdist's own ``--dist loadgroup`` cannot do it under pytest 9.2 (it renames the
    items' ``_nodeid``, which ``nodeid`` no longer reads), and ``--dist loadfile`` would keep a
    whole browser module on one worker.
    """
    from xdist.scheduler import LoadScopeScheduling

    class PagesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if "::sybil:" in nodeid or path in TOGETHER else nodeid

    config.option.loadscopereorder = False  # keep the order of tests/conftest.py: quick first, then the slow
    return PagesTogether(config, log)
