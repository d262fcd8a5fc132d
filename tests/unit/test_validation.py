"""Schema validation: bad rows are quarantined with a reason and counted, never dropped silently."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from etl import config
from etl.pipeline import refresh
from etl.schemas import TABLES, reason_counts, validate
from tests.conftest import quiet


def test_validate_types_values_and_reasons() -> None:
    frame = pd.DataFrame(
        {
            "source": ["t"] * 4,
            "experience_level": ["Senior", "Guru", "Entry", None],
            "statistic": ["median", "median", "mode", "mean"],
            "salary_usd": ["120000", "1", "-5", "abc"],
            "n": [40, None, 3.5, 2],
        }
    )
    good, bad = validate("salary_levels", frame)
    assert good["experience_level"].tolist() == ["Senior"]
    assert good["salary_usd"].tolist() == [120000.0]
    assert str(good["n"].dtype) == "Int64"
    reasons = dict(zip(bad["experience_level"].fillna("<null>"), bad["reason"]))
    assert reasons["Guru"] == "experience_level: not one of Entry/Mid/Senior/Director/Executive"
    assert reasons["Entry"] == (
        "statistic: not one of mean/median; salary_usd: below 0; n: not a valid int"
    )
    assert reasons["<null>"] == "experience_level: missing; salary_usd: not a valid float"
    assert reason_counts([bad])["experience_level: missing"] == 1


def test_missing_required_column_is_an_error_not_a_quarantine() -> None:
    with pytest.raises(ValueError, match="missing required columns: statistic, salary_usd"):
        validate("salary_levels", pd.DataFrame({"source": ["t"], "experience_level": ["Mid"]}))


def test_every_contract_table_has_a_source_column() -> None:
    for schema in TABLES.values():
        assert schema.column_names[0] == "source"


def test_bad_seed_rows_are_quarantined_with_reason(
    settings: config.Settings, seed_copy: Path
) -> None:
    with open(seed_copy / "job_openings_by_country.csv", "a") as handle:
        handle.write("Atlantis,300\nGermany,lots\n")
    report = refresh(["seed"], dataclasses.replace(settings, seed_dir=seed_copy), log=quiet)
    assert not report.failed
    openings = pd.read_parquet(settings.processed_dir / "openings.parquet")
    assert len(openings) == 10  # the 10 good rows; the 2 bad ones are not in the table
    quarantined = pd.read_csv(settings.quarantine_dir / "seed" / "openings.csv")
    reasons = dict(
        zip(quarantined["country"].fillna(quarantined["country_name"]), quarantined["reason"])
    )
    assert reasons["Atlantis"] == "country: no ISO 3166 match for the name"
    assert reasons["DE"] == "value: not a valid float"
    manifest = json.loads(settings.manifest_path.read_text())
    assert manifest["sources"]["seed"]["quarantined"] == {
        "rows": 2,
        "reasons": {
            "country: no ISO 3166 match for the name": 1,
            "value: not a valid float": 1,
        },
    }


def test_a_table_that_would_be_empty_fails_the_source_and_keeps_old_data(
    seeded: config.Settings, seed_copy: Path
) -> None:
    before = (seeded.processed_dir / "education.parquet").read_bytes()
    (seed_copy / "education.csv").write_text("education_level,percentage\nBachelor's,lots\n")
    report = refresh(["seed"], dataclasses.replace(seeded, seed_dir=seed_copy), log=quiet)
    assert [r.name for r in report.failed] == ["seed"]
    assert "table 'education' would be empty" in report.failed[0].error
    assert (seeded.processed_dir / "education.parquet").read_bytes() == before


def test_a_flag_that_is_not_a_boolean_is_quarantined_not_a_crash() -> None:
    frame = pd.DataFrame(
        {
            "source": ["onet"] * 5,
            "occupation_code": ["15-2051.00"] * 5,
            "occupation": ["Data Scientists"] * 5,
            "skill": ["Python", "R", "SQL", "Go", "Julia"],
            "category": ["Languages"] * 5,
            "hot_technology": ["True", "no", "maybe", None, "1"],
            "in_demand": [False, True, None, False, "0"],
        }
    )
    good, bad = validate("skills", frame)
    assert good["skill"].tolist() == ["Python", "R", "Go", "Julia"]
    assert good["hot_technology"].tolist() == [True, False, pd.NA, True]
    assert good["in_demand"].tolist() == [False, True, False, False]
    assert bad["skill"].tolist() == ["SQL"]
    assert bad["reason"].tolist() == ["hot_technology: not a valid bool"]


def _wage_rows() -> pd.DataFrame:
    """occupation_wages rows, each breaking (or not) one rule, typed as a big source sends them."""
    base = {
        "source": "bls_oews",
        "release": "2025A01",
        "areatype": "national",
        "area_code": "0000000",
        "area_name": "National",
        "state": None,
        "industry_code": "000000",
        "industry": "Cross-Industry",
        "occupation_code": "15-2051",
        "occupation": "Data Scientists",
        "occupation_level": "detailed",
        "employment": 245900.0,
        "annual_median": 114010.0,
        "top_coded": False,
    }
    changes = [
        {},
        {"areatype": "county"},
        {"occupation_code": "152051", "employment": -1.0},
        {"area_name": "  "},
        {"area_name": " National\u00a0"},
        {"state": "CA"},
        {"annual_median": float("nan")},
        {"occupation": None, "release": "2025"},
        {"top_coded": None},
    ]
    # each row its own area, so that only the rule it breaks (not the natural key) sets it aside
    return pd.DataFrame(
        [{**base, "area_code": f"{i:07d}", **change} for i, change in enumerate(changes)]
    )


@pytest.mark.parametrize("engine", ["pandas", "arrow"])
def test_a_repeated_natural_key_sets_aside_every_conflicting_copy(engine) -> None:
    import pyarrow as pa

    from etl.arrow_rules import validate_arrow

    day = {"source": "indeed", "country": "US", "country_name": "United States"}
    day |= {"measure": "postings_index_sa", "posting_type": "total"}
    frame = pd.DataFrame(
        [
            {**day, "date": "2024-01-01", "value": 101.0},
            {**day, "date": "2024-01-01", "value": 99.0},  # same key, other value
            {**day, "date": "2024-01-02", "value": 100.0},
            {**day, "date": "2024-01-02", "value": 100.0},  # an identical copy
            {**day, "date": "2024-01-03", "value": 98.0},
            {**day, "date": "2024-01-03", "posting_type": "new", "value": 97.0},  # another key
        ]
    )
    if engine == "pandas":
        good, bad = validate("openings", frame)
        dates = good["date"].dt.strftime("%Y-%m-%d").tolist()
    else:
        arrow = pa.Table.from_pandas(frame.assign(date=pd.to_datetime(frame["date"]).dt.date))
        good, bad = validate_arrow("openings", arrow)
        dates = [d.strftime("%Y-%m-%d") for d in good.column("date").to_pylist()]
    key = "key (source, country, measure, posting_type, date) repeated"
    assert bad["reason"].tolist() == [
        f"{key} with other values: every copy is set aside",
        f"{key} with other values: every copy is set aside",
        f"{key}: an identical copy of an earlier row",
    ]
    assert dates == ["2024-01-02", "2024-01-03", "2024-01-03"]


def test_arrow_rules_give_the_same_rows_and_reasons_as_the_pandas_rules() -> None:
    import pyarrow as pa

    from etl.arrow_rules import validate_arrow

    frame = _wage_rows()
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    good, bad = validate("occupation_wages", frame)
    good_arrow, bad_arrow = validate_arrow("occupation_wages", arrow)
    assert bad_arrow["reason"].tolist() == bad["reason"].tolist()
    assert bad["reason"].tolist() == [
        "areatype: not one of national/state/metro; state: missing (null only where areatype is"
        " national)",
        "occupation_code: does not match ^\\d{2}-\\d{4}$; employment: below 0",
        "area_name: missing",
        "state: does not match ^US-[A-Z]{2}$",
        "release: does not match ^\\d{4}A\\d{2}$; occupation: missing",
        "top_coded: missing",
    ]
    assert good_arrow.num_rows == len(good) == 3
    got = good_arrow.to_pandas()
    assert got["area_name"].tolist() == good["area_name"].tolist() == ["National"] * 3
    assert got["annual_median"].isna().tolist() == [False, False, True]
    assert good_arrow.schema.field("employment").type == pa.float64()
