"""The indeed_wages source on hand-made Wage Tracker files: Mon-YY months, NA, sectors, rejects."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl import config
from etl.pipeline import refresh
from etl.schemas import validate
from etl.sources.base import SourceError
from etl.sources.indeed_wages import source as wages
from etl.sources.indeed_wages.fixture import WAGES_BY_COUNTRY, WAGES_BY_SECTOR
from tests.conftest import quiet
from tests.fixtures.sources import fixture_raw

COUNTRY, SECTOR = wages.BY_COUNTRY, wages.BY_SECTOR


@pytest.fixture
def settings(tmp_path: Path) -> config.Settings:
    return config.load(data_dir=tmp_path / "data")


def _published(
    raw: dict[str, bytes], settings: config.Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(valid rows, rows set aside by the source or the contract) as a refresh would split them."""
    norm = wages.normalize(raw, settings)
    good, bad = validate("posted_wage_growth", norm.tables["posted_wage_growth"])
    earlier = norm.rejected.get("posted_wage_growth")
    return good, pd.concat([earlier, bad], ignore_index=True) if earlier is not None else bad


def test_files_are_the_two_canonical_csvs(settings: config.Settings) -> None:
    files = {f.name: f for f in wages.files(settings)}
    base = "https://raw.githubusercontent.com/hiring-lab/indeed-wage-tracker/main"
    assert files[COUNTRY].url == f"{base}/posted-wage-growth-by-country.csv"
    assert files[SECTOR].url == f"{base}/posted-wage-growth-by-sector.csv"
    assert files[SECTOR].mirror_path == "indeed-wage-tracker/posted-wage-growth-by-sector.csv"
    assert wages.SOURCE.max_mb == 10


def test_the_month_is_read_as_mon_yy_and_always_20yy() -> None:
    text = pd.Series(["Jan-19", "Dec-99", "Feb-69", "13-19", "Jan-1", "jan-19", "2019-01"])
    got = wages.parse_month(text.astype("string"))
    assert got[:3].dt.strftime("%Y-%m-%d").tolist() == ["2019-01-01", "2099-12-01", "2069-02-01"]
    assert got[3:].isna().all()


def test_countries_and_sectors_in_one_table(settings: config.Settings) -> None:
    good, bad = _published(fixture_raw("indeed_wages"), settings)
    assert bad.empty
    assert len(good) == 12
    whole = good[good["sector"].isna()]
    assert sorted(set(whole["country"])) == ["EA", "US"]  # the euro area kept as EA
    us = whole[whole.country == "US"]
    assert us["month"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-12-01",
        "2020-01-01",
        "2020-02-01",
    ]
    assert us["postings"].tolist() == [120000, 110000, 105000]
    assert us["growth_yoy"].tolist() == [0.031, 0.032, 0.036]  # fractions, as published
    # NA (the first two months of a 3-month average) is null, never 0
    assert us["growth_yoy_3mo"].isna().tolist() == [True, True, False]
    sectors = good[good["sector"].notna()]
    assert set(sectors["country"]) == {"US"}
    assert sorted(set(sectors["sector"])) == ["Mathematics", "Software Development"]
    assert set(good["source"]) == {"indeed_wages"}


def test_as_of_and_unit(settings: config.Settings) -> None:
    stats = wages.normalize(fixture_raw("indeed_wages"), settings).stats
    assert stats["as_of"] == "2020-02-01"
    assert stats["as_of_by_country"] == {"EA": "2020-02-01", "US": "2020-02-01"}
    assert stats["sectors"] == {"US": 2}
    assert stats["rows_in"] == 12
    assert "not a level" in stats["unit"]


def test_bad_months_growth_and_codes_are_set_aside_with_reasons(settings: config.Settings) -> None:
    raw = {
        COUNTRY: WAGES_BY_COUNTRY
        + b"US,United States,13-19,1,0.01,NA\n"
        + b"US,United States,Jan-1,1,0.01,NA\n"
        + b"US,United States,Mar-20,1,abc,NA\n"
        + b"XX,Nowhere,Mar-20,1,0.01,NA\n"
        + b"US,United States,Apr-20,NA,NA,NA\n",  # every figure missing: kept, all null
        SECTOR: WAGES_BY_SECTOR + b"US,United States,,Mar-20,5,0.01,0.02\n",
    }
    good, bad = _published(raw, settings)
    assert sorted(bad["reason"]) == [
        "country: 'XX' is not an ISO 3166-1 alpha-2 code (or EA)",
        "growth_yoy: not a valid float",
        "month: '13-19' is not Mon-YY (e.g. Jan-19)",
        "month: 'Jan-1' is not Mon-YY (e.g. Jan-19)",
        "sector: missing in the by-sector file",
    ]
    empty = good[good["month"] == "2020-04-01"]
    assert len(empty) == 1 and empty[["postings", "growth_yoy"]].isna().all(axis=None)


def test_a_month_repeated_with_other_figures_sets_every_copy_aside(
    settings: config.Settings,
) -> None:
    raw = {COUNTRY: WAGES_BY_COUNTRY + b"US,United States,Feb-20,105000,0.04,0.033\n"}
    good, bad = _published({**fixture_raw("indeed_wages"), **raw}, settings)
    assert (
        bad["reason"].tolist()
        == ["key (country, sector, month) repeated with other values: every copy is set aside"] * 2
    )
    assert len(good) == 11


def test_wrong_columns_are_a_source_error(settings: config.Settings) -> None:
    raw = {**fixture_raw("indeed_wages"), COUNTRY: WAGES_BY_COUNTRY.replace(b"n_obs", b"count")}
    with pytest.raises(SourceError, match="missing expected columns"):
        wages.normalize(raw, settings)


def test_refresh_from_a_mirror_publishes_keeps_raw_and_skips_unchanged(
    settings: config.Settings, tmp_path: Path
) -> None:
    mirror = tmp_path / "mirror" / "indeed-wage-tracker"
    mirror.mkdir(parents=True)
    for name, data in fixture_raw("indeed_wages").items():
        (mirror / name).write_bytes(data)
    with_mirror = dataclasses.replace(settings, mirror=mirror.parent)
    report = refresh(["indeed_wages"], with_mirror, log=quiet)
    assert not report.failed
    table = pd.read_parquet(settings.processed_dir / "posted_wage_growth.parquet")
    assert len(table) == 12
    month = pq.read_schema(settings.processed_dir / "posted_wage_growth.parquet").field("month")
    assert str(month.type) == "date32[day]"
    assert table["month"].min() == date(2019, 12, 1)
    sums = (settings.raw_dir / "indeed_wages" / "SHA256SUMS").read_text(encoding="utf-8")
    assert COUNTRY in sums and SECTOR in sums
    again = refresh(["indeed_wages"], with_mirror, log=quiet)
    assert again.results[0].status == "unchanged"
