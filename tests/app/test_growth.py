"""Pay growth and the offer brought forward, on the hand-made fixture and on the real refresh:
every figure against an independent pandas computation from the published Parquet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import fmt
from tests.app.test_pages import assert_clean

pytestmark = pytest.mark.app


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir / "processed" / f"{name}.parquet")


def _growth(data_dir: Path) -> pd.DataFrame:
    frame = _read(data_dir, "posted_wage_growth")
    frame["month"] = pd.to_datetime(frame["month"])
    return frame.sort_values("month")


def _signed(fraction: float) -> str:
    return f"{100 * fraction:+.1f}%"


def _latest_and_peak(growth: pd.DataFrame, country: str, sector: str | None = None) -> dict:
    """The latest 3-month average (month, own value, postings) and its peak, by pandas."""
    rows = growth[growth["country"] == country]
    rows = rows[rows["sector"].isna()] if sector is None else rows[rows["sector"] == sector]
    line = rows[rows["growth_yoy_3mo"].notna()]
    last = line.iloc[-1]
    peak = line.loc[line["growth_yoy_3mo"].astype(float).idxmax()]
    return {
        "value": _signed(last["growth_yoy_3mo"]),
        "caption": f"{last['month']:%b %Y} (3-month average) · that month: "
        f"{_signed(last['growth_yoy'])} · {int(last['postings']):,} postings · peak "
        f"{_signed(peak['growth_yoy_3mo'])} in {peak['month']:%b %Y}",
    }


def _brought_forward(data_dir: Path, group: pd.DataFrame, country: str, sector=None):
    """Each report's salary_usd times Π (1 + g_m)^(1/12) over the months after July of its
    work year up to the series' latest month (docs/dashboard.md), by pandas."""
    growth = _growth(data_dir)
    rows = growth[growth["country"] == country]
    rows = rows[rows["sector"].isna()] if sector is None else rows[rows["sector"] == sector]
    monthly = rows.set_index("month")["growth_yoy"].astype(float)
    monthly = monthly.fillna(rows.set_index("month")["growth_yoy_3mo"].astype(float))
    latest = monthly.index.max()

    def factor(year: int) -> float:
        after = monthly[(monthly.index > pd.Timestamp(year, 7, 1)) & (monthly.index <= latest)]
        return float(np.prod((1 + after.fillna(0).to_numpy()) ** (1 / 12)))

    factors = {y: factor(y) for y in group["work_year"].unique()}
    values = group["salary_usd"].to_numpy(float) * group["work_year"].map(factors).to_numpy()
    return values, factors, latest


def _rank(values: np.ndarray, x: float) -> float:
    return 100 * ((values < x).sum() + 0.5 * (values == x).sum()) / len(values)


def _offer_group(data_dir: Path, year: int) -> pd.DataFrame:
    """The offer check's default group: US Senior full-time Data Scientists of `year`."""
    frame = _read(data_dir, "salaries")
    return frame.loc[
        (frame["job_family"] == "Data Scientist")
        & (frame["experience_level"] == "Senior")
        & (frame["employee_residence"] == "US")
        & (frame["employment_type"] == "Full-time")
        & (frame["work_year"] == year)
        & ~frame["exact_duplicate"].fillna(False)
    ]


def _metric_captions(at) -> dict[str, str]:
    """Each metric's label with the caption drawn under it (the same column)."""
    captions = [c.value for c in at.caption if "(3-month average) · that month" in c.value]
    return dict(zip([m.label for m in at.metric], captions, strict=False))


# --------------------------------------------------------------------------------------------
# The hand-made fixture


def test_growth_page_shows_latest_and_peak_of_each_country(rendered, full_dir):
    at = rendered("full", "growth")  # default: US, GB, DE and every sector the fixture has
    assert_clean(at, "growth")
    growth = _growth(full_dir)
    shown = {m.label: m.value for m in at.metric}
    captions = _metric_captions(at)
    for code, name in (("DE", "Germany"), ("GB", "United Kingdom"), ("US", "United States")):
        want = _latest_and_peak(growth, code)
        assert shown[name] == want["value"]
        assert captions[name] == want["caption"]
    text = " ".join(m.value for m in at.markdown)
    assert "Growth of advertised pay, not a level of pay." in text
    # the sector chart: the three fixture sectors, the US over all postings dashed beside them
    words = next(m.value for m in at.markdown if "Management (US)" in m.value)
    management = _latest_and_peak(growth, "US", "Management")
    assert f"Management (US): {management['value']} in Jun 2025" in words
    sectors = next(d.value for d in at.dataframe if set(d.value["series"]) >= {"Mathematics"})
    assert set(sectors["series"]) == {"Management", "Mathematics", "Software Development"}
    assert len(sectors) == 3 * 42
    # the fixture has no country with 30 reports in two complete years running
    assert any("No chosen country has 30 or more" in c.value for c in at.caption)


def test_growth_page_takes_countries_from_the_url(rendered, full_dir):
    at = rendered("full", "growth", {"wage_country": "EA", "wage_sector": "Mathematics"})
    assert_clean(at, "growth")
    assert [m.label for m in at.metric] == ["Euro area"]
    table = next(d.value for d in at.dataframe if "Euro area" in set(d.value["series"]))
    assert len(table) == 42
    sectors = next(d.value for d in at.dataframe if "Mathematics" in set(d.value["series"]))
    assert set(sectors["series"]) == {"Mathematics"}


