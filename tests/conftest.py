"""Shared test fixtures: repository paths, the real-data mirror, seed-built data directories."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from etl import config
from etl.pipeline import refresh

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO_ROOT.parent / "shared" / "datasets"


def quiet(_: str) -> None:
    """A log sink for tests that do not look at progress lines."""


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


@pytest.fixture
def seeded(settings: config.Settings) -> config.Settings:
    """Settings whose data directory already holds a published seed-only version."""
    report = refresh(["seed"], settings, log=quiet)
    assert not report.failed
    return settings
