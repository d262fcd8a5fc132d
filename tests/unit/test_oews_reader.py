"""The streaming OEWS reader: order, block boundaries, repeats, other releases and bad values."""

from __future__ import annotations

import gzip
import random

import pandas as pd
import pytest

from etl import config
from etl.sources.base import SourceError
from etl.sources.bls_oews import reader as oews_reader
from etl.sources.bls_oews import source as bls_oews
from tests.fixtures.sources import OEWS_DATA, OEWS_DS_US, oews_raw, oews_series, tsv

SETTINGS = config.Settings()
HEADER = OEWS_DATA.decode().split("\r\n", 1)[0]


def _lines(data: bytes = OEWS_DATA) -> list[str]:
    return data.decode().rstrip("\r\n").split("\r\n")[1:]


def _wages(data: bytes) -> tuple[pd.DataFrame, bls_oews.Normalized]:
    norm = bls_oews.normalize(oews_raw(data), SETTINGS)
    wages = norm.tables["occupation_wages"].to_pandas()
    return wages.sort_values(["area_code", "occupation_code"]).reset_index(drop=True), norm


def test_a_file_out_of_order_gives_the_same_table() -> None:
    expected, _ = _wages(OEWS_DATA)
    lines = _lines()
    shuffled = lines.copy()
    random.Random(7).shuffle(shuffled)
    got, norm = _wages(tsv(HEADER, *shuffled))
    pd.testing.assert_frame_equal(got, expected)
    assert norm.stats["values_kept"] == len(lines) and not norm.rejected


@pytest.mark.parametrize("block", [256, 1000, 4096])
def test_blocks_that_cut_a_series_in_two_give_the_same_table(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    expected, _ = _wages(OEWS_DATA)
    monkeypatch.setattr(oews_reader, "BLOCK_BYTES", block)
    got, _ = _wages(OEWS_DATA)
    pd.testing.assert_frame_equal(got, expected)
    packed, _ = _wages(gzip.compress(OEWS_DATA))
    pd.testing.assert_frame_equal(packed, expected)


def test_a_series_given_twice_is_set_aside_every_copy_and_counted() -> None:
    lines = _lines()
    twice = lines[17 + 12]  # Data Scientists, national, annual median (114010)
    other = twice.replace("114010", "999999")
    _, norm = _wages(tsv(HEADER, *lines[:30], other, *lines[30:]))
    wages = norm.tables["occupation_wages"].to_pandas().set_index("occupation_code")
    national = wages[wages["area_code"] == "0000000"]
    assert pd.isna(national.loc["15-2051", "annual_median"])  # neither copy is believed
    assert national.loc["15-2051", "employment"] == OEWS_DS_US[0]  # the rest of the row stays
    rejected = norm.rejected["occupation_wages"]
    assert rejected["series_id"].tolist() == ["OEUN000000000000015205113"]
    assert rejected["reason"].tolist() == ["series_id: repeated (every copy is set aside)"]
    assert rejected["value"].tolist() == ["2 values"]
    assert norm.stats["values_rejected"] == {"series_id: repeated (every copy is set aside)": 2}
    assert norm.stats["values_kept"] == len(lines) - 1


def test_values_of_another_release_are_quarantined_with_their_line() -> None:
    lines = _lines()
    later = oews_series("N", "0000000", "000000", "151221", [1] * 17)
    later = [line.replace("\t2025\tA01\t", "\t2026\tA01\t") for line in later]
    _, norm = _wages(tsv(HEADER, *lines, *later))
    rejected = norm.rejected["occupation_wages"]
    assert set(rejected["reason"]) == {
        "year/period: not the file's release (one release per table)"
    }
    assert rejected["line"].tolist() == list(range(len(lines) + 2, len(lines) + 2 + 17))
    assert set(norm.tables["occupation_wages"]["release"].to_pylist()) == {"2025A01"}


@pytest.mark.parametrize("text", ["n/a", "inf", "1e309", "nan", "12,5"])
def test_a_value_that_is_not_a_finite_number_is_quarantined(text: str) -> None:
    lines = _lines()
    bad = lines[20].rsplit("\t", 2)
    line = f"{bad[0]}\t{text:>12}\t{bad[2]}"
    _, norm = _wages(tsv(HEADER, *lines[:20], line, *lines[21:]))
    rejected = norm.rejected["occupation_wages"]
    assert rejected[["value", "reason", "line"]].to_dict("records") == [
        {"value": text, "reason": "value: not a finite number and not '-'", "line": 22}
    ]
    assert norm.stats["values_kept"] == len(lines) - 1


def test_a_corrupt_gzip_body_is_named() -> None:
    packed = bytearray(gzip.compress(OEWS_DATA))
    packed[40:60] = b"\x00" * 20
    with pytest.raises(
        SourceError, match="oe.data.0.Current: the gzip body is (corrupt|cut short)"
    ):
        bls_oews.normalize(oews_raw(bytes(packed)), SETTINGS)


def test_progress_goes_from_zero_to_the_whole_body(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oews_reader, "BLOCK_BYTES", 1000)
    seen: list[tuple[int, int]] = []
    data = OEWS_DATA + tsv(*oews_series("N", "0000000", "000000", "151221", [1] * 17))
    codes = list(bls_oews.DATATYPES)
    oews_reader.read(data, "x", codes, "5", {}, lambda *done: seen.append(done))
    assert seen[0] == (0, len(data)) and seen[-1] == (len(data), len(data))
    assert len(seen) > 4 and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_data_file_with_only_its_header_gives_no_rows() -> None:
    norm = bls_oews.normalize(oews_raw(tsv(HEADER)), SETTINGS)
    assert norm.tables["occupation_wages"].num_rows == 0
    assert norm.stats["rows_in"] == 0 and not norm.rejected
