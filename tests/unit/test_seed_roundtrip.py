"""Every figure of the seed articles comes back exactly from the processed Parquet (read from
the session's shared seed root, `seed_settings` in tests/conftest.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from etl import config

SEED = config.SEED_DIR


def table(settings: config.Settings, name: str) -> pd.DataFrame:
    return pd.read_parquet(settings.processed_dir / f"{name}.parquet")


def test_headline_figures_match_the_article(seed_settings: config.Settings) -> None:
    openings = table(seed_settings, "openings")
    us = openings[(openings.country == "US") & (openings.measure == "job_openings")]
    assert us["value"].tolist() == [2500.0]
    levels = table(seed_settings, "salary_levels").set_index("experience_level")
    assert levels.loc["Senior", "salary_usd"] == 150000
    assert levels.loc["Senior", "statistic"] == "mean"
    assert pd.isna(levels.loc["Senior", "n"])  # the article gives no sample size
    education = table(seed_settings, "education").set_index("education_level")
    assert education.loc["Master's Degree", "share_pct"] == 40
    industries = table(seed_settings, "industries").set_index("industry")
    assert industries.loc["Finance", "share_pct"] == 20
    skills = table(seed_settings, "skills")
    assert skills.loc[skills.skill == "Python", "importance"].tolist() == ["High"]


def test_openings_countries_are_iso_codes(seed_settings: config.Settings) -> None:
    openings = table(seed_settings, "openings")
    got = dict(zip(openings.country_name, openings.country, strict=True))
    assert got == {
        "United States": "US",
        "United Kingdom": "GB",
        "Germany": "DE",
        "Canada": "CA",
        "Australia": "AU",
        "India": "IN",
        "France": "FR",
        "China": "CN",
        "Brazil": "BR",
        "South Africa": "ZA",
    }
    assert openings["date"].isna().all()
    assert set(openings.measure) == {"job_openings"}


# (seed file, its key and value columns) -> (table, filter, key and value columns there)
ROUND_TRIPS = [
    ("job_openings_by_country.csv", "country", "job_openings", "openings", "country_name", "value"),
    (
        "industries.csv",
        "industry",
        "percentage_of_employment",
        "industries",
        "industry",
        "share_pct",
    ),
    ("education.csv", "education_level", "percentage", "education", "education_level", "share_pct"),
    (
        "revenue_impact.csv",
        "company",
        "percentage_increase_in_revenue",
        "revenue_impact",
        "company",
        "revenue_increase_pct",
    ),
    ("ethics.csv", "issue", "extent_of_concern", "ethics", "issue", "concern_level"),
    (
        "certifications.csv",
        "certification",
        "issuing_organization",
        "certifications",
        "certification",
        "issuer",
    ),
    ("ml_algorithms.csv", "algorithm", "use_case", "algorithms", "algorithm", "use_case"),
]


@pytest.mark.parametrize(("csv", "key", "value", "name", "tkey", "tvalue"), ROUND_TRIPS)
def test_every_seed_row_round_trips(
    seed_settings: config.Settings,
    csv: str,
    key: str,
    value: str,
    name: str,
    tkey: str,
    tvalue: str,
) -> None:
    expected = pd.read_csv(SEED / csv, dtype=str)
    got = table(seed_settings, name)
    assert len(got) == len(expected)
    got_map = dict(zip(got[tkey], got[tvalue], strict=True))
    for k, v in zip(expected[key], expected[value], strict=True):
        stored = got_map[k]
        if isinstance(stored, float):
            assert stored == float(v), k
        else:
            assert stored == v, k


def test_salary_levels_map_every_article_label(seed_settings: config.Settings) -> None:
    levels = table(seed_settings, "salary_levels")
    expected = pd.read_csv(SEED / "salaries_by_experience_level.csv")
    got = dict(zip(levels.level_label, zip(levels.experience_level, levels.salary_usd)))
    assert got == {
        "Entry-Level": ("Entry", 80000.0),
        "Mid-Level": ("Mid", 110000.0),
        "Senior-Level": ("Senior", 150000.0),
        "Director-Level": ("Director", 200000.0),
        "Executive-Level": ("Executive", 300000.0),
    }
    assert len(levels) == len(expected)


def test_both_skill_tables_and_both_tool_tables_are_kept(seed_settings: config.Settings) -> None:
    skills = table(seed_settings, "skills")
    for csv, list_name in (
        ("key_skills.csv", "Key Skills Required"),
        ("skills_and_tools.csv", "Skills and Tools"),
    ):
        expected = pd.read_csv(SEED / csv)
        part = skills[skills["list"] == list_name]
        assert dict(zip(part.skill, part.importance)) == dict(
            zip(expected.skill, expected.importance)
        )
    assert skills["occupation"].eq("Machine Learning Engineer").all()
    assert skills["hot_technology"].isna().all()
    tools = table(seed_settings, "tools")
    assert len(tools[tools["list"] == "Best Machine Learning Tools"]) == 7
    libs = tools[tools["list"] == "Machine Learning Libraries"]
    assert (
        dict(zip(libs.tool, libs.purpose))["PyTorch"]
        == "Deep learning and natural language processing"
    )


def test_every_row_names_its_source_and_the_manifest_counts_rows(
    seed_settings: config.Settings,
) -> None:
    import json

    manifest = json.loads(seed_settings.manifest_path.read_text())
    for name, info in manifest["tables"].items():
        frame = table(seed_settings, name)
        assert len(frame) == info["rows"] > 0
        assert set(frame["source"]) == {"seed"} == set(info["sources"])
    seed = manifest["sources"]["seed"]
    assert seed["status"] == "ok"
    assert seed["quarantined"] == {"rows": 0, "reasons": {}}
    assert len(seed["files"]) == 12
    assert all(len(f["sha256"]) == 64 for f in seed["files"].values())
