"""The BLS OEWS source on hand-made flat files: decoding, nulls, top codes and bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from etl import config
from etl.sources.base import SourceError, check_raw
from etl.sources.bls_oews import source as bls_oews
from tests.fixtures.sources import OEWS_DATA, oews_raw, oews_series, tsv

SETTINGS = config.Settings()


def _wages(raw: dict[str, bytes] | None = None) -> tuple[pd.DataFrame, bls_oews.Normalized]:
    norm = bls_oews.normalize(raw or oews_raw(), SETTINGS)
    wages = norm.tables["occupation_wages"].to_pandas()
    return wages.set_index(["area_code", "occupation_code"]), norm


def test_one_row_per_area_industry_occupation_with_its_figures() -> None:
    wages, norm = _wages()
    ds = wages.loc[("0000000", "15-2051")]
    assert (ds.employment, ds.annual_median, ds.hourly_p90) == (245900, 114010, 94.09)
    assert (ds.areatype, ds.area_name, ds.release) == ("national", "National", "2025A01")
    assert pd.isna(ds.state)
    assert (ds.occupation, ds.occupation_level, ds.industry_code) == (
        "Data Scientists",
        "detailed",
        "000000",
    )
    ca = wages.loc[("0600000", "15-2051")]
    assert (ca.areatype, ca.state, ca.annual_median) == ("state", "US-CA", 146450)
    assert wages.loc[("0000000", "00-0000")].occupation_level == "total"
    assert norm.stats["rows_in"] == 5 * 17 and norm.stats["values_kept"] == 5 * 17
    assert norm.stats["rows_out_by_areatype"] == {"metro": 1, "national": 3, "state": 1}
    assert norm.stats["as_of"] == "2025-05" and not norm.rejected


def test_top_coded_wages_hold_the_floor_from_the_footnote_and_are_flagged() -> None:
    wages, norm = _wages()
    dev = wages.loc[("0000000", "15-1252")]
    assert (dev.hourly_p90, dev.annual_p90) == (115.0, 239_200.0)  # footnote 5's own figures
    assert bool(dev.top_coded) and dev.footnotes == "5"
    assert dev.annual_p75 == 184_810  # the others are as published
    assert not wages.loc[("0000000", "15-2051")].top_coded
    assert norm.stats["top_coded_rows"] == 1


def test_a_dash_is_a_null_whose_footnote_is_kept() -> None:
    wages, _ = _wages()
    tutor = wages.loc[("0041860", "25-3041")]
    assert pd.isna(tutor.employment) and pd.isna(tutor.annual_median)  # never a made-up number
    assert tutor.hourly_median == 23.98 and not tutor.top_coded
    assert tutor.footnotes == "4;8"
    assert (tutor.areatype, tutor.state) == ("metro", "US-CA")  # a metro's main state


def test_the_gzipped_mirror_file_gives_the_same_table() -> None:
    plain, _ = _wages()
    packed, _ = _wages(oews_raw(gzip.compress(OEWS_DATA)))
    pd.testing.assert_frame_equal(plain, packed)


def test_bad_values_are_quarantined_with_a_reason_and_the_rest_kept() -> None:
    good = OEWS_DATA.decode().rstrip("\r\n").split("\r\n")
    bad = [
        "OEUN000000000000015205101X    \t2025\tA01\t       12\t",  # 26 characters
        "OEUN000000000000015205199     \t2025\tA01\t       12\t",  # datatype 99
        "OEUQ000000000000015205101     \t2025\tA01\t       12\t",  # areatype Q
        oews_series("N", "0000000", "000000", "151221", ["n/a"] + [1] * 16)[0],
    ]
    _, norm = _wages(oews_raw(tsv(*good, *bad)))
    rejected = norm.rejected["occupation_wages"]
    assert dict(zip(rejected["series_id"], rejected["reason"], strict=True)) == {
        "OEUN000000000000015205101X": "series_id: not 25 characters",
        "OEUN000000000000015205199": "datatype: unknown code",
        "OEUQ000000000000015205101": "areatype: unknown code",
        "OEUN000000000000015122101": "value: not a finite number and not '-'",
    }
    assert norm.stats["values_rejected"] == {
        "series_id: not 25 characters": 1,
        "areatype: unknown code": 1,
        "datatype: unknown code": 1,
        "value: not a finite number and not '-'": 1,
    }
    assert norm.stats["values_kept"] == 5 * 17
    assert len(norm.tables["occupation_wages"]) == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (gzip.compress(OEWS_DATA)[:-40], "oe.data.0.Current: the gzip body is cut short"),
        (OEWS_DATA[:-7], r"oe.data.0.Current: the file does not end with a newline at line 86"),
        (
            OEWS_DATA.replace(b"\t2025\tA01\t", b"\t2025\t", 1),
            r"oe.data.0.Current: cannot be parsed as a table \(line 2\)",
        ),
        (b"id\tyear\r\n1\t2\r\n", "oe.data.0.Current: line 1 is not the expected header"),
        (gzip.compress(OEWS_DATA[:-7]), "oe.data.0.Current: the file does not end with a newline"),
    ],
)
@pytest.mark.parametrize("on_disk", [False, True], ids=["bytes", "snapshot on disk"])
def test_a_broken_data_file_fails_naming_the_file_and_line(
    tmp_path: Path, data: bytes, message: str, on_disk: bool
) -> None:
    raw = _on_disk(tmp_path, oews_raw(data)) if on_disk else oews_raw(data)
    with pytest.raises(SourceError, match=message):
        bls_oews.normalize(raw, SETTINGS)


def _on_disk(folder: Path, raw: dict[str, bytes]) -> dict[str, Path]:
    """The raw files written to `folder`, by name: what a refresh hands normalize."""
    for name, data in raw.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in raw}


def test_the_snapshot_on_disk_gives_the_same_table_as_its_bytes(tmp_path: Path) -> None:
    plain, _ = _wages()
    for data in (OEWS_DATA, gzip.compress(OEWS_DATA)):
        norm = bls_oews.normalize(_on_disk(tmp_path, oews_raw(data)), SETTINGS)
        from_disk = norm.tables["occupation_wages"].to_pandas()
        pd.testing.assert_frame_equal(plain, from_disk.set_index(["area_code", "occupation_code"]))


def test_a_lookup_missing_a_column_fails_naming_it() -> None:
    raw = oews_raw()
    raw["oe.area"] = tsv("state_code\tarea_code\tarea_name", "00\t0000000\tNational")
    with pytest.raises(SourceError, match=r"oe.area: missing expected columns \['areatype_code'\]"):
        bls_oews.normalize(raw, SETTINGS)


def test_an_html_page_instead_of_the_file_is_refused_before_parsing() -> None:
    spec = next(f for f in bls_oews.files(SETTINGS) if f.name == bls_oews.DATA)
    with pytest.raises(SourceError, match="got an HTML/XML/JSON page"):
        check_raw(b"<!DOCTYPE html><html><body>Access Denied</body></html>\n", spec)
    check_raw(gzip.compress(OEWS_DATA), spec)  # a gzipped body passes on its header
    with pytest.raises(SourceError, match="header lacks expected columns"):
        check_raw(gzip.compress(b"a\tb\r\n1\t2\r\n"), spec)
