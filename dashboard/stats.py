"""Honest statistics: the sample-size policy, percentiles, and interval/bootstrap helpers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from etl.catalog import COMPANY_SIZES, EMPLOYMENT_TYPES, EXPERIENCE_LEVELS, POSTING_TYPES

# The contract's coded values, in their natural order (levels low to high, sizes small to large).
LEVEL_ORDER = EXPERIENCE_LEVELS
EMPLOYMENT_ORDER = EMPLOYMENT_TYPES
SIZE_ORDER = COMPANY_SIZES
POSTING_ORDER = POSTING_TYPES
LOW_N = 30  # groups below this are flagged "read with care"
MIN_N = 10  # groups below this are hidden
PERCENTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
PCT_COLUMNS = ["p10", "p25", "p50", "p75", "p90"]
STAT_COLUMNS = ["n", *PCT_COLUMNS]
SEED = 20260101  # bootstrap draws are seeded so a page shows the same interval every time


def sample_rules(
    stats: pd.DataFrame, *, min_n: int = MIN_N, low_n: int = LOW_N
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split per-group stats into (shown, hidden): n < min_n hidden, n < low_n flagged `low_n`."""
    if stats.empty:
        empty = stats.assign(low_n=pd.Series(dtype=bool))
        return empty, empty.copy()
    shown = stats.loc[stats["n"] >= min_n].copy()
    hidden = stats.loc[stats["n"] < min_n].copy()
    shown["low_n"] = shown["n"] < low_n
    hidden["low_n"] = True
    return shown.reset_index(drop=True), hidden.reset_index(drop=True)


def most_reports(groups: pd.DataFrame, top: int) -> pd.DataFrame:
    """The `top` groups with the most reports."""
    return groups.nlargest(top, "n")


def order_by(frame: pd.DataFrame, column: str, order: Sequence[object]) -> pd.DataFrame:
    """Rows sorted by `column` in the given order (values not in it last, in name order)."""
    rank = {v: i for i, v in enumerate(order)}
    return frame.sort_values(
        column, key=lambda s: s.map(lambda v: (rank.get(v, len(rank)), str(v)))
    ).reset_index(drop=True)


