"""The indeed source on hand-made index files: measures, posting types, EA, sorting, rejects."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from etl import config
from etl.pipeline import refresh
from etl.schemas import validate
from etl.sources.base import SourceError
from etl.sources.indeed import source as indeed
from tests.conftest import quiet
from tests.fixtures.sources import INDEED_EA, INDEED_SECTOR_US, fixture_raw, fixture_settings

# the shared clean files, plus rows the source or the contract rejects: an unknown variable and a
# row for another country in the EA file, an empty index value in the sector file
RAW = {
    **fixture_raw("indeed"),
    "aggregate_job_postings_EA.csv": INDEED_EA
    + b"2020-02-02,EA,100.2,100.4,old postings\n"
    + b"2020-02-02,FR,100.2,100.4,total postings\n",
    "job_postings_by_sector_US.csv": INDEED_SECTOR_US
    + b"2020-02-02,US,,total postings,Mathematics\n",
}
US = RAW["aggregate_job_postings_US.csv"]


@pytest.fixture
def settings(tmp_path: Path) -> config.Settings:
    return fixture_settings("indeed", config.load(data_dir=tmp_path / "data"))


def test_files_follow_the_country_settings(settings: config.Settings) -> None:
    files = {f.name: f for f in indeed.files(settings)}
    assert list(files) == [*RAW]
    base = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker/master"
    assert files["aggregate_job_postings_EA.csv"].url == f"{base}/EA/aggregate_job_postings_EA.csv"
    assert files["job_postings_by_sector_US.csv"].url == f"{base}/US/job_postings_by_sector_US.csv"
    assert files["sector-job-title-examples.csv"].url == f"{base}/sector-job-title-examples.csv"
    assert files["job_postings_by_sector_US.csv"].mirror_path == (
        "indeed-job-postings/job_postings_by_sector_US.csv"
    )


def test_a_country_code_that_is_not_iso_fails_clearly(settings: config.Settings) -> None:
    bad = dataclasses.replace(settings, indeed_countries=("US", "XQ"))
    with pytest.raises(SourceError, match=r"JOBMARKET_INDEED_COUNTRIES: \['XQ'\]"):
        indeed.files(bad)


def test_aggregate_index_becomes_two_measures_per_date_and_type(settings: config.Settings) -> None:
    openings = indeed.normalize(RAW, settings).tables["openings"]
    us = openings[openings.country == "US"]
    assert len(us) == 8  # 4 rows x (SA, NSA)
    got = us.set_index(["date", "measure", "posting_type"])["value"].to_dict()
    assert got[("2020-02-02", "postings_index_sa", "total")] == "100.5"
    assert got[("2020-02-02", "postings_index_nsa", "total")] == "99.25"
    assert got[("2020-02-02", "postings_index_sa", "new")] == "98.1"
    assert got[("2020-02-02", "postings_index_nsa", "new")] == "97"
    assert set(us.country_name) == {"United States"}
    assert set(openings.source) == {"indeed"}


def test_euro_area_is_named_and_dates_are_sorted(settings: config.Settings) -> None:
    norm = indeed.normalize(RAW, settings)
    good, bad = validate("openings", norm.tables["openings"])
    assert bad.empty
    ea = good[(good.country == "EA") & (good.measure == "postings_index_sa")]
    assert set(ea.country_name) == {"Euro area"}
    assert ea["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-02-01", "2020-02-02", "2020-02-03"]
    assert ea["value"].tolist() == [100.0, 100.2, 101.0]
    assert norm.stats["files_not_in_date_order"] == [
        "aggregate_job_postings_EA.csv",
        "state_job_postings_us.csv",
    ]


def test_unknown_variable_and_foreign_country_rows_are_rejected(settings: config.Settings) -> None:
    rejected = indeed.normalize(RAW, settings).rejected["openings"]
    assert sorted(rejected["reason"]) == [
        "country: jobcountry 'FR' in the file for EA",
        "posting_type: unknown variable 'old postings'",
    ]
    assert set(rejected["file"]) == {"aggregate_job_postings_EA.csv"}


def test_sector_index_and_example_titles(settings: config.Settings) -> None:
    norm = indeed.normalize(RAW, settings)
    sectors = norm.tables["sector_openings"]
    good, bad = validate("sector_openings", sectors)
    assert bad["reason"].tolist() == ["value: missing"]  # the empty index value is not made up
    assert len(good) == 3
    assert set(good.posting_type) == {"total"}
    software = good[good.sector == "Software Development"]
    assert software["value"].tolist() == [100.0, 101.5]
    titles = norm.tables["sector_titles"]
    assert titles.to_dict("records")[0] == {
        "source": "indeed",
        "sector": "Mathematics",
        "job_titles": "analyst, data scientist",
    }
    assert validate("sector_titles", titles)[1].empty


def test_as_of_overall_and_per_country(settings: config.Settings) -> None:
    stats = indeed.normalize(RAW, settings).stats
    assert stats["as_of"] == "2020-02-03"
    assert stats["as_of_by_country"] == {"US": "2020-02-02", "EA": "2020-02-03"}
    assert stats["sectors_by_country"]["US"] == {
        "first": "2020-02-01",
        "last": "2020-02-02",
        "sectors": 2,
    }
    assert stats["rows_in"] == 4 + 5 + 4 + 2 + 5 + 3 + 4 + 4


def test_wrong_columns_are_a_source_error(settings: config.Settings) -> None:
    raw = {**RAW, "aggregate_job_postings_US.csv": US.replace(b"variable", b"series")}
    with pytest.raises(SourceError, match="missing expected columns"):
        indeed.normalize(raw, settings)


def _mirror(root: Path, files: dict[str, bytes]) -> Path:
    """`files` where the mirror keeps them (the AI Tracker file in its own folder)."""
    paths = {f.name: f.mirror_path for f in indeed.files(fixture_settings("indeed", config.load()))}
    for name, data in files.items():
        target = root / paths[name]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def test_refresh_publishes_and_a_later_html_page_keeps_the_data(
    settings: config.Settings, tmp_path: Path
) -> None:
    mirror = _mirror(tmp_path / "mirror", RAW)
    with_mirror = dataclasses.replace(settings, mirror=mirror)
    report = refresh(["indeed"], with_mirror, log=quiet)
    assert not report.failed
    entry = report.results[0].entry
    assert entry["quarantined"] == {
        "rows": 3,
        "reasons": {
            "country: jobcountry 'FR' in the file for EA": 1,
            "posting_type: unknown variable 'old postings'": 1,
            "value: missing": 1,
        },
    }
    openings = pd.read_parquet(settings.processed_dir / "openings.parquet")
    assert len(openings) == 8 + 6
    (mirror / "indeed-job-postings" / "aggregate_job_postings_US.csv").write_bytes(
        b"<html><head><title>429 Too Many Requests</title></head></html>\n"
    )
    again = refresh(["indeed"], with_mirror, log=quiet)
    assert len(again.failed) == 1
    assert "aggregate_job_postings_US.csv: got an HTML/XML/JSON page" in again.failed[0].error
    after = pd.read_parquet(settings.processed_dir / "openings.parquet")
    pd.testing.assert_frame_equal(openings, after)
