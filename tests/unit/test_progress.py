"""Refresh progress: bars on a terminal, plain lines in logs, only failures and summary if quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from etl import config, pipeline
from etl.progress import Progress
from tests.unit.test_cli import Cli


def test_plain_progress_writes_lines_and_quiet_keeps_only_failures() -> None:
    stream = io.StringIO()
    plain = Progress(stream=stream, fancy=False)
    plain.start("aijobs", 3)
    plain.log("[aijobs] got salaries.csv")
    plain.advance("aijobs", "got salaries.csv")
    assert plain.finish("aijobs", "ok") >= 0
    assert stream.getvalue() == "[aijobs] got salaries.csv\n"  # no bar codes in a log file

    quiet = Progress(stream=(out := io.StringIO()), quiet=True)
    quiet.log("[aijobs] got salaries.csv")
    quiet.log("[indeed] FAILED: no such file", important=True)
    assert out.getvalue() == "[indeed] FAILED: no such file\n"


def test_terminal_progress_draws_a_bar_per_source_with_its_status(tmp_path: Path) -> None:
    stream = io.StringIO()
    bars = Progress(stream=stream, fancy=True)
    report = pipeline.refresh(
        ["seed"], config.load(data_dir=tmp_path / "data"), log=bars.log, progress=bars
    )
    bars.close()
    text = stream.getvalue()
    assert report.version is not None
    assert "seed" in text and "ok" in text
    assert "14/14" in text  # the seed's 12 files plus normalizing and validating, all done
    assert report.results[0].seconds > 0


def test_cli_quiet_prints_only_the_summary_with_seconds_per_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = Cli(capsys, monkeypatch)  # the CLI in-process, as tests/unit/test_cli.py runs it
    code, out, err = run("refresh", "seed", "--quiet", "--data-dir", str(tmp_path / "data"))
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("seed: ok in ") and "openings 10 rows" in lines[0]
    assert "0 quarantined" in lines[0]
    assert lines[-1].startswith("total: ") and "published version" in lines[-1]
