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


# Below the country: the regional files and the AI Tracker.
REGIONAL = indeed.regional  # the module, for its constants


def test_regional_and_ai_files_come_from_their_repositories(settings: config.Settings) -> None:
    files = {f.name: f for f in indeed.files(settings)}
    base = "https://raw.githubusercontent.com/hiring-lab"
    assert files["state_job_postings_us.csv"].url == (
        f"{base}/job_postings_tracker/master/US/state_job_postings_us.csv"
    )
    assert files["provincial_postings_ca.csv"].url.endswith("/CA/provincial_postings_ca.csv")
    assert files["regional_gb.csv"].mirror_path == "indeed-job-postings/regional_gb.csv"
    assert files["AI_posting.csv"].url == f"{base}/ai-tracker/main/AI_posting.csv"
    assert files["AI_posting.csv"].mirror_path == "indeed-ai-tracker/AI_posting.csv"
    # read whatever the country settings
    only_us = dataclasses.replace(settings, indeed_countries=("US",), indeed_sector_countries=())
    assert {"regional_gb.csv", "AI_posting.csv"} <= {f.name for f in indeed.files(only_us)}


def _table(
    table: str, raw: dict[str, bytes], settings: config.Settings
) -> tuple[pd.DataFrame, list[str]]:
    """The valid rows of `table` and every reason a row was set aside (source or contract)."""
    norm = indeed.normalize(raw, settings)
    good, bad = validate(table, norm.tables[table])
    rejected = norm.rejected.get(table, pd.DataFrame({"reason": []}))
    return good, sorted([*rejected["reason"], *bad["reason"]])


def _regional(raw: dict[str, bytes], settings: config.Settings) -> tuple[pd.DataFrame, list[str]]:
    return _table("regional_openings", raw, settings)


def test_regions_get_iso_codes_and_names_in_region_and_date_order(
    settings: config.Settings,
) -> None:
    good, reasons = _regional(RAW, settings)
    assert reasons == []
    rows = good.assign(date=good["date"].dt.strftime("%Y-%m-%d"))
    assert rows[["country", "region", "region_name", "date", "value"]].values.tolist() == [
        ["CA", "CA-ON", "Ontario", "2020-02-01", 100.0],
        ["CA", "CA-ON", "Ontario", "2020-02-02", 99.5],
        ["CA", "CA-QC", "Quebec", "2020-02-01", 100.0],
        ["GB", "GB-ENG-EM", "East Midlands", "2020-02-01", 100.0],
        ["GB", "GB-ENG-YH", "Yorkshire and The Humber", "2020-02-01", 100.0],
        ["GB", "GB-SCT", "Scotland", "2020-02-01", 100.0],
        ["GB", "GB-SCT", "Scotland", "2020-02-02", 102.0],
        ["US", "US-CA", "California", "2020-02-01", 100.0],
        ["US", "US-CA", "California", "2020-02-02", 101.25],
        ["US", "US-DC", "District of Columbia", "2020-02-01", 100.0],
        ["US", "US-NY", "New York", "2020-02-01", 100.0],
        ["US", "US-NY", "New York", "2020-02-02", 98.5],
    ]
    assert set(good.source) == {"indeed"}


def test_us_codes_are_the_ones_occupation_wages_uses() -> None:
    from etl import countries

    # occupation_wages.state comes from countries.us_state(BLS's area name)
    us = REGIONAL.subdivisions("US")
    assert countries.us_state("California") == "US-CA" and us["US-CA"] == "California"
    assert countries.us_state("District of Columbia") == "US-DC" and "US-DC" in us
    assert all(countries.us_state(name) == code for code, name in us.items())


def test_the_gb_mapping_lists_every_region_and_nation_once() -> None:
    codes = {code for code, _ in REGIONAL.GB_REGIONS.values()}
    assert len(codes) == 12
    assert {"GB-SCT", "GB-WLS", "GB-NIR"} <= codes
    assert sum(c.startswith("GB-ENG-") for c in codes) == 9
    assert REGIONAL.GB_REGIONS["east midlands"] == ("GB-ENG-EM", "East Midlands")
    with pytest.raises(ValueError, match="listed twice"):
        REGIONAL.parse_gb_regions("name,region,region_name\nWales,GB-WLS,Wales\nWALES,GB-WLS,W\n")
    with pytest.raises(ValueError, match="GB-ENG-xx code"):
        REGIONAL.parse_gb_regions("name,region,region_name\nMidlands,GB-MID,Midlands\n")


STATES_US = RAW["state_job_postings_us.csv"]
REGIONS_GB = RAW["regional_gb.csv"]


def test_unknown_codes_and_names_are_set_aside_with_a_reason(settings: config.Settings) -> None:
    raw = {
        **RAW,
        "state_job_postings_us.csv": STATES_US + b"2020-02-01,zz,100\n2020-02-01,,100\n",
        "provincial_postings_ca.csv": RAW["provincial_postings_ca.csv"] + b"2020-02-01,ca,100\n",
        "regional_gb.csv": REGIONS_GB + b"2020-02-01,Midlands,100\n2020-02-01, london ,100\n",
    }
    good, reasons = _regional(raw, settings)
    assert reasons == [
        "region: 'Midlands' is not a UK region or nation listed in regions_gb.csv",
        "region: 'ca' is not a Canadian province or territory code (ISO 3166-2:CA)",
        "region: 'zz' is not a US state code (ISO 3166-2:US)",
        "region: missing",
    ]
    assert "GB-ENG-LN" in set(good.region)  # white space around a name is no other region


