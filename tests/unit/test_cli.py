"""The `python -m etl` command line: exit codes, messages and environment overrides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import filelock
import pytest

from etl import config
from tests.conftest import REPO_ROOT


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refresh_then_status(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = run("--data-dir", str(data), "refresh", "seed")
    assert done.returncode == 0, done.stderr
    assert "seed: ok" in done.stdout
    assert "[seed] openings: 10 rows valid" in done.stderr
    status = run("status", "--data-dir", str(data))
    assert status.returncode == 0
    assert "openings                 10  seed" in status.stdout
    assert "seed     ok         undated     " in status.stdout
    again = run("refresh", "seed", "--data-dir", str(data))
    assert again.returncode == 0
    assert "seed: unchanged" in again.stdout


def test_data_dir_comes_from_the_environment(tmp_path: Path) -> None:
    data = tmp_path / "envdata"
    done = run("refresh", "seed", env={"JOBMARKET_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stderr
    assert (data / "processed" / "manifest.json").exists()


def test_unknown_source_is_a_usage_error(tmp_path: Path) -> None:
    done = run("refresh", "nosuch", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert "unknown source(s) nosuch; known: seed" in done.stderr
    assert not (tmp_path / "processed").exists()


def test_missing_mirror_directory_is_a_usage_error(tmp_path: Path) -> None:
    done = run("refresh", "--data-dir", str(tmp_path), env={"JOBMARKET_MIRROR": "/nonexistent/x"})
    assert done.returncode == 2
    assert "mirror directory /nonexistent/x does not exist" in done.stderr


def test_status_without_data_says_which_command_to_run(tmp_path: Path) -> None:
    done = run("status", "--data-dir", str(tmp_path))
    assert done.returncode == 1
    assert "run: python -m etl refresh seed" in done.stdout


def test_locked_refresh_exits_3_with_a_clear_message(tmp_path: Path) -> None:
    settings = config.load(data_dir=tmp_path)
    tmp_path.mkdir(exist_ok=True)
    with filelock.FileLock(str(settings.lock_path)):
        done = run("refresh", "seed", "--data-dir", str(tmp_path))
    assert done.returncode == 3
    assert "another refresh is running" in done.stderr


def test_sources_lists_registry_with_licence_and_attribution() -> None:
    done = run("sources")
    assert done.returncode == 0
    assert "seed: Seed tables" in done.stdout
    assert "licence:" in done.stdout and "attribution:" in done.stdout


def test_environment_overrides_in_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("JOBMARKET_MIRROR", str(tmp_path / "m"))
    monkeypatch.setenv("JOBMARKET_INDEED_COUNTRIES", "us, gb")
    settings = config.load()
    assert settings.data_dir == (tmp_path / "d").resolve()
    assert settings.mirror == (tmp_path / "m").resolve()
    assert settings.indeed_countries == ("US", "GB")
    explicit = config.load(data_dir=tmp_path / "x", mirror=None)
    assert explicit.data_dir == (tmp_path / "x").resolve()
