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
    assert len(boxes) >= 8, "every chart keeps its numbers expander"
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