def test_state_codes_are_read_in_any_case_and_a_repeat_is_caught(
    settings: config.Settings,
) -> None:
    raw = {
        **RAW,
        "state_job_postings_us.csv": STATES_US
        + b"2020-02-03,CA,102\n2020-02-03,Ny,97\n"  # new dates: published as US-CA, US-NY
        + b"2020-02-01,CA,100\n"  # the same day as 'ca', same value: an identical copy
        + b"2020-02-02,NY,99\n",  # the same day as 'ny', another value: both set aside
        "regional_gb.csv": REGIONS_GB + b"2020-02-03,SCOTLAND,101\n",
    }
    good, reasons = _regional(raw, settings)
    key = "key (region, date)"
    assert reasons == [
        f"{key} repeated with other values: every copy is set aside",
        f"{key} repeated with other values: every copy is set aside",
        f"{key} repeated: an identical copy of an earlier row",
    ]
    got = good.assign(date=good["date"].dt.strftime("%Y-%m-%d"))
    assert got[got.region == "US-CA"]["value"].tolist() == [100.0, 101.25, 102.0]
    assert got[got.region == "US-NY"]["date"].tolist() == ["2020-02-01", "2020-02-03"]
    assert got[got.region == "GB-SCT"]["value"].tolist() == [100.0, 102.0, 101.0]


def _ai(raw: dict[str, bytes], settings: config.Settings) -> tuple[pd.DataFrame, list[str]]:
    return _table("ai_postings_share", raw, settings)


def test_ai_share_by_country_and_date(settings: config.Settings) -> None:
    good, reasons = _ai(RAW, settings)
    assert reasons == []
    rows = good.assign(date=good["date"].dt.strftime("%Y-%m-%d"))
    assert rows[["country", "date", "share_pct"]].values.tolist() == [
        ["GB", "2019-01-01", 1.8],
        ["GB", "2019-01-02", 1.9],
        ["US", "2019-01-01", 2.5],
        ["US", "2019-01-02", 2.75],
    ]


def test_ai_share_out_of_range_or_badly_coded_is_set_aside(settings: config.Settings) -> None:
    raw = {
        **RAW,
        "AI_posting.csv": RAW["AI_posting.csv"]
        + b"2019-01-03,US,100.5\n2019-01-03,GB,-0.1\n2019-01-04,us,2.5\n2019-01-04,XX,2\n"
        + b"2019-01-04,DE,100\n2019-01-05,DE,0\n2019-01-02,US,2.8\n",
    }
    good, reasons = _ai(raw, settings)
    assert reasons == [
        "country: 'XX' is not an ISO 3166-1 alpha-2 code",
        "country: 'us' is not an ISO 3166-1 alpha-2 code",
        "key (country, date) repeated with other values: every copy is set aside",
        "key (country, date) repeated with other values: every copy is set aside",
        "share_pct: above 100",
        "share_pct: below 0",
    ]
    assert good[good.country == "DE"]["share_pct"].tolist() == [100.0, 0.0]  # the bounds hold


def test_as_of_per_region_country_and_ai_country(settings: config.Settings) -> None:
    stats = indeed.normalize(RAW, settings).stats
    assert stats["regional_as_of"] == {"US": "2020-02-02", "CA": "2020-02-02", "GB": "2020-02-02"}
    assert stats["ai_share_as_of"] == {"GB": "2019-01-02", "US": "2019-01-02"}


def test_refresh_publishes_both_tables_and_skips_unchanged_files(
    settings: config.Settings, tmp_path: Path
) -> None:
    mirror = _mirror(tmp_path / "mirror", fixture_raw("indeed"))
    with_mirror = dataclasses.replace(settings, mirror=mirror)
    report = refresh(["indeed"], with_mirror, log=quiet)
    assert not report.failed
    entry = report.results[0].entry
    assert entry["rows_out"]["regional_openings"] == 12
    assert entry["rows_out"]["ai_postings_share"] == 4
    assert entry["files"]["AI_posting.csv"]["url"].endswith("/ai-tracker/main/AI_posting.csv")
    assert (settings.raw_dir / "indeed" / "AI_posting.csv").read_bytes() == RAW["AI_posting.csv"]
    assert "AI_posting.csv" in (settings.raw_dir / "indeed" / "SHA256SUMS").read_text()
    regional = pd.read_parquet(settings.processed_dir / "regional_openings.parquet")
    assert regional["region"].tolist()[:2] == ["CA-ON", "CA-ON"]
    ai = pd.read_parquet(settings.processed_dir / "ai_postings_share.parquet")
    assert len(ai) == 4
    assert refresh(["indeed"], with_mirror, log=quiet).results[0].status == "unchanged"


def test_a_region_whose_rows_all_go_is_refused(settings: config.Settings, tmp_path: Path) -> None:
    mirror = _mirror(tmp_path / "mirror", fixture_raw("indeed"))
    with_mirror = dataclasses.replace(settings, mirror=mirror)
    assert not refresh(["indeed"], with_mirror, log=quiet).failed
    before = (settings.processed_dir / "regional_openings.parquet").read_bytes()
    gb = REGIONS_GB.replace(b",Scotland,", b",Scotlandd,")
    (mirror / "indeed-job-postings" / "regional_gb.csv").write_bytes(gb)
    again = refresh(["indeed"], with_mirror, log=quiet)
    assert again.failed[0].error.startswith(
        "regional_openings (region GB-SCT) would have 0 rows against 2 in the current version"
    )
    assert (settings.processed_dir / "regional_openings.parquet").read_bytes() == before
