"""Fixtures for the AppTest suite: data directories, an app factory bound to one of them, and
the session's cache of rendered pages.

- `seed_dir` (the shared seed root of tests/conftest.py), `full_dir` (the hand-made fixture of
  tests/fixtures/dashboard_fixture.py) and `real_dir` (the session's one real refresh) are built
  once per session and never written to.
- `rendered(kind, page, params)`: the page rendered ONCE per session for that data kind
  ("seed", "full" or "real") and those URL parameters, shared by every test that only reads it.
  It is read-only: rerunning it, switching its page or setting a widget then running raises.
- `make_app(data_dir, page, params)`: a fresh AppTest of its own, for tests that interact (set
  a widget and rerun, switch pages) or use a data directory of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pages import PAGES as REGISTRY
from tests.fixtures.dashboard_fixture import build_full

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = {p.path: p.file for p in REGISTRY}
# Data kind -> the session fixture of its data root.
DATA_KINDS = {"seed": "seed_dir", "full": "full_dir", "real": "real_dir"}


@pytest.fixture(scope="session")
def seed_dir(seed_root: Path) -> Path:
    return seed_root


@pytest.fixture(scope="session")
def full_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full(tmp_path_factory.mktemp("full-data"))


def render(
    monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
    page: str = "overview",
    params: dict | None = None,
) -> AppTest:
    """Run the router on `data_dir`, opened on `page` with URL `params`."""
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(data_dir))
    # Every numbers table drawn, as a reader who opens them all sees them (the tests read them).
    monkeypatch.setenv("JOBMARKET_EXPAND", "all")
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page != "overview":
        at.run()  # register the st.navigation pages before switching
        at.switch_page(PAGES[page])
    return at.run()


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """A fresh AppTest of the router, on `data_dir`, opened on `page` with URL `params`."""

    def make(data_dir: Path, page: str = "overview", params: dict | None = None) -> AppTest:
        return render(monkeypatch, data_dir, page, params)

    return make


def _frozen(params: dict | None) -> tuple:
    """A hashable form of URL parameters (a list value keeps its order: it is the URL's)."""
    items = []
    for key, value in sorted((params or {}).items()):
        items.append((key, tuple(value) if isinstance(value, list | tuple) else value))
    return tuple(items)


def _read_only(*_args: Any, **_kwargs: Any) -> AppTest:
    raise RuntimeError(
        "this AppTest is shared by every test that reads the page (the `rendered` fixture): "
        "take a fresh one from `make_app` to set widgets, rerun or switch pages"
    )


@pytest.fixture(scope="session")
def render_cache() -> Iterator[dict[tuple, AppTest]]:
    cache: dict[tuple, AppTest] = {}
    yield cache
    cache.clear()


@pytest.fixture
def rendered(
    request: pytest.FixtureRequest, render_cache: dict[tuple, AppTest]
) -> Callable[..., AppTest]:
    """The page rendered once per session per (data kind, page, URL parameters); read-only."""

    def get(kind: str, page: str = "overview", params: dict | None = None) -> AppTest:
        key = (kind, page, _frozen(params))
        if key not in render_cache:
            data_dir = request.getfixturevalue(DATA_KINDS[kind])
            with pytest.MonkeyPatch.context() as monkeypatch:
                at = render(monkeypatch, data_dir, page, params)
            # every rerun goes through AppTest._run (widgets' .run() and at.run() alike)
            at._run = _read_only  # type: ignore[method-assign]
            at.switch_page = _read_only  # type: ignore[method-assign]
            render_cache[key] = at
        return render_cache[key]

    return get
