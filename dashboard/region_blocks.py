"""Below the country in words and tables: the regional postings index (Job openings), an
occupation's pay beside its state's demand (Occupations: where to work), the AI share of postings
(Skills, Demand & pay)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import fmt

REGIONS_ABOUT = (
    "The same **Indeed Job Postings Index** below the country: all postings in each US state, "
    "Canadian province or UK region and nation, seasonally adjusted, as a **% of its own 1 "
    "February 2020 level** (= 100). Each region is measured against itself: 120 in one state "
    "and 90 in another says postings grew there and shrank here since then, not that the first "
    "has more postings."
)
NO_OUTLINE = (
    "No map for {name}: the app bundles outlines of the world and of US states only, so its "
    "regions are ranked as bars instead."
)
MEASURE_WORDS = {"value": "the latest index", "change": "the change over 12 months"}
NA_NOTE = "n/a in *12-month change*: the series does not reach back a year before its latest day."
# BLS OEWS footnotes (oe.footnote) of a null wage: why it is not published.
FOOTNOTES = {
    "4": "reported only as hourly or only as annual pay",
    "5": "at or above the top code ($239,200 a year)",
    "8": "estimate not released",
}
WHERE_ABOUT = (
    "Where does this occupation pay well, and where is hiring holding up? Per state: the "
    "occupation's **median annual wage**, **employment** and **location quotient** (BLS OEWS, "
    "{month}), beside the state's **Indeed postings index** and its change over 12 months. "
    "**The postings index covers all postings in the state, not only this occupation**: it says "
    "whether hiring in the state as a whole is growing, not whether this occupation is."
)
AI_ABOUT = (
    "**The share of job postings that mention AI** (Indeed AI Tracker): of all postings on "
    "Indeed in the country, the percentage whose text names AI keywords such as *machine "
    "learning*, *artificial intelligence* or *generative AI*; a seven-day trailing average, so "
    "a day's value covers the week before it. A share of all postings, not a count, and not the "
    "share of AI jobs: a marketing job that asks for AI tools counts too."
)


UNITS = {"US": "states", "CA": "provinces", "GB": "regions and nations"}
# Drawn too small to see on the US state map at this resolution: said under it.
TINY = {"US-DC": "District of Columbia"}


def map_titles(latest: pd.DataFrame, measure: str, country: str) -> tuple[str, str]:
    """(title, subtitle) of the regional map or bars: what is drawn and on which day, short
    enough for a phone."""
    units = UNITS.get(country, "regions").split(" ")[0].capitalize()
    name = {"US": "US", "CA": "Canada's", "GB": "UK"}.get(country, fmt.country_name(country))
    day = f"{latest['date'].max():%d %b %Y}" if len(latest) else ""
    if measure == "value":
        return f"{name} {units.lower()}: postings index", f"{day} · 1 Feb 2020 = 100"
    return f"{name} {units.lower()}: 12-month change", f"to {day} · index points"


def map_note(latest: pd.DataFrame, country: str, place: str) -> str:
    """Under the map: the colours and the areas too small to see; for Canada and the UK, why
    bars and not a map."""
    if country != "US":
        return NO_OUTLINE.format(name=place)
    tiny = [n for c, n in TINY.items() if c in set(latest["region"])]
    return "Blue: above the reference (100, or no change); red: below." + (
        f" Too small to see on the map (see the table): {', '.join(tiny)}." if tiny else ""
    )


def table_title(country: str, place: str) -> str:
    return f"{place}: every one of its {UNITS.get(country, 'regions')}, ranked by latest index"


def lines_heading(country: str, place: str) -> str:
    return f"{place}: chosen {UNITS.get(country, 'regions')} over time"


def lines_title(country: str, place: str) -> str:
    """Short enough for a phone: `Chosen states vs the US`."""
    short = {"US": "the US", "CA": "Canada", "GB": "the UK"}.get(country, place)
    return f"Chosen {UNITS.get(country, 'regions').split(' ')[0]} vs {short}"


def with_text(latest: pd.DataFrame) -> pd.DataFrame:
    """`region_latest` with the day as text, for hover labels."""
    return latest.assign(date_text=latest["date"].dt.strftime("%d %b %Y"))


def ranked_table(latest: pd.DataFrame) -> pd.DataFrame:
    """One row per region, highest latest index first: rank, name, code, the index and its day,
    the index a year before and the 12-month change (null = n/a)."""
    return pd.DataFrame(
        {
            "rank": latest["rank"],
            "region": latest["region_name"],
            "code": latest["region"],
            "latest index": latest["value"],
            "as of": latest["date"].dt.strftime("%Y-%m-%d"),
            "a year before": latest["year_before"],
            "12-month change": latest["change"],
            "source": latest["source"],
        }
    )


def table_columns() -> dict[str, Any]:
    return {
        "rank": st.column_config.NumberColumn(width=50),
        "latest index": st.column_config.NumberColumn(format="%.1f"),
        "a year before": st.column_config.NumberColumn(format="%.1f"),
        "12-month change": st.column_config.NumberColumn(
            format="%+.1f", help="In index points against the same day a year before"
        ),
    }


def bars_frame(latest: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The rows a ranked bar chart of `measure` draws, with the value as a label."""
    shown = latest.dropna(subset=[measure])
    sign = "+" if measure == "change" else ""
    return shown.assign(text=[f"{v:{sign},.1f}" for v in shown[measure]])


