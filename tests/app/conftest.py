"""Fixtures for the AppTest suite: data directories and an app factory bound to one of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pages import PAGES as REGISTRY
from tests.fixtures.dashboard_fixture import build_full, build_seed

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = {p.path: p.file for p in REGISTRY}


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed(tmp_path_factory.mktemp("seed-data"))


@pytest.fixture(scope="session")
def full_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full(tmp_path_factory.mktemp("full-data"))


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """AppTest of the router, on `data_dir`, opened on `page` with URL `params`."""

    def make(data_dir: Path, page: str = "overview", params: dict | None = None) -> AppTest:
        monkeypatch.setenv("JOBMARKET_DATA_DIR", str(data_dir))
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        if page != "overview":
            at.run()  # register the st.navigation pages before switching
            at.switch_page(PAGES[page])
        return at.run()

    return make
