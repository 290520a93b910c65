"""Hypothesis profiles for the property suite, the number of examples it ran, and the quick tier.

* ``dev`` (the default on a workstation): few examples per property, so
  ``uv run pytest`` stays quick.
* ``ci`` (the default when the ``CI`` environment variable is set, as in
  ``.ci/run`` and GitHub Actions): ten times as many, thousands in total.

``HYPOTHESIS_PROFILE=ci uv run pytest`` (or ``dev``) chooses one explicitly.

Tests that need the built site (``tests/sitebuild.py``: one build per session), Chromium or
a notebook kernel are marked ``slow`` here, by module or by the ``site`` fixture they use,
so that ``uv run pytest -m "not slow"`` is the quick tier (README, "The two commands").
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from counting import EXAMPLES

# shapes are kept small in the strategies: the reference loops are slow on purpose
settings.register_profile(
    "dev",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,  # shared CI machines have noisy timings; a slow example is not a bug
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,  # a failure prints the @reproduce_failure line to paste locally
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if EXAMPLES:
        total, tests = sum(EXAMPLES.values()), len(EXAMPLES)
        terminalreporter.write_line(
            f"hypothesis: {total:,} examples run by {tests} property tests "
            f"(profile {PROFILE!r}: {settings.default.max_examples} per property, more for the cheapest)"
        )


# modules whose every test needs the built site, a browser or a notebook kernel
SLOW_MODULES = {"test_browser.py", "test_site.py", "test_site_integrity.py", "test_notebooks.py", "test_page_weight.py"}
# fixtures that build the site or start a browser, wherever a module uses them
SLOW_FIXTURES = {"site", "builds", "base_url", "browser", "server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker("slow")
