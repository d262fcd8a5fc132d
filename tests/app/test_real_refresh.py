"""Every page on a full refresh from the real datasets mirror (../shared/datasets): the session's
one real refresh (`real_dir`, tests/conftest.py, skipped with the reason when the mirror is
absent), each page rendered once (`rendered("real", ...)`) and read by every test that needs it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import fmt
from tests.app.conftest import PAGES
from tests.conftest import SHARED_DATASETS as MIRROR

pytestmark = [pytest.mark.integration, pytest.mark.app]
# Charts that only the real sources feed: they must be there after a full refresh.
REAL_CHARTS = {
    "overview": {"chart_overview_index", "chart_overview_hot"},
    "openings": {
        "chart_openings_map",
        "chart_openings_series",
        "chart_openings_regions_map",
        "chart_openings_regions_lines",
        "chart_openings_seed_map",
    },
    "salaries": {
        "chart_salary_level",
        "chart_salary_country_map",
        "chart_salary_trend",
        "chart_salary_crowd_official",
    },
    "offer": {"chart_offer_distribution"},
    "compare": {"chart_compare_distributions", "chart_compare_openings"},
    "demand": {"chart_demand_pay", "chart_demand_ai_share"},
    "growth": {"chart_wage_growth", "chart_wage_growth_sectors", "chart_wage_growth_crowd"},
    "skills": {"chart_skills_categories", "chart_skills_ranking", "chart_skills_ai_share"},
    "skill_pay": {"chart_skill_pay_strip", "chart_skill_pay_ranking"},
    "industries": {"chart_sector_series", "chart_industries_seed", "chart_industries_official"},
    "occupations": {
        "chart_occupation_bands",
        "chart_occupation_states",
        "chart_occupation_where",
        "chart_occupation_sectors",
    },
    "education": {"chart_education_onet"},
    "sources": set(),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_on_real_data(rendered, real_dir, page):
    at = rendered("real", page)
    assert not at.exception, [e.value for e in at.exception]
    shown = {c.key for c in at.get("plotly_chart")}
    assert REAL_CHARTS[page] <= shown


def test_real_offer_check_matches_pandas(rendered, real_dir):
    at = rendered("real", "offer", {"amount": "150000"})
    frame = pd.read_parquet(real_dir / "processed" / "salaries.parquet")
    group = frame.loc[
        (frame["job_family"] == "Data Scientist")
        & (frame["experience_level"] == "Senior")
        & (frame["employee_residence"] == "US")
        & (frame["employment_type"] == "Full-time")
        & (frame["work_year"] == 2024)
        & ~frame["exact_duplicate"],
        "salary_usd",
    ].to_numpy()
    rank = 100 * ((group < 150_000).sum() + 0.5 * (group == 150_000).sum()) / len(group)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Percentile"] == fmt.ordinal(rank)
    assert shown["Median"] == fmt.usd(float(np.median(group)))
    assert any(f"of {len(group):,} reports" in m.value for m in at.markdown)
    wages = pd.read_parquet(real_dir / "processed" / "occupation_wages.parquet")
    ds = wages[
        (wages["areatype"] == "national")
        & (wages["industry_code"] == "000000")
        & (wages["occupation_code"] == "15-2051")
    ].iloc[0]
    band = [ds[f"annual_{p}"] for p in ("p10", "p25", "median", "p75", "p90")]
    official = np.interp(150_000, band, [10, 25, 50, 75, 90])
    table = next(d.value for d in at.dataframe if "your offer" in d.value.columns)
    assert table["your offer"].tolist() == [
        f"about the {fmt.ordinal(official)} percentile (approximate)"
    ]


def test_real_compare_matches_pandas(rendered, real_dir):
    at = rendered("real", "compare")  # US against GB, Senior, 2024, repeats counted once
    frame = pd.read_parquet(real_dir / "processed" / "salaries.parquet")
    rows = frame.loc[
        (frame["experience_level"] == "Senior")
        & (frame["work_year"] == 2024)
        & ~frame["exact_duplicate"]
    ]
    a = rows.loc[rows["employee_residence"] == "US", "salary_usd"].to_numpy()
    b = rows.loc[rows["employee_residence"] == "GB", "salary_usd"].to_numpy()
    gap = 100 * (np.median(a) / np.median(b) - 1)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Median A"] == fmt.usd(float(np.median(a)))
    assert shown["Median B"] == fmt.usd(float(np.median(b)))
    assert shown["Gap A − B"] == f"{gap:,.0f}%"
    words = next(m.value for m in at.markdown if m.value.startswith("**A's median"))
    assert f"n = {len(a):,} and {len(b):,}" in words
    openings = pd.read_parquet(real_dir / "processed" / "openings.parquet")
    sa = openings[(openings.measure == "postings_index_sa") & (openings.posting_type == "total")]
    last = {c: sa[sa.country == c].sort_values("date").iloc[-1] for c in ("US", "GB")}
    assert last["US"].date == last["GB"].date
    said = next(m.value for m in at.markdown if "stood at" in m.value)
    assert f"A (United States) stood at {last['US'].value:,.1f}" in said
    assert f"B (United Kingdom) at {last['GB'].value:,.1f}" in said


def test_real_family_sectors_are_indeed_sectors(real_dir):
    mapping = pd.read_parquet(real_dir / "processed" / "family_sectors.parquet")
    sectors = pd.read_parquet(real_dir / "processed" / "sector_openings.parquet")
    by_country = sectors.groupby("sector")["country"].nunique()
    # every mapped sector is one Indeed publishes: in the US, and in at least 4 of the 6
    # countries with sector files (Mathematics is missing for two of them)
    assert set(mapping["sector"]) <= set(sectors.loc[sectors.country == "US", "sector"])
    assert (by_country[sorted(set(mapping["sector"]))] >= 4).all()


def test_real_demand_beside_pay_matches_pandas(rendered, real_dir):
    at = rendered("real", "demand", {"role": "Software Engineer"})
    frame = pd.read_parquet(real_dir / "processed" / "salaries.parquet")
    rows = frame.loc[
        (frame["job_family"] == "Software Engineer")
        & (frame["employee_residence"] == "US")
        & ~frame["exact_duplicate"]
    ]
    per_year = rows.groupby("work_year")["salary_usd"].agg(["size", "median"])
    per_year = per_year[per_year["size"] >= 10]
    table = next(d.value for d in at.dataframe if "work_year" in d.value.columns)
    assert table["work_year"].tolist() == per_year.index.tolist()
    assert table["n"].tolist() == per_year["size"].tolist()
    assert np.allclose(table["median"].to_numpy(float), per_year["median"].to_numpy(float))
    countries = next(d.value for d in at.dataframe if "12-month change" in d.value.columns)
    assert {"US", "GB", "CA"} <= set(countries["code"])


def test_real_salary_figures_match_pandas(rendered, real_dir):
    at = rendered("real", "salaries", {"country": "GB", "level": "Senior"})
    frame = pd.read_parquet(real_dir / "processed" / "salaries.parquet")
    # The defaults: the latest complete work year of the 2025-01-19 snapshot (2024), and
    # identical reports counted once.
    rows = frame.loc[
        (frame["employee_residence"] == "GB")
        & (frame["experience_level"] == "Senior")
        & (frame["work_year"] == 2024)
        & ~frame["exact_duplicate"]
    ]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Reports (n)"] == f"{len(rows):,}"
    assert shown["Median salary, 2024 (USD/year)"] == fmt.usd(rows["salary_usd"].median())


def test_real_duplicates_switch_moves_the_2024_median_and_says_by_how_much(rendered, real_dir):
    frame = pd.read_parquet(real_dir / "processed" / "salaries.parquet")
    year = frame.loc[frame["work_year"] == 2024]
    once = year.loc[~year["exact_duplicate"]]
    at = rendered("real", "salaries")
    label = "Median salary, 2024 (USD/year)"
    assert {m.label: m.value for m in at.metric}[label] == fmt.usd(once["salary_usd"].median())
    removed = f"{len(year) - len(once):,} of the {len(year):,} matching rows"
    assert any(removed in c.value for c in at.caption)
    at = rendered("real", "salaries", {"dedupe": "0"})
    assert {m.label: m.value for m in at.metric}[label] == fmt.usd(year["salary_usd"].median())
    assert abs(year["salary_usd"].median() - once["salary_usd"].median()) > 5_000


def test_real_education_says_which_occupations_lack_data(rendered, real_dir):
    at = rendered("real", "education")
    text = " ".join(w.value for w in at.warning)
    assert "Data Scientists (15-2051.00)" in text and "Software Developers (15-1252.00)" in text


def test_a_filter_change_on_real_data_redraws_without_error(make_app, real_dir):
    # How long it takes is measured by `make bench` (bench/pages.py), not asserted here.
    at = make_app(real_dir, "salaries")
    at.get_by_key("flt_level").set_value(["Senior"]).run()
    assert not at.exception
    assert at.get_by_key("flt_level").value == ["Senior"]
    at.get_by_key("flt_level").set_value([]).run()
    assert not at.exception


def _raw_oews(series: set[str]) -> dict[str, dict[str, float]]:
    """Values of the wanted 23-character series (all datatypes) read straight from the raw
    gzipped file, line by line: nothing shared with the ETL's DuckDB reader."""
    import gzip

    out: dict[str, dict[str, float]] = {s: {} for s in series}
    with gzip.open(MIRROR / "bls-oews" / "oe.data.0.Current.gz", "rt") as handle:
        for line in handle:
            if line[:23] in out:
                sid, _year, _period, value, *_ = line.split("\t")
                out[line[:23]][sid.strip()[23:25]] = (
                    float(value) if value.strip() != "-" else float("nan")
                )
    return out


