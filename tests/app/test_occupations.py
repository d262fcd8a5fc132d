"""The Occupations page on the hand-made OEWS fixture: figures, top codes, URL state, notices."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.app.test_pages import assert_clean, chart_keys
from tests.fixtures.sources import OEWS_ALL_US, OEWS_DS_CA, OEWS_DS_US

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
    # each figure's note names the cells that are only a floor, never "BLS does not publish"
    captions = " ".join(c.value for c in at.caption)
    floor = "BLS publishes only that they are at or above $239,200 a year, not the figure"
    assert f"{floor}, so they are shown at that floor (p90 of Software Developers)" in captions
    assert "(p90 of Software Developers · US)" in captions
    assert "does not publish wages at or above" not in captions


def _page_text(at) -> str:
    return " ".join(e.value for e in (*at.caption, *at.markdown, *at.info, *at.warning))


def _metro_grid(at):
    """The metro table's data grid element."""
    return next(d for d in at.dataframe if {"rank", "metro"} <= set(d.value.columns))


def test_metro_table_has_the_whole_band_and_writes_a_blank_as_a_dash(rendered, full_dir):
    at = rendered("full", "occupations")
    grid = _metro_grid(at)
    metros = grid.value
    # the wages first after the name (a phone shows them), the whole band and the mean
    assert list(metros.columns[:7]) == ["rank", "metro", "median", "p10", "p25", "p75", "p90"]
    assert list(metros.columns[7:9]) == ["mean", "employment"]
    sf = metros.iloc[0]
    assert [sf["p25"], sf["median"], sf["mean"]] == [65 * 2080, 85 * 2080, 187_200]
    # a cell BLS does not release reads "–" (not the grid's "None"); the column says why
    assert grid.proto.placeholder == "–"
    config = json.loads(grid.proto.columns)
    assert "does not release this estimate" in config["employment"]["help"]
    assert config["metro"]["pinned"] is True
    # so does the where-to-work table's (a state without an OEWS row has no median)
    where = [d for d in at.dataframe if "postings index" in d.value.columns][-1]  # below its chart
    assert where.value["median wage"].isna().any() and where.proto.placeholder == "–"


def test_all_occupations_is_a_benchmark_to_compare_with(rendered, full_dir):
    at = rendered("full", "occupations", {"compare": "00-0000"})
    assert_clean(at, "occupations")
    bands = _with(at, "occupation / area")
    assert bands["occupation / area"].tolist() == ["Data Scientists · US", "All Occupations · US"]
    assert bands["median"].tolist() == [OEWS_DS_US[12], OEWS_ALL_US[12]]
    assert bands["SOC"].tolist() == ["15-2051", "00-0000"]
    compare = at.multiselect(key="flt_compare")
    assert compare.value == ["00-0000"]
    assert compare.options[0] == "All Occupations (00-0000)"
    # a benchmark, never an occupation profile
    assert not any("00-0000" in o for o in at.selectbox(key="flt_soc").options)


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


def _national(real_dir, soc: str) -> pd.Series:
    rows = pd.read_parquet(real_dir / "processed" / "occupation_wages.parquet")
    mine = rows.loc[
        (rows["occupation_code"] == soc)
        & (rows["areatype"] == "national")
        & (rows["industry_code"] == "000000")
    ]
    return mine.iloc[0]


def test_real_hourly_only_occupation_shows_its_hourly_wages_and_says_why(rendered, real_dir):
    at = rendered("real", "occupations", {"soc": "27-2011", "compare": "15-2051"})
    assert_clean(at, "occupations")
    actors, ds = _national(real_dir, "27-2011"), _national(real_dir, "15-2051")
    assert pd.isna(actors["annual_median"])  # BLS's footnote 4: per hour only

    def whole(v: float) -> str:
        return f"${v:,.0f}"

    assert _metrics(at) == {
        "Jobs in the US, May 2025": f"{actors['employment']:,.0f}",
        "Median hourly wage": f"${actors['hourly_median']:,.2f}",
        "Middle half (p25–p75)": f"{whole(actors['hourly_p25'])}–{whole(actors['hourly_p75'])}",
        "p10–p90": f"{whole(actors['hourly_p10'])}–{whole(actors['hourly_p90'])}",
    }
    text = _page_text(at)
    assert "BLS publishes the wages of Actors per hour only" in text
    assert "publishes no wages" not in text and "no annual wage for this choice" not in text
    bands = _with(at, "occupation / area")
    assert bands["hourly median"].tolist() == [actors["hourly_median"], ds["hourly_median"]]
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["xaxis"]["title"]["text"] == "Hourly wage (USD)"
    assert "hourly median" in _metro_grid(at).value.columns
    # BLS releases no median for actors in motion pictures: the industry cell reads "–"
    industries = next(d for d in at.dataframe if "NAICS" in d.value.columns)
    assert industries.value["hourly median"].isna().any() and industries.proto.placeholder == "–"


def test_real_top_code_hot_technologies_and_blank_metro_cells(rendered, real_dir):
    at = rendered("real", "occupations")  # Data Scientists, the whole US
    text = _page_text(at)
    # San Jose's p90 is above $239,200 and published: the note says so instead of denying it
    metros = _metro_grid(at).value
    above = metros.loc[metros["p90"] > 239_200].iloc[0]
    assert f"(e.g. {above['metro']} p90 ${above['p90']:,.0f})" in text
    assert "does not publish wages at or above" not in text
    # some metro areas have no released employment: those cells read "–"
    assert metros["employment"].isna().any()
    assert _metro_grid(at).proto.placeholder == "–"
    # O*NET files three occupations under 15-2051: each technology counted once, codes named
    skills = pd.read_parquet(real_dir / "processed" / "skills.parquet")
    hot = skills.loc[
        skills["occupation_code"].str.startswith("15-2051.")
        & skills["hot_technology"].fillna(False)
    ]
    tech = _with(at, "technology", "in demand")
    assert sorted(tech["technology"]) == sorted(hot["skill"].unique())
    codes = sorted(hot["occupation_code"].unique())
    n = hot["skill"].nunique()
    assert f"**Hot technologies ({n} distinct, from {len(codes)} O\\*NET occupations)**" in text
    for code, name in hot.groupby("occupation_code")["occupation"].first().items():
        assert f"{name} ({code})" in text
