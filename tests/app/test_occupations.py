"""The Occupations page on the hand-made OEWS fixture: figures, top codes, URL state, notices."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.test_pages import assert_clean, chart_keys
from tests.fixtures.sources import OEWS_DS_CA, OEWS_DS_US

pytestmark = pytest.mark.app


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _with(at, *columns: str):
    """The first table of the page (static or data grid) that has all `columns`."""
    frames = [t.value for t in at.table] + [d.value for d in at.dataframe]
    return next(f for f in frames if set(columns) <= set(map(str, f.columns)))


def test_default_occupation_shows_the_official_national_figures(rendered, full_dir):
    at = rendered("full", "occupations")
    assert_clean(at, "occupations")
    employment, annual = OEWS_DS_US[0], OEWS_DS_US[10:15]
    assert _metrics(at) == {
        "Jobs in the US, May 2025": f"{employment:,}",
        "Median annual wage": f"${annual[2]:,}",
        "Middle half (p25–p75)": "$84k–$155k",
        "p10–p90": "$62k–$196k",
    }
    captions = " ".join(c.value for c in at.caption)
    assert "relative standard error of employment 1.9% and mean wage 0.8%" in captions
    bands = _with(at, "occupation / area")
    assert bands["occupation / area"].tolist() == ["Data Scientists · US"]
    assert bands[["p10", "median", "p90"]].iloc[0].tolist() == [annual[0], annual[2], annual[4]]
    # the picker groups by major group; its label carries the group after the title
    picker = at.selectbox(key="flt_soc")
    assert picker.value == "15-2051"
    assert "Data Scientists (15-2051) · Computer and Mathematical" in picker.options


def test_a_top_coded_percentile_reads_at_or_above_the_floor(rendered, full_dir):
    at = rendered("full", "occupations", {"soc": "15-1252"})
    assert_clean(at, "occupations")
    assert _metrics(at)["p10–p90"] == "$84k–≥ $239k"
    bands = _with(at, "occupation / area")
    assert bands["p90"].iloc[0] == 239_200
    assert bands["top-coded"].iloc[0] == "p90 ≥ $239,200"  # the mean is published
    words = " ".join(m.value for m in at.markdown if m.value.startswith("**In words:**"))
    assert "one in ten at least $239,200" in words


def test_state_compare_metros_and_industries(rendered, full_dir):
    params = {"state": "US-CA", "compare": "15-1252"}
    at = rendered("full", "occupations", params)
    assert_clean(at, "occupations")
    bands = _with(at, "occupation / area")
    assert bands["occupation / area"].tolist() == [
        "Data Scientists · US",
        "Data Scientists · California",
        "Software Developers · US",
    ]
    assert bands["median"].tolist()[1] == OEWS_DS_CA[12]
    assert bands["employment"].tolist()[1] == OEWS_DS_CA[0]
    metros = _with(at, "rank", "metro")
    assert metros["metro"].tolist() == ["San Francisco-Oakland-Fremont, CA"]
    assert metros["top-coded"].tolist() == ["p90 ≥ $239,200"]
    industries = _with(at, "NAICS", "share %")
    assert industries["NAICS"].tolist() == ["541500"]
    assert industries["share %"].tolist() == [round(100 * 27000 / OEWS_DS_US[0], 1)]
    frame = _with(at, "sector", "share_pct")
    assert frame["share_pct"].tolist() == [round(100 * 70000 / OEWS_DS_US[0], 1)]
    assert frame["sector"].tolist() == ["Professional, scientific & technical"]  # short label
    assert {b.key for b in at.get("download_button")} == {
        "export_occupation_bands_csv",
        "export_occupation_bands_xlsx",
        "export_occupation_bands_parquet",
    }


def test_view_switches_live_in_the_url(make_app, full_dir):
    at = make_app(full_dir, "occupations", {"map": "employment", "metros": "employment"})
    assert_clean(at, "occupations")
    assert at.radio(key="flt_map_measure").value == "employment"
    assert at.radio(key="flt_metro_rank").value == "employment"
    at.radio(key="flt_map_measure").set_value("location_quotient").run()
    assert at.query_params["map"] == "location_quotient"
    assert at.query_params["metros"] == "employment"
    assert "chart_occupation_states" in chart_keys(at)


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"soc": "99-9999"}, "Ignored unknown occupation (official) `99-9999`."),
        ({"state": "US-ZZ"}, "Ignored unknown US state `US-ZZ`."),
        ({"compare": "99-0000"}, "Ignored unknown compare with value(s): `99-0000`."),
    ],
)
def test_bad_url_values_are_dropped_with_a_notice(rendered, full_dir, params, notice):
    at = rendered("full", "occupations", params)
    assert_clean(at, "occupations")
    warnings = " ".join(w.value for w in at.warning)
    assert notice in warnings
    assert at.selectbox(key="flt_soc").value == "15-2051"  # the default stays


def test_seed_only_says_how_to_load_the_official_wages(rendered, seed_dir):
    at = rendered("seed", "occupations")
    assert_clean(at, "occupations")
    assert any("BLS OEWS) are not loaded" in i.value for i in at.info)
    assert not chart_keys(at)


def test_crowd_vs_official_on_the_salaries_page(rendered, full_dir):
    at = rendered("full", "salaries")
    assert_clean(at, "salaries")
    table = _with(at, "figure", "median vs nearest official")
    lo, hi = at.slider(key="flt_years").value
    rows = pd.read_parquet(full_dir / "processed" / "salaries.parquet")
    rows = rows.loc[
        (rows["employee_residence"] == "US")
        & rows["work_year"].between(lo, hi)
        & ~rows["exact_duplicate"].astype(bool)  # identical reports counted once (default)
        & (rows["job_family"] == "Data Scientist")
    ]
    ds = table.loc[table["job family"] == "Data Scientist"].set_index("figure")
    assert ds.loc["aijobs reports", "n"] == len(rows)
    assert ds.loc["aijobs reports", "median"] == round(rows["salary_usd"].median())
    assert ds.loc["BLS OEWS", "median"] == OEWS_DS_US[12]
    assert ds.loc["BLS OEWS", "n"] == OEWS_DS_US[0]
    assert ds.loc["BLS OEWS", "n is"] == "jobs (estimate)"
    gap = 100 * (rows["salary_usd"].median() / OEWS_DS_US[12] - 1)
    assert ds.loc["aijobs reports", "median vs nearest official"] == f"{gap:+.0f}%"
    text = " ".join(m.value for m in at.markdown)
    assert "whether a figure is base pay or total pay is not known" in text
