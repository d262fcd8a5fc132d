"""Compare two segments in words and tables: labels, the median gap sentence, index gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import data, filters, fmt, stats
from dashboard.ui import PageContext

ABOUT = (
    "Set two segments, A and B, each any mix of country, level, job family, work years and "
    "remote ratio. The page sets their aijobs.net salary reports side by side: n for each, the "
    "gap between the medians in USD and in %, with a 95 % bootstrap interval (seeded, so the "
    "page always shows the same one), and how many of A's reports sit above B's median. Below, "
    "the two countries' (or sectors') Indeed postings index over time, and the gap between them."
)
COLOURS = {"a": "#0072B2", "b": "#E69F00"}  # the palette's first two: A blue, B orange
PLURALS = {"country": "countries", "level": "levels", "family": "families"}
# Settings of both segments at once: which country a report's country is, drawn above the
# segments (it says what their Country means); the unit and the repeats, in the sidebar.
BOTH = "country_of"
SIDEBAR = ("money", "dedupe")


def _values(ctx: PageContext, side: str, name: str) -> str | None:
    """One filter of a segment in a few words (None when it does not restrict)."""
    values = tuple(ctx.state.get(f"{side}_{name}") or ())
    if not values:
        return None
    if len(values) > 3:
        return f"{len(values)} {PLURALS.get(name, name + 's')}"
    if name == "country":
        return fmt.country_name(values[0]) if len(values) == 1 else ", ".join(values)
    if name == "remote":
        return ", ".join(f"{v} % remote" for v in values)
    return ", ".join(values)


def segment_label(ctx: PageContext, side: str) -> str:
    """`United States · Senior · 2024`: what segment `side` holds, in a few words."""
    countries = _values(ctx, side, "country")
    if countries and ctx.state.get("country_of") == "company":
        countries = f"companies in {countries}"
    parts = [
        countries or "all countries",
        _values(ctx, side, "level") or "all levels",
        _values(ctx, side, "family") or "all families",
    ]
    remote = _values(ctx, side, "remote")
    if remote:
        parts.append(remote)
    lo, hi = ctx.state.get(f"{side}_years") or ctx.options.years or (None, None)
    if lo is not None:
        parts.append(str(lo) if lo == hi else f"{lo}–{hi}")
    return " · ".join(parts)


def percent(value: float) -> str:
    """`18%`, `−3%`: a signed gap in whole percent (a true minus sign)."""
    return f"{value:,.0f}%".replace("-", "−")


def gap_words(gap: dict[str, float], n_a: int, n_b: int) -> str:
    """ "A's median is 18 % higher than B's ($27,000; 95 % interval 12 % to 25 %), n = 600 and
    7,806." When the interval spans no gap, it says the data cannot tell the medians apart."""
    pct, lo, hi = gap["gap_pct"], gap["pct_lo"], gap["pct_hi"]
    way = "higher than" if pct > 0 else "lower than"
    size = f"{percent(abs(pct))} {way}" if round(pct) else "about the same as"
    interval = f"95 % interval {percent(lo)} to {percent(hi)}"
    counts = f"n = {n_a:,} and {n_b:,}"
    text = (
        f"**A's median is {size} B's** ({fmt.usd(gap['median_a'])} against "
        f"{fmt.usd(gap['median_b'])}, a gap of {fmt.usd(gap['gap_usd']).replace('-', '−')}; "
        f"{interval}), {counts}."
    )
    if lo <= 0 <= hi:
        text += " The interval includes no gap: the data cannot tell the two medians apart."
    if min(n_a, n_b) < stats.LOW_N:
        text += " Read with care: a segment has fewer than 30 reports."
    return text


def share_words(gap: dict[str, float]) -> str:
    """How much of A lies above B's median (50 % if the two were alike)."""
    return (
        f"**{fmt.pct(gap['a_above_b_median'])} of A's reports are above B's median** (ties "
        "counted half); were the two segments alike, it would be about 50 %."
    )


