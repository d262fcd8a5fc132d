"""Two refreshes on one data directory never interleave: the second is refused or waits."""

from __future__ import annotations

import threading

import filelock
import pytest

from etl import config
from etl.pipeline import RefreshLocked, refresh
from tests.conftest import quiet


def test_second_refresh_is_refused_while_the_first_holds_the_lock(
    settings: config.Settings,
) -> None:
    settings.data_dir.mkdir(parents=True)
    held = filelock.FileLock(str(settings.lock_path), thread_local=False)
    held.acquire()
    try:
        with pytest.raises(RefreshLocked, match="another refresh is running"):
            refresh(["seed"], settings, log=quiet)
        assert not settings.processed_dir.exists()
    finally:
        held.release()


def test_second_refresh_with_wait_runs_after_the_first_finishes(
    settings: config.Settings,
) -> None:
    settings.data_dir.mkdir(parents=True)
    held = filelock.FileLock(str(settings.lock_path), thread_local=False)
    held.acquire()
    timer = threading.Timer(0.5, held.release)
    timer.start()
    report = refresh(["seed"], settings, wait=10, log=quiet)
    timer.join()
    assert not report.failed
    assert settings.manifest_path.exists()
