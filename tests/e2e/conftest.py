"""Fixtures for the browser tests, on the harness in tests/browser (which bench/loadtest.py uses).

- `seed_data_dir` / `real_data_dir`: the session's shared data roots of tests/conftest.py (the
  seed-only root, and the one full refresh from ../shared/datasets every tier reads, which skips
  cleanly when the mirror is absent); `fixture_data_dir`: the hand-made tables of
  tests/fixtures/dashboard_fixture.py.
- `app_server`: the dashboard served on a free loopback port, parametrized over both data sets
  (pytest groups the tests by parameter, so only one server runs at a time); `fixture_server`:
  one on the fixture, per module; `server_factory`: more servers inside one test.
- `browser`: Debian's /usr/bin/chromium (never a downloaded browser) with a fresh profile
  directory; skipped when it is missing, unless JOBMARKET_REQUIRE_BROWSER=1 (.ci/run sets it),
  which makes a missing browser an error. `new_context`/`page`: isolated contexts, one per user.
- `run`: the helpers are async (shared with bench/loadtest.py); tests run them with `run(...)`.
- `loaded`: each page of the server under test loaded ONCE at desktop width on its default URL
  (checked with `check_page`: errors, main element, navigation, screenshot) and shared by the
  tests that only read it (`loaded.get(spec)`); a test that changes the page takes it over
  (`loaded.take(spec)`: it leaves the cache, a later reader loads it again). Tests that change
  a page come after those that read it in their module, so a page is usually loaded once.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    DESKTOP,
    NAV_TITLES,
    PageReport,
    PageSpec,
    StreamlitServer,
    check_page,
    chromium_unavailable,
    launch,
    open_context,
    screenshot_path,
)
from tests.fixtures.dashboard_fixture import build_full

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DATA_KINDS = ("seed", "real")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Mark the browser tests, then (after pytest's own ordering) run them by server: every
    test on the seed server, then every test on the real one, then those with servers of their
    own, each group in file order. (pytest groups a session parameter by value AND position, so
    the filter cases, parametrized indirectly, would start the seed and real servers again; in
    file order, the tests that change a page run after those that read it: see `loaded`.)"""
    # Everything in this directory drives a browser: mark it so `-m e2e` / `-m "not e2e"` work.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
    result = yield
    positions = [
        i for i, item in enumerate(items) if here in Path(str(item.fspath)).resolve().parents
    ]

    def group(item: pytest.Item) -> int:
        callspec = getattr(item, "callspec", None)
        kind = callspec.params.get("app_server") if callspec else None
        return DATA_KINDS.index(kind) if kind in DATA_KINDS else len(DATA_KINDS)

    # Under pytest-xdist (`make test` runs two workers, --dist loadgroup) the tests of one file
    # on one server stay together on one worker, in this order (the page checks share their
    # loads); the groups and the other tiers spread over both workers.
    for i in positions:
        kind = (*DATA_KINDS, "own")[group(items[i])]
        items[i].add_marker(pytest.mark.xdist_group(f"e2e-{kind}-{Path(items[i].path).stem}"))
    ours = sorted((items[i] for i in positions), key=group)  # stable: file order in a group
    for i, item in zip(positions, ours, strict=True):
        items[i] = item
    return result


@pytest.fixture(scope="session")
def seed_data_dir(seed_root: Path) -> Path:
    return seed_root


@pytest.fixture(scope="session")
def real_data_dir(real_dir: Path) -> Path:
    return real_dir


@pytest.fixture(scope="session")
def fixture_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full(tmp_path_factory.mktemp("e2e-fixture") / "data")


def new_server(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, name: str, **kwargs
) -> StreamlitServer:
    """A server (not started yet) logging into a folder of its own."""
    logs = tmp_path_factory.mktemp(f"server-{name}")
    return StreamlitServer(data_dir, logs / "streamlit.log", **kwargs)


@pytest.fixture(scope="session", params=DATA_KINDS)
def app_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """The dashboard on seed-only data, then on the full real refresh (one at a time)."""
    kind = request.param
    data_dir = request.getfixturevalue(f"{kind}_data_dir")
    with new_server(tmp_path_factory, data_dir, kind, kind=kind) as server:
        yield server


