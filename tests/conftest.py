"""Hypothesis profiles for the property suite, the number of examples it ran, and the quick tier.

* ``dev`` (the default on a workstation): few examples per property, so
  ``uv run pytest`` stays quick.
* ``ci`` (the default when the ``CI`` environment variable is set, as in
  ``.ci/run`` and GitHub Actions): ten times as many, thousands in total.

``HYPOTHESIS_PROFILE=ci uv run pytest`` (or ``dev``) chooses one explicitly.

The tests run in worker processes (pytest-xdist, ``-n`` in pyproject.toml). Tests that need the
built site (``tests/sitebuild.py``), Chromium or a notebook kernel are marked ``slow`` here, by
module or by the fixtures they use, so that ``uv run pytest -m "not slow"`` is the quick tier
(README, "The two commands").

When a run needs the site, its one build starts in the background as soon as a worker has
collected the tests, so that building overlaps the quick tests instead of following them. The
build and the server of the built site are made once per run, whichever worker asks first
(``tests/shared.py``, ``tests/sitebuild.py``); Chromium once per worker (tests/chromium.py says
why not once per run), shared by all of that worker's browser tests: the ``browser``,
``base_url``, ``context`` and ``tab`` fixtures at the end of this file. The controller stops
them all at the end.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

import chromium as _chromium
import shared
import sitebuild
from sitebuild import build_site, serve
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


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: its counts go to the controller
        session.config.workeroutput["hypothesis_examples"] = dict(EXAMPLES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    EXAMPLES.update(getattr(node, "workeroutput", {}).get("hypothesis_examples", {}))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if EXAMPLES:
        total, tests = sum(EXAMPLES.values()), len(EXAMPLES)
        terminalreporter.write_line(
            f"hypothesis: {total:,} examples run by {tests} property tests "
            f"(profile {PROFILE!r}: {settings.default.max_examples} per property, more for the cheapest)"
        )


# modules whose every test needs the built site, a browser or a notebook kernel
SLOW_MODULES = {
    "test_browser.py", "test_site.py", "test_site_integrity.py", "test_notebooks.py", "test_page_weight.py",
    "test_search.py", "test_copy_alone.py", "test_package.py", "test_explorer.py",
}
# fixtures that build the site or start a browser, wherever a module uses them
SLOW_FIXTURES = {"site", "base_url", "browser", "server", "chromium"}
# fixtures that take the run's build (tests/sitebuild.py), and those that take its Chromium
SITE_FIXTURES = {"site", "base_url", "built"}
BROWSER_FIXTURES = {"chromium", "browser"}


# the slow modules whose tests take longest, run first among the slow ones so that they do not end the run
LONGEST_FIRST = ["test_page_weight.py", "test_explorer.py", "test_browser.py", "test_notebooks.py", "test_search.py"]


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests, and run them after the quick ones, the longest first.

    The workers take the tests about in this order: the quick tests keep both cores busy while
    the site is built, and the slow ones, which mostly wait for Chromium, come when it is ready.
    """
    for item in items:
        if item.path.name in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker("slow")

    def order(item) -> tuple[int, int]:
        if item.get_closest_marker("slow") is None:
            return 0, 0
        name = item.path.name
        return 1, LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=order)  # stable: each module keeps its own order


def pytest_sessionstart(session):
    shared.setup(session.config)


def pytest_collection_finish(session):
    """Start what the selected tests will wait for (once per run), while the quick tests run."""
    needed = set().union(*(getattr(item, "fixturenames", ()) for item in session.items))
    if needed & SITE_FIXTURES:
        sitebuild.start(shared.ROOT)
    if needed & BROWSER_FIXTURES and _chromium.CHROMIUM:
        _chromium.start(shared.OWN)


def pytest_unconfigure(config):
    if shared.is_controller(config) and hasattr(shared, "ROOT"):
        shared.stop_all(shared.ROOT)  # the workers' Chromiums, the server, and a build nobody waited for


@pytest.fixture(scope="session")
def site() -> Path:
    """The run's ``mkdocs build --strict`` (tests/sitebuild.py), shared by every process."""
    return build_site()


@pytest.fixture(scope="session")
def chromium() -> str:
    """The DevTools address of this worker's Chromium (tests/chromium.py)."""
    return _chromium.endpoint(shared.OWN)


# --- the browser tests' fixtures: the site, the worker's Chromium, and a page that may not talk to any
# other host (test_browser.py, test_search.py, test_copy_alone.py, test_explorer.py) -----------------


@pytest.fixture(scope="session")
def base_url(site) -> str:
    return serve(site)


@pytest.fixture(scope="session")
def browser(chromium):
    """Playwright's sync API, connected to the worker's Chromium (the async page-weight test connects too)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(chromium)
        yield browser
        browser.close()  # disconnects; the controller stops the browser (tests/shared.py)


class Tab:
    """A page of the session's browser context; requests to hosts other than 127.0.0.1 fail and are recorded.

    They fail because the worker's Chromium resolves no host name but 127.0.0.1 (tests/chromium.py);
    they are recorded from the context's request events rather than intercepted, which would
    hold every request of every page until the test process let it through.
    """

    def __init__(self, context, base_url: str, foreign: list[str]):
        self.base = base_url
        self.foreign = foreign
        self.page = context.new_page()

    def open(self, path: str):
        self.page.goto(self.base + path, wait_until="load")
        return self.page


@pytest.fixture(scope="session")
def context(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url[: base_url.index("/", 8)])
    foreign: list[str] = []

    def record(request):  # recorded, not intercepted: the worker's Chromium resolves no other host anyway
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.hostname != "127.0.0.1":
            foreign.append(request.url)

    context.on("request", record)
    context.foreign = foreign
    yield context
    context.close()


@pytest.fixture
def tab(context, base_url):
    context.foreign.clear()
    tab = Tab(context, base_url, context.foreign)
    yield tab
    tab.page.close()
    assert not tab.foreign, f"requests left 127.0.0.1: {tab.foreign}"
