"""Figure builders, without Streamlit: what each chart draws from a hand-made frame."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.data import hot_counts
from dashboard.fmt import INDEX_AXIS, USD_AXIS
from dashboard.stats import sample_rules


def stats(groups: dict[str, int]) -> pd.DataFrame:
    rows = []
    for i, (name, n) in enumerate(groups.items()):
        base = 100_000 + 10_000 * i
        rows.append(
            {
                "g": name,
                "n": n,
                "p10": base - 20_000,
                "p25": base - 10_000,
                "p50": base,
                "p75": base + 10_000,
                "p90": base + 20_000,
            }
        )
    return pd.DataFrame(rows)


def test_palette_is_okabe_ito_without_black():
    assert len(charts.PALETTE) == 8
    assert "#000000" not in charts.PALETTE
    assert {"#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7"} <= set(charts.PALETTE)


def test_salary_box_uses_percentiles_and_labels_n():
    shown, _ = sample_rules(stats({"Entry": 12, "Senior": 400}))
    fig = charts.salary_box(shown, "g", "t", order=("Entry", "Senior"))
    assert isinstance(fig, go.Figure)
    boxes = {trace.name: trace for trace in fig.data}
    ok, flagged = boxes["n ≥ 30"], boxes["n < 30: read with care"]
    assert list(ok.median) == [110_000] and list(ok.lowerfence) == [90_000]
    assert list(ok.upperfence) == [130_000] and list(ok.q1) == [100_000]
    assert "n=400" in ok.x[0] and "⚠" in flagged.x[0]
    assert fig.layout.yaxis.title.text == USD_AXIS


def test_salary_box_goes_horizontal_for_many_groups():
    shown, _ = sample_rules(stats({f"f{i}": 50 for i in range(8)}))
    fig = charts.salary_box(shown, "g", "t")
    assert fig.data[0].orientation == "h"
    assert fig.layout.xaxis.title.text == USD_AXIS


def test_ranked_bars_flag_low_n_with_pattern_and_whiskers():
    shown, _ = sample_rules(stats({"US": 500, "GB": 20}))
    fig = charts.salary_ranked_bars(shown, "g", "t", labels={"US": "United States"})
    bar = fig.data[0]
    # GB has the higher median: plotly draws the last bar on top
    assert list(bar.y) == ["United States", "GB"]
    assert list(bar.marker.pattern.shape) == ["", "/"]
    assert list(bar.error_x.array) == [10_000, 10_000]
    assert bar.text[1].startswith("n=20") and "⚠" in bar.text[1]


def test_empty_inputs_explain_themselves():
    for fig in (
        charts.salary_box(stats({}), "g", "t"),
        charts.salary_trend(stats({}), "t"),
        charts.index_lines(pd.DataFrame(), "t"),
        charts.sector_lines(pd.DataFrame(), "t"),
        charts.education_stacked(pd.DataFrame(), "t"),
    ):
        assert fig.layout.annotations and fig.layout.annotations[0].text


def test_choropleth_maps_iso2_and_skips_aggregates():
    frame = pd.DataFrame({"country": ["US", "EA", "GB"], "value": [110.0, 95.0, 80.0]})
    fig = charts.choropleth(frame, "value", "t", "index", hover="%{z}", midpoint=100)
    trace = fig.data[0]
    assert list(trace.locations) == ["USA", "GBR"]
    assert trace.zmid == 100 and trace.zmin == 80 and trace.zmax == 120


def test_index_lines_colour_country_dash_variant():
    dates = pd.date_range("2020-02-01", periods=3)
    rows = []
    for country in ("US", "GB"):
        for variant in ("SA, all", "NSA, all"):
            rows += [(country, d, variant, 100.0) for d in dates]
    series = pd.DataFrame(rows, columns=["country", "date", "variant", "value"])
    fig = charts.index_lines(series, "t")
    assert len(fig.data) == 4
    colours = {t.name: t.line.color for t in fig.data}
    dashes = {t.name: t.line.dash for t in fig.data}
    assert colours["United States · SA, all"] == colours["United States · NSA, all"]
    assert dashes["United States · SA, all"] != dashes["United States · NSA, all"]
    assert fig.layout.yaxis.title.text == INDEX_AXIS


def test_sector_lines_one_panel_per_country():
    dates = pd.date_range("2020-02-01", periods=3)
    series = pd.DataFrame(
        [(c, s, d, 100.0) for c in ("US", "GB", "DE") for s in ("A", "B") for d in dates],
        columns=["country", "sector", "date", "value"],
    )
    fig = charts.sector_lines(series, "t")
    assert len(fig.data) == 6
    assert sum(t.showlegend for t in fig.data) == 2  # one legend entry per sector
    assert [a.text for a in fig.layout.annotations][:3] == [
        "United States",
        "United Kingdom",
        "Germany",
    ]


def test_seed_levels_says_mean_next_to_median():
    levels = pd.DataFrame(
        {"experience_level": ["Senior", "Entry"], "salary_usd": [150_000.0, 80_000.0]}
    )
    medians = pd.DataFrame({"experience_level": ["Entry"], "p50": [90_000.0], "n": [12]})
    fig = charts.seed_levels(levels, medians, "t")
    assert list(fig.data[0].x) == ["Entry", "Senior"]
    assert "mean" in fig.data[0].name and "n unknown" in fig.data[0].name
    assert "median" in fig.data[1].name and "n=12" in fig.data[1].text[0]


def test_education_stacked_orders_levels():
    frame = pd.DataFrame(
        {
            "occupation": ["A", "A", "B"],
            "education_level": ["Master's", "Bachelor's", "Bachelor's"],
            "share_pct": [40.0, 60.0, 100.0],
            "level_order": [3, 2, 2],
        }
    )
    fig = charts.education_stacked(frame, "t")
    assert [t.name for t in fig.data] == ["Bachelor's", "Master's"]
    assert fig.layout.barmode == "stack"


def test_category_heatmap_counts_hot_only():
    skills = pd.DataFrame(
        {
            "occupation": ["A", "A", "B", "B"],
            "category": ["db", "db", "db", "lang"],
            "skill": ["x", "y", "x", "z"],
            "hot_technology": [True, True, False, True],
        }
    )
    fig = charts.category_heatmap(hot_counts(skills), "t")
    heat = fig.data[0]
    assert list(heat.y) == ["lang", "db"]
    assert heat.z.tolist() == [[0, 1], [2, 0]]
