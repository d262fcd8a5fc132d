"""Shown medians and n equal an independent pandas computation; exports hold exactly those rows."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from dashboard import data, export, filters, fmt
from tests.fixtures.dashboard_fixture import salaries_frame

pytestmark = pytest.mark.app


def metric(at, label: str) -> str:
    """The value of the metric whose label starts with `label`."""
    return next(m.value for m in at.metric if m.label.startswith(label))


def widget(at, key: str):
    return at.get_by_key(key)


def expected_rows(
    frame: pd.DataFrame, countries, levels, year_from, year_to, dedupe: bool = True
) -> pd.DataFrame:
    """The reports a person expects, computed with pandas (identical reports once by default)."""
    mask = (
        frame["employee_residence"].isin(countries)
        & frame["experience_level"].isin(levels)
        & frame["work_year"].between(year_from, year_to)
    )
    if dedupe:
        mask &= ~frame["exact_duplicate"]
    return frame.loc[mask]


@pytest.fixture
def filtered(make_app, full_dir):
    """The salaries page after a person sets country, level and year range in the sidebar."""
    at = make_app(full_dir, "salaries")
    widget(at, "flt_country").set_value(["US", "GB"]).run()
    widget(at, "flt_level").set_value(["Senior", "Mid"]).run()
    widget(at, "flt_years").set_value((2024, 2024)).run()
    assert not at.exception
    return at


def test_shown_median_and_n_match_pandas(filtered, full_dir):
    rows = expected_rows(salaries_frame(full_dir), ["US", "GB"], ["Senior", "Mid"], 2024, 2024)
    assert metric(filtered, "Reports (n)") == f"{len(rows):,}"
    assert metric(filtered, "Median salary, 2024") == fmt.usd(rows["salary_usd"].median())
    p25, p75 = rows["salary_usd"].quantile([0.25, 0.75])
    assert metric(filtered, "Middle half (p25–p75)") == (
        f"{fmt.usd(p25, short=True)}–{fmt.usd(p75, short=True)}"
    )


def test_group_table_matches_pandas_with_small_n_rules(filtered, full_dir):
    frame = salaries_frame(full_dir)
    rows = expected_rows(frame, ["US", "GB"], ["Senior", "Mid"], 2024, 2024)
    table = next(d.value for d in filtered.dataframe if "experience level" in d.value.columns)
    table = table.set_index("experience level")
    for level, group in rows.groupby("experience_level"):
        shown = table.loc[level]
        assert shown["n"] == len(group)
        assert shown["median"] == round(group["salary_usd"].median())
        assert shown["p10"] == round(group["salary_usd"].quantile(0.10))
        assert shown["p90"] == round(group["salary_usd"].quantile(0.90))
        assert shown["flag"] == ("n < 30" if len(group) < 30 else "")
    assert set(table.index) == {"Senior", "Mid"}


def test_small_groups_hidden_on_the_combined_filter(rendered, full_dir):
    # Entry has 5 reports (2023) in the fixture: counted in the table, no percentiles, no box.
    at = rendered("full", "salaries", {"year_from": "2023", "year_to": "2024"})
    table = next(d.value for d in at.dataframe if "experience level" in d.value.columns)
    entry = table.set_index("experience level").loc["Entry"]
    assert entry["n"] == 5 and entry["flag"] == "hidden: n < 10" and pd.isna(entry["median"])
    level_chart = next(c for c in at.get("plotly_chart") if c.key == "chart_salary_level")
    figure = json.loads(level_chart.proto.spec)
    names = " ".join(str(y) for trace in figure["data"] for y in trace.get("x", []))
    assert "Entry" not in names and "Senior" in names


def test_too_few_reports_shows_one_message_and_the_nearest_wider_selection(rendered, full_dir):
    # DE has 8 Mid reports in 2024: too few. Dropping the level adds nothing (DE is all Mid);
    # dropping the country gives US+DE Mid 2024 = 15 + 8 = 23 (≥ 10, < 30) ...
    at = rendered("full", "salaries", {"country": "DE", "level": "Mid"})
    assert not any(m.label.startswith("Median salary") for m in at.metric)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "Only 8 salary reports match" in warnings[0]
    salary_charts = [c.key for c in at.get("plotly_chart") if c.key != "chart_salary_seed_levels"]
    assert salary_charts == []  # no empty chart frames
    (link,) = [p for p in at.get("page_link") if "wider selection" in p.proto.label]
    frame = salaries_frame(full_dir)
    wider = frame.loc[(frame["experience_level"] == "Mid") & (frame["work_year"] == 2024)].query(
        "not exact_duplicate"
    )
    assert f"any country ({len(wider)} reports)" in link.proto.label
    assert "country=" not in link.proto.query_string and "level=Mid" in link.proto.query_string


def test_exports_hold_exactly_the_filtered_rows(filtered, full_dir):
    state = filtered.session_state["_filters"]
    snap = data.current()
    query = filters.salary_query(state)
    rows = data.salary_rows(snap.key, query)
    expected = expected_rows(salaries_frame(full_dir), ["US", "GB"], ["Senior", "Mid"], 2024, 2024)
    key_cols = ["employee_residence", "experience_level", "work_year", "salary_usd", "job_title"]

    def canon(frame: pd.DataFrame) -> list[tuple]:
        return sorted(map(tuple, frame[key_cols].astype(str).to_numpy().tolist()))

    assert canon(rows) == canon(expected)
    about = export.About(
        title="Salary reports matching the filters",
        table="salaries",
        sources=tuple({"name": n, **snap.sources[n]} for n in ["aijobs"]),
        filters=filters.describe(state, filters.options_for(snap), filters.SALARY_FILTERS),
        data_version=snap.version,
    )

    csv = export.read_csv(export.render("csv", rows, about))
    assert len(csv) == len(expected)
    # numbers stay numbers, and whole dollars are written as integers (`187500`, not `187500.0`)
    assert csv["salary_usd"].dtype.kind == "i"
    assert sorted(csv["salary_usd"]) == sorted(expected["salary_usd"])
    assert "'=HYPERLINK" in "".join(csv["job_title"])  # formulas are neutralized
    assert not csv["job_title"].str.startswith(("=", "+", "-", "@")).any()

    book = load_workbook(io.BytesIO(export.render("xlsx", rows, about)))
    assert book.sheetnames == ["Data", "About"]
    sheet = book["Data"]
    assert sheet.max_row - 1 == len(expected)
    header = [c.value for c in sheet[1]]
    salary_col = header.index("salary_usd")
    assert all(isinstance(r[salary_col], int | float) for r in sheet.iter_rows(2, values_only=True))
    about_rows = {r[0]: r[1] for r in book["About"].iter_rows(2, values_only=True)}
    assert about_rows["Rows"] == str(len(expected))
    # The same wording as the page's caption (the filter specs' labels).
    assert about_rows["Filter: Country"] == "United Kingdom (GB), United States (US)"
    assert about_rows["Filter: Experience level"] == "Mid, Senior"
    assert about_rows["Filter: Work year"] == "2024"
    assert about_rows["Filter: Count identical reports once"] == "yes"
    assert about_rows["Source aijobs: licence"].startswith("CC0 1.0")
    assert about_rows["Source aijobs: attribution"] == "aijobs.net salaries"
    assert about_rows["Source aijobs: as of"] == "2025-01-19"  # the snapshot's date

    blob = export.render("parquet", rows, about)
    table = pq.read_table(io.BytesIO(blob))
    assert table.num_rows == len(expected)
    meta = export.read_about(blob)
    assert meta["row_count"] == len(expected)
    assert meta["filters"]["Work year"] == "2024"
    assert meta["sources"][0]["licence"].startswith("CC0")
    assert table.schema.metadata[b"row_count"] == str(len(expected)).encode()


def test_all_other_sectors_is_drawn_last_on_industries(rendered, real_dir):
    """The official chart ranks the 8 largest NAICS sectors and puts the rest together at the
    bottom, whatever its size (it is not a sector to rank)."""
    at = rendered("real", "industries")
    assert not at.exception
    chart = next(c for c in at.get("plotly_chart") if c.key == "chart_industries_official")
    fig = json.loads(chart.proto.spec)
    order = fig["layout"]["yaxis"]["categoryarray"]  # bottom to top
    assert order[0].startswith("All other sectors (") and len(order) == 9
    table = next(d.value for d in at.dataframe if {"sector", "share_pct"} <= set(d.value))
    assert table["sector"].iloc[-1] == order[0]  # last in the numbers behind it too
    share = table.set_index("sector")["share_pct"]
    ranked = [share[name] for name in order[1:]]
    assert ranked == sorted(ranked)  # the 8 sectors ranked, the largest on top
    assert share[order[0]] > ranked[0]  # the rest is larger than a sector it is drawn below


@pytest.mark.parametrize("kind", ["seed", "real"])
def test_data_and_sources_shows_the_version_not_the_server_s_path(rendered, kind, request):
    data_dir = request.getfixturevalue(f"{kind}_dir")
    at = rendered(kind, "sources")
    assert not at.exception
    version = json.loads((data_dir / "processed" / "manifest.json").read_text())["version"]
    intro = next(m.value for m in at.markdown if m.value.startswith("Data version"))
    assert f"Data version **{version}**" in intro
    shown = " ".join(e.value for e in (*at.markdown, *at.caption) if isinstance(e.value, str))
    assert str(data_dir) not in shown and str(data_dir.resolve()) not in shown
    # the raw files are listed by name, not by where the server read them from
    files = [d.value for d in at.dataframe if {"file", "sha256"} <= set(d.value.columns)]
    assert files and all("/" not in f for t in files for f in t["file"])
