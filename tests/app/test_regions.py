"""Below the country (issue 24): the regional postings index on Job openings, where to work on
Occupations, the AI share on Skills and Demand & pay. Each figure against an independent pandas
computation from the published Parquet, on the hand-made fixture and on the real refresh."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.app.test_pages import assert_clean, chart_keys

pytestmark = pytest.mark.app
STATES = ("US-CA", "US-NY", "US-TX", "US-WA")
AI = ("US", "GB", "CA", "DE")


def _processed(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(Path(data_dir) / "processed" / f"{name}.parquet")


def _latest_and_change(frame: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """Per `by`: the last day's value and its change against the last value on or before the
    same day a year earlier (pandas, row by row)."""
    rows = []
    for name, part in frame.sort_values("date").groupby(by):
        last = part.iloc[-1]
        day = pd.Timestamp(last["date"])
        before = part.loc[pd.to_datetime(part["date"]) <= day - pd.DateOffset(years=1)]
        change = last[value] - before[value].iloc[-1] if len(before) else np.nan
        rows.append({by: name, "date": day, "value": last[value], "change": change})
    return pd.DataFrame(rows).set_index(by)


def _table(at, *columns: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def _check_openings(at, data_dir: Path) -> None:
    assert_clean(at, "openings")
    assert {"chart_openings_regions_map", "chart_openings_regions_lines"} <= chart_keys(at)
    regional = _processed(data_dir, "regional_openings")
    us = regional.loc[regional["country"] == "US"]
    expected = _latest_and_change(us, "region", "value")
    table = _table(at, "rank", "region", "code", "latest index", "12-month change")
    shown = table.set_index("code")
    for state in STATES:  # the latest index of California, New York, Texas and Washington
        assert shown.loc[state, "latest index"] == pytest.approx(expected.loc[state, "value"])
        assert shown.loc[state, "12-month change"] == pytest.approx(expected.loc[state, "change"])
        assert shown.loc[state, "as of"] == f"{expected.loc[state, 'date']:%Y-%m-%d}"
    # the lowest and the highest state: last and first of the ranked table, and in words
    ranked = expected.sort_values("value", ascending=False)
    assert table["code"].iloc[0] == ranked.index[0]
    assert table["code"].iloc[-1] == ranked.index[-1]
    assert len(table) == us["region"].nunique()
    names = us.drop_duplicates("region").set_index("region")["region_name"]
    words = [m.value for m in at.markdown if m.value.startswith("**In words:** United States")]
    assert len(words) == 1
    assert f"highest for {names[ranked.index[0]]} ({ranked['value'].iloc[0]:,.1f})" in words[0]
    assert f"lowest for {names[ranked.index[-1]]} ({ranked['value'].iloc[-1]:,.1f})" in words[0]
    _dates_are_dates(at)


def _dates_are_dates(at) -> None:
    """The tables under the charts show a day as a date (`2026-08-14`), never as a timestamp
    (`2026-08-14 00:00:00`): the map's, the lines' and the regions' lines."""
    dated = [d.value for d in at.dataframe if "date" in d.value.columns]
    assert len(dated) >= 3
    for frame in dated:
        days = frame["date"].dropna().tolist()
        assert days and all(type(day) is date for day in days), frame["date"].head()


def _check_ai(at, data_dir: Path) -> None:
    assert_clean(at, "skills")
    assert "chart_skills_ai_share" in chart_keys(at)
    shares = _processed(data_dir, "ai_postings_share")
    expected = _latest_and_change(shares, "country", "share_pct")
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    names = {"US": "United States", "GB": "United Kingdom", "CA": "Canada", "DE": "Germany"}
    for code in AI:
        row = expected.loc[code]
        value, delta = metrics[f"{names[code]}, {row['date']:%d %b %Y}"]
        assert value == f"{row['value']:.2f}%"
        assert delta == f"{row['change']:+.2f} pp in 12 months"
    table = _table(at, "country", "latest share %", "12-month change (pp)").set_index("code")
    for code in AI:
        assert table.loc[code, "latest share %"] == pytest.approx(expected.loc[code, "value"])


def _where_expected(data_dir: Path, soc: str) -> pd.DataFrame:
    wages = _processed(data_dir, "occupation_wages")
    wages = wages.loc[
        (wages["areatype"] == "state")
        & (wages["industry_code"] == "000000")
        & (wages["occupation_code"] == soc)
    ].set_index("state")
    regional = _processed(data_dir, "regional_openings")
    index = _latest_and_change(regional.loc[regional["country"] == "US"], "region", "value")
    return wages.join(index, how="outer")


def _check_where(at, data_dir: Path, soc: str, state: str) -> None:
    assert_clean(at, "occupations")
    assert "chart_occupation_where" in chart_keys(at)
    expected = _where_expected(data_dir, soc)
    table = _table(at, "state", "median wage", "postings index", "12-month change")
    row = table.set_index("code").loc[state]
    want = expected.loc[state]
    assert row["median wage"] == want["annual_median"]
    assert row["employment"] == want["employment"]
    assert row["location quotient"] == pytest.approx(want["location_quotient"])
    assert row["postings index"] == pytest.approx(want["value"])
    assert row["12-month change"] == pytest.approx(want["change"])
    # every state with an index or an OEWS row is listed; sorted by median, blanks last
    assert set(table["code"]) == set(expected.index)
    medians = table["median wage"].dropna().tolist()
    assert medians == sorted(medians, reverse=True)
    assert table["median wage"].isna().tolist() == sorted(table["median wage"].isna().tolist())
    # a state without a published median says why and is never drawn as zero
    for code, note in zip(table["code"], table["note"], strict=True):
        if pd.isna(table.set_index("code").loc[code, "median wage"]):
            assert note.startswith(("median not published", "no OEWS row")), (code, note)
    assert (table["median wage"].dropna() > 0).all()


