"""Issue 22, part B: the contract's row rules (percentiles in order, top codes as lower bounds,
no state lost to a join, no date after the refresh day) alike for pandas and Arrow tables; the
shrink guard per natural partition; a CSV read that cannot merge records."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from etl import config, registry
from etl.arrow_rules import validate_arrow
from etl.pipeline import refresh
from etl.schemas import validate
from etl.sources.base import SourceError, read_table
from etl.sources.indeed import source as indeed
from tests.conftest import quiet
from tests.fixtures.sources import INDEED_SECTOR_US, INDEED_US, fixture_raw, fixture_settings
from tests.unit.test_validation import _wage_rows

PCT = ("p10", "p25", "median", "p75", "p90")
ANNUAL_ORDER = "annual_p10 <= annual_p25 <= annual_median <= annual_p75 <= annual_p90: not in order"
HOURLY_ORDER = "hourly_p10 <= hourly_p25 <= hourly_median <= hourly_p75 <= hourly_p90: not in order"
NO_STATE = "state: missing (null only where areatype is national)"


def _wage(i: int, annual: list, hourly: list | None = None, **change) -> dict:
    """test_validation's clean national row with these percentiles (a row of its own)."""
    row = _wage_rows().iloc[0].to_dict()
    row.update(occupation_code=f"15-{2000 + i}", footnotes=None)
    row.update({f"annual_{p}": v for p, v in zip(PCT, annual, strict=True)})
    row.update({f"hourly_{p}": v for p, v in zip(PCT, hourly or [None] * 5, strict=True)})
    return {**row, **change}


WAGES = [
    _wage(0, [62170.0, 84130.0, 114010.0, 155320.0, 195690.0]),  # fine
    # the case: a median of 999,999 (hourly 480.77) above the row's own p90
    _wage(1, [62170.0, 84130.0, 999999.0, 155320.0, 195690.0], [29.9, 40.4, 480.77, 74.7, 94.1]),
    # BLS's own top-coded row: p90 '-' with footnote 5 holds the floor, below a published p75
    _wage(2, [91310.0, 416150.0, 514740.0, 524650.0, 239200.0], top_coded=True, footnotes="5"),
    # footnote 5 does not excuse a figure out of order (only a cell at the floor is a bound)
    _wage(3, [91310.0, 416150.0, 300000.0, None, 239200.0], top_coded=True, footnotes="4;5"),
    # nulls are skipped: p10 and p90 withheld
    _wage(4, [None, 84130.0, 114010.0, 155320.0, None]),
    # a metro whose state the area lookup did not find; a national row needs none
    _wage(5, [1.0, 2.0, 3.0, 4.0, 5.0], areatype="metro", area_code="0041860", area_name="SF"),
    _wage(6, [1.0, 2.0, 3.0, 4.0, 5.0], areatype="metro", area_code="0041860", state="US-CA"),
]


@pytest.mark.parametrize("engine", ["pandas", "arrow"])
def test_wage_rows_out_of_order_or_without_their_state_are_set_aside(engine: str) -> None:
    frame = pd.DataFrame(WAGES)
    if engine == "arrow":
        good, bad = validate_arrow("occupation_wages", pa.Table.from_pandas(frame))
        kept = good.column("occupation_code").to_pylist()
    else:
        good, bad = validate("occupation_wages", frame)
        kept = good["occupation_code"].tolist()
    assert kept == ["15-2000", "15-2002", "15-2004", "15-2006"]
    assert dict(zip(bad["occupation_code"], bad["reason"], strict=True)) == {
        "15-2001": f"{HOURLY_ORDER}; {ANNUAL_ORDER}",
        "15-2003": ANNUAL_ORDER,
        "15-2005": NO_STATE,
    }


@pytest.mark.parametrize("engine", ["pandas", "arrow"])
def test_no_row_is_dated_after_the_refresh_day(engine: str) -> None:
    frame = pd.DataFrame(
        {
            "source": "indeed",
            "country": "US",
            "sector": "Mathematics",
            "date": ["2026-03-01", "2026-03-02", "2099-01-01"],
            "posting_type": "total",
            "value": 100.0,
        }
    )
    if engine == "arrow":
        frame = pa.Table.from_pandas(frame.assign(date=pd.to_datetime(frame["date"])))
        good, bad = validate_arrow("sector_openings", frame, today=date(2026, 3, 1))
        assert good.num_rows == 1
    else:
        good, bad = validate("sector_openings", frame, today=date(2026, 3, 1))
        assert len(good) == 1
    assert bad["reason"].tolist() == ["date: after the refresh day"] * 2


