"""The data-composition panel on the salary views: shares and warnings against pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.test_pages import assert_clean

pytestmark = pytest.mark.app


def _panel(at) -> str:
    return next(c.value for c in at.caption if "are made of:**" in c.value)


def _warning(at) -> str:
    return " ".join(w.value for w in at.warning if "One value dominates" in w.value)


def _pct(share: float) -> str:
    return f"{share:,.0f}%"


def test_the_salaries_page_says_what_its_reports_are_made_of(rendered, full_dir):
    at = rendered("full", "salaries")  # default: the latest complete year, 2024
    assert_clean(at, "salaries")
    rows = pd.read_parquet(full_dir / "processed" / "salaries.parquet")
    rows = rows[rows.work_year == 2024]
    counted = rows[~rows.exact_duplicate]
    share = {
        column: counted[column].value_counts(normalize=True).mul(100)
        for column in ("employee_residence", "salary_currency", "employment_type", "company_size")
    }
    assert share["employee_residence"].index[0] == "US"
    expected = " · ".join(
        [
            f"{_pct(share['employee_residence'].iloc[0])} United States",
            f"{_pct(share['salary_currency'].iloc[0])} paid in USD",
            f"{_pct(share['employment_type'].iloc[0])} full-time",
            f"{_pct(share['company_size'].iloc[0])} medium companies",
            "100% from 2024",
            f"{_pct(100 * rows.exact_duplicate.mean())} repeated rows (counted once here)",
        ]
    )
    panel = _panel(at)
    assert f"**What these {len(counted)} reports are made of:**" in panel
    first, source = panel.split("  \n")
    assert first.endswith(expected), panel
    # The whole file is 92 % full-time: a property of the source, said once in the panel and
    # never warned about. 88 % US and in USD (79 % in the whole file) dominate because of the
    # filter; the year is the filter's own choice, so no word.
    everything = pd.read_parquet(full_dir / "processed" / "salaries.parquet")
    full_time = everything[~everything.exact_duplicate]["employment_type"].eq("Full-time").mean()
    assert source == (
        "Known properties of the source, true of nearly every choice (so no warning for "
        f"them): of all aijobs.net reports, {_pct(100 * full_time)} full-time."
    )
    warning = _warning(at)
    for said in ("United States", "paid in USD"):
        assert said in warning
    for unsaid in ("full-time", "from 2024", "medium companies"):
        assert unsaid not in warning
    table = next(d.value for d in at.dataframe if "dimension" in d.value.columns)
    residence = table[table.dimension == "Country (residence)"]
    assert residence["reports"].tolist() == counted["employee_residence"].value_counts().tolist()


def test_a_filter_pinning_the_country_is_not_called_a_bias(rendered, full_dir):
    at = rendered("full", "salaries", {"country": "US"})
    # the country pins the currency; every US report is full-time, as nearly the whole file is
    assert _warning(at) == ""
    assert "92% full-time" in _panel(at)
    # counting every row: the repeats are in, and the panel says so
    at = rendered("full", "salaries", {"country": "US", "dedupe": "0"})
    assert "**What these 63 reports are made of:**" in _panel(at)
    assert _panel(at).split("  \n")[0].endswith("5% repeated rows (each counted here)")


def test_the_offer_check_and_both_compare_segments_have_a_panel(rendered, full_dir):
    at = rendered("full", "offer")
    assert "**What these 35 reports are made of:**" in _panel(at)
    at = rendered("full", "compare", {"b_year_from": "2023", "b_year_to": "2023"})
    panels = [c.value for c in at.caption if "are made of:**" in c.value]
    assert len(panels) == 2
    # the source's own properties once under both panels, not in each
    assert not any("Known properties" in p for p in panels)
    assert sum("Known properties of the source" in c.value for c in at.caption) == 1
    assert panels[0].startswith("**A: United States · Senior · all families · 2024: what these 35")
    assert panels[1].startswith("**B: United Kingdom · Senior · all families · 2023: what these 12")
