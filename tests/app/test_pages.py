"""Every page renders without exception on the seed data and on a full fixture, with figures."""

from __future__ import annotations

import re

import pytest

from dashboard import pages as registry
from tests.app.conftest import PAGES

pytestmark = pytest.mark.app

# Charts each page must show on the full fixture (by chart key).
FULL_CHARTS = {
    "overview": {"chart_overview_index", "chart_overview_hot"},
    "openings": {
        "chart_openings_map",
        "chart_openings_series",
        "chart_openings_regions_map",
        "chart_openings_regions_lines",
        "chart_openings_seed_map",
        "chart_openings_seed_bars",
    },
    "salaries": {
        "chart_salary_level",
        "chart_salary_country_map",
        "chart_salary_country_bars",
        "chart_salary_family",
        "chart_salary_remote",
        "chart_salary_size",
        "chart_salary_trend",
        "chart_salary_seed_levels",
        "chart_salary_crowd_official",
    },
    "offer": {"chart_offer_distribution"},
    # the default B (GB Senior 2024) has no fixture report: only the openings chart
    "compare": {"chart_compare_openings"},
    "demand": {"chart_demand_pay", "chart_demand_ai_share"},
    "growth": {"chart_wage_growth", "chart_wage_growth_sectors"},
    "occupations": {
        "chart_occupation_bands",
        "chart_occupation_states",
        "chart_occupation_where",
        "chart_occupation_sectors",
    },
    "skills": {"chart_skills_categories", "chart_skills_ranking", "chart_skills_ai_share"},
    # the fixture has no technology five occupations with wages list: no ranking
    "skill_pay": {"chart_skill_pay_strip"},
    "industries": {"chart_sector_series", "chart_industries_seed", "chart_industries_official"},
    "education": {"chart_education_onet", "chart_education_seed", "chart_education_revenue"},
    "sources": set(),
}
SEED_CHARTS = {
    "overview": {"chart_overview_seed_openings"},
    "openings": {"chart_openings_seed_map", "chart_openings_seed_bars"},
    "salaries": {"chart_salary_seed_levels"},
    "offer": set(),
    "compare": set(),
    "demand": set(),
    "growth": set(),
    "occupations": set(),
    "skills": set(),
    "skill_pay": set(),
    "industries": {"chart_industries_seed"},
    "education": {"chart_education_seed", "chart_education_revenue"},
    "sources": set(),
}
# The tables each page shows (column sets), chart or not: a page must not come up empty.
SEED_TABLES = {
    "overview": [{"skill", "importance", "list"}, {"source", "as of", "status"}],
    "skills": [
        {"skill", "importance"},
        {"skill", "importance"},
        {"tool", "purpose", "listed in"},
        {"algorithm", "use_case"},
    ],
    "education": [{"certification", "issuer"}, {"issue", "concern_level"}],
    "sources": [{"seed"}, {"table", "one row is", "rows", "sources"}],
}
FULL_TABLES = {
    "offer": [
        {"step", "n"},
        {"work year", "reports", "months of growth", "pay raised by"},
        {"area", "occupation", "median", "your offer"},
    ],
    "compare": [{"segment", "n", "median"}, {"date", "A − B"}],
    "demand": [
        {"work_year", "n", "median"},
        {"country", "index", "12-month change", "median", "n"},
        {"job family", "sector", "note"},
    ],
    "occupations": [
        {"rank", "metro", "employment", "median", "p90", "top-coded"},
        {"industry", "NAICS", "employment", "share %", "median"},
        {"technology", "in demand", "category"},
        {"required education"},
    ],
    "skills": [{"category", "technology", "hot for", "occupations"}],
    "industries": [{"sector", "example job titles"}],
    "growth": [
        {"series", "month", "3-month average %", "postings"},
        {"series", "latest month", "3-month average", "peak (3-month average)", "peak month"},
    ],
    "sources": [
        {"seed", "aijobs", "indeed", "onet", "bls_oews"},
        {"table", "one row is", "rows", "sources"},
    ],
}


