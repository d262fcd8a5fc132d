"""What a first-time visitor sees must not mislead: defaults, headlines, as-of dates, charts."""

from __future__ import annotations

import base64
import json
import re
import tomllib

import numpy as np
import pytest

from dashboard import fmt
from dashboard.pages import PAGES
from tests.conftest import REPO_ROOT
from tests.fixtures.dashboard_fixture import salaries_frame

pytestmark = pytest.mark.app


def decode(value):
    """Plotly sends numeric arrays as {"dtype", "bdata": base64}: back to a list."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def charts_of(at) -> dict[str, dict]:
    """Each chart's figure as a dict, its numeric arrays decoded."""
    return {c.key: decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_salaries_open_on_the_latest_complete_year_and_mark_the_partial_one(rendered, full_dir):
    at = rendered("full", "salaries")
    assert at.session_state["_filters"]["years"] == (2024, 2024)
    assert "year_from" not in at.query_params  # the default is not written into the URL
    assert "Median salary, 2024 (USD/year)" in metrics(at)
    assert "**Work year**: 2024" in captions(at)
    frame = salaries_frame(full_dir)
    expected = frame.loc[(frame["work_year"] == 2024) & ~frame["exact_duplicate"]]
    assert metrics(at)["Reports (n)"] == f"{len(expected):,}"
    trend = charts_of(at)["chart_salary_trend"]
    assert trend["layout"]["xaxis"]["ticktext"] == ["2023", "2024", "2025<br>(partial)"]
    years = next(d.value for d in at.dataframe if "year" in d.value.columns)
    assert years["year"].tolist() == ["2023", "2024", "2025 (partial)"]


def test_pooled_years_say_which_year_is_partial(rendered, full_dir):
    at = rendered("full", "salaries", {"year_from": "2023", "year_to": "2025"})
    assert at.session_state["_filters"]["years"] is None  # the full range
    text = captions(at)
    assert "2023 to 2025 (2025 covered only in part by the snapshot of 2025-01-19)" in text
    assert at.query_params["year_from"] == "2023" and at.query_params["year_to"] == "2025"


def test_identical_reports_are_counted_once_by_default_and_the_switch_says_how_many(
    make_app, rendered, full_dir
):
    frame = salaries_frame(full_dir)
    year = frame.loc[frame["work_year"] == 2024]
    at = make_app(full_dir, "salaries")
    toggle = at.get_by_key("flt_dedupe")
    assert toggle.value is True and "Count identical reports once" in toggle.label
    assert f"3 of the {len(year):,} matching rows" in captions(at)
    assert metrics(at)["Reports (n)"] == f"{len(year) - 3:,}"
    toggle.set_value(False).run()
    assert metrics(at)["Reports (n)"] == f"{len(year):,}"
    assert at.query_params["dedupe"] == "0"
    reopened = rendered("full", "salaries", {"dedupe": "0"})
    assert metrics(reopened)["Reports (n)"] == f"{len(year):,}"


def test_overview_headlines_are_single_figures_with_unit_date_and_n(rendered, full_dir):
    at = rendered("full", "overview")
    values = metrics(at)
    for label, value in values.items():
        assert not re.search(r"\d\s*[–-]\s*\d", value), f"{label}: a range, not a figure: {value}"
    assert values["Above Feb 2020 postings level"] == "2 of 3"
    assert values["Countries with a daily postings index"] == "3"
    # the top technology is words, shown whole: Python, not a generic office tool
    assert any(m.value.endswith(">Python</div>") for m in at.markdown)
    frame = salaries_frame(full_dir)
    n = int(((frame["work_year"] == 2024) & ~frame["exact_duplicate"]).sum())
    assert f"n = {n} reports" in captions(at)
    assert "not added in" in captions(at)  # undated seed counts are not mixed with the index


def test_overview_hot_technology_bars_say_what_their_length_is(rendered, full_dir):
    at = rendered("full", "overview")
    bar = charts_of(at)["chart_overview_hot"]["data"][0]
    total = 4  # computer & math occupations with technology data in the fixture
    assert [t.split(" ")[0] for t in bar["text"]] == [str(int(x)) for x in bar["x"]]
    assert all(t.endswith(f"of {total}") for t in bar["text"])
    assert "Microsoft Excel" not in bar["y"]


def test_the_sector_caption_dates_what_is_drawn(rendered, full_dir):
    at = rendered("full", "industries", {"end": "2020-03-31"})
    caption = next(c.value for c in at.caption if "Last day per country" in c.value)
    assert "As of: 2020-03-" in caption and "(last day drawn)" in caption
    assert "As of: 2021-12-01" not in caption  # the source's own date is later than the chart


def test_a_sector_a_country_file_lacks_is_shown_missing(rendered, full_dir):
    at = rendered("full", "industries", {"sector": ["Mathematics"], "country": ["US", "DE"]})
    assert any("No sector breakdown for: Germany" in i.value for i in at.info)


def test_the_salary_snapshot_is_dated_by_day_on_data_and_sources(rendered, full_dir):
    at = rendered("full", "sources")
    table = next(d.value for d in at.dataframe if "aijobs" in d.value.columns)
    assert table.loc["as of", "aijobs"] == "2025-01-19"


def test_a_map_of_one_country_has_no_colour_scale(rendered, full_dir):
    at = rendered("full", "openings", {"country": "GB"})
    spec = charts_of(at)["chart_openings_map"]
    assert spec["data"][0]["showscale"] is False
    assert spec["layout"]["geo"]["fitbounds"] == "locations"


def test_country_bars_are_titled_by_their_sort_and_whiskers_match_the_boxes(rendered, full_dir):
    at = rendered("full", "salaries", {"year_from": "2023", "year_to": "2025"})
    specs = charts_of(at)
    bars = specs["chart_salary_country_bars"]
    assert "countries with the most reports" in bars["layout"]["title"]["text"]
    assert "Sorted by median" in bars["layout"]["title"]["subtitle"]["text"]
    assert bars["data"][0]["x"] == sorted(bars["data"][0]["x"])
    for key in ("chart_salary_level", "chart_salary_country_bars", "chart_salary_trend"):
        assert "p10–p90" in specs[key]["layout"]["title"]["subtitle"]["text"], key


@pytest.mark.parametrize("family", [None, "Data Scientist"])
def test_the_job_family_chart_keeps_one_orientation(rendered, full_dir, family):
    at = rendered("full", "salaries", {"family": family} if family else {})
    spec = charts_of(at)["chart_salary_family"]
    assert {t["orientation"] for t in spec["data"]} == {"h"}


def test_numbers_tables_read_in_order_with_names_and_codes(rendered, full_dir):
    at = rendered("full", "salaries", {"year_from": "2023", "year_to": "2025"})
    tables = [d.value for d in at.dataframe]
    levels = next(t for t in tables if "experience level" in t.columns)
    assert levels["experience level"].tolist() == ["Entry", "Mid", "Senior", "Executive"]
    countries = next(t for t in tables if "code" in t.columns)
    assert list(countries.columns[:2]) == ["country", "code"]
    assert countries.set_index("code").loc["GB", "country"] == "United Kingdom"
    assert countries["median"].dropna().map(lambda v: float(v).is_integer()).all()


def test_the_skills_table_and_its_export_have_the_same_rows(rendered, full_dir):
    at = rendered("full", "skills")
    table = next(d.value for d in at.dataframe if "technology" in d.value.columns)
    text = " ".join(m.value for m in at.markdown)
    assert f"Export the filtered rows ({fmt.plural(len(table), 'row')})" in text
    assert "one row per technology" in text
    assert f"{len(table):,} technologies" in captions(at)


@pytest.mark.parametrize("page", [p.path for p in PAGES])
@pytest.mark.parametrize("kind", ["full", "seed"])
def test_every_chart_has_a_text_alternative(rendered, full_dir, seed_dir, page, kind):
    at = rendered(kind, page)
    alts = [m.value for m in at.markdown if m.value.startswith("**In words:**")]
    assert len(alts) == len(at.get("plotly_chart"))
    assert all(len(a) > len("**In words:** ") + 10 for a in alts)


def test_the_hosting_toolbar_is_hidden_and_page_links_look_like_links(rendered, full_dir):
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"
    at = rendered("full", "overview")
    assert any("text-decoration: underline" in m.value for m in at.markdown)
    links = [p.proto.label for p in at.get("page_link")]
    assert sorted(label.removesuffix(" →") for label in links) == sorted(p.title for p in PAGES[1:])


def test_one_row_is_one_row(rendered, full_dir):
    at = rendered("full", "openings", {"country": "IN"})  # one seed count, no index
    text = " ".join(m.value for m in at.markdown)
    assert "(1 row)" in text and "(1 rows)" not in text


def test_the_salary_query_names_its_export_file():
    from dashboard.data import SalaryQuery
    from dashboard.export import file_stem

    query = SalaryQuery(
        countries=("US",), levels=("Senior",), year_from=2024, year_to=2024, dedupe=False
    )
    assert file_stem("salaries", query.file_parts()) == "salaries_US_Senior_2024"
    wide = SalaryQuery(
        countries=("US", "GB", "DE", "FR"), year_from=2020, year_to=2025, dedupe=False
    )
    assert file_stem("salaries", wide.file_parts()) == "salaries_4countries_2020-2025"


@pytest.mark.parametrize(("page", "key"), [("salaries", "flt_dedupe"), ("skills", "flt_hot_only")])
def test_a_switch_with_nothing_to_switch_is_not_shown(rendered, seed_dir, full_dir, page, key):
    keys = {w.key for w in rendered("seed", page).sidebar.toggle}
    assert key not in keys  # seed only: no salary reports, no O*NET occupations
    assert key in {w.key for w in rendered("full", page).sidebar.toggle}
