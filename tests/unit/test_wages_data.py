"""The Occupations page's OEWS and O*NET helpers on hand-made rows: pay basis, top codes, the
metro table's columns, the merged O*NET technologies."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import occupation_blocks as blocks
from dashboard.data import wages

COLUMNS = [
    "source",
    "occupation_code",
    "occupation",
    "area_name",
    "state",
    "employment",
    "employment_rse_pct",
    "employment_per_1000",
    "location_quotient",
    "wage_rse_pct",
    "top_coded",
    *(f"{b}_{s}" for b in ("annual", "hourly") for s in ("p10", "p25", "median", "p75", "p90")),
    "annual_mean",
    "hourly_mean",
]
NAN = math.nan


def oews(**values: object) -> dict:
    """One OEWS row: every figure blank unless given."""
    row = dict.fromkeys(COLUMNS, NAN) | {"source": "bls_oews", "top_coded": False}
    return row | values


# National Actors, May 2025: BLS publishes hourly wages only (footnote 4).
ACTORS = oews(
    occupation_code="27-2011",
    occupation="Actors",
    area_name="National",
    employment=55_000,
    hourly_p10=16.5,
    hourly_p25=20.34,
    hourly_median=29.05,
    hourly_p75=97.95,
    hourly_p90=143.68,
    hourly_mean=58.29,
)
DATA_SCIENTISTS = oews(
    occupation_code="15-2051",
    occupation="Data Scientists",
    area_name="National",
    annual_p10=67_000,
    annual_median=120_230,
    annual_p90=199_000,
    hourly_median=57.80,
)


def test_an_hourly_only_row_is_read_per_hour_and_an_annual_one_per_year() -> None:
    assert wages.pay_basis(pd.Series(ACTORS)) == "hourly"
    assert wages.pay_basis(pd.Series(DATA_SCIENTISTS)) == "annual"
    assert wages.pay_basis(pd.Series(oews())) == "annual"  # nothing published: the default
    assert wages.wage_stats("hourly")[2] == "hourly_median"
    assert blocks.pay(29.05, "hourly") == "$29.05"
    assert blocks.pay(143.68, "hourly", short=True) == "$144"
    assert blocks.pay(115.0, "hourly", top=True) == "≥ $115.00"
    assert blocks.pay(239_200, "annual", top=True) == "≥ $239,200"


def test_an_hourly_band_is_drawn_and_said_per_hour_and_the_annual_scale_names_it() -> None:
    bands = pd.DataFrame([ACTORS | {"label": "Actors · US"}, DATA_SCIENTISTS | {"label": "DS"}])
    fig = blocks.band_figure(bands, "Hourly wages", "hourly")
    assert fig.layout.xaxis.title.text == "Hourly wage (USD)"
    box = fig.data[0]
    assert list(box.median) == [29.05, 57.80]
    assert list(box.customdata[0][2:]) == ["$16.50", "$20.34", "$29.05", "$97.95", "$143.68"]
    assert "median $29.05 an hour" in blocks.band_words(bands.iloc[[0]], "hourly")
    # on an annual page the actors' band is not drawn, and the note says why
    note = blocks.band_note(bands, "annual")
    assert "Not drawn on this annual scale: Actors · US (BLS publishes its wages per hour " in note
    assert "median $29.05 an hour)" in note
    table = blocks.wage_table(bands, "label", "hourly")
    assert table["hourly median"].tolist() == [29.05, 57.80]
    assert "median" not in table  # no annual column left blank on an hourly page


def test_the_top_code_note_names_each_floor_and_the_published_wages_above_it() -> None:
    coded = oews(
        area_name="Anchorage, AK",
        annual_median=200_000,
        annual_p75=239_200,
        annual_p90=239_200,
        top_coded=True,
    )
    published = oews(area_name="San Jose-Sunnyvale-Santa Clara, CA", annual_p90=282_840)
    frame = pd.DataFrame([coded, published])
    assert wages.top_coded_stats(pd.Series(coded)) == ["annual_p75", "annual_p90"]
    note = blocks.top_code_note(frame, "annual", "area_name")
    assert "for these wages BLS publishes only that they are at or above $239,200 a year" in note
    assert "(p75, p90 of Anchorage, AK)" in note
    assert "San Jose-Sunnyvale-Santa Clara, CA p90 $282,840" in note
    assert "BLS does not publish wages at or above" not in note
    assert blocks.area_table(frame, "metro", rank=True)["top-coded"].tolist() == [
        "p75, p90 ≥ $239,200",
        "",
    ]
    # nothing reaches the code: no note at all
    assert blocks.top_code_note(pd.DataFrame([DATA_SCIENTISTS | {"label": "x"}])) == ""
    # rows whose every wage is a floor are named together, once
    every = {f"annual_{s}": 239_200 for s in ("p10", "p25", "median", "p75", "p90", "mean")}
    both = pd.DataFrame(
        [oews(area_name=n, top_coded=True, **every) for n in ("La Crosse", "Sheboygan")]
    )
    assert "(every wage of La Crosse; Sheboygan)" in blocks.top_code_note(
        both, "annual", "area_name"
    )
    hourly = oews(area_name="X", hourly_p90=115.0, top_coded=True)
    assert wages.top_coded_stats(pd.Series(hourly), "hourly") == ["hourly_p90"]


def test_the_metro_table_has_every_percentile_and_the_mean_beside_the_name() -> None:
    row = oews(area_name="Tyler, TX", annual_median=108_780, annual_p25=90_000, annual_mean=1.0)
    table = blocks.area_table(pd.DataFrame([row]), "metro", rank=True)
    assert list(table.columns[:9]) == [
        "rank",
        "metro",
        "median",
        "p10",
        "p25",
        "p75",
        "p90",
        "mean",
        "employment",
    ]
    assert table.loc[0, "p25"] == 90_000
    assert pd.isna(table.loc[0, "employment"])  # BLS released none: the grid writes "–"
    columns = blocks.wage_columns()
    assert "footnote 8" in columns["employment"]["help"]
    assert columns["metro"]["pinned"] is True


@pytest.mark.parametrize("merged", [True, False])
def test_hot_technologies_are_counted_once_with_the_merged_codes_named(merged: bool) -> None:
    rows = [
        ("Python", "Object oriented software", "15-2051.00", "Data Scientists", True),
        ("Python", "Object oriented software", "15-2051.01", "Business Intelligence Analysts", 0),
        ("Splunk", "Enterprise system management", "15-2051.00", "Data Scientists", False),
        ("Splunk", "Cloud-based management", "15-2051.01", "Business Intelligence Analysts", 0),
        ("SAS", "Analytical software", "15-2051.01", "Business Intelligence Analysts", False),
    ]
    skills = pd.DataFrame(
        rows, columns=["skill", "category", "occupation_code", "occupation", "in_demand"]
    ).assign(source="onet", hot_technology=True)
    if not merged:
        skills = skills.loc[skills["occupation_code"] == "15-2051.00"]
    table = blocks.hot_table(skills)
    title = blocks.hot_title(skills, table)
    if not merged:
        assert table["technology"].tolist() == ["Python", "Splunk"]
        assert "hot for" not in table
        assert title == "Hot technologies (2)"
        assert blocks.merged_words(skills, "15-2051") == "O\\*NET Data Scientists (15-2051.00). "
        return
    assert table["technology"].tolist() == ["Python", "SAS", "Splunk"]  # in demand first
    assert title == "Hot technologies (3 distinct, from 2 O*NET occupations)"
    splunk = table.set_index("technology").loc["Splunk"]
    assert splunk["category"] == "Cloud-based management; Enterprise system management"
    assert splunk["hot for"] == "Business Intelligence Analysts; Data Scientists"
    words = blocks.merged_words(skills, "15-2051")
    assert "files 2 occupations under SOC 15-2051, merged here: Data Scientists (15-2051.00)" in (
        words
    )
    assert "Business Intelligence Analysts (15-2051.01)" in words
    assert "counted once" in words


def test_a_top_coded_median_reads_as_a_floor_in_words() -> None:
    frame = pd.DataFrame(
        [
            oews(annual_median=335_550),
            oews(annual_median=239_200, top_coded=True),
        ]
    )
    show = blocks.shown_as(frame, "annual_median")
    assert [show(v) for v in frame["annual_median"]] == ["$335,550", "≥ $239,200"]
    assert blocks.shown_as(frame, "employment")(1200) == "1,200"
    plain = blocks.shown_as(frame.assign(top_coded=False), "annual_median")
    assert plain(239_200) == "$239,200"


def test_an_industry_median_at_the_top_code_is_named_a_floor() -> None:
    groups = pd.DataFrame(
        {
            "industry": ["Securities and Commodity Contracts", "Software Publishers"],
            "annual_median": [239_200.0, 213_990.0],
            "hourly_median": [NAN, 102.88],
            "top_coded": [True, False],
        }
    )
    note = blocks.top_code_note(groups, "annual", "industry")
    assert "(median of Securities and Commodity Contracts)" in note
    assert "Software Publishers" not in note
