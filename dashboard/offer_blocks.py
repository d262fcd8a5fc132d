"""The offer check's figures in words and tables: conversion, position, widening, official band."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard import fmt, stats
from dashboard.data import SalaryQuery, offers

ABOUT = (
    "Enter an offer (or your pay) and the group to compare it with. The page places the amount "
    "among the aijobs.net salary reports of that group: its percentile, how sure that is (a 95 % "
    "bootstrap interval, seeded so the page always shows the same one) and how many reports it "
    "rests on. A thin group is widened one step at a time. For a US role that maps to an "
    "official occupation, the amount is also placed in BLS OEWS's published wage percentiles."
)

# A percentile that moves more than this many points under another setting of a default
# (every employment type, every row counted) is shown beside the group's own.
SHIFT_POINTS = 3


def convert(key: str, amount: float, currency: str, year: int | None) -> dict[str, Any]:
    """The amount in USD and a sentence on how it was converted (`usd` None: it cannot be)."""
    if currency == "USD":
        return {"usd": amount, "words": "", "rate": 1.0, "n": None}
    rate = offers.implied_rate(key, currency, year)
    if rate["rate"] is None:
        return {
            "usd": None,
            "words": f"No salary report in the data is paid in {currency}, so there is no rate "
            "to convert it with. Choose USD and state the amount in US dollars.",
            "rate": None,
            "n": 0,
        }
    usd = amount * rate["rate"]
    when = f"in {rate['year']}" if rate["year"] == year else f"in {rate['year']}, the nearest year"
    words = (
        f"{currency} {amount:,.0f} ≈ **{fmt.usd(usd)}** at {rate['rate']:.4f} USD per {currency}: "
        f"the median of salary_usd ÷ salary over the {fmt.plural(rate['n'], 'report')} paid in "
        f"{currency} {when} (the rate aijobs.net converted them with)."
    )
    return {"usd": usd, "words": words, "rate": rate["rate"], "n": rate["n"]}


def position(values: np.ndarray, usd: float | None) -> dict[str, Any]:
    """n, p25/p50/p75 of the group and, for an amount, its percentile rank (ties as half) with a
    seeded 95 % bootstrap interval."""
    out: dict[str, Any] = {**stats.percentiles(values), "n": len(values)}
    out["rank"] = out["lo"] = out["hi"] = None
    if usd is not None and len(values) >= stats.MIN_N:
        out["rank"] = stats.percentile_rank(values, usd)
        out["lo"], out["hi"] = stats.rank_interval(values, usd)
    return out


def matching(n: int) -> str:
    """`No report matches`, `Only 1 report matches`, `Only 12 reports match`."""
    if n == 0:
        return "No report matches"
    return f"Only {fmt.plural(n, 'report')} {'matches' if n == 1 else 'match'}"


def position_words(pos: dict[str, Any], usd: float | None) -> str:
    """ "Your offer of $150,000 is at the 63rd percentile (95 % interval 60th–66th) of 1,207
    reports: above the median of $140,000." Or why it cannot be placed."""
    n = pos["n"]
    if n < stats.MIN_N:
        return (
            f"{matching(n)}, even widened: too few to place an offer (at least {stats.MIN_N} "
            "are needed). Loosen the group in the sidebar."
        )
    if usd is None:
        return (
            f"The group's median is **{fmt.usd(pos['p50'])}** (p25 {fmt.usd(pos['p25'])}, p75 "
            f"{fmt.usd(pos['p75'])}) over {fmt.plural(n, 'report')}. Enter an amount in the "
            "sidebar to place an offer."
        )
    side = "above" if usd > pos["p50"] else "below" if usd < pos["p50"] else "at"
    care = " Read with care: fewer than 30 reports." if n < stats.LOW_N else ""
    return (
        f"An offer of **{fmt.usd(usd)}** is at the **{fmt.ordinal(pos['rank'])} percentile** "
        f"(95 % interval {fmt.ordinal(pos['lo'])}–{fmt.ordinal(pos['hi'])}) of "
        f"{fmt.plural(n, 'report')}: {side} the group's median of {fmt.usd(pos['p50'])}.{care}"
    )


def other_positions(key: str, query: SalaryQuery, pay: float | None) -> list[dict[str, Any]]:
    """The offer's percentile in the group under the other choice of each default setting
    (`offers.other_settings`): `label`, `rank` (None below MIN_N reports) and `n`."""
    rows = []
    for label, other in offers.other_settings(query):
        values = offers.salary_values(key, other)
        enough = pay is not None and len(values) >= stats.MIN_N
        rank = stats.percentile_rank(values, pay) if enough else None
        rows.append({"label": label, "rank": rank, "n": len(values)})
    return rows