# --------------------------------------------------------------------------------------------
# The hand-made fixture


def test_regional_index_on_the_fixture(rendered, full_dir):
    at = rendered("full", "openings")
    _check_openings(at, full_dir)
    # the fixture's own numbers: a steady line from 100, 22 months on (Dec 2021)
    table = _table(at, "rank", "code", "latest index").set_index("code")
    assert table["latest index"].to_dict() == {
        "US-TX": 188.0,
        "US-CA": 166.0,
        "US-NY": 122.0,
        "US-WA": 67.0,
        "US-DC": 56.0,
    }
    lines = next(d.value for d in at.dataframe if {"region", "date"} <= set(d.value.columns))
    assert set(lines["region"]) == set(STATES)  # the default lines
    exports = [m.value for m in at.markdown if m.value.startswith("**Export the filtered rows")]
    assert any(f"({4 * 23} rows)" in e for e in exports), exports


def test_regions_of_another_country_from_the_url(rendered, full_dir):
    params = {"region_country": "CA", "region_map": "change", "region": "CA-ON,US-CA"}
    at = rendered("full", "openings", params)
    assert_clean(at, "openings")
    keys = chart_keys(at)
    assert "chart_openings_regions_bars" in keys and "chart_openings_regions_map" not in keys
    assert any("No map for Canada" in c.value for c in at.caption)
    lines = next(d.value for d in at.dataframe if {"region", "date"} <= set(d.value.columns))
    assert set(lines["region"]) == {"CA-ON"}  # the chosen region of the chosen country
    params = dict(at.query_params)
    assert params["region_country"] == "CA" and params["region_map"] == "change"
    assert sorted(params["region"]) == ["CA-ON", "US-CA"]  # kept for a switch back
    words = next(m.value for m in at.markdown if m.value.startswith("**In words:** Canada"))
    assert "highest for Ontario (+24.0 points)" in words


def test_ai_share_on_the_fixture(rendered, full_dir):
    _check_ai(rendered("full", "skills"), full_dir)


def test_where_to_work_on_the_fixture(rendered, full_dir):
    at = rendered("full", "occupations")
    _check_where(at, full_dir, "15-2051", "US-CA")
    table = _table(at, "state", "median wage", "postings index").set_index("code")
    assert table.loc["US-CA", "median wage"] == 146_450  # the fixture's OEWS row
    assert table.loc["US-CA", "postings index"] == 166.0
    assert table.loc["US-CA", "12-month change"] == 36.0
    # states with an index but no OEWS figure for the occupation: listed, not drawn
    assert table.loc["US-TX", "note"] == "no OEWS row for this occupation"
    assert any("Not drawn (no published median wage" in c.value for c in at.caption)
    text = " ".join(m.value for m in at.markdown)
    assert "covers all postings in the state, not only this occupation" in text
    assert "May 2025" in text


def test_ai_share_beside_pay_on_demand(rendered, full_dir):
    at = rendered("full", "demand")  # Data Scientist in the US
    assert_clean(at, "demand")
    assert "chart_demand_ai_share" in chart_keys(at)
    shares = _processed(full_dir, "ai_postings_share")
    us = shares.loc[shares["country"] == "US"].sort_values("date")
    words = next(m.value for m in at.markdown if "mentioning AI went from" in m.value)
    # from the first day on the Demand & pay chart's axis (its index starts 1 Feb 2020)
    first = us.loc[pd.to_datetime(us["date"]) >= "2020-02-01"].iloc[0]
    assert f"{first['share_pct']:.2f}% on 01 Feb 2020" in words
    assert f"to {us['share_pct'].iloc[-1]:.2f}% on 01 Dec 2021" in words


# --------------------------------------------------------------------------------------------
# The real refresh


@pytest.mark.integration
def test_real_regional_index_matches_pandas(rendered, real_dir):
    _check_openings(rendered("real", "openings"), real_dir)


@pytest.mark.integration
def test_real_ai_share_matches_pandas(rendered, real_dir):
    _check_ai(rendered("real", "skills"), real_dir)


@pytest.mark.integration
@pytest.mark.parametrize(("soc", "state"), [("15-2051", "US-WA"), ("15-1252", "US-CA")])
def test_real_where_to_work_matches_pandas(rendered, real_dir, soc, state):
    at = rendered("real", "occupations", {"soc": soc})
    _check_where(at, real_dir, soc, state)


def test_where_to_work_is_one_of_the_page_s_exports(make_app, full_dir):
    at = make_app(full_dir, "occupations")
    at.selectbox(key="occupation_export_table").set_value("occupation_where").run()
    assert_clean(at, "occupations")
    assert {b.key for b in at.get("download_button")} == {
        f"export_occupation_where_{kind}" for kind in ("csv", "xlsx", "parquet")
    }
    expected = _where_expected(full_dir, "15-2051")
    said = [m.value for m in at.markdown if m.value.startswith("**Export the filtered rows")]
    assert said == [
        f"**Export the filtered rows ({len(expected)} rows)**: one row per line of the table "
        "shown above"
    ]


@pytest.mark.parametrize("view", ["wage", "change"])
def test_where_to_work_as_a_map(rendered, full_dir, view):
    at = rendered("full", "occupations", {"where": view})
    assert not at.exception
    charts = {c.key: c for c in at.get("plotly_chart")}
    assert "chart_occupation_where_map" in charts and "chart_occupation_where" not in charts
    trace = json.loads(charts["chart_occupation_where_map"].proto.spec)["data"][0]
    drawn = set(trace["locations"])
    assert "CA" in drawn
    # Texas has a postings index but no OEWS median: on the wage map it is not drawn (never 0)
    assert ("TX" in drawn) is (view == "change")
