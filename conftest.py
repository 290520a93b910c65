"""Sybil collects every page of the site and every docstring of convdoc.

* ``docs/**/*.md`` (中文 ``page.md`` and English ``page.en.md``): each
  ```` ```python ```` block runs; ``>>>`` blocks are doctests whose outputs must
  match what convdoc computes now. Blocks of one page share a namespace.
* ``convdoc/**/*.py`` (the figures package included): the ``Examples`` sections of the docstrings.
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

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