def words(latest: pd.DataFrame, measure: str, place: str) -> str:
    """The map's or bars' text alternative: the highest and lowest region, and the day."""
    if latest.empty:
        return f"No regional postings index for {place}."
    shown = latest.dropna(subset=[measure])
    show = fmt.index_value if measure == "value" else (lambda v: f"{v:+,.1f} points")
    sentence = fmt.extremes(
        shown["region_name"], shown[measure], what=MEASURE_WORDS[measure], show=show
    )
    day = latest["date"].max()
    return f"{place}, to {day:%d %b %Y}: {sentence[0].lower()}{sentence[1:]}"


def na_note(latest: pd.DataFrame) -> str:
    """What n/a means, and which regions it hits; regions whose latest day is older than the
    others' are named with their day."""
    parts = []
    missing = latest.loc[latest["change"].isna(), "region_name"]
    if len(missing):
        parts.append(f"{NA_NOTE} ({fmt.md(', '.join(missing))})")
    if len(latest):
        last = latest["date"].max()
        behind = latest.loc[latest["date"] < last]
        if len(behind):
            listed = ", ".join(
                f"{n} ({d:%d %b %Y})"
                for n, d in zip(behind["region_name"], behind["date"], strict=True)
            )
            parts.append(f"Ending earlier than {last:%d %b %Y}: {fmt.md(listed)}.")
    return " ".join(parts)


def of_country(chosen: Sequence[str], country: str) -> tuple[str, ...]:
    """The chosen regions that belong to `country` (codes start with its ISO code)."""
    return tuple(r for r in chosen if r.startswith(f"{country}-"))


def lines_note(series: pd.DataFrame, reference: pd.DataFrame, place: str) -> str:
    """The lines chart's caption: the grey dashed line, and each region's last day."""
    note = (
        f"Grey dashed: {place} as a whole (all postings, seasonally adjusted), for reference."
        if len(reference)
        else f"No whole-country index for {place} is loaded."
    )
    return note + " Choose regions above the chart."


def lines_words(series: pd.DataFrame, reference: pd.DataFrame) -> str:
    """The lines' text alternative: the latest value of each line, highest and lowest."""
    both = pd.concat([series, reference], ignore_index=True)
    return fmt.series_summary(both, "region_name", what="the postings index")


# --------------------------------------------------------------------------------------------
# Where to work


def footnote_words(codes: object) -> str:
    """BLS footnote codes (`4;8`) in words."""
    if not isinstance(codes, str) or not codes:
        return "no estimate published"
    said = [FOOTNOTES.get(c.strip(), f"footnote {c.strip()}") for c in codes.split(";")]
    return "; ".join(said)


def where_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """`where_to_work` as the table shows it: one row per state, wages and demand, a `note`
    on a state without a published median (its footnote in words, or no OEWS row at all)."""
    published = frame["annual_median"].notna()
    note = [
        ""
        if ok
        else "no OEWS row for this occupation"
        if pd.isna(emp) and pd.isna(foot)
        else f"median not published: {footnote_words(foot)}"
        for ok, emp, foot in zip(published, frame["employment"], frame["footnotes"], strict=True)
    ]
    top = frame["top_coded"].fillna(False).astype(bool)
    return pd.DataFrame(
        {
            "state": frame["area_name"],
            "code": frame["state"],
            "median wage": frame["annual_median"].astype("float64"),
            "employment": frame["employment"].astype("float64"),
            "location quotient": frame["location_quotient"].astype("float64"),
            "postings index": frame["index"].astype("float64"),
            "12-month change": frame["change"].astype("float64"),
            "index as of": frame["index_date"].dt.strftime("%Y-%m-%d"),
            "note": [
                ("median ≥ $239,200 (top-coded)" if t else n)
                for t, n in zip(top, note, strict=True)
            ],
        }
    )


def where_columns() -> dict[str, Any]:
    return {
        "median wage": st.column_config.NumberColumn(
            format="$%,d", help="BLS OEWS median annual wage of the occupation in the state"
        ),
        "employment": st.column_config.NumberColumn(
            format="%,d", help="Jobs held in the occupation in the state (not openings)"
        ),
        "location quotient": st.column_config.NumberColumn(
            format="%.2f",
            help="The occupation's share of the state's jobs ÷ its share nationally",
        ),
        "postings index": st.column_config.NumberColumn(
            format="%.1f", help="All Indeed postings in the state, 1 Feb 2020 = 100"
        ),
        "12-month change": st.column_config.NumberColumn(
            format="%+.1f", help="Index points against the same day a year before"
        ),
    }