def percentiles(values: Sequence[float] | np.ndarray) -> dict[str, float]:
    """n and p10/p25/p50/p75/p90 (linear interpolation, as the data layer's quantiles)."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    out: dict[str, float] = {"n": float(len(arr))}
    for p, name in zip(PERCENTILES, PCT_COLUMNS, strict=True):
        out[name] = float(np.quantile(arr, p)) if len(arr) else float("nan")
    return out


def percentile_rank(values: Sequence[float] | np.ndarray, x: float) -> float:
    """Share of `values` below `x`, counting ties as half (the mid-rank), in percent."""
    arr = np.asarray(values, dtype=float)
    if not len(arr):
        return float("nan")
    below = np.count_nonzero(arr < x)
    ties = np.count_nonzero(arr == x)
    return 100.0 * (below + 0.5 * ties) / len(arr)


def bootstrap_interval(
    values: Sequence[float] | np.ndarray,
    statistic: str = "median",
    *,
    x: float | None = None,
    draws: int = 2000,
    level: float = 0.95,
    seed: int = SEED,
) -> tuple[float, float]:
    """Percentile-bootstrap interval of the median (or of `x`'s percentile rank when
    statistic="rank"); seeded, so the same data always gives the same interval."""
    arr = np.asarray(values, dtype=float)
    if len(arr) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    samples = arr[rng.integers(0, len(arr), size=(draws, len(arr)))]
    if statistic == "median":
        estimates = np.median(samples, axis=1)
    elif statistic == "rank":
        if x is None:
            raise ValueError("statistic='rank' needs x")
        estimates = 100.0 * ((samples < x).sum(axis=1) + 0.5 * (samples == x).sum(axis=1))
        estimates = estimates / len(arr)
    else:
        raise ValueError(f"unknown statistic {statistic!r}; use 'median' or 'rank'")
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(estimates, [tail, 100 - tail])
    return float(lo), float(hi)


def rank_interval(
    values: Sequence[float] | np.ndarray,
    x: float,
    *,
    draws: int = 4000,
    level: float = 0.95,
    seed: int = SEED,
) -> tuple[float, float]:
    """Percentile-bootstrap interval of `x`'s percentile rank (ties as half). A resample of n
    values has Multinomial(n; below, tied, above) counts around `x`, so the counts are drawn
    directly: the same bootstrap distribution as resampling the values, in O(draws)."""
    arr = np.asarray(values, dtype=float)
    n = len(arr)
    if n < 2:
        return float("nan"), float("nan")
    shares = np.array([np.count_nonzero(arr < x), np.count_nonzero(arr == x), 0], float) / n
    shares[2] = max(0.0, 1.0 - shares[0] - shares[1])
    counts = np.random.default_rng(seed).multinomial(n, shares / shares.sum(), size=draws)
    estimates = 100.0 * (counts[:, 0] + 0.5 * counts[:, 1]) / n
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(estimates, [tail, 100 - tail])
    return float(lo), float(hi)


BAND = (10, 25, 50, 75, 90)


def band_position(amount: float, band: Sequence[float]) -> tuple[float | None, str, int | None]:
    """Where `amount` sits in a published p10/p25/p50/p75/p90 band: (percentile by linear
    interpolation between neighbouring published points, approximate; "within"; None), or
    (None, "below"/"above", the end's percentile) beyond the ends. NaN points (unpublished, or a
    top-coded floor the caller blanked) are skipped, so the ends are the known points."""
    points = [(p, float(v)) for p, v in zip(BAND, band, strict=True) if np.isfinite(v)]
    if len(points) < 2:
        return None, "unknown", None
    if amount < points[0][1]:
        return None, "below", points[0][0]
    if amount > points[-1][1]:
        return None, "above", points[-1][0]
    pcts, wages = zip(*points, strict=True)
    return float(np.interp(amount, wages, pcts)), "within", None


def bootstrap_medians(
    values: Sequence[float] | np.ndarray, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """`draws` medians of resamples (with replacement) of `values`, drawn in O(draws).

    A resample takes value index floor(U·n) for n uniform U, so its k-th smallest value is the
    sorted value at floor(U_(k)·n), and U_(k) ~ Beta(k, n+1-k). Given U_(k), the next order
    statistic is U_(k) + (1 - U_(k))·Beta(1, n-k). So the one or two middle order statistics
    are drawn directly: the same distribution as np.median over full resamples."""
    arr = np.sort(np.asarray(values, dtype=float))
    n = len(arr)
    k = (n + 1) // 2  # 1-based rank of the (lower) middle value
    low = rng.beta(k, n + 1 - k, size=draws)
    pick_low = arr[np.minimum((low * n).astype(np.int64), n - 1)]
    if n % 2:
        return pick_low
    high = low + (1 - low) * rng.beta(1, n - k, size=draws)
    pick_high = arr[np.minimum((high * n).astype(np.int64), n - 1)]
    return (pick_low + pick_high) / 2


def median_gap(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    draws: int = 4000,
    level: float = 0.95,
    seed: int = SEED,
) -> dict[str, float]:
    """A's median against B's: both medians, the gap in USD and in % of B's median, each with
    a seeded percentile-bootstrap interval (A and B resampled independently), and the share of
    A's values above B's median (ties counted half), in percent."""
    arr_a, arr_b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    med_a, med_b = float(np.median(arr_a)), float(np.median(arr_b))
    rng = np.random.default_rng(seed)
    boot_a = bootstrap_medians(arr_a, draws, rng)
    boot_b = bootstrap_medians(arr_b, draws, rng)
    tail = (1 - level) / 2 * 100
    usd_lo, usd_hi = np.percentile(boot_a - boot_b, [tail, 100 - tail])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = 100.0 * (boot_a / boot_b - 1)
    pct_lo, pct_hi = np.percentile(ratio[np.isfinite(ratio)], [tail, 100 - tail])
    return {
        "median_a": med_a,
        "median_b": med_b,
        "gap_usd": med_a - med_b,
        "gap_pct": 100.0 * (med_a / med_b - 1) if med_b else float("nan"),
        "usd_lo": float(usd_lo),
        "usd_hi": float(usd_hi),
        "pct_lo": float(pct_lo),
        "pct_hi": float(pct_hi),
        "a_above_b_median": percentile_rank(-arr_a, -med_b) if len(arr_a) else float("nan"),
    }
