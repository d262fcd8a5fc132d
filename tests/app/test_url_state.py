"""The view lives in the URL: a copied link reopens it; nonsense is ignored with a notice."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.app


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_url_parameters_set_the_filters(rendered, full_dir):
    params = {"country": ["US", "GB"], "level": "Senior", "year_from": "2023", "year_to": "2024"}
    at = rendered("full", "salaries", params)
    assert not at.exception
    assert at.get_by_key("flt_country").value == ["GB", "US"]
    assert at.get_by_key("flt_level").value == ["Senior"]
    assert at.get_by_key("flt_years").value == (2023, 2024)
    assert metrics(at)["Reports (n)"] == "47"  # 35 US + 12 GB senior reports
    # no URL notice (the composition panel's own warning may well be there)
    assert not [w for w in at.warning if "URL parameters" in w.value]


def test_a_copied_link_reproduces_the_view(make_app, rendered, full_dir):
    first = make_app(full_dir, "salaries")
    first.get_by_key("flt_country").set_value(["US"]).run()
    first.get_by_key("flt_remote").set_value(["0", "100"]).run()
    first.get_by_key("flt_size").set_value(["M", "L"]).run()
    link = dict(first.query_params)
    assert link == {"country": "US", "remote": ["0", "100"], "size": ["M", "L"]}
    second = rendered("full", "salaries", link)
    assert metrics(second) == metrics(first)
    for key in ("flt_country", "flt_remote", "flt_size", "flt_level"):
        assert second.get_by_key(key).value == first.get_by_key(key).value
    assert dict(second.query_params) == link


def test_state_follows_the_person_across_pages(make_app, full_dir):
    at = make_app(full_dir, "openings")
    at.get_by_key("flt_country").set_value(["GB"]).run()
    at.switch_page("views/salaries.py").run()
    assert at.get_by_key("flt_country").value == ["GB"]
    assert at.query_params.get("country") == "GB"


def test_nonsense_parameters_show_a_notice_and_the_default_view(rendered, full_dir):
    default = rendered("full", "salaries")
    nonsense = {
        "country": "XX",
        "level": "Guru",
        "year_from": "abc",
        "remote": "7",
        "country_of": "moon",
        "foo": "bar",
    }
    at = rendered("full", "salaries", nonsense)
    assert not at.exception
    notice = " ".join(w.value for w in at.warning)
    for word in ("foo", "XX", "Guru", "abc", "moon", "7"):
        assert word in notice
    assert metrics(at) == metrics(default)
    assert dict(at.query_params) == {}  # the URL is cleaned to the default view


def test_partly_valid_parameters_keep_the_valid_part(rendered, full_dir):
    at = rendered("full", "salaries", {"country": ["US", "XX"], "level": "senior"})
    assert at.get_by_key("flt_country").value == ["US"]
    assert at.get_by_key("flt_level").value == ["Senior"]  # case-insensitive
    assert any("XX" in w.value for w in at.warning)


def test_notice_goes_once_the_person_changes_a_filter(make_app, full_dir):
    at = make_app(full_dir, "salaries", {"foo": "bar"})
    assert at.warning
    at.get_by_key("flt_level").set_value(["Mid"]).run()
    assert not any("URL parameters" in w.value for w in at.warning)


def test_reset_button_restores_defaults(make_app, full_dir):
    at = make_app(full_dir, "salaries", {"country": "US"})
    at.get_by_key("flt_reset").click().run()
    assert at.get_by_key("flt_country").value == []
    assert dict(at.query_params) == {}


def test_date_range_and_index_options_in_url(rendered, full_dir):
    params = {"start": "2020-06-01", "end": "2021-01-01", "posting": "new", "adjust": ["sa", "nsa"]}
    at = rendered("full", "openings", params)
    assert not at.exception and not at.warning
    series = next(
        d.value
        for d in at.dataframe
        if {"measure", "date"} <= set(d.value.columns) and len(d.value) > 20
    )
    # the table shows days as dates (datetime.date), not timestamps
    assert series["date"].min().isoformat() == "2020-06-01"
    assert series["date"].max().isoformat() == "2021-01-01"
    assert set(series["posting_type"]) == {"new"}
    assert set(series["measure"]) == {"postings_index_sa", "postings_index_nsa"}


def _notice(at) -> str:
    return " ".join(w.value for w in at.warning if "URL parameters" in w.value)


@pytest.mark.parametrize(
    "value",
    ["[click](http://example.invalid)", "http://example.invalid/x", "**bold** <b>x</b>"],
)
def test_url_values_are_echoed_as_inert_code(rendered, full_dir, value):
    at = rendered("full", "salaries", {"level": value})
    # a code span: Markdown shows it as typed, and never makes a link or formatting of it
    assert f"Ignored unknown experience level value(s): `{value}`." in _notice(at)


def test_a_huge_url_value_is_cut_in_the_notice(rendered, full_dir):
    at = rendered("full", "salaries", {"level": "x" * 100_000, "bogus" * 50: "1"})
    notice = _notice(at)
    assert f"`{'x' * 40}…` (100,000 characters)" in notice
    assert len(notice) < 600


def test_a_comma_list_keeps_its_good_values(rendered, full_dir):
    at = rendered("full", "salaries", {"country": "US,Narnia,GB"})
    assert at.get_by_key("flt_country").value == ["GB", "US"]
    assert "Ignored unknown country value(s): `Narnia`." in _notice(at)