@pytest.fixture(scope="module")
def fixture_server(
    fixture_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    with new_server(tmp_path_factory, fixture_data_dir, "fixture", kind="fixture") as server:
        yield server


@pytest.fixture
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Start extra servers inside one test (fresh ones, or broken on purpose); stopped after."""
    started: list[StreamlitServer] = []

    def start(data_dir: Path, name: str, **kwargs) -> StreamlitServer:
        server = new_server(tmp_path_factory, data_dir, name, **kwargs)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def run() -> Iterator:
    """Run a coroutine on the session's event loop: the helpers are async (shared with the
    load test), the tests call them through this."""
    loop = asyncio.new_event_loop()
    try:
        yield loop.run_until_complete
    finally:
        loop.close()


@pytest.fixture(scope="session")
def browser(run) -> Iterator:
    reason = chromium_unavailable()
    if reason and os.environ.get("JOBMARKET_REQUIRE_BROWSER") == "1":
        pytest.fail(f"JOBMARKET_REQUIRE_BROWSER=1 but {reason}")
    if reason:
        pytest.skip(reason)
    launched = launch()
    yield run(launched.__aenter__())
    run(launched.__aexit__(None, None, None))


@pytest.fixture
def new_context(browser, run) -> Iterator:
    """A factory of isolated browser contexts (each one a separate user, DESKTOP size unless
    a viewport is given) closed after the test."""
    made = []

    def make(viewport: dict[str, int] = DESKTOP):
        ctx = run(open_context(browser, viewport))
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        run(ctx.close())


@pytest.fixture
def page(new_context, run) -> Any:
    return run(new_context().new_page())


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class SharedPages:
    """Pages loaded once per server and page (desktop width, default URL), each in a context of
    its own (one user), with what `check_page` found when it was loaded."""

    def __init__(self, browser: Any, run: Any, screenshots: Path) -> None:
        self.browser, self.run, self.screenshots = browser, run, screenshots
        self.pages: dict[tuple[str, str], tuple[Any, PageReport]] = {}
        self.contexts: list[Any] = []
        self.loads = 0

    def get(self, server: StreamlitServer, spec: PageSpec) -> tuple[Any, PageReport]:
        key = (server.url, spec.path)
        if key not in self.pages:
            context = self.run(open_context(self.browser, DESKTOP))
            self.contexts.append(context)
            page = self.run(context.new_page())
            shot = screenshot_path(self.screenshots, server.kind, spec.path, DESKTOP)
            report = self.run(
                check_page(
                    page,
                    spec.url(server.url),
                    main=spec.main[server.kind],
                    nav=NAV_TITLES,
                    screenshot=shot,
                )
            )
            self.loads += 1
            self.pages[key] = (page, report)
        return self.pages[key]

    def take(self, server: StreamlitServer, spec: PageSpec) -> tuple[Any, PageReport]:
        found = self.get(server, spec)
        del self.pages[(server.url, spec.path)]
        return found

    def close(self) -> None:
        for context in self.contexts:
            self.run(context.close())
        self.pages.clear()
        self.contexts.clear()


@pytest.fixture(scope="session")
def shared_pages(browser, run, screenshots_dir: Path) -> Iterator[SharedPages]:
    pages = SharedPages(browser, run, screenshots_dir)
    yield pages
    pages.close()


class Loaded:
    """`shared_pages` bound to the test's server: `get(spec)` to read, `take(spec)` to change."""

    def __init__(self, shared: SharedPages, server: StreamlitServer) -> None:
        self.shared, self.server = shared, server
        self.taken: list[Any] = []

    def get(self, spec: PageSpec) -> tuple[Any, PageReport]:
        return self.shared.get(self.server, spec)

    def take(self, spec: PageSpec) -> tuple[Any, PageReport]:
        page, report = self.shared.take(self.server, spec)
        self.taken.append(page)
        return page, report


@pytest.fixture
def loaded(shared_pages: SharedPages, app_server: StreamlitServer, run) -> Iterator[Loaded]:
    bound = Loaded(shared_pages, app_server)
    yield bound
    for page in bound.taken:  # a page taken over is this test's: its context closes with it
        shared_pages.contexts.remove(page.context)
        run(page.context.close())
