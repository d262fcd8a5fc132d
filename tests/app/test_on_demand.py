"""What a page draws only when a visitor asks for it: a chart's numbers table is built when its
expander is opened (the page is lighter to load and redraw), and JOBMARKET_EXPAND=all draws
every one open (a page to print or to read with a screen reader in one go)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def _salaries(monkeypatch: pytest.MonkeyPatch, data_dir: Path, expand: str | None) -> AppTest:
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(data_dir))
    if expand is None:
        monkeypatch.delenv("JOBMARKET_EXPAND", raising=False)
    else:
        monkeypatch.setenv("JOBMARKET_EXPAND", expand)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("views/salaries.py").run()
    assert not at.exception
    return at


def _level_table(at: AppTest):
    return [d for d in at.dataframe if "experience level" in d.value.columns]


def test_a_numbers_table_is_built_only_when_its_expander_is_opened(monkeypatch, full_dir, rendered):
    at = _salaries(monkeypatch, full_dir, None)
    boxes = [e for e in at.expander if e.label == "Numbers behind this chart"]
    charts = {c.key for c in at.get("plotly_chart")}
    assert len(boxes) == len(charts) == 4, "every chart drawn keeps its numbers expander"
    assert not _level_table(at), "a closed expander builds no table"
    assert not [e for e in boxes if e.get("dataframe")], "no numbers table until one is opened"
    before = len(at.dataframe)
    # A visitor opens the level chart's numbers: that table, and only it, is drawn.
    at.session_state["numbers_salary_level"] = True
    at.run()
    table = _level_table(at)
    assert len(table) == 1
    # the same numbers as the page drawn with every table open
    expected = _level_table(rendered("full", "salaries"))[0].value
    assert table[0].value.equals(expected)
    assert table[0].value["n"].sum() > 0
    assert len(at.dataframe) == before + 1


def test_expand_all_draws_every_numbers_table_open(monkeypatch, full_dir):
    at = _salaries(monkeypatch, full_dir, "all")
    boxes = [e for e in at.expander if e.label == "Numbers behind this chart"]
    assert boxes and all(e.get("dataframe") for e in boxes)
    assert _level_table(at)


def test_secondary_sections_are_drawn_when_opened(monkeypatch, full_dir):
    at = _salaries(monkeypatch, full_dir, None)
    drawn = {c.key for c in at.get("plotly_chart")}
    assert drawn == {
        "chart_salary_level",
        "chart_salary_country_map",
        "chart_salary_country_bars",
        "chart_salary_family",
    }
    titles = [e.label for e in at.expander]
    for title in (
        "Crowd reports vs official US wages (BLS OEWS)",
        "By remote ratio and company size",
        "Salary trend by work year",
        "Published salaries by level (seed article)",
    ):
        assert title in titles, f"{title!r} is offered"
    at.session_state["section_trend"] = True
    at.run()
    assert {c.key for c in at.get("plotly_chart")} == drawn | {"chart_salary_trend"}


def test_the_seed_levels_open_by_themselves_when_no_report_is_loaded(monkeypatch, seed_dir):
    at = _salaries(monkeypatch, seed_dir, None)
    assert {c.key for c in at.get("plotly_chart")} == {"chart_salary_seed_levels"}


def test_openings_draws_the_seed_counts_when_opened_once_the_index_is_there(
    monkeypatch, full_dir, seed_dir
):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(full_dir))
    monkeypatch.delenv("JOBMARKET_EXPAND", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("views/openings.py").run()
    seed_charts = {"chart_openings_seed_map", "chart_openings_seed_bars"}
    assert "chart_openings_series" in {c.key for c in at.get("plotly_chart")}
    assert not seed_charts & {c.key for c in at.get("plotly_chart")}
    at.session_state["section_seed_openings"] = True
    at.run()
    assert seed_charts <= {c.key for c in at.get("plotly_chart")}
    # Seed data alone: the counts are all the page has, drawn without asking.
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(seed_dir))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("views/openings.py").run()
    assert seed_charts <= {c.key for c in at.get("plotly_chart")}


def test_data_and_sources_lists_raw_files_when_opened(monkeypatch, seed_dir):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(seed_dir))
    monkeypatch.delenv("JOBMARKET_EXPAND", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("views/sources.py").run()
    boxes = [e for e in at.expander if e.label.startswith("Raw files and checksums")]
    assert boxes and not [e for e in boxes if e.get("dataframe")]
    before = len(at.dataframe)
    at.session_state["section_files_seed"] = True
    at.run()
    opened = [e for e in at.expander if e.get("dataframe")]
    assert len(opened) == 1 and opened[0].label.startswith("Raw files and checksums")
    assert len(at.dataframe) == before + 1
    files = opened[0].get("dataframe")[0].value
    assert "job_openings_by_country.csv" in " ".join(map(str, files.iloc[:, 0]))


def test_the_shares_table_of_a_selection_is_built_when_opened(monkeypatch, full_dir):
    at = _salaries(monkeypatch, full_dir, None)
    box = next(e for e in at.expander if e.label.startswith("Shares by country"))
    assert not box.get("dataframe")
    at.session_state["section_shares_selection"] = True
    at.run()
    box = next(e for e in at.expander if e.label.startswith("Shares by country"))
    shares = box.get("dataframe")[0].value
    assert {"reports", "share"} <= set(shares.columns) and shares["reports"].sum() > 0