def test_indeed_as_of_ignores_rows_dated_after_the_refresh_day(tmp_path: Path) -> None:
    settings = fixture_settings("indeed", config.load(data_dir=tmp_path / "data"))
    raw = fixture_raw("indeed")
    raw["aggregate_job_postings_US.csv"] = INDEED_US + b"2099-01-01,US,100,100,total postings\n"
    stats = indeed.normalize(raw, settings).stats
    assert stats["as_of_by_country"]["US"] == "2020-02-02"
    assert stats["as_of"] == "2020-02-03"  # EA's last real day


# -- a CSV read that cannot merge records -------------------------------------------------------

HEADER = b"id,title,n\n"


def test_a_stray_quote_that_swallows_rows_is_refused_with_its_lines() -> None:
    rows = [f"{i},Engineer {i},{i}\n".encode() for i in range(1, 9)]
    rows[2] = b'3,"Engineer 3,3\n'  # opens a field at line 4 ...
    rows[6] = b'7,"Engineer 7,7\n'  # ... that the quote at line 8 closes
    raw = {"f.csv": HEADER + b"".join(rows)}
    with pytest.raises(SourceError, match=r"^f\.csv: lines 4 to 8 read as one record"):
        read_table(raw, "f.csv", ("id", "title"))


def test_a_quote_left_open_to_the_end_is_refused_too() -> None:
    raw = {"f.csv": HEADER + b'1,"Engineer,1\n2,Analyst,2\n'}
    with pytest.raises(SourceError, match=r"f\.csv: cannot be parsed .* EOF inside string"):
        read_table(raw, "f.csv", ("id", "title"))


def test_a_source_that_declares_multiline_fields_keeps_them() -> None:
    raw = {"f.csv": HEADER + b'1,"two\nlines",1\n2,Analyst,2\n'}
    frame = read_table(raw, "f.csv", ("id", "title"), multiline=True)
    assert frame["title"].tolist() == ["two\nlines", "Analyst"]
    with pytest.raises(SourceError, match="lines 2 to 3 read as one record"):
        read_table(raw, "f.csv", ("id", "title"))


def test_blank_lines_quotes_within_a_line_and_unquoted_files_still_read() -> None:
    text = HEADER + b'\n1,"Engineer, ML",1\n\n2,"say ""hi""",2\n'
    assert len(read_table({"f.csv": text}, "f.csv", ("id",))) == 2
    tabbed = b'a\tb\r\n1\t"x\r\n\r\n2\ty"\r\n'
    frame = read_table({"t.txt": tabbed}, "t.txt", ("a",), separator="\t", quoting=csv.QUOTE_NONE)
    assert frame["b"].tolist() == ['"x', 'y"']


# -- the shrink guard per partition ---------------------------------------------------------------

SECTOR_CA = INDEED_SECTOR_US.replace(b",US,", b",CA,")


@pytest.fixture
def two_sector_countries(tmp_path: Path) -> config.Settings:
    """indeed published from a mirror with sector files for the US and Canada."""
    base = config.load(data_dir=tmp_path / "data", mirror=tmp_path / "m")
    settings = dataclasses.replace(
        fixture_settings("indeed", base), indeed_sector_countries=("US", "CA")
    )
    raw = {**fixture_raw("indeed"), "job_postings_by_sector_CA.csv": SECTOR_CA}
    for item in registry.get("indeed").files(settings):
        target = settings.mirror / item.mirror_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw[item.name])
    assert not refresh(["indeed"], settings, log=quiet).failed
    return settings


def _sectors(settings: config.Settings) -> pd.Series:
    table = pd.read_parquet(settings.processed_dir / "sector_openings.parquet")
    return table["country"].value_counts().sort_index()


def test_a_country_whose_every_sector_row_is_set_aside_is_refused(
    two_sector_countries: config.Settings,
) -> None:
    settings = two_sector_countries
    before = _sectors(settings)
    mirror = settings.mirror / "indeed-job-postings" / "job_postings_by_sector_US.csv"
    mirror.write_bytes(SECTOR_CA)  # the US file's rows all say CA: set aside, US gone
    result = refresh(["indeed"], settings, log=quiet).results[0]
    assert (result.status, result.error) == (
        "failed",
        "sector_openings (country US) would have 0 rows against 3 in the current version: "
        "a cut download? Refresh with --force to publish it",
    )
    assert _sectors(settings).equals(before)  # previous data kept

    assert not refresh(["indeed"], settings, force=True, log=quiet).failed
    assert _sectors(settings).to_dict() == {"CA": 3}


def test_a_country_left_out_on_purpose_is_published_with_a_note(
    two_sector_countries: config.Settings,
) -> None:
    settings = dataclasses.replace(two_sector_countries, indeed_sector_countries=("CA",))
    lines: list[str] = []
    assert not refresh(["indeed"], settings, log=lines.append).failed
    assert _sectors(settings).to_dict() == {"CA": 3}
    assert any("read from other files than last time: published" in line for line in lines)
