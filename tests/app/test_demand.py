"""Demand beside pay on the dashboard fixture: its figures against the published Parquet."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.app.test_pages import assert_clean

pytestmark = pytest.mark.app


def _processed(full_dir, name: str) -> pd.DataFrame:
    return pd.read_parquet(full_dir / "processed" / f"{name}.parquet")


def test_a_family_s_sector_index_sits_above_its_pay_by_year(rendered, full_dir):
    at = rendered("full", "demand")  # Data Scientist in the US by default
    assert_clean(at, "demand")
    assert "chart_demand_pay" in {c.key for c in at.get("plotly_chart")}
    reports = _processed(full_dir, "salaries")
    reports = reports[
        ~reports.exact_duplicate
        & (reports.job_family == "Data Scientist")
        & (reports.employee_residence == "US")
    ]
    medians = reports.groupby("work_year")["salary_usd"].agg(["size", "median"])
    table = next(d.value for d in at.dataframe if "work_year" in d.value.columns)
    assert table["work_year"].tolist() == medians.index.tolist() == [2024, 2025]
    assert table["n"].tolist() == medians["size"].tolist() == [35, 12]
    assert table["median"].tolist() == medians["median"].tolist()
    sectors = _processed(full_dir, "sector_openings")
    maths = sectors[(sectors.country == "US") & (sectors.sector == "Mathematics")]
    last = maths.sort_values("date").iloc[-1]
    words = next(m.value for m in at.markdown if m.value.startswith("**In words:**"))
    assert f"Mathematics in United States stood at {last.value:,.1f}" in words
    first, last_year = medians["median"].tolist()
    assert (
        f"was \\${first:,.0f} in 2024, n = 35, and \\${last_year:,.0f} in 2025 (partial year)"
        in words
    )
    # every country with both: the fixture's US and GB have a Mathematics index; GB has no
    # Data Scientist reports, so only the US row
    countries = next(d.value for d in at.dataframe if "12-month change" in d.value.columns)
    assert countries["code"].tolist() == ["US"]
    row = countries.iloc[0]
    assert (row["pay year"], row["n"], row["median"]) == (2024, 35, medians.loc[2024, "median"])
    dates = pd.to_datetime(maths.date)
    year_ago = maths[dates <= pd.Timestamp(last.date) - pd.DateOffset(years=1)].iloc[-1]
    assert float(row["12-month change"]) == pytest.approx(last.value - year_ago.value)


def test_demand_s_tables_and_captions_read_as_a_person_writes_them(rendered, full_dir):
    """A change with no year before is a dash (its column's help says why), never `None`; the
    family -> sector mapping is credited to the project, not to aijobs.net."""
    at = rendered("full", "demand")
    grid = next(d for d in at.dataframe if "12-month change" in d.value.columns)
    reports = _processed(full_dir, "salaries")
    us_2023 = reports[
        ~reports.exact_duplicate
        & (reports.job_family == "Data Scientist")
        & (reports.employee_residence == "US")
        & (reports.work_year == 2023)
    ]
    assert len(us_2023) < 10  # so 2024's median has no year before to change against
    assert grid.value["vs year before"].tolist() == ["–"]
    assert grid.value["12-month change"].str.fullmatch(r"[+-]\d+\.\d").all()
    columns = json.loads(grid.proto.columns)
    assert "–: the year before has fewer than 10 reports" in columns["vs year before"]["help"]
    assert "–: the index does not go back a year" in columns["12-month change"]["help"]

    captions = [c.value for c in at.caption]
    mapping = next(c for c in captions if "left out rather than guessed" in c)
    assert "this project's own mapping" in mapping
    assert "aijobs.net salaries" not in mapping and "CC0" not in mapping


def test_a_family_without_a_sector_says_so_and_lists_those_with_one(rendered, full_dir):
    at = rendered("full", "demand", {"role": "Management"})
    assert_clean(at, "demand")
    info = " ".join(i.value for i in at.info)
    assert "Management: no Indeed occupational sector matches it fairly" in info
    assert "Data Scientist" in info and "Software Engineer" in info
    mapping = next(t.value for t in at.table if "sector" in t.value.columns)
    assert len(mapping) == len(_processed(full_dir, "family_sectors"))


def test_a_country_without_the_sector_index_names_those_with_one(rendered, full_dir):
    at = rendered("full", "demand", {"residence": "DE"})
    assert_clean(at, "demand")
    info = " ".join(i.value for i in at.info)
    assert "Indeed publishes no Mathematics index for Germany" in info
    assert "Countries with one: United Kingdom, United States." in info


def test_demand_on_seed_data_says_what_it_needs(rendered, seed_dir):
    at = rendered("seed", "demand")
    assert_clean(at, "demand")
    info = " ".join(i.value for i in at.info)
    assert "the aijobs.net salary reports and the Indeed sector postings index" in info


def test_the_chart_s_indeed_date_is_where_the_sector_line_ends(rendered, real_dir):
    """Real data: the US Mathematics line ends years before Indeed's newest file; the chart's
    caption gives the line's last day for Indeed and aijobs.net's own date for the reports."""
    at = rendered("real", "demand")  # Data Scientist in the US
    assert_clean(at, "demand")
    sectors = _processed(real_dir, "sector_openings")
    maths = sectors[(sectors.country == "US") & (sectors.sector == "Mathematics")]
    last_day = f"{pd.Timestamp(maths.date.max()):%Y-%m-%d}"
    manifest = json.loads((real_dir / "processed" / "manifest.json").read_text())["sources"]
    assert manifest["indeed"]["as_of"] > last_day
    chart = next(c.value for c in at.caption if c.value.startswith("Different sources"))
    indeed, aijobs = chart.split("  \n")[1:]
    assert f"· As of: {last_day} (last day drawn) ·" in indeed
    assert manifest["indeed"]["as_of"] not in indeed
    assert f"· As of: {manifest['aijobs']['as_of']} ·" in aijobs
