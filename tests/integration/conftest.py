"""Shared fixtures of the integration tests: the mirror settings and the session's one full real
refresh (`full`, the same refresh as `real_data` in tests/conftest.py, which every tier shares)."""

from __future__ import annotations

import pytest

from tests.conftest import (
    INDEED_COUNTRIES,
    NEW_SNAPSHOT,
    OLD_SNAPSHOT,
    SECTOR_COUNTRIES,
    Refreshed,
    quiet,
    real_data_unavailable,
    real_settings,
)
from tests.conftest import SHARED_DATASETS as SHARED

LEVELS = {"EN": "Entry", "MI": "Mid", "SE": "Senior", "EX": "Executive"}

MIRROR_MISSING = (
    f"real-data mirror not found at {SHARED} (expected ../shared/datasets next to the repo)"
)

__all__ = [
    "INDEED_COUNTRIES",
    "LEVELS",
    "MIRROR_MISSING",
    "NEW_SNAPSHOT",
    "OLD_SNAPSHOT",
    "SECTOR_COUNTRIES",
    "SHARED",
    "Refreshed",
    "quiet",
    "real_data_unavailable",
    "real_settings",
]


@pytest.fixture(scope="session")
def full(real_data: Refreshed) -> Refreshed:
    """One full refresh of the mirror for the whole run (every source, OEWS included)."""
    return real_data
