"""Bringing reports forward by posted wage growth (docs/dashboard.md, Offer check brought
forward): the compounding rule on hand-made series."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data.growth import annual_growth, forward_factors, growth_summary


def _series(values, start="2023-01-01", averages=None) -> pd.DataFrame:
    months = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame(
        {
            "country": "US",
            "sector": None,
            "month": months,
            "postings": 1000,
            "growth_yoy": values,
            "growth_yoy_3mo": averages if averages is not None else values,
        }
    )


def test_twelve_months_of_steady_growth_give_that_growth():
    # July 2023 + 12 months = July 2024: Aug 2023 .. Jul 2024 count
    factors = forward_factors(_series([0.03] * 19), [2023])
    row = factors.iloc[0]
    assert (row["from"], row["to"], row["months"], row["missing"]) == (
        "Jul 2023",
        "Jul 2024",
        12,
        0,
    )
    assert row["factor"] == pytest.approx(1.03)


def test_each_month_adds_a_twelfth_compounded_and_gaps_take_the_average_or_nothing():
    values = [0.0] * 7 + [0.12, None, None, 0.06]  # Jan .. Nov 2023
    averages = [0.0] * 7 + [0.12, 0.24, None, 0.06]
    factors = forward_factors(_series(values, averages=averages), [2023, 2024])
    first, later = factors.iloc[0], factors.iloc[1]
    assert (first["months"], first["missing"]) == (4, 1)  # Aug .. Nov; Oct has neither value
    assert first["factor"] == pytest.approx((1.12 * 1.24 * 1.06) ** (1 / 12))
    assert (later["months"], later["factor"]) == (0, 1.0)  # July 2024 is after the last month


def test_latest_peak_and_annual_mean():
    values = [0.01 * k for k in range(1, 13)] + [0.05, 0.04]
    averages = [None, None] + [0.01 * k for k in range(3, 13)] + [0.06, 0.05]
    series = _series(values, averages=averages)
    summary = growth_summary(series).iloc[0]
    assert summary["series"] == "United States"
    assert summary["latest month"] == "Feb 2024"
    assert summary["3-month average %"] == pytest.approx(5.0)
    assert summary["month's own %"] == pytest.approx(4.0)
    assert (summary["peak %"], summary["peak month"]) == (pytest.approx(12.0), "Dec 2023")
    annual = annual_growth(series)
    assert annual["year"].tolist() == [2023]  # 2024 has two months only
    assert annual["posted"].iloc[0] == pytest.approx(0.065)
