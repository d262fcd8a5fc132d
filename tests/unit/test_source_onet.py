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
from etl.sources import onet
from etl.sources.base import SourceError


def tsv(*rows: str) -> bytes:
    """Tab-separated text with CRLF line ends, as O*NET ships it."""
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


OCCUPATIONS = tsv(
    "O*NET-SOC Code\tTitle\tDescription",
    "15-2041.00\tStatisticians\tDevelop or apply mathematical or statistical theory.",
    "15-2051.00\tData Scientists\tDevelop and implement a set of techniques.",
    "11-1011.00\tChief Executives\tDetermine and formulate policies.",
)
TECHNOLOGY = tsv(
    "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand",
    "15-2051.00\tPython\t43232403\tObject or component oriented development software\tY\tY",
    "15-2051.00\tSAS\t43232402\tAnalytical or scientific software\tY\tN",
    "15-2041.00\tR\t43232403\tObject or component oriented development software\tN\tN",
    "15-2041.00\tMinitab\t43232402\tAnalytical or scientific software\tmaybe\tN",
)


def edu(code: str, category: str, value: str, suppress: str = "N", n: str = "20") -> str:
    """One row of the Education, Training, and Experience file for scale RL."""
    source = "Occupational Expert" if n == "n/a" else "Incumbent"
    return "\t".join(
        [code, "2.D.1", "Required Level of Education", "RL", category, value, n, "0"]
        + ["n/a", "n/a", suppress, "07/2019" if n == "n/a" else "08/2023", source]
    )


EDUCATION = tsv(
    "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tCategory\tData Value\tN\t"
    "Standard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tDate\tDomain Source",
    edu("15-2041.00", "1", "10.00"),
    edu("15-2041.00", "2", "60.50"),
    edu("15-2041.00", "3", "29.50", suppress="Y"),
    edu("11-1011.00", "1", "100.00", suppress="n/a", n="n/a"),
    edu("11-1011.00", "9", "0.00"),  # a category the Categories file does not describe
    edu("99-9999.00", "1", "100.00"),  # an occupation Occupation Data does not have
    "15-2041.00\t3.A.1\tRelated Work Experience\tRW\t1\t50.00\t20\t0\tn/a\tn/a\tN\t08/2023\t"
    "Incumbent",
)
CATEGORIES = tsv(
    "Element ID\tElement Name\tScale ID\tCategory\tCategory Description",
    "2.D.1\tRequired Level of Education\tRL\t1\tLess than a High School Diploma",
    "2.D.1\tRequired Level of Education\tRL\t2\t"
    "High School Diploma - or the equivalent (for example, GED)",
    "2.D.1\tRequired Level of Education\tRL\t3\tMaster's Degree",
    "3.A.1\tRelated Work Experience\tRW\t1\tNone",
)
JOB_ZONES = tsv(
    "O*NET-SOC Code\tJob Zone\tDate\tDomain Source",
    "15-2041.00\t5\t08/2023\tAnalyst",
    "15-2051.00\t5\t08/2023\tAnalyst",
)
RAW = {
    "Occupation Data.txt": OCCUPATIONS,
    "Technology Skills.txt": TECHNOLOGY,
    "Education, Training, and Experience.txt": EDUCATION,
    "Education, Training, and Experience Categories.txt": CATEGORIES,
    "Job Zones.txt": JOB_ZONES,
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
    text = OCCUPATIONS.replace(
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


def test_download_reads_the_members_from_one_zip(monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _zip({f"db_29_2_text/{name}": data for name, data in RAW.items()})
    calls: list[str] = []

    def fake_download(url: str, timeout: float, retries: int, log: object) -> bytes:
        calls.append(url)
        return archive

    monkeypatch.setattr(extract, "download", fake_download)
    settings = dataclasses.replace(config.Settings(), mirror=None)
    archives: dict[str, bytes] = {}
    got = {
        f.name: extract.fetch(onet.SOURCE, f, settings, lambda _: None, archives)
        for f in onet.files(settings)
    }
    assert len(calls) == 1  # one download for all five members
    assert got["Technology Skills.txt"].data == TECHNOLOGY
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
    monkeypatch: pytest.MonkeyPatch, archive: bytes, message: str
) -> None:
    monkeypatch.setattr(extract, "download", lambda *args: archive)
    settings = dataclasses.replace(config.Settings(), mirror=None)
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
