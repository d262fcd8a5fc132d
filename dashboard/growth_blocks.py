"""Pay growth in words and tables: what the measure is, the latest value and peak per country, the
sectors Indeed tracks, and the crowd reports' median change set beside it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, fmt

ABOUT = (
    "**Growth of advertised pay, not a level of pay.** Each line says by how much the pay "
    "advertised in job postings in a month was higher (or lower) than a year before, in %, "
    "for the same job titles: Indeed's Wage Tracker (the median growth over job title, region "
    "and pay type). +3% means pay offered for the same jobs rose 3% in a year; it says nothing "
    "about how high that pay is, and it is not what people already in a job earn. The line is "
    "the 3-month average; hover over it for the month's own value and the number of postings "
    "with pay it rests on."
)
CROWD_ABOUT = (
    "A **different measure**, from a different source: the median of the aijobs.net salary "
    "reports (AI, ML and data roles, by the country the person lives in) in one work year "
    "against the year before, in US dollars as reported. It mixes whoever reported each year "
    f"(a change of mix moves it as much as pay does), so it is shown only where both years have "
    f"{data.CROWD_MIN_N} or more reports, and never for a year the salary snapshot covers only "
    "in part. The diamonds are the posted wage growth of the same country and calendar year "
    "(the mean of its 12 monthly values), so the two can be set side by side."
)
NOT_LOADED = (
    "The seed tables hold no pay growth. A refresh adds the Indeed Wage Tracker: the "
    "year-on-year growth of the pay advertised in job postings, monthly from January 2019, for "
    "Canada, France, Germany, Ireland, Italy, Japan, the Netherlands, Spain, the United "
    "Kingdom, the United States and the euro area, each month with its number of postings, and "
    "the US by occupational sector; and the aijobs.net salary reports whose median change is "
    "set beside it."
)
SUMMARY_NOTE = (
    "3-month average and the month's own value: growth on the same month a year before, in %; "
    "postings: the job postings with pay behind the latest month; peak: the highest 3-month "
    "average since the series starts (its first two months have none)."
)


# The crowd table's percentages, with their sign and one decimal.
PERCENT_COLUMNS = {
    name: st.column_config.NumberColumn(format="%+.1f%%")
    for name in ("median of reports, change %", "advertised pay, growth %")
}


def signed(value: float | None) -> str:
    """`+2.3%`, `-0.4%`, `–` when missing."""
    return "–" if fmt.missing(value) else f"{float(value):+.1f}%"


def last_month(series: pd.DataFrame) -> str | None:
    """The last month drawn, `YYYY-MM`, for the provenance caption."""
    return None if series.empty else f"{series['month'].max():%Y-%m}"


def headline(summary: pd.DataFrame, most: int = 4) -> None:
    """The latest 3-month average of up to `most` series as metrics, each with its month, the
    month's own value, its postings and the peak."""
    rows = summary.head(most)
    if rows.empty:
        return
    for col, row in zip(st.columns(len(rows)), rows.itertuples(index=False), strict=True):
        col.metric(
            fmt.md(row.series),
            signed(row[4]),
            help="Year-on-year growth of advertised pay, 3-month average",
        )
        col.caption(
            f"{row[3]} (3-month average) · that month: {signed(row[5])} · "
            f"{fmt.count(row.postings)} postings · peak {signed(row[7])} in {row[8]}"
        )


def summary_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as a small table: names with codes, percentages with one decimal and sign."""
    return pd.DataFrame(
        {
            "series": summary["series"],
            "code": summary["country"],
            "latest month": summary["latest month"],
            "3-month average": summary["3-month average %"].map(signed),
            "the month itself": summary["month's own %"].map(signed),
            "postings": summary["postings"].map(fmt.count),
            "peak (3-month average)": summary["peak %"].map(signed),
            "peak month": summary["peak month"],
        }
    )


def words(summary: pd.DataFrame, what: str = "") -> str:
    """The chart in words: each line's latest value with its month and postings, and its peak."""
    if summary.empty:
        return "No posted wage growth to show for this choice."
    parts = [
        f"{row.series}{what}: {signed(row[4])} in {row[3]} (3-month average; the month itself "
        f"{signed(row[5])}, {fmt.count(row.postings)} postings), peak {signed(row[7])} in "
        f"{row[8]}"
        for row in summary.itertuples(index=False)
    ]
    return fmt.md("Year-on-year growth of advertised pay. " + "; ".join(parts) + ".")


def sector_note(key: str) -> str:
    """Which tech sectors Indeed tracks no pay for, said once; empty when it tracks them."""
    have = set(data.wage_sectors(key))
    absent = [s for s in data.DEFAULT_SECTORS if s not in have]
    if not absent:
        return ""
    return fmt.md(
        f"Indeed's wage tracker publishes no series for {', '.join(absent)} (the sectors of most "
        "ML, data and software roles); the sectors it tracks are in the sidebar. The dashed line "
        "is the United States over all postings."
    )


def crowd_rows(changes: pd.DataFrame) -> pd.DataFrame:
    """The crowd change beside posted growth, one row per country and year, in words and %."""
    return pd.DataFrame(
        {
            "country": changes["country"].map(fmt.country_name),
            "code": changes["country"],
            "work year": changes["year"],
            "median": changes["median"],
            "n": changes["n"],
            "year before": changes["year before median"],
            "n year before": changes["year before n"],
            "median of reports, change %": 100.0 * changes["crowd change"],
            "advertised pay, growth %": 100.0 * changes["posted growth"].astype(float),
        }
    )


def crowd_words(changes: pd.DataFrame) -> str:
    """Each country's latest crowd change beside posted growth in the same year."""
    if changes.empty:
        return (
            f"No chosen country has {data.CROWD_MIN_N} or more salary reports in two complete "
            "work years running, so there is no crowd change to set beside the posted growth."
        )
    parts = []
    for _, row in changes.groupby("country", sort=False).tail(1).iterrows():
        posted = (
            f"; advertised pay grew {signed(100.0 * row['posted growth'])} that year"
            if not fmt.missing(row["posted growth"])
            else ""
        )
        parts.append(
            f"{fmt.country_name(row['country'])}: the median of reports moved "
            f"{signed(100.0 * row['crowd change'])} from {int(row['year']) - 1} to "
            f"{int(row['year'])} ({fmt.usd(row['year before median'])}, n = "
            f"{int(row['year before n']):,}, to {fmt.usd(row['median'])}, n = "
            f"{int(row['n']):,}){posted}"
        )
    return fmt.md("; ".join(parts) + ". Two measures: reported pay and advertised pay.")
