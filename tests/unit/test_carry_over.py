"""A refresh of one source leaves every other table's file as it was, byte for byte."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from etl import config
from etl.pipeline import refresh
from tests.conftest import quiet
from tests.fixtures.sources import OEWS_DATA, oews_raw, tsv


def _files(settings: config.Settings) -> dict[str, tuple[bytes, int]]:
    folder = settings.processed_dir.resolve()
    return {p.name: (p.read_bytes(), p.stat().st_ino) for p in folder.glob("*.parquet")}


def _manifest(settings: config.Settings) -> dict:
    return json.loads(settings.manifest_path.read_text(encoding="utf-8"))


def test_refreshing_one_source_carries_the_other_tables_over_untouched(
    seeded: config.Settings, tmp_path: Path
) -> None:
    mirror = tmp_path / "mirror" / "bls-oews"
    mirror.mkdir(parents=True)
    for name, data in oews_raw().items():
        (mirror / name).write_bytes(data)
    settings = config.load(data_dir=seeded.data_dir, mirror=tmp_path / "mirror")
    before, tables_before = _files(settings), _manifest(settings)["tables"]
    version_before = settings.processed_dir.resolve()

    for force in (False, True):  # a first OEWS load, then a forced reload of it alone
        report = refresh(["bls_oews"], settings, force=force, log=quiet)
        assert not report.failed and settings.processed_dir.resolve() != version_before
        after, manifest = _files(settings), _manifest(settings)
        assert set(after) == set(before) | {"occupation_wages.parquet"}
        for name, (data, inode) in before.items():
            assert after[name][0] == data, f"{name} changed"
            assert after[name][1] == inode, f"{name} was rewritten, not carried over"
            table = name.removesuffix(".parquet")
            assert manifest["tables"][table] == tables_before[table]
        assert manifest["tables"]["occupation_wages"]["rows"] == 5
        assert manifest["tables"]["occupation_wages"]["sources"] == ["bls_oews"]
        version_before = settings.processed_dir.resolve()


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("oe.data.0.Current", gzip.compress(OEWS_DATA)[:-40], "the gzip body is cut short"),
        ("oe.data.0.Current", OEWS_DATA[:-7], "does not end with a newline"),
        ("oe.data.0.Current", b"<!DOCTYPE html><html>Access Denied</html>\n", "HTML/XML/JSON"),
        ("oe.area", tsv("state_code\tarea_code\tarea_name", "00\t0000000\tNational"), "oe.area"),
    ],
)
def test_a_broken_oews_file_fails_that_source_and_every_table_stays_as_it_was(
    seeded: config.Settings, tmp_path: Path, name: str, body: bytes, message: str
) -> None:
    mirror = tmp_path / "mirror" / "bls-oews"
    mirror.mkdir(parents=True)
    for file, data in oews_raw().items():
        (mirror / file).write_bytes(data)
    settings = config.load(data_dir=seeded.data_dir, mirror=tmp_path / "mirror")
    assert not refresh(["bls_oews"], settings, log=quiet).failed
    before, manifest = _files(settings), settings.manifest_path.read_bytes()
    (mirror / name).write_bytes(body)
    report = refresh(["bls_oews"], settings, log=quiet)
    assert [r.name for r in report.failed] == ["bls_oews"]
    assert message in report.failed[0].error
    assert _files(settings) == before and settings.manifest_path.read_bytes() == manifest
