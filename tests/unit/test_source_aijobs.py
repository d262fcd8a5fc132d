"""The aijobs source on a hand-made salaries file: codes, job families, duplicates, rejects."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from etl import config
from etl.pipeline import refresh
from etl.schemas import validate
from etl.sources.aijobs import source as aijobs
from etl.sources.base import SourceError
from tests.conftest import quiet
from tests.fixtures.sources import AIJOBS_ROWS, aijobs_csv

# the shared clean rows, then rows the source cannot map (quarantined with a reason)
ROWS = [
    *AIJOBS_ROWS,
    "2024,XX,FT,Data Engineer,150000,USD,150000,US,0,US,M",  # unknown level code
    "2024,MI,FT,Data Engineer,150000,USD,150000,ZZ,0,US,M",  # not an ISO country
    "2024,MI,ZZ,Data Engineer,150000,USD,150000,US,0,us,M",  # bad type and lower-case country
    "2024,MI,FT,Data Engineer,150000,ABC,150000,US,0,US,M",  # not an ISO 4217 currency
]
DATA = aijobs_csv(ROWS)


def normalized(data: bytes = DATA) -> aijobs.Normalized:
    return aijobs.normalize({aijobs.FILE: data}, config.Settings())


def test_codes_are_mapped_to_the_contract_labels() -> None:
    table = normalized().tables["salaries"]
    row = table[table.job_title == "Data Analyst"].iloc[0]
    assert row.to_dict() == {
        "source": "aijobs",
        "work_year": "2023",
        "experience_level": "Entry",
        "employment_type": "Part-time",
        "job_title": "Data Analyst",
        "job_family": "Data Analyst",
        "salary": "40000",
        "salary_currency": "EUR",
        "salary_usd": "43000",
        "employee_residence": "DE",
        "company_country": "DE",
        "remote_ratio": "50",
        "company_size": "S",
        "exact_duplicate": False,
        "employee_residence_name": "Germany",
        "company_country_name": "Germany",
    }
    levels = dict(zip(table.job_title, table.experience_level))
    kinds = dict(zip(table.job_title, table.employment_type))
    assert levels["Machine Learning Engineer"] == "Senior"
    assert levels["Data Scientist"] == "Mid" and kinds["Data Scientist"] == "Contract"
    assert levels["Head of Data"] == "Executive" and kinds["Head of Data"] == "Freelance"
    scientist = table[table.job_title == "Data Scientist"].iloc[0]
    assert (scientist.employee_residence, scientist.company_country) == ("GB", "IE")


def test_the_table_passes_the_contract_with_types() -> None:
    good, bad = validate("salaries", normalized().tables["salaries"])
    assert bad.empty
    assert len(good) == 8
    assert good["salary_usd"].dtype == "Float64" and good["work_year"].dtype == "Int64"
    assert good.loc[good.job_title == "Data Scientist", "salary_usd"].tolist() == [114000.0]


def test_exact_duplicates_are_kept_flagged_and_counted() -> None:
    norm = normalized()
    table = norm.tables["salaries"]
    mle = table[table.job_title == "Machine Learning Engineer"]
    assert len(mle) == 3
    assert mle["exact_duplicate"].tolist() == [False, True, True]
    assert norm.stats["duplicates_kept"] == 2
    assert norm.stats["rows_in"] == len(ROWS)


def test_rows_that_cannot_be_mapped_are_rejected_with_reasons() -> None:
    rejected = normalized().rejected["salaries"]
    reasons = sorted(rejected["reason"])
    assert reasons == [
        "employee_residence: 'ZZ' is not an ISO 3166-1 alpha-2 code",
        "employment_type: unknown code 'ZZ'; "
        "company_location: 'us' is not an ISO 3166-1 alpha-2 code",
        "experience_level: unknown code 'XX'",
        "salary_currency: 'ABC' is not an ISO 4217 code",
    ]
    # the rejected rows keep their values as they came
    assert set(rejected["experience_level"]) == {"XX", "MI"}


def test_a_work_year_after_the_snapshot_is_quarantined() -> None:
    settings = dataclasses.replace(
        config.Settings(), mirror=Path("/mirror"), aijobs_file="salaries-2024-07-21.csv"
    )
    out = aijobs.normalize({aijobs.FILE: DATA}, settings)
    future = out.rejected["salaries"]
    future = future[future["work_year"] == "2025"]
    assert future["reason"].tolist() == ["work_year: after the snapshot's date (2024-07-21)"]
    assert "Data Scientist" not in set(out.tables["salaries"]["job_title"])


@pytest.mark.parametrize(
    ("salary", "usd", "reason"),
    [
        ("inf", "100000", "salary: not a finite number; salary: above 1000000000000"),
        ("100000", "1e309", "salary_usd: not a finite number; salary_usd: above 5000000"),
        ("0", "100000", "salary: below 1"),
        ("-5", "100000", "salary: below 1"),
        ("100000", "500", "salary_usd: below 1000"),
        ("100000", "90000000", "salary_usd: above 5000000"),
    ],
)
def test_implausible_salaries_are_quarantined_by_the_contract(salary, usd, reason) -> None:
    row = f"2024,SE,FT,Data Scientist,{salary},USD,{usd},US,0,US,M"
    table = normalized(aijobs_csv([AIJOBS_ROWS[0], row])).tables["salaries"]
    good, bad = validate("salaries", table)
    assert len(good) == 1
    assert bad["reason"].tolist() == [reason]


def test_job_family_and_the_other_bucket() -> None:
    norm = normalized()
    table = norm.tables["salaries"]
    families = dict(zip(table.job_title, table.job_family))
    assert families == {
        "Machine Learning Engineer": "Machine Learning Engineer",
        "Data Analyst": "Data Analyst",
        "Data Scientist": "Data Scientist",
        "Head of Data": "Management",
        "Engineer": "Other",
        "Underwater Basket Weaver": "Other",
    }
    assert norm.stats["unmapped_job_titles"] == {
        "rows": 2,
        "distinct": 2,
        "rows_no_rule_matched": 1,
        "top": {"Engineer": 1, "Underwater Basket Weaver": 1},
    }
    assert norm.stats["job_families"]["Machine Learning Engineer"] == 3
    assert norm.stats["as_of"] is None  # no mirror: a download is dated by the refresh
    assert norm.stats["work_years"] == [2022, 2025]


def test_the_snapshot_date_comes_from_the_mirror_file_name(tmp_path: Path) -> None:
    dated = config.Settings(mirror=tmp_path, aijobs_file="aijobs-salaries/salaries-2025-01-19.csv")
    assert aijobs.snapshot_date(dated) == "2025-01-19"
    undated = config.Settings(mirror=tmp_path, aijobs_file="salaries.csv")
    assert aijobs.snapshot_date(undated) is None
    assert aijobs.snapshot_date(config.Settings(mirror=None)) is None
    assert (
        aijobs.snapshot_date(config.Settings(mirror=tmp_path, aijobs_file="s-2025-13-40.csv"))
        is None
    )


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Machine Learning Engineer", "Machine Learning Engineer"),
        ("MLOps Engineer", "Machine Learning Engineer"),
        ("AI Engineer", "Machine Learning Engineer"),
        ("Data Scientist", "Data Scientist"),
        ("Applied Scientist", "Data Scientist"),
        ("Statistician", "Data Scientist"),
        ("Data Engineer", "Data Engineer"),
        ("AI Data Engineer", "Data Engineer"),
        ("Analytics Engineer", "Data Engineer"),
        ("Data Architect", "Data Engineer"),
        ("Data Analyst", "Data Analyst"),
        ("Research Analyst", "Data Analyst"),
        ("Research Scientist", "Research Scientist"),
        ("Research Engineer", "Research Scientist"),
        ("Machine Learning Researcher", "Research Scientist"),
        ("AI Architect", "AI/ML Architect & Lead"),
        ("Head of Machine Learning", "AI/ML Architect & Lead"),
        ("Lead Machine Learning Engineer", "AI/ML Architect & Lead"),
        ("Business Intelligence Analyst", "Analytics/BI"),
        ("Power BI Developer", "Analytics/BI"),
        ("Manager", "Management"),
        ("Engineering Manager", "Management"),
        ("Product Manager", "Product"),
        ("AI Product Manager", "Product"),
        ("Data Quality Analyst", "Data Management & Governance"),
        ("Software Engineer", "Software Engineer"),
        ("DevOps Engineer", "Software Engineer"),
        ("Developer", "Software Engineer"),
        ("Analyst", "Other"),
        ("Lead Engineer", "Other"),
        ("Consultant", "Other"),
        ("Sales Development Representative", "Other"),
        ("Sales Data Analyst", "Data Analyst"),
        ("machine learning engineer", "Machine Learning Engineer"),  # case-insensitive
    ],
)
def test_job_family_rules_file(title: str, family: str) -> None:
    assert aijobs.family_of(title)[0] == family


def test_rules_are_ordered_first_match_wins_and_bad_patterns_fail() -> None:
    rules = aijobs.parse_family_rules(
        "# comment\npattern,family\n\\bdata\\b,Data\n\\bengineer\\b,Eng\n"
    )
    assert aijobs.family_of("Data Engineer", rules) == ("Data", True)
    assert aijobs.family_of("Engineer", rules) == ("Eng", True)
    assert aijobs.family_of("Pilot", rules) == ("Other", False)
    with pytest.raises(ValueError, match="bad pattern"):
        aijobs.parse_family_rules("pattern,family\n(unclosed,X\n")
    with pytest.raises(ValueError, match="needs a pattern and a family"):
        aijobs.parse_family_rules("pattern,family\nabc,\n")


def test_the_rules_file_is_part_of_the_source_version() -> None:
    assert aijobs.FAMILIES_SHA256[:12] in str(aijobs.SOURCE.version)
    assert "Other" in {r.family for r in aijobs.FAMILY_RULES}


def test_a_missing_column_is_a_source_error() -> None:
    broken = DATA.replace(b"salary_in_usd", b"salary_usd")
    with pytest.raises(SourceError, match="missing expected columns"):
        normalized(broken)


def _mirror(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _settings(tmp_path: Path, mirror: Path, file: str) -> config.Settings:
    base = config.load(data_dir=tmp_path / "data", mirror=mirror)
    return dataclasses.replace(base, aijobs_file=file)


def test_refresh_replaces_rows_when_the_snapshot_changes(tmp_path: Path) -> None:
    older = aijobs_csv([ROWS[3]])
    mirror = _mirror(tmp_path / "mirror", {"a/old.csv": older, "a/new.csv": DATA})
    first = refresh(["aijobs"], _settings(tmp_path, mirror, "a/old.csv"), log=quiet)
    assert [r.status for r in first.results] == ["ok"]
    settings = _settings(tmp_path, mirror, "a/new.csv")
    path = settings.processed_dir / "salaries.parquet"
    assert len(pd.read_parquet(path)) == 1
    second = refresh(["aijobs"], settings, log=quiet)
    assert [r.status for r in second.results] == ["ok"]
    table = pd.read_parquet(path)
    assert len(table) == 8
    assert table["exact_duplicate"].sum() == 2
    quarantine = pd.read_csv(settings.quarantine_dir / "aijobs" / "salaries.csv")
    assert len(quarantine) == 4 and "reason" in quarantine.columns
    manifest = second.results[0].entry
    assert manifest["quarantined"]["rows"] == 4
    assert manifest["duplicates_kept"] == 2
    assert manifest["unmapped_job_titles"]["rows"] == 2
    assert manifest["files"]["salaries.csv"]["from"].endswith("a/new.csv")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html><body>Cloudflare</body></html>\n", "HTML/XML/JSON page"),
        (b"year,level\n2024,SE\n", "header lacks expected columns"),
        (DATA[:-20], "does not end with a newline"),
    ],
)
def test_a_bad_download_fails_the_source_and_keeps_the_data(
    tmp_path: Path, body: bytes, message: str
) -> None:
    mirror = _mirror(tmp_path / "mirror", {"a/good.csv": DATA, "a/bad.csv": body})
    refresh(["aijobs"], _settings(tmp_path, mirror, "a/good.csv"), log=quiet)
    settings = _settings(tmp_path, mirror, "a/bad.csv")
    before = pd.read_parquet(settings.processed_dir / "salaries.parquet")
    report = refresh(["aijobs"], settings, log=quiet)
    assert [r.status for r in report.failed] == ["failed"]
    assert message in (report.failed[0].error or "")
    after = pd.read_parquet(settings.processed_dir / "salaries.parquet")
    pd.testing.assert_frame_equal(before, after)


def test_family_soc_mapping_is_data_checked_and_published() -> None:
    mapping = aijobs.FAMILY_SOC
    pairs = set(zip(mapping["job_family"], mapping["occupation_code"], strict=True))
    # the pairs the Salaries page's crowd-vs-official panel is built around
    assert {
        ("Data Scientist", "15-2051"),
        ("Software Engineer", "15-1252"),
        ("Machine Learning Engineer", "15-1252"),
        ("Data Analyst", "15-2051"),
        ("Data Analyst", "13-1161"),
        ("Research Scientist", "15-1221"),
    } <= pairs
    assert set(mapping["fit"]) == {"closest", "alternative"}
    # one closest occupation per family
    assert not mapping.loc[mapping["fit"] == "closest", "job_family"].duplicated().any()
    families = {r.family for r in aijobs.FAMILY_RULES}
    assert set(mapping["job_family"]) <= families
    out = normalized()
    published = out.tables["family_occupations"]
    assert list(published["source"].unique()) == ["aijobs"]
    assert len(published) == len(mapping)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Astronaut,15-2051,closest,", "job family 'Astronaut' is not in job_families.csv"),
        ("Data Scientist,15-2051.00,closest,", "'15-2051.00' is not a SOC code like 15-2051"),
        ("Data Scientist,15-2051,nearest,", "fit 'nearest' is not one of closest, alternative"),
        ("Data Scientist,15-1252,closest,\nData Scientist,15-1252,alternative,", "listed twice"),
    ],
)
def test_family_soc_mapping_refuses_bad_rows(line: str, message: str) -> None:
    text = "# comment\njob_family,occupation_code,fit,note\n" + line + "\n"
    with pytest.raises(ValueError, match=re.escape(message)):
        aijobs.parse_family_soc(text, {r.family for r in aijobs.FAMILY_RULES})


def test_family_sector_mapping_is_data_checked_and_published() -> None:
    mapping = aijobs.FAMILY_SECTORS
    pairs = dict(zip(mapping["job_family"], mapping["sector"], strict=True))
    # the four sectors the Demand & pay page was asked for each hold at least one family
    assert pairs["Software Engineer"] == "Software Development"
    assert pairs["Data Scientist"] == "Mathematics"
    assert pairs["Research Scientist"] == "Scientific Research & Development"
    assert pairs["Data Management & Governance"] == "IT Operations & Helpdesk"
    # families with no fair sector are left out rather than guessed
    assert not {"Management", "Product", "Other"} & set(pairs)
    assert set(pairs) <= {r.family for r in aijobs.FAMILY_RULES}
    published = normalized().tables["family_sectors"]
    assert list(published["source"].unique()) == ["aijobs"]
    assert published[["job_family", "sector"]].values.tolist() == [list(p) for p in pairs.items()]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Astronaut,Mathematics,", "row 2: job family 'Astronaut' is not in job_families.csv"),
        ("Data Scientist,,", "row 2: sector is empty"),
        ("Data Scientist,Mathematics,\nData Scientist,Software Development,", "more than one"),
    ],
)
def test_family_sector_mapping_refuses_bad_rows(line: str, message: str) -> None:
    text = "# comment\njob_family,sector,note\n" + line + "\n"
    with pytest.raises(ValueError, match=re.escape(message)):
        aijobs.parse_family_sectors(text, {r.family for r in aijobs.FAMILY_RULES})


def test_a_huge_title_is_set_aside_and_costs_no_regex_time() -> None:
    import time

    huge = "devops " * 9_000  # 63 KB: one rule used to take seconds on this
    row = f"2024,SE,FT,{huge.strip()},100000,USD,100000,US,0,US,M"
    started = time.perf_counter()
    out = normalized(aijobs_csv([AIJOBS_ROWS[0], row]))
    elapsed = time.perf_counter() - started
    assert out.rejected["salaries"]["reason"].tolist() == ["job_title: longer than 200 characters"]
    assert len(out.tables["salaries"]) == 1
    assert elapsed < 2, elapsed  # a guard against a hang, not a speed target


def test_the_analyst_rule_is_anchored_and_means_what_it_did() -> None:
    rule = next(
        r
        for r in aijobs.FAMILY_RULES
        if "analyst" in r.pattern.pattern and "+" in r.pattern.pattern
    )
    old = re.compile(r"\b\w+.*\banalyst\b", re.IGNORECASE)
    for title in [
        "x analyst",
        "analyst",
        "analyst analyst",
        " - analyst",
        "Data-Analyst",
        "analyst x",
    ]:
        assert bool(rule.pattern.search(title)) == bool(old.search(title)), title
    # anchored at the start with a possessive lead: one way to try each title (linear)
    assert rule.pattern.pattern.startswith("^\\W*+")