def other_words(pos: dict[str, Any], others: list[dict[str, Any]]) -> tuple[str, bool]:
    """(words, moved): both percentiles when another setting of a default moves the offer's by
    more than SHIFT_POINTS (moved True); else a line saying none does; empty without a rank."""
    ranked = [o for o in others if o["rank"] is not None]
    if pos["rank"] is None or not ranked:
        return "", False
    moved = [o for o in ranked if abs(o["rank"] - pos["rank"]) > SHIFT_POINTS]
    if not moved:
        said = "; ".join(fmt.md(o["label"]) for o in ranked)
        return (
            f"Other settings ({said}) move this percentile by {SHIFT_POINTS} points or less.",
            False,
        )
    parts = [
        f"with {fmt.md(o['label'])}, at the **{fmt.ordinal(o['rank'])}** of "
        f"{fmt.plural(o['n'], 'report')}"
        for o in moved
    ]
    return (
        f"**The group's settings move this percentile** (by more than {SHIFT_POINTS} points): "
        f"the offer is at the **{fmt.ordinal(pos['rank'])}** percentile of "
        f"{fmt.plural(pos['n'], 'report')} here; " + "; ".join(parts) + ".",
        True,
    )


def steps_words(steps: pd.DataFrame) -> str:
    """What widening was used and the n after each step; empty when none was needed."""
    if len(steps) < 2:
        return ""
    first = int(steps["n"].iloc[0])
    chain = " → ".join(
        f"{step} ({fmt.plural(int(n), 'report')})"
        for step, n in zip(steps["step"].iloc[1:], steps["n"].iloc[1:], strict=True)
    )
    return (
        f"{matching(first)} exactly (fewer than {offers.MIN_REPORTS}), so the group was "
        f"widened one step at a time: {chain}."
    )


def official_rows(band: pd.DataFrame, usd: float | None) -> pd.DataFrame:
    """One row per area (national, state): the published percentiles and where the amount sits
    (interpolated, approximate). A top-coded point is a floor, so it is not interpolated to."""
    rows = []
    for row in band.itertuples():
        points = [row.annual_p10, row.annual_p25, row.annual_median, row.annual_p75]
        top = bool(row.top_coded) and row.annual_p90 == fmt.TOP_CODE
        points.append(np.nan if top else row.annual_p90)
        where = ""
        if usd is not None:
            value, side, edge = stats.band_position(usd, points)
            if side == "within":
                where = f"about the {fmt.ordinal(value)} percentile (approximate)"
            elif side in ("below", "above"):
                where = f"{side} the {fmt.ordinal(edge)} percentile"
        rows.append(
            {
                "area": row.area_name,
                "occupation": f"{row.occupation} ({row.occupation_code})",
                "jobs": fmt.count(row.employment),
                "p10": fmt.usd(row.annual_p10),
                "p25": fmt.usd(row.annual_p25),
                "median": fmt.usd(row.annual_median),
                "p75": fmt.usd(row.annual_p75),
                "p90": fmt.wage(row.annual_p90, top),
                "your offer": where,
            }
        )
    return pd.DataFrame(rows)


def forward_words(
    fwd: dict[str, Any], before: dict[str, Any], after: dict[str, Any], usd: float | None
) -> str:
    """Which growth brought the reports forward, over which months, and where the offer stands
    against them then (`after`) and as reported (`before`); `fwd` is data.brought_forward's."""
    if fwd["latest"] is None:
        return (
            "Indeed's wage tracker has no posted wage growth for this country, so the reports "
            "cannot be brought forward: they are compared as reported."
        )
    place = fmt.country_name(fwd["country"])
    series = f"{place}, {fwd['sector']} sector" if fwd["sector"] else f"{place}, all postings"
    latest = f"{fwd['latest']:%b %Y}"
    said = (
        f"Indeed tracks no pay growth for {fwd['sector_missing']} (the job family's sector), so "
        "the country's growth over all postings is used. "
        if fwd["sector_missing"]
        else ""
    )
    how = (
        f"{said}Each report's pay is raised by the growth of advertised pay ({series}) from "
        f"the middle of its work year (1 July) to {latest} (Indeed Wage Tracker; month by "
        "month, each month adds a twelfth of its year-on-year growth, compounded). Amounts in "
        "US dollars as reported."
    )
    moved = (
        f"the group's median moves from {fmt.usd(before['p50'])} to {fmt.usd(after['p50'])}"
        if after["n"]
        else ""
    )
    if after["rank"] is None:
        return fmt.md(f"{how} Brought forward, {moved}." if moved else how)
    return fmt.md(
        f"{how} Brought forward to {latest}, an offer of {fmt.usd(usd)} is at the "
        f"{fmt.ordinal(after['rank'])} percentile (95 % interval {fmt.ordinal(after['lo'])}–"
        f"{fmt.ordinal(after['hi'])}) of the same {fmt.plural(after['n'], 'report')}, against "
        f"the {fmt.ordinal(before['rank'])} as reported; {moved}."
    )


def forward_rows(fwd: dict[str, Any]) -> pd.DataFrame:
    """One row per work year of the group: its reports, the months of growth and the factor."""
    factors = fwd["factors"]
    return pd.DataFrame(
        {
            "work year": factors["work year"],
            "reports": factors["reports"].map(fmt.count),
            "from": factors["from"],
            "to": factors["to"],
            "months of growth": factors["months"],
            "pay raised by": [f"{100 * (f - 1):+.1f}%" for f in factors["factor"]],
        }
    )
