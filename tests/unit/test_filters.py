"""URL parameters <-> filter state: parsing, validation notices, defaults, round trips."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import filters
from dashboard.data.core import ROOT
from dashboard.filters import Options, parse_params, to_params

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


def test_every_url_parameter_is_documented():
    doc = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    for param in filters.PARAMS:
        assert f"`{param}`" in doc, f"URL parameter {param} is not in docs/dashboard.md"


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
