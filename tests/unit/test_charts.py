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
    assert list(bar.error_x.array) == [20_000, 20_000]  # p90 - p50: the same whiskers as boxes
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


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_bar_labels_are_legible_on_their_bars_in_any_theme():
    shown, _ = sample_rules(stats({"US": 500, "GB": 20}))
    bar = charts.salary_ranked_bars(shown, "g", "t").data[0]
    for fill, text in zip(bar.marker.color, bar.insidetextfont.color, strict=True):
        assert contrast(fill, text) >= 4.5, (fill, text)
    assert bar.textposition == "inside"  # on the bar, so the page theme does not matter


def test_whiskers_are_p10_p90_on_every_salary_chart_and_say_so():
    shown, _ = sample_rules(stats({"Entry": 50, "Senior": 400}))
    trend = shown.rename(columns={"g": "work_year"}).assign(work_year=[2023, 2024])
    figures = [
        charts.salary_box(shown, "g", "t"),
        charts.salary_ranked_bars(shown, "g", "t"),
        charts.salary_trend(trend, "t"),
    ]
    for fig in figures:
        assert "p10–p90" in fig.layout.title.subtitle.text
    box = figures[0].data[0]
    assert list(box.lowerfence) == list(shown["p10"]) and list(box.upperfence) == list(shown["p90"])


def test_box_orientation_is_fixed_by_the_caller_whatever_the_group_count():
    few, _ = sample_rules(stats({"a": 50, "b": 50}))
    many, _ = sample_rules(stats({f"f{i}": 50 for i in range(9)}))
    assert charts.salary_box(few, "g", "t", horizontal=True).data[0].orientation == "h"
    assert charts.salary_box(many, "g", "t", horizontal=True).data[0].orientation == "h"
    assert charts.salary_box(many, "g", "t", horizontal=False).data[0].orientation == "v"


def test_a_map_of_one_value_has_no_colour_scale_and_maps_zoom_to_their_data():
    one = pd.DataFrame({"country": ["DE"], "value": [96.6]})
    fig = charts.choropleth(one, "value", "t", "index", hover="%{z}", midpoint=100)
    assert fig.data[0].showscale is False
    assert fig.layout.geo.fitbounds == "locations"
    two = pd.DataFrame({"country": ["DE", "FR"], "value": [96.6, 101.0]})
    assert charts.choropleth(two, "value", "t", "i", hover="%{z}").data[0].showscale is True
    europe = pd.DataFrame({"country": ["DE", "FR", "IT", "ES", "NL"], "value": [1.0] * 5})
    assert charts.choropleth(europe, "value", "t", "i", hover="%{z}").layout.geo.scope == "europe"
    world = pd.DataFrame({"country": ["US", "DE", "FR", "AU", "IN"], "value": [1.0] * 5})
    geo = charts.choropleth(world, "value", "t", "i", hover="%{z}").layout.geo
    assert geo.fitbounds in (None, False) and geo.scope in (None, "world")


def test_a_country_keeps_its_colour_whatever_else_is_drawn():
    dates = pd.date_range("2020-02-01", periods=2)
    colours = charts.colour_map(["AU", "DE", "FR", "GB", "US"])

    def colour_of(countries, code):
        series = pd.DataFrame(
            [(c, d, "SA, all", 100.0) for c in countries for d in dates],
            columns=["country", "date", "variant", "value"],
        )
        fig = charts.index_lines(series, "t", colours=colours)
        return {t.legendgroup: t.line.color for t in fig.data}[code]

    assert colour_of(["US", "DE"], "DE") == colour_of(["DE"], "DE") == colour_of(["FR", "DE"], "DE")
    assert len(set(colours.values())) == 5


def test_the_trend_marks_a_partial_year():
    shown, _ = sample_rules(stats({"2024": 400, "2025": 40}))
    trend = shown.rename(columns={"g": "work_year"}).assign(work_year=[2024, 2025])
    fig = charts.salary_trend(trend, "t", partial=(2025,))
    assert list(fig.layout.xaxis.ticktext) == ["2024", "2025<br>(partial)"]


def test_a_sector_missing_from_a_country_file_is_said_in_its_panel():
    dates = pd.date_range("2020-02-01", periods=2)
    series = pd.DataFrame(
        [("US", "A", d, 100.0) for d in dates] + [("DE", "A", d, 90.0) for d in dates],
        columns=["country", "sector", "date", "value"],
    )
    fig = charts.sector_lines(series, "t", missing={"DE": ["Mathematics"]})
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0] == "United States"
    assert titles[1].startswith("Germany") and "missing: Mathematics" in titles[1]


def _wage_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Data Scientists · US", "Surgeons · Anchorage, AK"],
            "state": ["US-WA", "US-AK"],
            "area_name": ["Washington", "Alaska"],
            "employment": [245900.0, 40.0],
            "annual_p10": [62170.0, 150000.0],
            "annual_p25": [84130.0, 200000.0],
            "annual_median": [114010.0, 239200.0],
            "annual_p75": [155320.0, 239200.0],
            "annual_p90": [195690.0, 239200.0],
            "top_coded": [False, True],
        }
    )


def test_wage_bands_mark_top_coded_percentiles():
    fig = charts.wage_bands(_wage_rows(), "label", "Annual wages")
    box = fig.data[0]
    assert list(box.median) == [114010.0, 239200.0]
    assert [a.text for a in fig.layout.annotations] == ["≥ $239,200"]
    hover = box.customdata[1]
    assert list(hover[4:7]) == ["≥ $239,200", "≥ $239,200", "≥ $239,200"]
    assert hover[2] == "$150,000"


def test_state_map_uses_state_codes_and_no_cdn_mode_names():
    fig = charts.state_map(_wage_rows(), "annual_median", "Median by state", "Median (USD)")
    trace = fig.data[0]
    assert trace.locationmode == "USA-states"
    assert list(trace.locations) == ["WA", "AK"]
    assert fig.layout.geo.scope == "usa"
    empty = charts.state_map(_wage_rows().assign(employment=None), "employment", "t", "Jobs")
    assert empty.layout.annotations[0].text == "BLS publishes no state figure for this choice."
