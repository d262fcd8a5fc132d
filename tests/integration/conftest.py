"""Shared fixtures of the integration tests: the mirror settings and one full real refresh."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pandas as pd
import pytest

from etl import config
from etl.pipeline import RefreshReport, refresh

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
NEW_SNAPSHOT = "aijobs-salaries/salaries-2025-01-19.csv"
OLD_SNAPSHOT = "aijobs-salaries/salaries-2024-07-21.csv"
INDEED_COUNTRIES = ("AU", "CA", "DE", "EA", "ES", "FR", "GB", "IE", "IT", "NL", "US")
SECTOR_COUNTRIES = ("AU", "CA", "DE", "FR", "GB", "US")
LEVELS = {"EN": "Entry", "MI": "Mid", "SE": "Senior", "EX": "Executive"}

MIRROR_MISSING = (
    f"real-data mirror not found at {SHARED} (expected ../shared/datasets next to the repo)"
)


def quiet(_: str) -> None:
    pass


def real_settings(data_dir: Path, mirror: Path = SHARED, **changes: object) -> config.Settings:
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
    settings: config.Settings
    report: RefreshReport
    seconds: float

    def table(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.settings.processed_dir / f"{name}.parquet")

    @property
    def manifest(self) -> dict:
        return json.loads(self.settings.manifest_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def full(tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    """One full refresh of the mirror for the whole run (every source, OEWS included)."""
    if not (SHARED / NEW_SNAPSHOT).is_file():
        pytest.skip(MIRROR_MISSING)
    settings = real_settings(tmp_path_factory.mktemp("real") / "data")
    started = time.monotonic()
    report = refresh(None, settings, log=quiet)
    return Refreshed(settings, report, time.monotonic() - started)
