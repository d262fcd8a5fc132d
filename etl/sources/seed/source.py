"""The `seed` source: the hand-transcribed article tables in data/seed/, as contract tables."""

from __future__ import annotations

import pandas as pd

from etl import countries
from etl.config import Settings
from etl.sources.base import Normalized, RawFile, RawFiles, Source, read_table

ARTICLE = "Machine Learning Engineer Roadmap (web article, undated)"
OCCUPATION = "Machine Learning Engineer"

# (file, required columns) for every seed table; the file names are the raw names too.
FILES: dict[str, tuple[str, ...]] = {
    "job_openings_by_country.csv": ("country", "job_openings"),
    "salaries_by_experience_level.csv": ("experience_level", "average_salary_usd"),
    "key_skills.csv": ("skill", "importance"),
    "skills_and_tools.csv": ("skill", "importance"),
    "education.csv": ("education_level", "percentage"),
    "certifications.csv": ("certification", "issuing_organization"),
    "industries.csv": ("industry", "percentage_of_employment"),
    "revenue_impact.csv": ("company", "percentage_increase_in_revenue"),
    "ethics.csv": ("issue", "extent_of_concern"),
    "tools.csv": ("tool", "purpose"),
    "ml_libraries.csv": ("library", "use_case"),
    "ml_algorithms.csv": ("algorithm", "use_case"),
}

# The article's level labels, mapped to the contract's five labels.
LEVELS = {
    "Entry-Level": "Entry",
    "Mid-Level": "Mid",
    "Senior-Level": "Senior",
    "Director-Level": "Director",
    "Executive-Level": "Executive",
}


def files(settings: Settings) -> list[RawFile]:
    return [
        RawFile(name=name, url=f"data/seed/{name}", mirror_path=name, required_columns=cols)
        for name, cols in FILES.items()
    ]


def _openings(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes = frame["country"].map(countries.code_of)
    unknown = frame.loc[codes.isna()].assign(reason="country: no ISO 3166 match for the name")
    known = frame.loc[codes.notna()]
    table = pd.DataFrame(
        {
            "country": codes[codes.notna()],
            "country_name": known["country"],
            "date": pd.NaT,
            "measure": "job_openings",
            "posting_type": None,
            "value": known["job_openings"].str.replace(",", ""),
        }
    )
    return table, unknown


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: seed CSV bytes -> contract tables (values as printed; validation types them)."""
    # values as printed (not trimmed): validation trims and types them
    t = {name: read_table(raw, name, FILES[name], strip=False) for name in FILES}
    openings, bad_countries = _openings(t["job_openings_by_country.csv"])
    levels = t["salaries_by_experience_level.csv"]
    skills = pd.concat(
        [
            t["key_skills.csv"].assign(list="Key Skills Required"),
            t["skills_and_tools.csv"].assign(list="Skills and Tools"),
        ],
        ignore_index=True,
    )
    tools = pd.concat(
        [
            t["tools.csv"].assign(list="Best Machine Learning Tools"),
            t["ml_libraries.csv"]
            .rename(columns={"library": "tool", "use_case": "purpose"})
            .assign(list="Machine Learning Libraries"),
        ],
        ignore_index=True,
    )
    education = t["education.csv"]
    tables = {
        "openings": openings,
        "salary_levels": pd.DataFrame(
            {
                "experience_level": levels["experience_level"].map(LEVELS),
                "statistic": "mean",
                "salary_usd": levels["average_salary_usd"].str.replace(",", ""),
                "n": None,
                "level_label": levels["experience_level"],
            }
        ),
        "skills": pd.DataFrame(
            {
                "skill": skills["skill"],
                "category": None,
                "occupation_code": None,
                "occupation": OCCUPATION,
                "importance": skills["importance"],
                "hot_technology": None,
                "in_demand": None,
                "list": skills["list"],
            }
        ),
        "education": pd.DataFrame(
            {
                "occupation_code": None,
                "occupation": OCCUPATION,
                "education_level": education["education_level"],
                "share_pct": education["percentage"].str.rstrip("%"),
                "level_order": range(1, len(education) + 1),
            }
        ),
        "industries": t["industries.csv"].rename(columns={"percentage_of_employment": "share_pct"}),
        "certifications": t["certifications.csv"].rename(
            columns={"issuing_organization": "issuer"}
        ),
        "revenue_impact": t["revenue_impact.csv"].rename(
            columns={"percentage_increase_in_revenue": "revenue_increase_pct"}
        ),
        "ethics": t["ethics.csv"].rename(columns={"extent_of_concern": "concern_level"}),
        "tools": tools,
        "algorithms": t["ml_algorithms.csv"],
    }
    tables = {name: frame.assign(source="seed") for name, frame in tables.items()}
    rows_in = sum(len(frame) for frame in t.values())
    return Normalized(
        tables=tables,
        rejected={"openings": bad_countries} if len(bad_countries) else {},
        stats={"rows_in": rows_in, "as_of": None, "as_of_note": "undated article"},
    )


SOURCE = Source(
    name="seed",
    title="Seed tables transcribed from 'Machine Learning Engineer Roadmap'",
    homepage="data/seed/SOURCES.md",
    licence="Figures quoted from a public article (facts); transcription in this repository",
    licence_url="data/seed/SOURCES.md",
    attribution=f"Figures from the article '{ARTICLE}'; illustrative, no stated methodology.",
    tables=(
        "openings",
        "salary_levels",
        "skills",
        "education",
        "industries",
        "certifications",
        "revenue_impact",
        "ethics",
        "tools",
        "algorithms",
    ),
    files=files,
    normalize=normalize,
    version=1,
    max_mb=10,
    local=True,
)
