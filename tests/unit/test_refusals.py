"""A refresh refuses, in one line and with exit 2, what it cannot build on; bad settings too."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from etl import config, writer
from etl.__main__ import main
from etl.pipeline import refresh
from tests.conftest import quiet
from tests.fixtures.sources import aijobs_csv


def _state(settings: config.Settings) -> dict[str, bytes]:
    """Every published file, by name: what a refused refresh must leave as it was."""
    folder = settings.processed_dir.resolve()
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _aijobs_mirror(root: Path, rows: int) -> Path:
    lines = [
        f"2024,SE,FT,Data Scientist,{100_000 + i},USD,{100_000 + i},US,0,US,M" for i in range(rows)
    ]
    target = root / config.DEFAULT_AIJOBS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(aijobs_csv(lines))
    return root


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("JOBMARKET_HTTP_TIMEOUT", "abc", "JOBMARKET_HTTP_TIMEOUT='abc' is not a number (float)"),
        (
            "JOBMARKET_HTTP_TIMEOUT",
            "nan",
            "JOBMARKET_HTTP_TIMEOUT='nan' is out of range: 1 to 3600",
        ),
        ("JOBMARKET_HTTP_RETRIES", "-1", "JOBMARKET_HTTP_RETRIES='-1' is out of range: 0 to 20"),
        ("JOBMARKET_HTTP_RETRIES", "2.5", "JOBMARKET_HTTP_RETRIES='2.5' is not a number (int)"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    monkeypatch, capsys, tmp_path, variable, value, message
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["--data-dir", str(tmp_path), "status"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {message}\n"


def test_a_data_dir_that_is_a_file_is_refused(capsys, tmp_path) -> None:
    target = tmp_path / "data"
    target.write_text("not a directory")
    assert main(["refresh", "seed", "--data-dir", str(target)]) == 2
    assert capsys.readouterr().err == f"error: data directory {target} is a file, not a directory\n"
    assert target.read_text() == "not a directory"


def test_a_truncated_manifest_is_named_and_a_partial_refresh_refused(
    seeded: config.Settings, capsys
) -> None:
    text = seeded.manifest_path.read_text(encoding="utf-8")
    seeded.manifest_path.write_text(text[: len(text) // 2], encoding="utf-8")
    before = _state(seeded)
    assert main(["--data-dir", str(seeded.data_dir), "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {seeded.manifest_path} is not valid JSON (truncated or damaged?)"
    )
    assert main(["refresh", "seed", "--quiet", "--data-dir", str(seeded.data_dir)]) == 2
    err = capsys.readouterr().err
    assert "refreshing only some sources would publish a version without the others' tables" in err
    assert _state(seeded) == before


def test_a_missing_version_refuses_a_partial_refresh(seeded: config.Settings, capsys) -> None:
    target = seeded.processed_dir.resolve()
    shutil.rmtree(target)  # and no other complete version to point at (else it is repaired)
    assert main(["refresh", "seed", "--quiet", "--data-dir", str(seeded.data_dir)]) == 2
    err = capsys.readouterr().err
    assert f"{seeded.processed_dir} points at a missing version" in err
    assert not seeded.processed_dir.exists()  # nothing published in its place


def test_a_table_that_loses_most_rows_is_refused_unless_forced(tmp_path, capsys) -> None:
    settings = config.load(data_dir=tmp_path / "data", mirror=_aijobs_mirror(tmp_path / "m", 200))
    assert not refresh(["aijobs"], settings, log=quiet).failed
    before = _state(settings)
    _aijobs_mirror(tmp_path / "m", 60)  # a cut download: 60 of the 200 rows
    report = refresh(["aijobs"], settings, log=quiet)
    assert [r.error for r in report.failed] == [
        "salaries would have 60 rows against 200 in the current version (under 50%): a cut "
        "download? Refresh with --force to publish it"
    ]
    assert _state(settings) == before  # nothing published
    # raw/ still holds the published file, not the refused one, and its checksum agrees
    kept = settings.raw_dir / "aijobs" / "salaries.csv"
    published = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    digest = published["sources"]["aijobs"]["files"]["salaries.csv"]["sha256"]
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == digest
    sums = (settings.raw_dir / "aijobs" / "SHA256SUMS").read_text()
    assert sums == f"{digest}  salaries.csv\n"
    # the failure is on record, and `etl status` shows it although nothing was published
    assert main(["--data-dir", str(settings.data_dir), "status"]) == 0
    out = capsys.readouterr().out
    assert "aijobs: last refresh failed (" in out and "salaries would have 60 rows" in out
    report = refresh(["aijobs"], settings, force=True, log=quiet)
    assert not report.failed
    manifest = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    assert manifest["tables"]["salaries"]["rows"] == 60
    assert writer.read_failures(settings) == {}  # a success clears the record


def test_another_snapshot_file_may_be_shorter(tmp_path) -> None:
    settings = config.load(data_dir=tmp_path / "data", mirror=_aijobs_mirror(tmp_path / "m", 200))
    assert not refresh(["aijobs"], settings, log=quiet).failed
    older = tmp_path / "m" / "aijobs-salaries" / "salaries-2024-07-21.csv"
    rows = (tmp_path / "m" / config.DEFAULT_AIJOBS_FILE).read_bytes().splitlines(keepends=True)
    older.write_bytes(b"".join(rows[:41]))  # the header and 40 rows
    chosen = dataclasses.replace(settings, aijobs_file="aijobs-salaries/salaries-2024-07-21.csv")
    lines: list[str] = []
    report = refresh(["aijobs"], chosen, log=lines.append)
    assert not report.failed  # a snapshot chosen on purpose, not a cut copy of the same file
    assert any("read from other files than last time: published" in line for line in lines)
