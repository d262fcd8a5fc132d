"""The real sources end to end, read from the offline mirror of the public datasets.

One full refresh (session-scoped, in conftest.py) is shared by the read-only checks; tests that
need other states build their own data directories.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl.__main__ import main
from etl.pipeline import refresh
from tests.integration.conftest import (
    INDEED_COUNTRIES,
    LEVELS,
    NEW_SNAPSHOT,
    OLD_SNAPSHOT,
    SECTOR_COUNTRIES,
    SHARED,
    Refreshed,
    quiet,
    real_settings,
)

pytestmark = pytest.mark.integration


if not (SHARED / NEW_SNAPSHOT).is_file():
    pytest.skip(
        f"real-data mirror not found at {SHARED} (expected ../shared/datasets next to the repo)",
        allow_module_level=True,
    )


def test_full_refresh_succeeds_quickly(full: Refreshed) -> None:
    assert {r.name: r.status for r in full.report.results} == {
        "seed": "ok",
        "aijobs": "ok",
        "indeed": "ok",
        "indeed_wages": "ok",
        "prices": "ok",
        "onet": "ok",
        "bls_oews": "ok",
    }
    assert full.seconds < 120, f"full refresh took {full.seconds:.1f}s"


def test_every_table_has_its_sources_and_each_source_an_as_of(full: Refreshed) -> None:
    tables = full.manifest["tables"]
    expected = {
        "salaries": ["aijobs"],
        "openings": ["indeed", "seed"],
        "sector_openings": ["indeed"],
        "sector_titles": ["indeed"],
        "skills": ["onet", "seed"],
        "education": ["onet", "seed"],
        "occupations": ["onet"],
    }
    for table, sources in expected.items():
        assert tables[table]["sources"] == sources, table
        assert tables[table]["rows"] > 0
    sources = full.manifest["sources"]
    assert sources["aijobs"]["as_of"] == "2025-01-19"  # the snapshot's date, not a work year
    assert sources["aijobs"]["work_years"] == [2020, 2025]
    assert sources["indeed"]["as_of"] == "2026-08-14"
    assert sources["indeed"]["as_of_by_country"]["US"] == "2026-08-14"
    assert sources["onet"]["as_of"] == "29.2 (2025-02)"
    for name in ("aijobs", "indeed", "onet"):
        entry = sources[name]
        assert entry["status"] == "ok" and entry["origin"] == "mirror"
        assert entry["licence"] and entry["attribution"] and entry["url"].startswith("https://")
        assert all(len(f["sha256"]) == 64 for f in entry["files"].values())
    assert sources["onet"]["attribution"] == (
        "O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training "
        "Administration (USDOL/ETA). Used under the CC BY 4.0 license."
    )


def test_nothing_real_is_quarantined(full: Refreshed) -> None:
    # Measured on the mirror: every row of the three real sources maps and validates.
    for name in ("aijobs", "indeed", "onet"):
        assert full.manifest["sources"][name]["quarantined"] == {"rows": 0, "reasons": {}}


def test_salaries_match_the_raw_file_independently(full: Refreshed) -> None:
    salaries = full.table("salaries")
    salaries = salaries[salaries.source == "aijobs"]
    assert len(salaries) == 74_301  # every report, exact duplicates included
    raw = pd.read_csv(SHARED / NEW_SNAPSHOT)
    assert len(raw) == 74_301
    expected = (
        raw[raw.work_year == 2024]
        .assign(level=lambda f: f.experience_level.map(LEVELS))
        .groupby("level")["salary_in_usd"]
        .median()
        .sort_index()
    )
    got = salaries[salaries.work_year == 2024].groupby("experience_level")["salary_usd"].median()
    assert got.sort_index().to_dict() == expected.to_dict()
    assert set(expected.index) == {"Entry", "Mid", "Senior", "Executive"}
    entry = full.manifest["sources"]["aijobs"]
    assert entry["duplicates_kept"] == int(raw.duplicated().sum()) == 39_304
    assert int(salaries["exact_duplicate"].sum()) == entry["duplicates_kept"]
    other = entry["unmapped_job_titles"]
    assert other["rows"] == int((salaries.job_family == "Other").sum())
    assert other["rows"] < 0.15 * len(salaries)
    assert salaries.loc[salaries.job_title == "Data Scientist", "job_family"].unique().tolist() == [
        "Data Scientist"
    ]


def test_openings_are_daily_for_eleven_countries(full: Refreshed) -> None:
    openings = full.table("openings")
    indeed = openings[openings.source == "indeed"]
    assert sorted(indeed.country.unique()) == sorted(INDEED_COUNTRIES)
    assert set(indeed.measure) == {"postings_index_sa", "postings_index_nsa"}
    assert set(indeed.posting_type) == {"total", "new"}
    assert indeed.loc[indeed.country == "EA", "country_name"].unique().tolist() == ["Euro area"]
    for (country, _, _), series in indeed.groupby(["country", "measure", "posting_type"]):
        dates = pd.to_datetime(series["date"])
        assert dates.is_monotonic_increasing, country  # NL and GB come unsorted
        assert (dates.diff().dropna() == pd.Timedelta(days=1)).all(), country
        assert dates.max() == pd.Timestamp("2026-08-14"), country
    us = indeed[(indeed.country == "US") & (indeed.posting_type == "total")]
    assert us.loc[pd.to_datetime(us.date) == "2020-02-01", "value"].tolist() == [100.0, 100.0]


def test_sector_openings_for_six_countries(full: Refreshed) -> None:
    sectors = full.table("sector_openings")
    assert sorted(sectors.country.unique()) == sorted(SECTOR_COUNTRIES)
    per_country = sectors.groupby("country")["sector"].nunique()
    assert per_country.between(36, 49).all(), per_country.to_dict()
    assert per_country.to_dict() == {"AU": 49, "CA": 39, "DE": 38, "FR": 36, "GB": 48, "US": 46}
    assert set(sectors.posting_type) == {"total"}
    titles = full.table("sector_titles")
    assert len(titles) == 47
    assert "data scientist" in titles.set_index("sector").loc["Mathematics", "job_titles"]


def test_skills_for_data_scientists_among_all_occupations(full: Refreshed) -> None:
    skills = full.table("skills")
    onet = skills[skills.source == "onet"]
    assert 900 <= onet.occupation_code.nunique() <= 950
    ds = onet[onet.occupation_code == "15-2051.00"]
    assert set(ds.occupation) == {"Data Scientists"}
    assert len(ds) > 50
    assert ds.hot_technology.any() and ds.in_demand.any()
    assert not ds.hot_technology.all()
    assert "Python" in set(ds.skill)
    assert onet.importance.isna().all()


def test_education_exists_for_statisticians_not_data_scientists(full: Refreshed) -> None:
    education = full.table("education")
    onet = education[education.source == "onet"]
    statisticians = onet[onet.occupation_code == "15-2041.00"]
    assert len(statisticians) == 12
    assert statisticians.level_order.sort_values().tolist() == list(range(1, 13))
    assert abs(statisticians.share_pct.sum() - 100) < 0.1
    assert onet[onet.occupation_code == "15-2051.00"].empty
    assert onet.occupation_code.nunique() == 858
    occupations = full.table("occupations").set_index("occupation_code")
    assert occupations.loc["15-2051.00", ["has_skills", "has_education"]].tolist() == [True, False]
    assert occupations.loc["15-2041.00", ["has_skills", "has_education"]].tolist() == [True, True]


def test_a_second_refresh_changes_nothing(full: Refreshed) -> None:
    versions = sorted(p.name for p in full.settings.versions_dir.iterdir())
    manifest = full.settings.manifest_path.read_bytes()
    report = refresh(None, full.settings, log=quiet)
    assert {r.status for r in report.results} == {"unchanged"}
    assert report.version == full.report.version
    assert sorted(p.name for p in full.settings.versions_dir.iterdir()) == versions
    assert full.settings.manifest_path.read_bytes() == manifest


def test_a_newer_snapshot_replaces_the_older_rows(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = real_settings(data, aijobs_file=OLD_SNAPSHOT)
    assert not refresh(["aijobs"], old, log=quiet).failed
    salaries = pd.read_parquet(old.processed_dir / "salaries.parquet")
    assert len(salaries) == 28_460
    assert salaries.work_year.max() == 2024
    new = real_settings(data, aijobs_file=NEW_SNAPSHOT)
    report = refresh(["aijobs"], new, log=quiet)
    assert [r.status for r in report.results] == ["ok"]
    salaries = pd.read_parquet(new.processed_dir / "salaries.parquet")
    assert len(salaries) == 74_301
    assert (salaries.work_year == 2025).sum() == 1_597
    manifest = json.loads(new.manifest_path.read_text(encoding="utf-8"))
    assert manifest["sources"]["aijobs"]["as_of"] == "2025-01-19"
    assert manifest["sources"]["aijobs"]["rows_in"] == 74_301


def _mirror_with_one_bad_file(root: Path, bad: str, body: bytes) -> Path:
    """A mirror of symlinks to the real files, except `bad`, which holds `body`."""
    for path in SHARED.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(SHARED)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.relative_to(SHARED).as_posix() == bad:
                target.write_bytes(body)
            else:
                target.symlink_to(path)
    return root


def test_an_html_page_in_the_mirror_fails_only_that_source(
    full: Refreshed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(full.settings.data_dir, data, symlinks=True)
    settings = dataclasses.replace(full.settings, data_dir=data)
    before = {t: pd.read_parquet(settings.processed_dir / f"{t}.parquet") for t in ("openings",)}
    manifest = settings.manifest_path.read_bytes()
    mirror = _mirror_with_one_bad_file(
        tmp_path / "mirror",
        "indeed-job-postings/aggregate_job_postings_US.csv",
        b"<!DOCTYPE html>\n<html><body>Rate limit exceeded</body></html>\n",
    )
    capsys.readouterr()
    code = main(["--data-dir", str(data), "refresh", "--mirror", str(mirror)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "indeed: failed (aggregate_job_postings_US.csv: got an HTML/XML/JSON page" in out
    for name in ("seed", "aijobs", "indeed_wages", "prices", "onet", "bls_oews"):
        assert f"{name}: unchanged" in out
    assert "1 source(s) failed; previous data kept" in err
    assert settings.manifest_path.read_bytes() == manifest
    after = pd.read_parquet(settings.processed_dir / "openings.parquet")
    pd.testing.assert_frame_equal(before["openings"], after)
    assert (after.source == "indeed").sum() == 105_028


def test_a_failed_source_next_to_changed_ones_keeps_its_previous_rows(
    full: Refreshed, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(full.settings.data_dir, data, symlinks=True)
    mirror = _mirror_with_one_bad_file(
        tmp_path / "mirror", "onet/Technology Skills.txt", b"O*NET-SOC Code\tExample\r\n"
    )
    # the older aijobs snapshot changes that source in the same refresh
    settings = real_settings(data, mirror=mirror, aijobs_file=OLD_SNAPSHOT)
    report = refresh(None, settings, log=quiet)
    assert {r.name: r.status for r in report.results} == {
        "seed": "unchanged",
        "aijobs": "ok",
        "indeed": "unchanged",
        "indeed_wages": "unchanged",
        "prices": "unchanged",
        "onet": "failed",
        "bls_oews": "unchanged",
    }
    assert "Technology Skills.txt: header lacks expected columns" in report.failed[0].error
    assert report.version != full.report.version
    skills = pd.read_parquet(settings.processed_dir / "skills.parquet")
    assert (skills.source == "onet").sum() == (full.table("skills").source == "onet").sum()
    assert len(pd.read_parquet(settings.processed_dir / "salaries.parquet")) == 28_460
    manifest = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    assert "header lacks expected columns" in manifest["sources"]["onet"]["last_error"]
    assert manifest["sources"]["onet"]["as_of"] == "29.2 (2025-02)"
    assert manifest["sources"]["onet"]["status"] == "failed"