def tables(at) -> list[set[str]]:
    """The column sets of every table on the page (static tables and data grids). A static
    table draws its headers as Markdown, so they come escaped (`concern\\_level`): read as shown."""
    found = [{re.sub(r"\\(.)", r"\1", c) for c in t.value.columns} for t in at.table]
    return found + [set(map(str, d.value.columns)) for d in at.dataframe]


def has_tables(at, wanted: list[set[str]]) -> bool:
    """Every wanted column set is covered by a distinct table of the page."""
    pool = tables(at)
    for columns in wanted:
        match = next((t for t in pool if columns <= t), None)
        if match is None:
            return False
        pool.remove(match)
    return True


def chart_keys(at) -> set[str]:
    return {chart.key for chart in at.get("plotly_chart")}


def assert_clean(at, page: str | None = None) -> None:
    """No exception, no error box, and the page's own heading (from the registry)."""
    assert not at.exception, [e.value for e in at.exception]
    headings = [t.value for t in at.title]
    if page is None:
        assert len(headings) == 1 and headings[0] in {p.heading for p in registry.PAGES}
    else:
        assert headings == [registry.page(page).heading]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_on_seed_data(rendered, seed_dir, page):
    at = rendered("seed", page)
    assert_clean(at, page)
    assert chart_keys(at) == SEED_CHARTS[page]  # exactly: no chart drawn empty, none missing
    assert has_tables(at, SEED_TABLES.get(page, [])), tables(at)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_on_full_fixture(rendered, full_dir, page):
    at = rendered("full", page)
    assert_clean(at, page)
    assert chart_keys(at) == FULL_CHARTS[page]
    assert has_tables(at, FULL_TABLES.get(page, [])), tables(at)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_chart_has_provenance_and_numbers(rendered, full_dir, page):
    at = rendered("full", page)
    charts = chart_keys(at)
    numbers = [e for e in at.expander if e.label == "Numbers behind this chart"]
    assert len(numbers) == len(charts)
    assert all(e.get("dataframe") for e in numbers), "each numbers expander holds a table"
    captions = [c.value for c in at.caption if "Licence:" in c.value and "As of:" in c.value]
    assert len(captions) >= len(charts)


def test_salary_filter_matching_nothing(rendered, full_dir):
    # IN has openings in the seed but no salary report: the page says so instead of failing.
    at = rendered("full", "salaries", {"country": "IN"})
    assert_clean(at)
    assert [w.value for w in at.warning if "salary reports match" in w.value] == [
        "Only 0 salary reports match these filters: too few to show a median or a chart "
        "(the threshold is 10 reports)."
    ]
    assert "chart_salary_level" not in chart_keys(at)
    assert any("wider selection" in p.proto.label for p in at.get("page_link"))


@pytest.mark.parametrize("page", ["overview", "openings", "industries", "skills", "education"])
def test_filters_matching_nothing_elsewhere(rendered, full_dir, page):
    params = {"country": "IN", "sector": "", "occupation": ""}
    at = rendered("full", page, params)
    assert_clean(at)


def test_openings_seed_only_says_index_missing(rendered, seed_dir):
    at = rendered("seed", "openings")
    assert any("postings index" in i.value.lower() for i in at.info)


def test_education_names_occupations_without_data(rendered, full_dir):
    at = rendered("full", "education")
    text = " ".join(w.value for w in at.warning)
    assert "Data Scientists (15-2051.00)" in text
    assert "Software Developers (15-1252.00)" in text


def test_index_is_labelled_as_index(rendered, full_dir):
    at = rendered("full", "openings")
    text = " ".join(m.value for m in at.markdown)
    assert "% of its 1 February 2020 level" in text and "not a count" in text


def test_missing_processed_data_is_built_from_seed(make_app, tmp_path):
    at = make_app(tmp_path / "empty")
    assert_clean(at)
    assert (tmp_path / "empty" / "processed" / "manifest.json").is_file()
    assert "chart_overview_seed_openings" in chart_keys(at)


def test_export_buttons_present(rendered, full_dir):
    at = rendered("full", "salaries")
    buttons = {b.key: b.label for b in at.get("download_button")}
    assert buttons == {
        "export_salaries_csv": "CSV (UTF-8)",
        "export_salaries_xlsx": "Excel",
        "export_salaries_parquet": "Parquet",
    }
