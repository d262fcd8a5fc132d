"""Occupations page blocks: the OEWS headline, wage and area tables, O*NET section, exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, fmt, ui

STATS = ("annual_p10", "annual_p25", "annual_median", "annual_p75", "annual_p90")
STAT_NAMES = dict(zip(STATS, ("p10", "p25", "median", "p75", "p90"), strict=True))
TOP_CODE_NOTE = (
    "BLS does not publish wages at or above $239,200 a year: such a percentile reads "
    "“≥ $239,200” (its table cell holds that floor and is flagged)."
)
COLORBAR = {
    "annual_median": "Median (USD)",
    "employment": "Jobs",
    "employment_per_1000": "Per 1,000 jobs",
    "location_quotient": "LQ",
}
SHOW: dict[str, Callable[[float], str]] = {
    "annual_median": fmt.usd,
    "employment": fmt.count,
    "employment_per_1000": lambda v: f"{v:.2f} per 1,000 jobs",
    "location_quotient": lambda v: f"{v:.2f}",
}
MEASURE_NOTES = {
    "annual_median": "Median annual wage of the occupation in each state.",
    "employment": "Jobs held in the occupation in each state (not openings).",
    "employment_per_1000": "The occupation's jobs per 1,000 jobs of all kinds in the state.",
    "location_quotient": "Location quotient: the occupation's share of the state's jobs "
    "divided by its share nationally (above 1: more concentrated than in the US as a whole).",
}


# The official occupations whose industry mix the Industries page sets beside the seed's
# "industries employing ML engineers" (BLS files ML engineers under Software Developers).
SEED_COUNTERPARTS = {"15-1252": "Software Developers", "15-2051": "Data Scientists"}
TERRITORIES = ("US-PR", "US-GU", "US-VI")  # in OEWS, with no outline on the US map


def state_note(states: pd.DataFrame, measure: str, every: Mapping[str, str]) -> str:
    """What the state map means and what it leaves blank, by name (`every`: code -> name of
    all the areas OEWS publishes for any occupation)."""
    have = states.dropna(subset=[measure])
    blank = [n for c, n in every.items() if c not in set(have["state"]) and c not in TERRITORIES]
    off_map = have.loc[have["state"].isin(TERRITORIES), "area_name"]
    return (
        MEASURE_NOTES[measure]
        + f" {len(have)} of {len(every)} states and territories have a figure"
        + (f"; blank on the map (BLS publishes no figure): {', '.join(blank)}" if blank else "")
        + "."
        + (
            f" In the table only (no outline on this map): {', '.join(off_map)}."
            if len(off_map)
            else ""
        )
    )


def rows_of(frame: pd.DataFrame, soc: str) -> pd.DataFrame:
    """The rows of occupation `soc`."""
    return frame.loc[frame["occupation_code"] == soc]


def split_industries(industries: pd.DataFrame, top: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the NAICS sectors, the `top` largest 4-digit industry groups) of `industries_for`."""
    sectors = industries.loc[industries["kind"] == "sector"]
    return sectors, industries.loc[industries["kind"] == "group"].head(top)


# Chart labels for the NAICS sectors whose official names run to three lines; the tables and
# exports keep BLS's names.
SHORT_SECTORS = {
    "54--55": "Professional, scientific & technical",
    "55--56": "Management of companies",
    "56--57": "Administrative & waste services",
    "99-100": "Government (excl. schools, hospitals, USPS)",
    "81--82": "Other services",
    "53--54": "Real estate & rental",
    "21--22": "Mining, oil & gas",
    "11--12": "Agriculture, forestry & fishing",
    "71--72": "Arts, entertainment & recreation",
    "72--73": "Accommodation & food services",
    "62--63": "Health care & social assistance",
    "48--50": "Transportation & warehousing",
}


def sector_labels(sectors: pd.DataFrame) -> pd.DataFrame:
    """`sectors` with `sector`: a short chart label for each NAICS sector."""
    return sectors.assign(
        sector=[
            SHORT_SECTORS.get(c, n)
            for c, n in zip(sectors["industry_code"], sectors["industry"], strict=True)
        ]
    )


