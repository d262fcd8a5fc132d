"""The `python -m etl` command line: exit codes, messages and environment overrides.

The behaviour is tested in-process (`etl.__main__.main([...])`, output through capsys, the
environment through monkeypatch); one smoke test runs the real `python -m etl` in a subprocess
so the module entry point, its exit status and its streams are covered too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import filelock
import pytest

from etl import config
from etl.__main__ import main
from tests.conftest import REPO_ROOT


class Cli:
    """Runs `main(argv)` in-process like the command would: its exit code and what it wrote."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        # The tests set what they need; an inherited value would change what they see.
        for name in ("JOBMARKET_DATA_DIR", "JOBMARKET_MIRROR"):
            monkeypatch.delenv(name, raising=False)

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        with self.monkeypatch.context() as patch:
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            self.capsys.readouterr()  # drop anything printed before
            code = main(list(args))
            out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(capsys, monkeypatch)


def test_python_dash_m_etl_runs_as_a_command(tmp_path: Path) -> None:
    # The one subprocess: the module entry point exits with main()'s code, progress on stderr,
    # the summary on stdout, and a usage error is an exit status of 2.
    env = {k: v for k, v in os.environ.items() if k not in ("JOBMARKET_MIRROR",)}
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "--data-dir", str(data), "refresh", "seed"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "seed: ok" in done.stdout
    assert "[seed] openings: 10 rows valid" in done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "etl", "refresh", "nosuch", "--data-dir", str(data)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "unknown source(s) nosuch" in bad.stderr


def test_refresh_then_status(run: Cli, tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, err = run("--data-dir", str(data), "refresh", "seed")
    assert code == 0, err
    assert "seed: ok" in out
    assert "[seed] openings: 10 rows valid" in err
    code, out, _ = run("status", "--data-dir", str(data))
    assert code == 0
    assert "openings                 10  seed" in out
    assert "seed     ok         undated     " in out
    code, out, _ = run("refresh", "seed", "--data-dir", str(data))
    assert code == 0
    assert "seed: unchanged" in out


def test_data_dir_comes_from_the_environment(run: Cli, tmp_path: Path) -> None:
    data = tmp_path / "envdata"
    code, _, err = run("refresh", "seed", env={"JOBMARKET_DATA_DIR": str(data)})
    assert code == 0, err
    assert (data / "processed" / "manifest.json").exists()


def test_unknown_source_is_a_usage_error(run: Cli, tmp_path: Path) -> None:
    code, _, err = run("refresh", "nosuch", "--data-dir", str(tmp_path))
    assert code == 2
    assert "unknown source(s) nosuch; known: seed" in err
    assert not (tmp_path / "processed").exists()


def test_missing_mirror_directory_is_a_usage_error(run: Cli, tmp_path: Path) -> None:
    code, _, err = run(
        "refresh", "--data-dir", str(tmp_path), env={"JOBMARKET_MIRROR": "/nonexistent/x"}
    )
    assert code == 2
    assert "mirror directory /nonexistent/x does not exist" in err


def test_status_without_data_says_which_command_to_run(run: Cli, tmp_path: Path) -> None:
    code, out, _ = run("status", "--data-dir", str(tmp_path))
    assert code == 1
    assert "run: python -m etl refresh seed" in out


def test_locked_refresh_exits_3_with_a_clear_message(run: Cli, tmp_path: Path) -> None:
    settings = config.load(data_dir=tmp_path)
    tmp_path.mkdir(exist_ok=True)
    with filelock.FileLock(str(settings.lock_path)):  # another lock file handle: held
        code, _, err = run("refresh", "seed", "--data-dir", str(tmp_path))
    assert code == 3
    assert "another refresh is running" in err


def test_sources_lists_registry_with_licence_and_attribution(run: Cli) -> None:
    code, out, _ = run("sources")
    assert code == 0
    assert "seed: Seed tables" in out
    assert "licence:" in out and "attribution:" in out


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
