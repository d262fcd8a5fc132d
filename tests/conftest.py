"""Shared test fixtures: repository paths, and the data roots every tier reads.

Built once per test session and shared by every tier (unit, app, e2e, integration):

- `seed_root`: a data root holding the published seed-only version (the embedded seed tables).
  Read-only: a test that writes takes `seeded` (its own root) or copies it.
- `real_data` / `real_dir`: ONE full refresh of the real-data mirror ../shared/datasets (every
  source, OEWS included) with the default countries and snapshot pinned. Tests that skip with
  the reason when the mirror is absent. Read-only as well: a test that refreshes again on
  purpose copies it first, except the integration check that a second refresh changes nothing.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from _pytest.nodeid import coerce_node_id

from etl import config
from etl.pipeline import RefreshReport, refresh

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO_ROOT.parent / "shared" / "datasets"

# The real refresh the tests check: the default snapshot and countries, whatever the
# environment says (JOBMARKET_AIJOBS_FILE and the country lists would change the figures).
NEW_SNAPSHOT = "aijobs-salaries/salaries-2025-01-19.csv"
OLD_SNAPSHOT = "aijobs-salaries/salaries-2024-07-21.csv"
INDEED_COUNTRIES = ("AU", "CA", "DE", "EA", "ES", "FR", "GB", "IE", "IT", "NL", "US")
SECTOR_COUNTRIES = ("AU", "CA", "DE", "FR", "GB", "US")


def quiet(_: str) -> None:
    """A log sink for tests that do not look at progress lines."""


def real_data_unavailable() -> str | None:
    """Why the real-data tests cannot run here, or None when the mirror is usable."""
    if not SHARED_DATASETS.is_dir():
        return (
            f"real-data mirror not found at {SHARED_DATASETS} "
            "(expected ../shared/datasets next to the repo)"
        )
    if not (SHARED_DATASETS / NEW_SNAPSHOT).is_file():
        return f"the real-data mirror {SHARED_DATASETS} lacks {NEW_SNAPSHOT}"
    return None


def real_settings(
    data_dir: Path, mirror: Path = SHARED_DATASETS, **changes: object
) -> config.Settings:
    """Mirror settings with the default countries and snapshot, whatever the environment says."""
    base = config.load(data_dir=data_dir, mirror=mirror)
    pinned = {
        "aijobs_file": NEW_SNAPSHOT,
        "indeed_countries": INDEED_COUNTRIES,
        "indeed_sector_countries": SECTOR_COUNTRIES,
    }
    return dataclasses.replace(base, **{**pinned, **changes})


@dataclasses.dataclass
class Refreshed:
    """A published data root with the report and wall time of the refresh that built it."""

    settings: config.Settings
    report: RefreshReport
    seconds: float

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def table(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.settings.processed_dir / f"{name}.parquet")

    @property
    def manifest(self) -> dict:
        return json.loads(self.settings.manifest_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def real_data(tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    """The session's one full refresh of the mirror (every source), shared by every tier.
    Whether each source succeeded is asserted by the tests (integration) or by `real_dir`."""
    reason = real_data_unavailable()
    if reason:
        pytest.skip(reason)
    settings = real_settings(tmp_path_factory.mktemp("real") / "data")
    started = time.monotonic()
    report = refresh(None, settings, log=quiet)
    return Refreshed(settings, report, time.monotonic() - started)


@pytest.fixture(scope="session")
def real_dir(real_data: Refreshed) -> Path:
    """The data root of the shared real refresh, every source published (read-only)."""
    failed = {r.name: r.error for r in real_data.report.failed}
    assert not failed, f"refresh from the mirror failed: {failed}"
    return real_data.data_dir


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of data/seed, for tests that break a seed file on purpose."""
    target = tmp_path / "seed"
    shutil.copytree(config.SEED_DIR, target)
    return target


@pytest.fixture
def settings(tmp_path: Path) -> config.Settings:
    """Settings pointing at an empty data directory under tmp_path (no mirror)."""
    return dataclasses.replace(config.load(data_dir=tmp_path / "data"), mirror=None)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> config.Settings:
    """Settings of the session's shared seed-only data root (read-only: never refresh it)."""
    data_dir = tmp_path_factory.mktemp("seed-root") / "data"
    shared = dataclasses.replace(config.load(data_dir=data_dir), mirror=None)
    report = refresh(["seed"], shared, log=quiet)
    assert not report.failed, report.failed
    return shared


@pytest.fixture(scope="session")
def seed_root(seed_settings: config.Settings) -> Path:
    """The shared seed-only data root (read-only)."""
    return seed_settings.data_dir


@pytest.fixture
def seeded(settings: config.Settings) -> config.Settings:
    """Settings whose own data directory holds a published seed-only version, for tests that
    refresh, break or lock it (read-only tests take `seed_settings`)."""
    report = refresh(["seed"], settings, log=quiet)
    assert not report.failed
    return settings


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make pytest-xdist's `--dist loadgroup` groups take effect under pytest 9: xdist 3.8 tags
    a grouped test by rewriting `item._nodeid` ("…@group"), but pytest 9 reads a node id from
    `item._id`, so every group was silently spread over both workers (each then started its
    own servers and loaded its own pages). Runs after xdist's hook (trylast)."""
    for item in items:
        grouped = item.__dict__.get("_nodeid")
        if grouped and grouped != item.nodeid:
            item._id = coerce_node_id(grouped)