def top_sectors(sectors: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """The `top` sectors by share, then one row adding up the others (`All other sectors
    (11)`), so a short chart still accounts for every job it covers."""
    ranked = sectors.sort_values("share_pct", ascending=False)
    head, rest = ranked.head(top), ranked.iloc[top:]
    if rest.empty:
        return head.reset_index(drop=True)
    other = head.iloc[[0]].assign(
        industry=f"All other sectors ({len(rest)})",
        industry_code="",
        employment=rest["employment"].sum(),
        share_pct=round(float(rest["share_pct"].sum()), 1),
        annual_median=float("nan"),
    )
    return pd.concat([head, other], ignore_index=True)


def about(when: str) -> str:
    """What the OEWS figures are, in two sentences (Markdown)."""
    return (
        "Official estimates of the U.S. Bureau of Labor Statistics' **Occupational Employment "
        f"and Wage Statistics** survey ({when}), from about 1.1 million employers: **jobs "
        "held** (not openings) and **wages of employees** (the self-employed are not "
        "covered), across all industries. Wages are straight-time pay before tax, including "
        "commissions and production bonuses, excluding overtime, other bonuses and benefits."
    )


def headline(row: pd.Series, when: str) -> None:
    """Employment, median and spread of one national row, with its precision (RSE)."""
    top = bool(row["top_coded"])
    cols = st.columns(4)
    cols[0].metric(f"Jobs in the US, {when}", fmt.count(row["employment"]))
    median = row["annual_median"]
    if fmt.missing(median) and not fmt.missing(row["hourly_median"]):
        cols[1].metric("Median hourly wage", f"${row['hourly_median']:,.2f}")
    else:
        cols[1].metric("Median annual wage", fmt.wage(median, top))
    cols[2].metric(
        "Middle half (p25–p75)",
        f"{fmt.wage(row['annual_p25'], top, short=True)}–"
        f"{fmt.wage(row['annual_p75'], top, short=True)}",
    )
    cols[3].metric(
        "p10–p90",
        f"{fmt.wage(row['annual_p10'], top, short=True)}–"
        f"{fmt.wage(row['annual_p90'], top, short=True)}",
    )
    st.caption(precision(row))


def precision(row: pd.Series) -> str:
    """The relative standard errors as a plain precision note."""
    parts = []
    if not fmt.missing(row["employment_rse_pct"]):
        parts.append(f"employment {row['employment_rse_pct']:.1f}%")
    if not fmt.missing(row["wage_rse_pct"]):
        parts.append(f"mean wage {row['wage_rse_pct']:.1f}%")
    if not parts:
        return "BLS gives no relative standard error for these estimates."
    return (
        f"Precision: relative standard error of {' and '.join(parts)}. A survey estimate with "
        "an RSE of 2% is within about ±4% of the true value 19 times out of 20."
    )


def band_rows(
    national: pd.DataFrame, states: pd.DataFrame, codes: Sequence[str], us_state: str | None
) -> pd.DataFrame:
    """The rows of the wage-band chart in drawing order: the chosen occupation nationally,
    then in the chosen state, then each compared occupation nationally; each with a label."""
    rows = []
    for i, code in enumerate(codes):
        part = national.loc[national["occupation_code"] == code]
        if part.empty:
            continue
        rows.append(part.assign(label=f"{part['occupation'].iloc[0]} · US"))
        if i == 0 and us_state:
            mine = states.loc[states["state"] == us_state]
            if not mine.empty:
                area = mine["area_name"].iloc[0]
                rows.append(mine.assign(label=f"{mine['occupation'].iloc[0]} · {area}"))
    if not rows:
        return national.assign(label=pd.Series(dtype="object")).iloc[0:0]
    return pd.concat(rows, ignore_index=True)


def band_words(bands: pd.DataFrame) -> str:
    """One band in words: its median and p10–p90."""
    if bands.empty or fmt.missing(bands["annual_median"].iloc[0]):
        return "BLS publishes no annual wage for this choice."
    row = bands.iloc[0]
    top = bool(row["top_coded"])
    return (
        f"{fmt.md(row['label'])}: median {fmt.wage(row['annual_median'], top)} a year; one in ten "
        f"earns under {fmt.wage(row['annual_p10'], top)} and one in ten "
        f"{'at least' if top and row['annual_p90'] == fmt.TOP_CODE else 'over'} "
        f"{fmt.usd(row['annual_p90'])}."
    )


def _top_note(frame: pd.DataFrame) -> list[str]:
    out = []
    for _, row in frame.iterrows():
        cols = data.top_coded_stats(row)
        out.append(
            ", ".join(STAT_NAMES.get(c, "mean") for c in cols) + " ≥ $239,200" if cols else ""
        )
    return out


def wage_table(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """OEWS rows as shown: the label, code, employment, the annual percentiles, RSEs, and a
    `top-coded` note naming the percentiles that hold the floor."""
    out = pd.DataFrame(
        {
            "occupation / area": frame[label],
            "SOC": frame["occupation_code"],
            "area": frame["area_name"],
            "employment": frame["employment"],
            "employment RSE %": frame["employment_rse_pct"],
        }
    )
    for stat in STATS:
        out[STAT_NAMES[stat]] = frame[stat]
    out["mean"] = frame["annual_mean"]
    out["wage RSE %"] = frame["wage_rse_pct"]
    out["top-coded"] = _top_note(frame)
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


def area_table(frame: pd.DataFrame, kind: str, rank: bool = False) -> pd.DataFrame:
    """States or metro areas: name, employment, concentration and wages (states with their
    code and all five percentiles; ranked metro areas with p10, median and p90, so the table
    fits a laptop screen)."""
    out = pd.DataFrame({kind: frame["area_name"]})
    if not rank:
        out["state code"] = frame["state"]
    out["employment"] = frame["employment"].astype("float64")
    out["per 1,000 jobs"] = frame["employment_per_1000"].astype("float64")
    out["location quotient"] = frame["location_quotient"].astype("float64")
    if rank:
        out.insert(0, "rank", frame["rank"] if "rank" in frame else range(1, len(frame) + 1))
    for stat in ("annual_p10", "annual_median", "annual_p90") if rank else STATS:
        out[STAT_NAMES[stat]] = frame[stat].astype("float64")
    out["top-coded"] = _top_note(frame)
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


def wage_columns() -> dict[str, Any]:
    """Column settings of the OEWS tables: whole dollars, counts, one-decimal ratios."""
    money = {
        n: st.column_config.NumberColumn(n, format="$%,d") for n in (*STAT_NAMES.values(), "mean")
    }
    return money | {
        "employment": st.column_config.NumberColumn("employment", format="%,d"),
        "per 1,000 jobs": st.column_config.NumberColumn(format="%.2f"),
        "location quotient": st.column_config.NumberColumn(format="%.2f"),
        "employment RSE %": st.column_config.NumberColumn(format="%.1f"),
        "wage RSE %": st.column_config.NumberColumn(format="%.1f"),
    }


def top_and_bottom(metros: pd.DataFrame, by: str, each: int = 10) -> tuple[pd.DataFrame, int]:
    """The `each` highest and `each` lowest metro areas by `by` (all of them when there are
    no more than twice that), ranked 1 = highest; and how many had a figure."""
    ranked = metros.dropna(subset=[by]).sort_values(
        [by, "area_name"], ascending=[False, True], ignore_index=True
    )
    ranked["rank"] = range(1, len(ranked) + 1)
    if len(ranked) <= 2 * each:
        return ranked, len(ranked)
    return pd.concat([ranked.head(each), ranked.tail(each)], ignore_index=True), len(ranked)


def industry_table(frame: pd.DataFrame, kinds: bool = False) -> pd.DataFrame:
    """Industries by employment: name, NAICS code, jobs, share of the occupation's jobs,
    median wage (and the level, `sector` or `industry group`, when `kinds`)."""
    out = pd.DataFrame(
        {
            "industry": frame["industry"],
            "NAICS": frame["industry_code"],
            "employment": frame["employment"],
            "share %": frame["share_pct"],
            "median": frame["annual_median"],
        }
    )
    if kinds:
        level = frame["kind"].map({"sector": "sector", "group": "industry group"})
        out.insert(0, "level", level)
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


def industry_columns() -> dict[str, Any]:
    return {
        "industry": st.column_config.TextColumn(width="medium"),
        "employment": st.column_config.NumberColumn(format="%,d"),
        "share %": st.column_config.NumberColumn(format="%.1f%%"),
        "median": st.column_config.NumberColumn(format="$%,d"),
    }


def share_note(sectors: pd.DataFrame, national: pd.DataFrame) -> str:
    """How the sector shares are computed and what they leave out."""
    total = national["employment"].iloc[0] if len(national) else float("nan")
    covered = sectors["share_pct"].sum()
    return (
        f"Share of the occupation's {fmt.count(total)} jobs in all industries, from BLS's "
        f"employment by sector; the sectors shown hold {covered:.0f}% of them (BLS does not "
        "publish a sector where the estimate is unreliable)."
    )


def onet_section(ctx: ui.PageContext, soc: str, title: str) -> None:
    """The occupation's O*NET hot technologies and required education, or a plain note that
    O*NET has none (the join is on the 7-character SOC code)."""
    st.subheader(f"What O\\*NET lists for {fmt.md(title)}")
    key, snap = ctx.key, ctx.snap
    codes = data.onet_codes(key, soc)
    if not codes:
        st.info(f"O\\*NET has no occupation under SOC {soc} in the loaded data.")
        return
    names = ", ".join(codes)
    left, right = st.columns(2)
    with left:
        skills = data.skills_for(key, codes, hot_only=True)
        if skills.empty:
            st.info(f"O\\*NET has no hot technologies for this occupation ({names}).")
        else:
            tech = hot_table(skills)
            ui.table_block(
                tech,
                key="occupation_tech",
                snap=snap,
                title=f"Hot technologies ({len(tech)})",
                note=f"O\\*NET {names}: technologies frequently named in job postings; "
                "in demand = among the most requested for the occupation.",
            )
    with right:
        edu = data.education_for(key, codes)
        if edu.empty:
            st.info(f"O\\*NET has no required-education survey for this occupation ({names}).")
        else:
            surveyed = sorted(set(edu["occupation_code"]))
            ui.table_block(
                education_table(edu),
                key="occupation_education",
                snap=snap,
                sources=ui.sources_of(edu),
                title="Required education",
                note="Share of O\\*NET respondents naming each level as required (levels no "
                "one named left out); one column per O\\*NET occupation with a survey"
                + (
                    f" ({', '.join(c for c in codes if c not in surveyed)} has none)."
                    if len(surveyed) < len(codes)
                    else "."
                ),
            )


def education_table(edu: pd.DataFrame) -> pd.DataFrame:
    """Required-education shares as levels (low to high) x O*NET occupations, `68%` cells."""
    wide = edu.pivot_table(
        index=["level_order", "education_level"],
        columns="occupation",
        values="share_pct",
        aggfunc="sum",
    )
    wide = wide.loc[wide.fillna(0).sum(axis=1) > 0].droplevel(0)
    out = wide.map(lambda v: "" if fmt.missing(v) else fmt.pct(v)).reset_index()
    out.columns.name = None
    return out.rename(columns={"education_level": "required education"})


def hot_table(skills: pd.DataFrame) -> pd.DataFrame:
    """One row per hot technology: in-demand ones first, then by name."""
    frame = skills.assign(in_demand=skills["in_demand"].fillna(False).astype(bool))
    frame = frame.groupby(["skill", "category"], as_index=False).agg(
        in_demand=("in_demand", "max"), source=("source", "first")
    )
    frame = frame.sort_values(["in_demand", "skill"], ascending=[False, True], ignore_index=True)
    frame["in demand"] = frame.pop("in_demand").map({True: "yes", False: ""})
    return frame.rename(columns={"skill": "technology"})[
        ["source", "technology", "in demand", "category"]
    ]


def exports(
    ctx: ui.PageContext,
    tables: Mapping[str, tuple[str, Callable[[], pd.DataFrame]]],
    *,
    parts: Sequence[str],
    title: str,
    joined: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """One export block for the page: pick a table shown above, download it. `joined`: the
    sources of a table that sets OEWS beside another source (where to work: and Indeed)."""
    labels = {k: v[0] for k, v in tables.items()}
    chosen = st.selectbox(
        "Table to export",
        list(tables),
        format_func=labels.get,
        key="occupation_export_table",
    )
    label, rows = tables[chosen]
    frame = rows()
    ui.export_buttons(
        lambda: frame.drop(columns=["source"], errors="ignore"),
        key=chosen,
        title=f"{label}: {title}" + ("" if chosen in (joined or {}) else " (BLS OEWS)"),
        table="occupation_wages",
        snap=ctx.snap,
        sources=(joined or {}).get(chosen) or ui.sources_of(frame, ["bls_oews"]),
        filters=ctx.describe(("soc", "compare", "state", "metro_rank")),
        count=len(frame),
        name_parts=parts,
        grain="one row per line of the table shown above",
    )
