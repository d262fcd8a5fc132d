"""The onet source on hand-made O*NET text files: skills flags, education levels, zip, encoding."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from etl import config, extract
from etl.pipeline import refresh
from etl.schemas import validate
from etl.sources.base import SourceError
from etl.sources.onet import source as onet
from tests.fixtures.sources import (
    ONET_EDUCATION,
    ONET_OCCUPATIONS,
    ONET_TECHNOLOGY,
    fixture_raw,
    tsv,
)
from tests.fixtures.sources import onet_education_row as edu

# the shared clean files, plus rows the source rejects: a flag that is not Y/N, an education row
# in a category the Categories file does not describe, one for an occupation Occupation Data lacks
TECHNOLOGY = ONET_TECHNOLOGY + tsv(
    "15-2041.00\tMinitab\t43232402\tAnalytical or scientific software\tmaybe\tN"
)
RAW = {
    **fixture_raw("onet"),
    "Technology Skills.txt": TECHNOLOGY,
    "Education, Training, and Experience.txt": ONET_EDUCATION
    + tsv(edu("11-1011.00", "9", "0.00"), edu("99-9999.00", "1", "100.00")),
}


def normalized(raw: dict[str, bytes] = RAW) -> onet.Normalized:
    return onet.normalize(raw, config.Settings())


def test_skills_with_occupation_titles_and_boolean_flags() -> None:
    norm = normalized()
    good, bad = validate("skills", norm.tables["skills"])
    assert bad.empty
    python = good[good.skill == "Python"].iloc[0]
    assert python.occupation_code == "15-2051.00"
    assert python.occupation == "Data Scientists"
    assert python.category == "Object or component oriented development software"
    assert pd.isna(python.importance)
    flags = good.set_index("skill")[["hot_technology", "in_demand"]].astype(object)
    assert flags.to_dict("index") == {
        "Python": {"hot_technology": True, "in_demand": True},
        "SAS": {"hot_technology": True, "in_demand": False},
        "R": {"hot_technology": False, "in_demand": False},
    }
    assert good.loc[good.skill == "R", "occupation"].tolist() == ["Statisticians"]
    assert good["hot_technology"].dtype == "boolean"


def test_a_flag_that_is_not_y_or_n_is_rejected_with_its_value() -> None:
    rejected = normalized().rejected["skills"]
    assert rejected["Example"].tolist() == ["Minitab"]
    assert rejected["reason"].tolist() == ["hot_technology: expected Y or N, got 'maybe'"]


def test_education_scale_rl_with_category_names_and_order() -> None:
    norm = normalized()
    good, bad = validate("education", norm.tables["education"])
    assert bad.empty
    stats = good[good.occupation_code == "15-2041.00"].sort_values("level_order")
    assert stats["education_level"].tolist() == [
        "Less than a High School Diploma",
        "High School Diploma",
        "Master's Degree",
    ]
    assert stats["education_level_detail"].iloc[1] == (
        "High School Diploma - or the equivalent (for example, GED)"
    )
    assert stats["share_pct"].tolist() == [10.0, 60.5, 29.5]
    assert stats["level_order"].tolist() == [1, 2, 3]
    assert stats["occupation"].unique().tolist() == ["Statisticians"]
    assert stats["recommend_suppress"].astype(object).tolist() == [False, False, True]
    assert stats["data_date"].unique().tolist() == ["2023-08"]
    ceo = good[good.occupation_code == "11-1011.00"].iloc[0]
    assert pd.isna(ceo.recommend_suppress) and pd.isna(ceo.n_respondents)  # expert-rated row
    assert "15-2051.00" not in set(good.occupation_code)  # no education rows for it
    assert norm.stats["education_rows_other_scales"] == 1


def test_education_rows_without_occupation_or_category_are_rejected() -> None:
    rejected = normalized().rejected["education"]
    assert sorted(rejected["reason"]) == [
        "education_level: category '9' is not described",
        "occupation: code '99-9999.00' is not in Occupation Data.txt",
    ]


def test_occupations_say_which_have_skills_and_education() -> None:
    norm = normalized()
    good, bad = validate("occupations", norm.tables["occupations"])
    assert bad.empty
    got = good.set_index("occupation_code")[["has_skills", "has_education", "job_zone"]]
    assert got.loc["15-2051.00"].tolist() == [True, False, 5]
    assert got.loc["15-2041.00"].tolist() == [True, True, 5]
    assert not got.loc["11-1011.00", "has_skills"]
    assert pd.isna(got.loc["11-1011.00", "job_zone"])
    assert norm.stats["occupations_with_skills_but_no_education"] == 1
    assert norm.stats["as_of"] == "29.2 (2025-02)"


def test_windows_1252_text_is_decoded() -> None:
    text = ONET_OCCUPATIONS.replace(
        b"Chief Executives", "Chief Executives \u2013 Caf\u00e9".encode("cp1252")
    )
    with pytest.raises(UnicodeDecodeError):
        text.decode("utf-8")
    norm = normalized({**RAW, "Occupation Data.txt": text})
    titles = norm.tables["occupations"].set_index("occupation_code")["occupation"]
    assert titles["11-1011.00"] == "Chief Executives \u2013 Caf\u00e9"
    assert norm.stats["encodings"]["Occupation Data.txt"] == "cp1252"
    assert norm.stats["encodings"]["Technology Skills.txt"] == "utf-8"


def test_a_missing_column_is_a_source_error() -> None:
    raw = {**RAW, "Technology Skills.txt": TECHNOLOGY.replace(b"In Demand", b"Demand")}
    with pytest.raises(SourceError, match="missing expected columns"):
        normalized(raw)


def test_files_are_zip_members_of_the_release_download() -> None:
    files = onet.files(config.Settings())
    assert {f.url for f in files} == {
        "https://www.onetcenter.org/dl_files/database/db_29_2_text.zip"
    }
    assert {f.zip_member for f in files} == set(RAW)
    assert {f.mirror_path for f in files} == {f"onet/{name}" for name in RAW}
    assert {f.separator for f in files} == {"\t"}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _serve(archive: bytes, calls: list[str] | None = None):
    """A stand-in for extract.download_to that hands over `archive`."""

    def fake_download_to(url, copy, timeout, retries, log, agent) -> None:
        if calls is not None:
            calls.append(url)
        assert agent.startswith("jobmarket-dashboard-etl")  # BLS refuses requests without one
        copy.write(archive)

    return fake_download_to


def test_download_reads_the_members_from_one_zip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive = _zip({f"db_29_2_text/{name}": data for name, data in RAW.items()})
    calls: list[str] = []
    monkeypatch.setattr(extract, "download_to", _serve(archive, calls))
    settings = dataclasses.replace(config.Settings(), mirror=None, data_dir=tmp_path)
    archives: dict[str, Path] = {}
    got = {
        f.name: extract.fetch(onet.SOURCE, f, settings, lambda _: None, archives)
        for f in onet.files(settings)
    }
    assert len(calls) == 1  # one download for all five members
    assert got["Technology Skills.txt"].path.read_bytes() == TECHNOLOGY
    assert got["Technology Skills.txt"].path.parent == extract.staging_dir(settings, onet.SOURCE)
    assert got["Job Zones.txt"].origin.endswith("db_29_2_text.zip#Job Zones.txt")


@pytest.mark.parametrize(
    ("archive", "message"),
    [
        (b"<!DOCTYPE html><html>Maintenance</html>", "got an HTML page"),
        (b"PK\x03\x04 truncated", "not a zip archive"),
        (_zip({"db_29_2_text/Other.txt": b"x\r\n"}), "no member named 'Job Zones.txt'"),
    ],
)
def test_a_bad_zip_download_is_a_source_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, archive: bytes, message: str
) -> None:
    monkeypatch.setattr(extract, "download_to", _serve(archive))
    settings = dataclasses.replace(config.Settings(), mirror=None, data_dir=tmp_path)
    zones = next(f for f in onet.files(settings) if f.name == "Job Zones.txt")
    with pytest.raises(SourceError, match=message):
        extract.fetch(onet.SOURCE, zones, settings, lambda _: None)


def test_refresh_from_a_mirror_and_a_wrong_header_fails_the_source(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror" / "onet"
    mirror.mkdir(parents=True)
    for name, data in RAW.items():
        (mirror / name).write_bytes(data)
    settings = config.load(data_dir=tmp_path / "data", mirror=tmp_path / "mirror")
    report = refresh(["onet"], settings, log=lambda _: None)
    assert not report.failed
    assert report.results[0].entry["quarantined"]["rows"] == 3
    skills = pd.read_parquet(settings.processed_dir / "skills.parquet")
    assert len(skills) == 3
    (mirror / "Job Zones.txt").write_bytes(tsv("SOC\tZone", "15-2041.00\t5"))
    again = refresh(["onet"], settings, log=lambda _: None)
    assert "Job Zones.txt: header lacks expected columns" in again.failed[0].error
    pd.testing.assert_frame_equal(
        skills, pd.read_parquet(settings.processed_dir / "skills.parquet")
    )
