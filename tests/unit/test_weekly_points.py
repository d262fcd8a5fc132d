"""Long daily lines are drawn one point a week, ending on the data's last day."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def _daily(days: int, start: str = "2020-02-01") -> pd.DataFrame:
    dates = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame({"date": dates, "value": range(days), "country": "US", "variant": "SA"})


def test_a_long_daily_series_keeps_every_seventh_day_back_from_its_last() -> None:
    frame = _daily(1000)
    thin = charts.weekly(frame)
    assert len(thin) == 143  # days 999, 992, ..., 5: ceil(1000 / 7)
    assert thin["date"].max() == frame["date"].max(), "the line ends where the data ends"
    assert set(thin["date"].diff().dropna().dt.days) == {7}
    assert thin["value"].iloc[-1] == 999


def test_short_or_weekly_series_are_drawn_as_given() -> None:
    assert len(charts.weekly(_daily(charts.DAILY_POINTS_MAX))) == charts.DAILY_POINTS_MAX
    monthly = pd.DataFrame(
        {"date": pd.date_range("1990-01-01", periods=500, freq="MS"), "value": 1.0}
    )
    assert len(charts.weekly(monthly)) == 500


def test_index_lines_send_a_seventh_of_the_points_and_the_same_last_value() -> None:
    frame = _daily(2000)
    fig = charts.index_lines(frame, "Postings")
    assert len(fig.data[0].x) == 286
    assert pd.Timestamp(fig.data[0].x[-1]) == frame["date"].max()
    assert fig.data[0].y[-1] == 1999
