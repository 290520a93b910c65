"""Hypothesis profiles for the property suite, the number of examples it ran, and the quick tier.

* ``dev`` (the default on a workstation): few examples per property, so
  ``uv run pytest`` stays quick.
* ``ci`` (the default when the ``CI`` environment variable is set, as in
  ``.ci/run`` and GitHub Actions): ten times as many, thousands in total.

``HYPOTHESIS_PROFILE=ci uv run pytest`` (or ``dev``) chooses one explicitly.

Tests that need the built site (``tests/sitebuild.py``: one build per session), Chromium or
a notebook kernel are marked ``slow`` here, by module or by the ``site`` fixture they use,
so that ``uv run pytest -m "not slow"`` is the quick tier (README, "The two commands").

When a run needs the site, its build starts in the background as soon as the tests are
collected (and the determinism test's second build beside it), so that building overlaps the
quick tests instead of following them. One Chromium serves every browser test (``chromium``,
tests/chromium.py); the browser modules share one Playwright connection to it and one local
server for the built site: the ``browser``, ``base_url``, ``context`` and ``tab`` fixtures at the
end of this file.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

import chromium as _chromium
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
SLOW_FIXTURES = {"site", "builds", "base_url", "browser", "server", "chromium"}
# fixtures that take the session's build (tests/sitebuild.py), and the one that takes a second build too
SITE_FIXTURES = {"site", "builds", "base_url", "built"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker("slow")


def pytest_collection_finish(session):
    """Start the builds the selected tests will wait for, while the quick tests run."""
    needed = set().union(*(getattr(item, "fixturenames", ()) for item in session.items))
    factory = session.config._tmp_path_factory
    if needed & SITE_FIXTURES:
        sitebuild.start("site", factory)
    if "builds" in needed:
        sitebuild.start("again", factory)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """The DevTools address of the run's one Chromium (tests/chromium.py)."""
    with _chromium.launched(tmp_path_factory.mktemp("chromium-profile")) as endpoint:
        yield endpoint


# --- the browser tests' fixtures: the site, the run's Chromium, and a page that may not talk to any
# other host (test_browser.py, test_search.py, test_copy_alone.py, test_explorer.py) -----------------


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> str:
    return serve(build_site(tmp_path_factory))


@pytest.fixture(scope="session")
def browser(chromium):
    """Playwright's sync API, connected to the run's one Chromium (the async page-weight test connects too)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(chromium)
        yield browser
        browser.close()  # disconnects; the ``chromium`` fixture stops the browser


class Tab:
    """A page of the session's browser context; requests to hosts other than 127.0.0.1 are aborted and recorded."""

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

    def guard(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.hostname == "127.0.0.1":
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
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