def test_real_occupation_figures_match_the_raw_file(rendered, real_dir):
    ds_us, sw_us, ds_ca = (
        "OEUN0000000000000152051",
        "OEUN0000000000000151252",
        ("OEUS0600000000000152051"),
    )
    raw = _raw_oews({ds_us, sw_us, ds_ca})
    for soc, series in (("15-2051", ds_us), ("15-1252", sw_us)):
        at = rendered("real", "occupations", {"soc": soc, "state": "US-CA"})
        assert not at.exception, [e.value for e in at.exception]
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Jobs in the US, May 2025"] == f"{raw[series]['01']:,.0f}"
        assert metrics["Median annual wage"] == f"${raw[series]['13']:,.0f}"
        bands = next(d.value for d in at.dataframe if "occupation / area" in d.value.columns)
        national = bands.iloc[0]
        assert national["employment"] == raw[series]["01"]
        assert [national[p] for p in ("p10", "p25", "median", "p75", "p90")] == [
            raw[series][d] for d in ("11", "12", "13", "14", "15")
        ]
        if soc == "15-2051":  # and one state's figures: Data Scientists in California
            state = bands.iloc[1]
            assert state["area"] == "California"
            assert state["employment"] == raw[ds_ca]["01"]
            assert state["median"] == raw[ds_ca]["13"]
            assert state["p90"] == raw[ds_ca]["15"]
