"""A failed or killed refresh leaves the previous dataset byte-identical and readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from etl import config, writer
from etl.pipeline import refresh
from tests.conftest import REPO_ROOT, quiet


def snapshot(settings: config.Settings) -> dict[str, bytes]:
    folder = settings.processed_dir
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_failure_mid_write_leaves_previous_version_byte_identical(
    seeded: config.Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(seeded)
    link_before = os.readlink(seeded.processed_dir)
    calls = {"n": 0}
    real_write = writer.write_table

    def failing_write(directory: Path, table: str, frame: pd.DataFrame) -> Path:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full (injected)")
        return real_write(directory, table, frame)

    monkeypatch.setattr(writer, "write_table", failing_write)
    with pytest.raises(OSError, match="injected"):
        refresh(["seed"], seeded, force=True, log=quiet)
    assert calls["n"] == 3
    assert os.readlink(seeded.processed_dir) == link_before
    assert snapshot(seeded) == before
    assert not list(seeded.versions_dir.glob(".building-*"))


def test_kill_during_write_leaves_previous_version_and_next_refresh_works(
    seeded: config.Settings,
) -> None:
    before = snapshot(seeded)
    env = {
        **os.environ,
        "JOBMARKET_DATA_DIR": str(seeded.data_dir),
        "JOBMARKET_SLOW_WRITE_SECONDS": "0.5",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "refresh", "seed", "--force"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    building: list[Path] = []
    while time.monotonic() < deadline and not building:
        building = [p for p in seeded.versions_dir.glob(".building-*") if any(p.iterdir())]
        time.sleep(0.05)
    assert building, "the refresh never started writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert snapshot(seeded) == before
    # The lock died with the process, and the half-written version is cleaned up next time.
    report = refresh(["seed"], seeded, force=True, log=quiet)
    assert not report.failed
    assert not list(seeded.versions_dir.glob(".building-*"))
    assert pd.read_parquet(seeded.processed_dir / "industries.parquet")["share_pct"].sum() == 100


def test_old_versions_are_pruned_to_the_configured_number(seeded: config.Settings) -> None:
    for _ in range(4):
        refresh(["seed"], seeded, force=True, log=quiet)
    versions = [p for p in seeded.versions_dir.iterdir() if not p.name.startswith(".")]
    assert len(versions) == seeded.keep_versions
    assert seeded.processed_dir.resolve() in [v.resolve() for v in versions]