def test_growth_page_on_seed_data_says_what_a_refresh_adds(rendered, seed_dir):
    at = rendered("seed", "growth")
    assert_clean(at, "growth")
    info = " ".join(i.value for i in at.info)
    assert "A refresh adds the Indeed Wage Tracker" in info
    assert "python -m etl refresh" in info


def test_offer_brought_forward_by_the_family_sector_on_the_fixture(rendered, full_dir):
    # Data Scientist maps to Mathematics, which the fixture's wage tracker has for the US
    at = rendered("full", "offer", {"amount": "170000"})
    assert_clean(at, "offer")
    group = _offer_group(full_dir, 2024)
    values, factors, latest = _brought_forward(full_dir, group, "US", "Mathematics")
    reported = group["salary_usd"].to_numpy(float)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Percentile, as reported"] == fmt.ordinal(_rank(reported, 170_000))
    assert shown["Percentile, brought forward"] == fmt.ordinal(_rank(values, 170_000))
    assert shown["Percentile, brought forward"] != shown["Percentile, as reported"]
    words = next(m.value for m in at.markdown if "Each report's pay is raised" in m.value)
    assert "(United States, Mathematics sector)" in words
    assert f"(1 July) to {latest:%b %Y}" in words
    assert f"median moves from \\{fmt.usd(np.median(reported))} to " in words
    assert f"to \\{fmt.usd(np.median(values))}." in words
    table = next(t.value for t in at.table if "pay raised by" in t.value.columns)
    assert table["work year"].tolist() == [2024]
    assert table["months of growth"].tolist() == [11]  # Aug 2024 to Jun 2025
    assert table["pay raised by"].tolist() == [f"{100 * (factors[2024] - 1):+.1f}%"]


def test_offer_outside_the_us_is_brought_forward_by_its_country_s_growth(rendered, full_dir):
    params = {"amount": "100000", "residence": "DE", "contract": "", "seniority": "Mid"}
    at = rendered("full", "offer", params)
    assert_clean(at, "offer")
    text = " ".join(m.value for m in at.markdown)
    assert "(Germany, all postings)" in text
    assert "Indeed tracks no pay growth" not in text  # sector series are the US's only


# --------------------------------------------------------------------------------------------
# The real refresh


@pytest.mark.integration
def test_real_growth_page_matches_pandas(rendered, real_dir):
    at = rendered("real", "growth")
    assert_clean(at, "growth")
    growth = _growth(real_dir)
    shown = {m.label: m.value for m in at.metric}
    captions = _metric_captions(at)
    for code, name in (("US", "United States"), ("GB", "United Kingdom"), ("DE", "Germany")):
        want = _latest_and_peak(growth, code)
        assert (shown[name], captions[name]) == (want["value"], want["caption"])
    # the crowd's year-on-year median change (repeats once, by residence, complete years)
    frame = _read(real_dir, "salaries")
    frame = frame[~frame["exact_duplicate"].fillna(False) & (frame["work_year"] < 2025)]
    us = frame[frame["employee_residence"] == "US"].groupby("work_year")["salary_usd"]
    n, median = us.size(), us.median()
    crowd = next(d.value for d in at.dataframe if "median of reports, change %" in d.value)
    rows = crowd[crowd["code"] == "US"].set_index("work year")
    expected = [y for y in n.index if y - 1 in n.index and min(n[y], n[y - 1]) >= 30]
    assert rows.index.tolist() == expected
    for year in expected:
        change = 100 * (median[year] / median[year - 1] - 1)
        assert rows.loc[year, "median of reports, change %"] == pytest.approx(change)
        assert rows.loc[year, "n"] == n[year]
        months = growth[
            (growth["country"] == "US")
            & growth["sector"].isna()
            & (growth["month"].dt.year == year)
        ]
        posted = 100 * months["growth_yoy"].astype(float).mean()
        assert rows.loc[year, "advertised pay, growth %"] == pytest.approx(posted)


@pytest.mark.integration
def test_real_offer_brought_forward_matches_pandas(rendered, real_dir):
    at = rendered("real", "offer", {"amount": "180000"})
    assert_clean(at, "offer")
    group = _offer_group(real_dir, 2024)
    # Mathematics (the Data Scientist family's sector) has no wage series: the US's is used
    values, factors, latest = _brought_forward(real_dir, group, "US")
    reported = group["salary_usd"].to_numpy(float)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Percentile, as reported"] == fmt.ordinal(_rank(reported, 180_000))
    assert shown["Percentile, brought forward"] == fmt.ordinal(_rank(values, 180_000))
    words = next(m.value for m in at.markdown if "Each report's pay is raised" in m.value)
    assert "Indeed tracks no pay growth for Mathematics" in words
    assert f"to {latest:%b %Y}" in words
    table = next(t.value for t in at.table if "pay raised by" in t.value.columns)
    assert table["pay raised by"].tolist() == [f"{100 * (factors[2024] - 1):+.1f}%"]
