"""URL parameters <-> filter state: parsing, validation notices, defaults, round trips."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dashboard import filters
from dashboard.data.core import ROOT
from dashboard.filters import Options, describe, parse_params, to_params
from dashboard.filters.docs import block, url_table

OPTIONS = Options(
    values={
        "country": ("DE", "GB", "US"),
        "country_of": ("residence", "company"),
        "level": ("Entry", "Mid", "Senior"),
        "family": ("Data Scientist", "Data Engineer"),
        "employment": ("Full-time",),
        "remote": ("0", "50", "100"),
        "size": ("S", "M", "L"),
        "sector": ("Accounting", "Mathematics", "Software Development"),
        "occupation": ("15-1252.00", "15-2051.00", "29-1141.00"),
        "posting": ("total", "new"),
        "adjust": ("sa", "nsa"),
    },
    years=(2020, 2025),
    dates=(date(2020, 2, 1), date(2026, 8, 14)),
)


def test_defaults():
    state, notices = parse_params({}, OPTIONS)
    assert notices == []
    assert state["country"] == () and state["years"] is None and state["dates"] is None
    assert state["sector"] == ("Mathematics", "Software Development")
    assert state["occupation"] == ("15-1252.00", "15-2051.00")
    assert state["posting"] == ("total",) and state["adjust"] == ("sa",)
    assert state["country_of"] == "residence" and state["hot_only"] is False
    assert to_params(state, OPTIONS) == {}


def test_valid_values_case_and_commas():
    state, notices = parse_params(
        {"country": ["us", "GB,de"], "level": ["senior"], "remote": ["100"]}, OPTIONS
    )
    assert notices == []
    assert state["country"] == ("DE", "GB", "US")  # in option order
    assert state["level"] == ("Senior",)
    assert state["remote"] == ("100",)


def test_invalid_values_are_dropped_with_notices():
    state, notices = parse_params(
        {
            "country": ["US", "XX"],
            "level": ["Guru"],
            "country_of": ["moon"],
            "hot_only": ["maybe"],
            "foo": ["1"],
        },
        OPTIONS,
    )
    assert state["country"] == ("US",)
    assert state["level"] == () and state["country_of"] == "residence"
    assert state["hot_only"] is False
    text = " ".join(notices)
    for word in ("XX", "Guru", "moon", "maybe", "foo"):
        assert word in text


def test_reserved_streamlit_params_are_not_judged():
    _, notices = parse_params({"embed": ["true"], "embed_options": ["dark_theme"]}, OPTIONS)
    assert notices == []


def test_blank_means_none_chosen_for_non_empty_defaults():
    state, notices = parse_params({"sector": [""]}, OPTIONS)
    assert state["sector"] == () and notices == []
    assert to_params(state, OPTIONS) == {"sector": [""]}


@pytest.mark.parametrize(
    ("params", "expected", "noticed"),
    [
        ({"year_from": ["2022"], "year_to": ["2024"]}, (2022, 2024), False),
        ({"year_from": ["2022"]}, (2022, 2025), False),
        ({"year_from": ["2020"], "year_to": ["2025"]}, None, False),  # the full range = default
        ({"year_from": ["2018"], "year_to": ["2022"]}, (2020, 2022), True),  # clamped
        ({"year_from": ["abc"]}, None, True),
        ({"year_from": ["2024"], "year_to": ["2022"]}, None, True),
        ({"year_from": ["1990"], "year_to": ["1995"]}, None, True),
    ],
)
def test_year_range(params, expected, noticed):
    state, notices = parse_params(params, OPTIONS)
    assert state["years"] == expected
    assert bool(notices) is noticed


def test_date_range():
    state, notices = parse_params({"start": ["2021-01-01"], "end": ["2021-12-31"]}, OPTIONS)
    assert state["dates"] == (date(2021, 1, 1), date(2021, 12, 31)) and not notices
    state, notices = parse_params({"start": ["yesterday"]}, OPTIONS)
    assert state["dates"] is None and "yesterday" in notices[0]


def test_filters_without_data_are_ignored_with_notice():
    seed_only = Options(values={"country": ("US",)})
    state, notices = parse_params({"level": ["Senior"], "year_from": ["2022"]}, seed_only)
    assert state["level"] == () and state["years"] is None
    assert len(notices) == 2 and "no data" in notices[0]


def test_round_trip():
    state, _ = parse_params({}, OPTIONS)
    state.update(
        country=("GB", "US"),
        level=("Mid",),
        years=(2021, 2023),
        dates=(date(2021, 1, 1), date(2022, 1, 1)),
        sector=("Accounting",),
        occupation=(),
        adjust=("sa", "nsa"),
        hot_only=True,
        country_of="company",
    )
    params = to_params(state, OPTIONS)
    assert params["country"] == ["GB", "US"]
    assert params["year_from"] == ["2021"] and params["end"] == ["2022-01-01"]
    assert params["hot_only"] == ["1"] and params["occupation"] == [""]
    again, notices = parse_params(params, OPTIONS)
    assert notices == [] and again == state


def test_the_url_table_in_the_docs_is_the_one_the_specs_write():
    doc = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    assert block() in doc, (
        "docs/dashboard.md: rewrite the URL table with python -m dashboard.filters"
    )
    for param in filters.PARAMS:
        assert f"`{param}`" in url_table(), f"URL parameter {param} is not in the table"


def test_describe_for_exports():
    state, _ = parse_params({"country": ["US"], "year_from": ["2022"]}, OPTIONS)
    out = filters.describe(state, OPTIONS, ("country", "years", "level", "sector", "hot_only"))
    assert out == {
        "Country": "US",
        "Work year": "2022 to 2025",
        "Sector": "Mathematics, Software Development",
    }


def test_salary_query_from_state():
    state, _ = parse_params(
        {"country": ["US"], "country_of": ["company"], "remote": ["0", "100"]}, OPTIONS
    )
    query = filters.salary_query(state)
    assert query.countries == ("US",) and query.country_field == "company_country"
    assert query.remote == (0, 100) and query.year_from is None


OEWS_OPTIONS = Options(
    values={
        "soc": ("15-1252", "15-2051", "15-1221", "13-1161", "11-3021"),
        "compare": ("15-1252", "15-2051", "15-1221", "13-1161", "11-3021"),
        "state": ("US-CA", "US-NY"),
        "map_measure": ("annual_median", "employment"),
    },
    labels={"state": {"US-CA": "California", "US-NY": "New York"}},
)


def test_official_occupation_state_and_compare():
    assert OEWS_OPTIONS.default("soc") == "15-2051"
    assert OEWS_OPTIONS.default("state") is None
    assert OEWS_OPTIONS.default("map_measure") == "annual_median"
    state, notes = parse_params(
        {"soc": ["15-1252"], "state": ["us-ny"], "map": ["employment"]}, OEWS_OPTIONS
    )
    assert (state["soc"], state["state"], state["map_measure"]) == (
        "15-1252",
        "US-NY",
        "employment",
    )
    assert notes == []
    assert to_params(state, OEWS_OPTIONS) == {
        "soc": ["15-1252"],
        "state": ["US-NY"],
        "map": ["employment"],
    }
    assert describe(state, OEWS_OPTIONS, ["soc", "state"])["US state"] == "New York"


def test_compare_keeps_at_most_three_with_a_notice():
    state, notes = parse_params({"compare": ["15-1252,15-2051,15-1221,13-1161"]}, OEWS_OPTIONS)
    assert state["compare"] == ("15-1252", "15-2051", "15-1221")
    assert notes == ["Compare with takes at most 3 values: ignored 13-1161."]


def test_a_bad_occupation_or_state_keeps_the_default_with_a_notice():
    state, notes = parse_params({"soc": ["99-9999"], "state": ["Narnia"]}, OEWS_OPTIONS)
    assert (state["soc"], state["state"]) == ("15-2051", None)
    assert notes == [
        "Ignored unknown occupation (official) `99-9999`.",
        "Ignored unknown US state `Narnia`.",
    ]


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("150000", 150000.0), ("150,000", 150000.0), ("99.5", 99.5), ("1_000", None), ("-5", None)],
)
def test_an_amount_from_the_url(raw: str, amount: float | None) -> None:
    assert filters._amount(raw) == amount
    if amount is not None:
        assert filters._amount(filters.number_text(amount)) == amount


def test_regions_group_countries_by_un_m49() -> None:
    from etl import countries

    assert countries.region("pt") == "Southern Europe"
    assert countries.region("US") == "Northern America"
    assert "DE" in countries.region_members("Western Europe")
    assert countries.region("AQ") is None


def test_a_query_is_said_in_the_filters_own_words():
    # The offer's widened group and a Compare segment are exported in the caption's wording.
    state, _ = parse_params(
        {"country": ["US"], "country_of": ["company"], "level": ["Mid"], "dedupe": ["0"]}, OPTIONS
    )
    query = filters.salary_query(state)
    assert filters.describe_query(query, OPTIONS) == describe(
        state, OPTIONS, filters.SALARY_FILTERS
    )
    assert filters.describe_query(query, OPTIONS) == {
        "Country": "US",
        "Salary country means": "Company location",
        "Work year": "2020 to 2025",
        "Experience level": "Mid",
        "Count identical reports once": "no",
    }


def test_every_salary_query_goes_through_one_builder():
    options = dataclasses.replace(OPTIONS, values={**OPTIONS.values, "residence": ("DE", "US")})
    state, notices = parse_params(
        {"a_country": ["DE"], "a_level": ["Mid"], "b_remote": ["100"], "dedupe": ["0"]}, options
    )
    assert notices == []
    a, b = filters.segment_query(state, "a"), filters.segment_query(state, "b")
    assert (a.countries, a.levels, a.dedupe) == (("DE",), ("Mid",), False)
    assert (b.countries, b.levels, b.remote) == ((), ("Senior",), (100,))  # GB: not in the data
    offer = filters.offer(
        {"role": "Data Scientist", "residence": "PT", "work": "0", "year": "2024", "dedupe": True}
    )
    assert offer.base.remote == (0,) and (offer.base.year_from, offer.base.year_to) == (2024, 2024)
    assert offer.widenings()[0] == ("remote", "any remote ratio")
    widened = offer.query(("remote", "years", "region"))
    assert widened.remote == () and (widened.year_from, widened.year_to) == (2023, 2025)
    assert "ES" in widened.countries and widened.dedupe is True
    demand = filters.family_query({"role": "Data Engineer", "residence": "GB", "dedupe": True})
    assert (demand.families, demand.countries, demand.year_from) == (
        ("Data Engineer",),
        ("GB",),
        None,
    )


def test_the_offer_and_both_segments_take_the_company_s_country():
    # Salary country means reaches every query builder that has a country, Demand's excepted
    # (its per-country table is by residence).
    company = {"country_of": "company", "dedupe": True}
    offer = filters.offer({**company, "residence": "US", "year": "2024"})
    assert offer.base.countries == ("US",) and offer.base.country_field == "company_country"
    assert offer.query(("region",)).country_field == "company_country"  # a widened group too
    for side in filters.SEGMENTS:
        query = filters.segment_query({**company, f"{side}_country": ("GB",)}, side)
        assert query.country_field == "company_country"
    assert filters.offer({"residence": "US"}).base.country_field == "employee_residence"
    demand = filters.family_query({**company, "residence": "US"})
    assert demand.country_field == "employee_residence"
    assert "country_of" in filters.OFFER_FILTERS
    label = filters.SPECS["residence"].label
    assert label == "Country" and "Where the employee lives" in filters.SPECS["residence"].help


def test_the_offer_s_other_settings_flip_one_default_each():
    from dashboard.data.offers import other_settings

    offer = filters.offer(
        {"residence": "US", "contract": "Full-time", "year": "2024", "dedupe": True}
    )
    (any_type, every_row) = other_settings(offer.base)
    assert any_type[0] == "any employment type, not only Full-time"
    assert any_type[1].employment == () and any_type[1].dedupe is True
    assert every_row[0] == "every row counted, identical reports each time"
    assert every_row[1].dedupe is False and every_row[1].employment == ("Full-time",)
    loose = filters.offer({"residence": "US", "year": "2024", "dedupe": False})
    assert [label for label, _ in other_settings(loose.base)] == ["identical reports counted once"]