def unpublished(frame: pd.DataFrame) -> str:
    """The states with a postings index but no published median, each with why."""
    rows = frame.loc[frame["annual_median"].isna()]
    if rows.empty:
        return ""
    said = []
    for name, emp, foot in zip(
        rows["area_name"], rows["employment"], rows["footnotes"], strict=True
    ):
        why = "no OEWS row" if pd.isna(emp) and pd.isna(foot) else footnote_words(foot)
        said.append(f"{name} ({why})")
    return (
        "Not drawn (no published median wage; never shown as zero): "
        + fmt.md(", ".join(said))
        + "."
    )


def where_words(frame: pd.DataFrame, title: str) -> str:
    """The scatter's text alternative: the best-paid states and their demand."""
    drawn = frame.dropna(subset=["annual_median", "change"])
    if drawn.empty:
        return (
            f"No state has both a published median wage for {fmt.md(title)} and a postings index."
        )
    top = drawn.nlargest(3, "annual_median")
    listed = "; ".join(
        f"{fmt.md(n)} {fmt.wage(w, bool(t))} ({c:+,.1f} points)"
        for n, w, t, c in zip(
            top["area_name"],
            top["annual_median"],
            top["top_coded"].fillna(False),
            top["change"],
            strict=True,
        )
    )
    growing = int((drawn["change"] > 0).sum())
    return (
        f"Highest median wage for {fmt.md(title)}: {listed} (postings change over 12 months in "
        f"brackets). Postings grew over 12 months in {growing} of the {len(drawn)} states drawn."
    )


# --------------------------------------------------------------------------------------------
# AI in postings


# The ML and data job families (aijobs.net) beside whose pay Demand & pay draws the AI share.
AI_FAMILIES = (
    "Machine Learning Engineer",
    "AI/ML Architect & Lead",
    "Research Scientist",
    "Data Scientist",
    "Data Engineer",
    "Data Analyst",
    "Analytics/BI",
    "Data Management & Governance",
)


def ai_metrics(latest: pd.DataFrame) -> list[dict[str, str]]:
    """One metric per country: its latest share, the day, the change over 12 months."""
    out = []
    for row in latest.itertuples(index=False):
        change = None if pd.isna(row.change) else f"{row.change:+.2f} pp in 12 months"
        out.append(
            {
                "label": f"{row.name}, {row.date:%d %b %Y}",
                "value": f"{row.value:.2f}%",
                "delta": change,
            }
        )
    return out


def ai_table(latest: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": latest["name"],
            "code": latest["country"],
            "latest share %": latest["value"],
            "as of": latest["date"].dt.strftime("%Y-%m-%d"),
            "a year before %": latest["year_before"],
            "12-month change (pp)": latest["change"],
            "source": latest["source"],
        }
    )


def ai_words(latest: pd.DataFrame) -> str:
    if latest.empty:
        return "No AI share to show."
    day = latest["date"].max()
    sentence = fmt.extremes(
        latest["name"],
        latest["value"],
        what="the share of postings mentioning AI",
        show=lambda v: f"{v:.2f}%",
    )
    return f"Latest values (to {day:%d %b %Y}): {sentence[0].lower()}{sentence[1:]}"


def ai_range(index: pd.DataFrame, pay: pd.DataFrame, ai: pd.DataFrame) -> list[pd.Timestamp] | None:
    """One time axis for the Demand & pay chart and the AI share under it: from the first day
    the demand chart draws (its index, or its first pay year's 1 January) to the last day of
    either chart (the index, a pay year's 31 December, or the AI share)."""
    starts, ends = [], []
    if len(index):
        starts.append(index["date"].min())
        ends.append(index["date"].max())
    if len(pay):
        starts.append(pd.Timestamp(int(pay["work_year"].min()), 1, 1))
        ends.append(pd.Timestamp(int(pay["work_year"].max()), 12, 31))
    if len(ai):
        ends.append(ai["date"].max())
    return [min(starts), max(ends)] if starts else None


def on_axis(fig: go.Figure, span: Sequence[pd.Timestamp] | None) -> go.Figure:
    """A copy of a (cached, shared) figure with its time axes set to `span`; as it is without."""
    if span is None:
        return fig
    out = go.Figure(fig)
    out.update_xaxes(range=list(span))
    return out


def ai_demand_words(series: pd.DataFrame, place: str) -> str:
    if series.empty:
        return f"No AI share for {place}."
    first, last = series.iloc[0], series.iloc[-1]
    return (
        f"In {place}, the share of postings mentioning AI went from {first['share_pct']:.2f}% on "
        f"{first['date']:%d %b %Y} to {last['share_pct']:.2f}% on {last['date']:%d %b %Y}."
    )
