"""The sample-size policy and the percentile, rank and bootstrap helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import stats
from etl import schemas


def groups(sizes: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"g": name, "n": n, "p50": 100_000.0} for name, n in sizes.items()],
        columns=["g", "n", "p50"],
    )


def test_sample_rules_flag_and_hide():
    shown, hidden = stats.sample_rules(groups({"a": 5, "b": 10, "c": 29, "d": 30}))
    assert shown["g"].tolist() == ["b", "c", "d"]
    assert shown["low_n"].tolist() == [True, True, False]
    assert hidden["g"].tolist() == ["a"]


def test_sample_rules_on_empty():
    shown, hidden = stats.sample_rules(groups({}))
    assert shown.empty and hidden.empty and "low_n" in shown


def test_thresholds_are_the_documented_ones():
    assert (stats.MIN_N, stats.LOW_N) == (10, 30)


def test_orders_come_from_the_contract():
    assert stats.LEVEL_ORDER == schemas.EXPERIENCE_LEVELS
    assert stats.SIZE_ORDER == schemas.COMPANY_SIZES
    assert stats.POSTING_ORDER == schemas.POSTING_TYPES


def test_order_by_puts_unknown_values_last():
    frame = pd.DataFrame({"level": ["Senior", "Other", "Entry", "Mid"]})
    out = stats.order_by(frame, "level", stats.LEVEL_ORDER)
    assert out["level"].tolist() == ["Entry", "Mid", "Senior", "Other"]


def test_percentiles_match_pandas_linear_quantiles():
    values = [50_000, 60_000, 61_000, 90_000, 120_000, 250_000, np.nan]
    got = stats.percentiles(values)
    series = pd.Series(values).dropna()
    assert got["n"] == 6
    for p, name in zip(stats.PERCENTILES, stats.PCT_COLUMNS, strict=True):
        assert got[name] == pytest.approx(series.quantile(p))


def test_percentile_rank_counts_ties_as_half():
    values = [10, 20, 20, 30]
    assert stats.percentile_rank(values, 20) == pytest.approx(50.0)
    assert stats.percentile_rank(values, 5) == 0.0
    assert stats.percentile_rank(values, 31) == 100.0
    assert np.isnan(stats.percentile_rank([], 1))


def test_bootstrap_interval_is_seeded_and_covers_the_median():
    rng = np.random.default_rng(1)
    values = rng.lognormal(11.5, 0.4, size=400)
    first = stats.bootstrap_interval(values)
    assert first == stats.bootstrap_interval(values)  # same data, same interval
    lo, hi = first
    assert lo < np.median(values) < hi
    assert hi - lo < 0.2 * np.median(values)
    rank_lo, rank_hi = stats.bootstrap_interval(values, "rank", x=float(np.median(values)))
    assert rank_lo < 50 < rank_hi


def test_bootstrap_interval_needs_two_values_and_a_known_statistic():
    assert all(np.isnan(v) for v in stats.bootstrap_interval([1.0]))
    with pytest.raises(ValueError, match="unknown statistic"):
        stats.bootstrap_interval([1.0, 2.0], "mean")
    with pytest.raises(ValueError, match="needs x"):
        stats.bootstrap_interval([1.0, 2.0], "rank")


def test_rank_interval_matches_resampling_the_values() -> None:
    from dashboard.stats import rank_interval

    values = np.array([100.0, 120, 120, 130, 150, 150, 150, 170, 200, 260] * 4)
    lo, hi = rank_interval(values, 150.0)
    rng = np.random.default_rng(5)
    samples = values[rng.integers(0, len(values), size=(20_000, len(values)))]
    ranks = 100 * ((samples < 150).sum(axis=1) + 0.5 * (samples == 150).sum(axis=1)) / 40
    want = np.percentile(ranks, [2.5, 97.5])
    assert abs(lo - want[0]) <= 2 and abs(hi - want[1]) <= 2
    assert rank_interval(values, 150.0) == (lo, hi)  # seeded: the same every time
    assert np.isnan(rank_interval([5.0], 5.0)[0])


def test_band_position_interpolates_inside_and_names_the_ends() -> None:
    from dashboard.stats import band_position

    band = [50_000, 70_000, 100_000, 130_000, 160_000]
    assert band_position(85_000, band) == (37.5, "within", None)
    assert band_position(40_000, band) == (None, "below", 10)
    assert band_position(170_000, band) == (None, "above", 90)
    # a top-coded p90 is blanked by the caller: the known end is then p75
    assert band_position(170_000, [*band[:4], float("nan")]) == (None, "above", 75)
    assert band_position(1, [float("nan")] * 5) == (None, "unknown", None)


@pytest.mark.parametrize("n", [1, 2, 11, 12, 200, 201])
def test_bootstrap_medians_have_the_distribution_of_resampled_medians(n) -> None:
    from dashboard.stats import bootstrap_medians

    values = np.random.default_rng(n).lognormal(11, 0.5, n).round(-2)  # ties, as in pay
    fast = bootstrap_medians(values, 40_000, np.random.default_rng(3))
    direct = np.median(values[np.random.default_rng(4).integers(0, n, (40_000, n))], axis=1)
    # the two empirical distribution functions agree everywhere (Kolmogorov-Smirnov distance)
    points = np.union1d(fast, direct)
    cdf_fast = np.searchsorted(np.sort(fast), points, side="right") / len(fast)
    cdf_direct = np.searchsorted(np.sort(direct), points, side="right") / len(direct)
    assert np.abs(cdf_fast - cdf_direct).max() < 0.015
    # every draw is a value or the mean of two values, as a resample's median is
    assert set(np.unique(fast)) <= set(values) | set(((values[:, None] + values) / 2).ravel())


def test_median_gap_gives_the_gap_its_interval_and_the_share_above() -> None:
    from dashboard.stats import median_gap

    a = np.array([100.0, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200] * 3)
    b = np.array([90.0, 95, 100, 105, 110, 115, 120] * 5)
    gap = median_gap(a, b)
    assert (gap["median_a"], gap["median_b"]) == (150.0, 105.0)
    assert gap["gap_usd"] == 45.0 and gap["gap_pct"] == pytest.approx(100 * (150 / 105 - 1))
    assert gap["pct_lo"] < gap["gap_pct"] < gap["pct_hi"]
    assert gap["usd_lo"] < 45 < gap["usd_hi"]
    # A above B's median (105): 100 is below, every other value above
    assert gap["a_above_b_median"] == pytest.approx(100 * 30 / 33)
    assert median_gap(a, b) == gap  # seeded: the same every time
    same = median_gap(b, b)
    assert same["gap_pct"] == 0 and same["pct_lo"] < 0 < same["pct_hi"]
