"""Compare two segments on the dashboard fixture: each figure against an independent computation."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tests.app.test_pages import assert_clean

pytestmark = pytest.mark.app

# B = the fixture's only thick GB group: 12 Senior ML engineers in 2023.
GB_2023 = {"b_year_from": "2023", "b_year_to": "2023"}


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _reports(full_dir) -> pd.DataFrame:
    frame = pd.read_parquet(full_dir / "processed" / "salaries.parquet")
    return frame[~frame["exact_duplicate"].fillna(False)]


def _segment(reports: pd.DataFrame, country: str, level: str, year: int) -> np.ndarray:
    rows = reports[
        (reports.employee_residence == country)
        & (reports.experience_level == level)
        & (reports.work_year == year)
    ]
    return rows["salary_usd"].to_numpy(dtype=float)


def _resampled_gap(a: np.ndarray, b: np.ndarray, draws: int = 20_000) -> tuple[float, float]:
    """The textbook bootstrap of the % gap between medians: resample each segment in full."""
    rng = np.random.default_rng(7)
    med_a = np.median(a[rng.integers(0, len(a), size=(draws, len(a)))], axis=1)
    med_b = np.median(b[rng.integers(0, len(b), size=(draws, len(b)))], axis=1)
    lo, hi = np.percentile(100 * (med_a / med_b - 1), [2.5, 97.5])
    return float(lo), float(hi)


def _gap_sentence(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**A's median"))


def test_the_gap_between_two_segments_matches_pandas(rendered, full_dir):
    at = rendered("full", "compare", GB_2023)
    assert_clean(at, "compare")
    reports = _reports(full_dir)
    a = _segment(reports, "US", "Senior", 2024)
    b = _segment(reports, "GB", "Senior", 2023)
    assert (len(a), len(b)) == (35, 12)
    med_a, med_b = np.median(a), np.median(b)
    gap = 100 * (med_a / med_b - 1)
    above = 100 * ((a > med_b).sum() + 0.5 * (a == med_b).sum()) / len(a)
    assert _metrics(at) == {
        "Median A": f"${med_a:,.0f}",
        "Median B": f"${med_b:,.0f}",
        "Gap A − B": f"{gap:,.0f}%",
        "A above B's median": f"{above:.0f}%",
    }
    words = _gap_sentence(at)
    assert f"A's median is {gap:.0f}% higher than B's" in words
    assert f"a gap of ${med_a - med_b:,.0f}" in words
    assert "n = 35 and 12" in words
    assert "Read with care: a segment has fewer than 30 reports." in words
    shown = re.search(r"95 % interval (−?\d+)% to (−?\d+)%", words)
    lo, hi = (float(v.replace("−", "-")) for v in shown.groups())
    ref_lo, ref_hi = _resampled_gap(a, b)
    assert abs(lo - ref_lo) <= 2 and abs(hi - ref_hi) <= 2, (lo, hi, ref_lo, ref_hi)
    # the numbers behind the chart: each segment's n and median
    table = next(d.value for d in at.dataframe if "segment" in d.value.columns)
    assert table["n"].tolist() == [35, 12]
    assert table["median"].tolist() == [round(med_a), round(med_b)]
    assert table["segment"].tolist() == [
        "A: United States · Senior · all families · 2024",
        "B: United Kingdom · Senior · all families · 2023",
    ]
    assert {"chart_compare_distributions", "chart_compare_openings"} <= {
        c.key for c in at.get("plotly_chart")
    }


def test_a_thin_segment_gets_no_gap_and_says_what_to_do(rendered, full_dir):
    at = rendered("full", "compare")  # B: GB Senior in 2024 has no report in the fixture
    assert_clean(at, "compare")
    warning = " ".join(w.value for w in at.warning)
    assert "A has 35 reports and B has 0 reports: at least 10 are needed in each" in warning
    assert not _metrics(at)
    assert "chart_compare_distributions" not in {c.key for c in at.get("plotly_chart")}


def test_the_openings_gap_is_a_minus_b_on_common_dates(rendered, full_dir):
    at = rendered("full", "compare", {"b_sector": "Mathematics", "b_country": "US"})
    assert_clean(at, "compare")
    openings = pd.read_parquet(full_dir / "processed" / "openings.parquet")
    sectors = pd.read_parquet(full_dir / "processed" / "sector_openings.parquet")
    us = openings[
        (openings.country == "US")
        & (openings.measure == "postings_index_sa")
        & (openings.posting_type == "total")
    ][["date", "value"]]
    maths = sectors[(sectors.country == "US") & (sectors.sector == "Mathematics")]
    both = us.merge(maths[["date", "value"]], on="date", suffixes=("_a", "_b"))
    table = next(d.value for d in at.dataframe if "A − B" in d.value.columns)
    assert len(table) == len(both) == 23
    expected = (both["value_a"] - both["value_b"]).round(6).tolist()
    assert table["A − B"].round(6).tolist() == expected
    words = " ".join(m.value for m in at.markdown if "stood at" in m.value)
    last = both.iloc[-1]
    assert f"A (United States) stood at {last.value_a:,.1f}" in words
    assert f"B (United States · Mathematics) at {last.value_b:,.1f}" in words


def test_a_segment_without_one_indexed_country_explains_the_missing_line(rendered, full_dir):
    at = rendered("full", "compare", {"a_country": "US,GB", "b_country": "DE"})
    assert_clean(at, "compare")
    info = " ".join(i.value for i in at.info)
    assert "segment A needs exactly one country for an openings line" in info
    assert "Germany has no Indeed postings index" in info


def test_the_link_reopens_the_same_comparison(rendered, full_dir):
    params = {**GB_2023, "a_family": "Data Scientist", "dedupe": "0"}
    at = rendered("full", "compare", params)
    link = next(m.value for m in at.markdown if m.value.startswith("This comparison"))
    query = link.split("(", 1)[1].rstrip(")").split("?", 1)[1]
    pairs = dict(p.split("=", 1) for p in query.split("&"))
    assert pairs["a_family"] == "Data+Scientist" and pairs["dedupe"] == "0"
    assert pairs["b_year_from"] == pairs["b_year_to"] == "2023"
    assert pairs["a_country"] == "US" and pairs["b_country"] == "GB"
    again = rendered("full", "compare", {k: v.replace("+", " ") for k, v in pairs.items()})
    assert _metrics(again) == _metrics(at)
    # with every row counted, the three repeats of one report are in A
    assert "n = 38 and 12" in _gap_sentence(at)


def test_compare_on_seed_data_says_what_it_needs(rendered, seed_dir, full_dir):
    at = rendered("seed", "compare")
    assert_clean(at, "compare")
    info = " ".join(i.value for i in at.info)
    assert "Comparing pay needs the aijobs.net salary reports" in info
    assert "Comparing openings needs the Indeed postings index" in info
    # no segment filter applies without salary reports: no empty segment boxes either
    assert not [m for m in at.markdown if m.value.startswith("**Segment")]
    full = rendered("full", "compare")
    assert [m.value for m in full.markdown if m.value.startswith("**Segment")] == [
        "**Segment A**",
        "**Segment B**",
    ]


def test_a_bad_segment_value_is_named_with_its_segment(rendered, full_dir):
    at = rendered("full", "compare", {"b_country": "Atlantis", "a_year_from": "1990x"})
    notices = " ".join(w.value for w in at.warning)
    assert "Ignored unknown country of segment B value(s): `Atlantis`." in notices
    assert "Ignored work year of segment A range `a_year_from=1990x`" in notices
    # the defaults stand in: B is still the United Kingdom
    table = next(d.value for d in at.dataframe if "segment" in d.value.columns)
    assert table["segment"].iloc[1].startswith("B: United Kingdom")


def test_the_openings_table_writes_days_as_dates(rendered, full_dir):
    at = rendered("full", "compare", {"b_sector": "Mathematics", "b_country": "US"})
    table = next(d.value for d in at.dataframe if "A − B" in d.value.columns)
    openings = pd.read_parquet(full_dir / "processed" / "openings.parquet")
    last = openings.loc[
        (openings.country == "US") & (openings.measure == "postings_index_sa"), "date"
    ].max()
    shown = table["date"].tolist()
    assert shown[-1] == f"{pd.Timestamp(last):%Y-%m-%d}"  # e.g. 2026-08-14, no clock time
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in shown)


def test_both_segments_can_take_the_company_s_country(rendered, full_dir):
    at = rendered("full", "compare", {**GB_2023, "country_of": "company", "a_level": "Mid"})
    assert_clean(at, "compare")
    assert at.radio(key="flt_country_of").value == "company"
    reports = _reports(full_dir)
    a = reports[
        (reports.company_country == "US")
        & (reports.experience_level == "Mid")
        & (reports.work_year == 2024)
    ]
    # the Germans who work for US companies count in A; by residence A would hold 15
    assert len(a) == 23 and (a.employee_residence == "DE").sum() == 8
    table = next(d.value for d in at.dataframe if "segment" in d.value.columns)
    assert table["n"].tolist() == [23, 12]
    assert table["median"].tolist()[0] == round(np.median(a["salary_usd"]))
    assert table["segment"].tolist() == [
        "A: companies in United States · Mid · all families · 2024",
        "B: companies in United Kingdom · Senior · all families · 2023",
    ]
    link = next(m.value for m in at.markdown if m.value.startswith("This comparison"))
    assert "country_of=company" in link