def too_few_words(n_a: int, n_b: int) -> str:
    """Why no gap is given when a segment is too thin."""
    thin = [f"{side} has {fmt.plural(n, 'report')}" for side, n in (("A", n_a), ("B", n_b))]
    return (
        f"{' and '.join(thin)}: at least {stats.MIN_N} are needed in each to compare medians. "
        "Widen the thinner segment (more countries, levels, families or years)."
    )


def stats_rows(groups: dict[str, tuple[str, np.ndarray]]) -> pd.DataFrame:
    """One row per segment: its label, n and p10 … p90 in whole dollars (linear percentiles,
    as the other salary tables)."""
    rows = []
    for side, (label, values) in groups.items():
        p = stats.percentiles(values)
        rows.append(
            {"segment": f"{side.upper()}: {label}", "n": len(values)}
            | {name: p[name] for name in stats.PCT_COLUMNS}
        )
    frame = pd.DataFrame(rows)
    frame[stats.PCT_COLUMNS] = frame[stats.PCT_COLUMNS].astype(float).round(0).astype("Int64")
    return frame.rename(columns={"p50": "median"})


def segment_rows(key: str, queries: dict[str, data.SalaryQuery]) -> pd.DataFrame:
    """The reports of both segments, each row marked with its segment (a report in both is
    listed twice, once per segment)."""
    parts = [data.salary_rows(key, q).assign(segment=side.upper()) for side, q in queries.items()]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["segment", *[c for c in frame.columns if c != "segment"]]]


def index_gap(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """The two index lines on their common dates: `date`, `a`, `b` and `gap` = a − b."""
    both = a.rename(columns={"value": "a"}).merge(b.rename(columns={"value": "b"}), on="date")
    both["gap"] = both["a"] - both["b"]
    return both.sort_values("date", ignore_index=True)


def gap_table(gaps: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The numbers behind the openings chart: each day written as a date (the index is daily,
    so a clock time would say nothing), A's and B's index and the gap A − B."""
    table = gaps.rename(columns={"a": f"A: {names['a']}", "b": f"B: {names['b']}", "gap": "A − B"})
    return table.assign(date=table["date"].dt.strftime("%Y-%m-%d"))


def line_of(ctx: PageContext, side: str) -> tuple[str | None, str]:
    """(country, what is drawn) for segment `side`'s openings line; country None (with the
    reason) when the segment names no single country with a postings index."""
    chosen = tuple(ctx.state.get(f"{side}_country") or ())
    sector = ctx.state.get(f"{side}_sector")
    if len(chosen) != 1:
        return None, f"segment {side.upper()} needs exactly one country for an openings line"
    country = chosen[0]
    if country not in data.index_countries(ctx.key):
        return None, f"{fmt.country_name(country)} has no Indeed postings index"
    if sector and sector not in data.sector_coverage(ctx.key).get(country, []):
        return None, f"{fmt.country_name(country)} has no Indeed index for {fmt.md(sector)}"
    what = f"{fmt.country_name(country)} · {sector}" if sector else fmt.country_name(country)
    return country, what


def gap_summary(gaps: pd.DataFrame, names: dict[str, str]) -> str:
    """The latest gap, the gap a year before and the widest one, in a sentence."""
    if gaps.empty:
        return "The two lines share no date, so there is no gap to show."
    last = gaps.iloc[-1]
    year_ago = gaps.loc[gaps["date"] <= last["date"] - pd.DateOffset(years=1)]
    widest = gaps.loc[gaps["gap"].abs().idxmax()]

    def points(value: float) -> str:
        return f"{abs(value):,.1f} points {'higher' if value >= 0 else 'lower'}"

    text = (
        f"On {last['date']:%d %b %Y} A ({names['a']}) stood at {last['a']:,.1f} and B "
        f"({names['b']}) at {last['b']:,.1f}: A {points(last['gap'])}."
    )
    if len(year_ago):
        before = year_ago.iloc[-1]
        text += f" A year earlier A was {points(before['gap'])}."
    text += f" The widest gap: A {points(widest['gap'])} on {widest['date']:%d %b %Y}."
    return fmt.md(text)


def link_names() -> tuple[str, ...]:
    """Every input of the page, for the link that reopens it."""
    return (BOTH, *filters.segment_names("a"), *filters.segment_names("b"), *SIDEBAR)
