"""Demand beside pay in words and tables: a family's sector, its pay by year, each country."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, fmt, stats, ui

ABOUT = (
    "Two sources side by side, measuring different things. **Top:** the Indeed postings index "
    "of the job family's occupational sector: how many postings there are relative to the same "
    "sector on 1 Feb 2020 (= 100), not a count and not pay. **Bottom:** the median salary the "
    "family's aijobs.net reports give for each work year: reported pay, not demand. The two "
    "share a time axis so you can see whether pay moved with postings; one does not explain the "
    "other, and the sector is wider than the family (see the mapping below)."
)


MAPPING_CREDIT = (
    "Source: this project's own mapping of the aijobs.net job families to Indeed's "
    "occupational sectors (a judgement made here, not published by either), kept as data in "
    "the ETL: `etl/sources/aijobs/family_sectors.csv`, the `family_sectors` table"
)
CHANGE_HELP = (
    "The median's change in % against the year before. "
    f"{ui.DASH}: the year before has fewer than 10 reports, too few for a median."
)
INDEX_CHANGE_HELP = (
    "In index points against the value a year before the date given. "
    f"{ui.DASH}: the index does not go back a year."
)


def sector_of(key: str, family: str | None) -> dict[str, Any] | None:
    """The mapped Indeed sector of a job family, with the mapping's note (None: unmapped)."""
    mapping = data.family_sectors(key)
    row = mapping.loc[mapping["job_family"] == family]
    if family is None or row.empty:
        return None
    return {"sector": str(row["sector"].iloc[0]), "note": str(row["note"].iloc[0])}


def pay_by_year(key: str, query: data.SalaryQuery) -> pd.DataFrame:
    """n and percentiles of the family's reports (`query`: one family in one country, every
    work year) per work year, the years with fewer than 10 reports left out and those under 30
    flagged `low_n`."""
    shown, _ = stats.sample_rules(data.salary_stats(key, query, "work_year"))
    return shown


def _change(index: pd.DataFrame) -> tuple[float | None, float | None, pd.Timestamp | None]:
    """(latest value, change over the year before it in points, latest date) of an index."""
    if index.empty:
        return None, None, None
    last = index.iloc[-1]
    before = index.loc[index["date"] <= last["date"] - pd.DateOffset(years=1)]
    change = float(last["value"] - before["value"].iloc[-1]) if len(before) else None
    return float(last["value"]), change, last["date"]


def country_rows(
    key: str, query: data.SalaryQuery, sector: str, partial: tuple[int, ...]
) -> pd.DataFrame:
    """One row per country with both the sector's postings index and 10+ of the family's
    reports in some complete work year: the index's latest value and 12-month change, and the
    latest complete year's median, n and change against the year before (in %)."""
    rows = []
    for country, have in data.sector_coverage(key).items():
        if sector not in have:
            continue
        pay = pay_by_year(key, dataclasses.replace(query, countries=(country,)))
        pay = pay.loc[~pay["work_year"].isin(partial)]
        if pay.empty:
            continue
        value, change, when = _change(data.index_line(key, country, sector))
        last = pay.iloc[-1]
        prior = pay.loc[pay["work_year"] == last["work_year"] - 1]
        growth = (
            100.0 * (float(last["p50"]) / float(prior["p50"].iloc[0]) - 1) if len(prior) else None
        )
        rows.append(
            {
                "country": fmt.country_name(country),
                "code": country,
                "index": value,
                "as of": when.strftime("%Y-%m-%d") if when is not None else None,
                "12-month change": change,
                "pay year": int(last["work_year"]),
                "median": float(last["p50"]),
                "n": int(last["n"]),
                "vs year before": growth,
            }
        )
    columns = [
        "country",
        "code",
        "index",
        "as of",
        "12-month change",
        "pay year",
        "median",
        "n",
        "vs year before",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("n", ascending=False, ignore_index=True)


def country_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`country_rows` as the page shows it: the two changes as signed text, a missing one as a
    dash (the column's help says why), not `None`."""
    return rows.assign(
        **{
            "12-month change": ui.dashed(rows["12-month change"], lambda v: f"{v:+.1f}"),
            "vs year before": ui.dashed(rows["vs year before"], lambda v: f"{v:+.1f}%"),
        }
    )


def country_columns() -> dict[str, Any]:
    """Column settings of `country_table`."""
    return {
        "index": st.column_config.NumberColumn(format="%.1f"),
        "12-month change": st.column_config.TextColumn(help=INDEX_CHANGE_HELP, alignment="right"),
        "median": st.column_config.NumberColumn(format="$%,d"),
        "n": st.column_config.NumberColumn("n (reports)", format="%,d"),
        "vs year before": st.column_config.TextColumn(help=CHANGE_HELP, alignment="right"),
    }


def last_day(index: pd.DataFrame) -> str | None:
    """`2024-09-27 (last day drawn)`: where an index line ends (None when it is empty)."""
    return f"{index['date'].max():%Y-%m-%d} (last day drawn)" if len(index) else None


def words(
    index: pd.DataFrame,
    pay: pd.DataFrame,
    names: dict[str, str],
    partial: tuple[int, ...] = (),
) -> str:
    """What the two panels show, in two sentences (each about its own source). `names`:
    family, sector, place."""
    family, sector, place = names["family"], names["sector"], names["place"]
    parts = []
    value, change, when = _change(index)
    if value is not None and when is not None:
        moved = ""
        if change is not None:
            moved = (
                f", {abs(change):,.1f} points {'up' if change >= 0 else 'down'} on a year before"
            )
        parts.append(
            f"Indeed postings in {sector} in {place} stood at {value:,.1f} on {when:%d %b %Y} "
            f"(1 Feb 2020 = 100){moved}."
        )
    else:
        parts.append(f"Indeed has no {sector} index for {place}.")
    if len(pay):
        first, last = pay.iloc[0], pay.iloc[-1]

        def year(row: pd.Series) -> str:
            y = int(row["work_year"])
            return f"{y}{' (partial year)' if y in partial else ''}, n = {int(row['n']):,}"

        parts.append(
            f"The median reported salary of {family} reports in {place} was "
            f"{fmt.usd(first['p50'])} in {year(first)}, and {fmt.usd(last['p50'])} in "
            f"{year(last)}."
        )
    else:
        parts.append(f"No work year has 10 or more {family} reports in {place}.")
    return fmt.md(" ".join(parts))
