"""Occupations page blocks: the OEWS headline, wage and area tables, O*NET section, exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, fmt, ui
from dashboard.data import wages

STATS = wages.wage_stats("annual")
HOURLY = wages.wage_stats("hourly")
STAT_NAMES = dict(zip(STATS, ("p10", "p25", "median", "p75", "p90"), strict=True))
STAT_NAMES |= {h: f"hourly {n}" for h, n in zip(HOURLY, STAT_NAMES.values(), strict=True)}
STAT_NAMES |= {"annual_mean": "mean", "hourly_mean": "hourly mean"}
COLORBAR = {
    "annual_median": "Median (USD a year)",
    "hourly_median": "Median (USD an hour)",
    "employment": "Jobs",
    "employment_per_1000": "Per 1,000 jobs",
    "location_quotient": "LQ",
}
SHOW: dict[str, Callable[[float], str]] = {
    "annual_median": fmt.usd,
    "hourly_median": lambda v: f"${v:,.2f} an hour",
    "employment": fmt.count,
    "employment_per_1000": lambda v: f"{v:.2f} per 1,000 jobs",
    "location_quotient": lambda v: f"{v:.2f}",
}


def shown_as(frame: pd.DataFrame, measure: str) -> Callable[[float], str]:
    """How a value of `measure` reads in words; a median of `frame` that BLS top-coded reads
    `≥ $239,200` (`≥ $115.00 an hour`), not as if it were the figure."""
    show = SHOW[measure]
    basis = measure.split("_")[0]
    if measure not in ("annual_median", "hourly_median") or not frame["top_coded"].any():
        return show
    floor = wages.TOP_CODES[basis]
    coded = frame.loc[frame["top_coded"].astype(bool), measure].eq(floor).any()
    return lambda v: f"≥ {show(v)}" if coded and v == floor else show(v)


MEASURE_NOTES = {
    "annual_median": "Median annual wage of the occupation in each state.",
    "hourly_median": "Median hourly wage of the occupation in each state (BLS publishes it "
    "per hour only).",
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


def pay(value: float | None, basis: str = "annual", top: bool = False, short: bool = False) -> str:
    """A wage as read: `$126,800` a year or `$29.05` an hour (short: `$127k`, `$29`); a
    top-coded one `≥ $239,200`."""
    if basis == "annual":
        return fmt.wage(value, top, short=short)
    if fmt.missing(value):
        return "–"
    text = f"${float(value):,.0f}" if short else f"${float(value):,.2f}"
    return f"≥ {text}" if top and value == wages.TOP_CODES["hourly"] else text


def headline(row: pd.Series, when: str) -> None:
    """Employment, median and spread of one national row (per hour when BLS publishes only
    hourly wages), with its precision (RSE) and what a top code or an hourly basis means."""
    basis = wages.pay_basis(row)
    top = bool(row["top_coded"])
    p10, p25, median, p75, p90 = (row[c] for c in wages.wage_stats(basis))
    cols = st.columns(4)
    cols[0].metric(f"Jobs in the US, {when}", fmt.count(row["employment"]))
    cols[1].metric(f"Median {basis} wage", pay(median, basis, top))
    cols[2].metric(
        "Middle half (p25–p75)", f"{pay(p25, basis, top, True)}–{pay(p75, basis, top, True)}"
    )
    cols[3].metric("p10–p90", f"{pay(p10, basis, top, True)}–{pay(p90, basis, top, True)}")
    words = [hourly_words(row["occupation"])] if basis == "hourly" else []
    words.append(top_code_note(row.to_frame().T.assign(label=row["occupation"]), basis))
    st.caption(" ".join(w for w in (precision(row), *words) if w))


def hourly_words(occupation: str) -> str:
    """Why an occupation has hourly wages and no annual ones (BLS footnote 4)."""
    return (
        f"BLS publishes the wages of {fmt.md(occupation)} per hour only: the occupation does "
        "not generally work year-round, full time, so an hourly rate times 2,080 hours (how "
        "BLS makes annual figures) would not be what they earn in a year. Its wages on this "
        "page are hourly."
    )


def top_code_note(frame: pd.DataFrame, basis: str = "annual", label: str = "label") -> str:
    """What BLS's top code means for the wages of `frame` (OEWS rows, named by `label`): which
    figures are only a floor (`≥ $239,200`), and that the figures above the code that BLS
    does not flag are its published estimates. Empty when no wage reaches the code."""
    floor = wages.TOP_CODES[basis]
    unit = "a year" if basis == "annual" else "an hour"
    columns = (*wages.wage_stats(basis), f"{basis}_mean")
    flagged: dict[str, list[str]] = {}  # which cells -> the rows where they are floors
    above = []
    for _, row in frame.iterrows():
        coded = data.top_coded_stats(row, basis)
        if coded:
            cells = ", ".join(STAT_NAMES[c] for c in coded)
            flagged.setdefault("every wage" if len(coded) == 6 else cells, []).append(
                fmt.md(row[label])
            )
        above += [
            f"{fmt.md(row[label])} {STAT_NAMES[c]} {pay(row[c], basis)}"
            for c in columns
            if c not in coded and not fmt.missing(row.get(c)) and row[c] > floor
        ]
    parts = []
    if flagged:
        which = " — ".join(f"{cells} of {'; '.join(rows)}" for cells, rows in flagged.items())
        parts.append(
            f"“≥ {pay(floor, basis)}” is BLS's top code: for these wages BLS publishes only "
            f"that they are at or above {pay(floor, basis)} {unit}, not the figure, so they "
            f"are shown at that floor ({which})."
        )
    if above:
        parts.append(
            f"Wages above {pay(floor, basis)} without “≥” are BLS's published estimates (e.g. "
            f"{above[0]}): the top code covers only the wages BLS flags with it."
        )
    return " ".join(parts)


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


def band_words(bands: pd.DataFrame, basis: str = "annual") -> str:
    """One band in words: its median and p10–p90."""
    p10, _, median, _, p90 = wages.wage_stats(basis)
    if bands.empty or fmt.missing(bands[median].iloc[0]):
        return f"BLS publishes no {basis} wage for this choice."
    row = bands.iloc[0]
    top = bool(row["top_coded"])
    unit = "a year" if basis == "annual" else "an hour"
    at_floor = top and row[p90] == wages.TOP_CODES[basis]
    return (
        f"{fmt.md(row['label'])}: median {pay(row[median], basis, top)} {unit}; one in ten "
        f"earns under {pay(row[p10], basis, top)} and one in ten "
        f"{'at least' if at_floor else 'over'} {pay(row[p90], basis)}."
    )


def band_figure(bands: pd.DataFrame, title: str, basis: str = "annual") -> go.Figure:
    """The wage bands of `bands` (rows of `band_rows`) on the `basis` scale."""
    if basis == "annual":
        return charts.wage_bands(bands, "label", title)
    # charts.wage_bands draws the annual columns: hand it the hourly ones under those names,
    # then make its axis, hover and top-code mark hourly.
    # a copy: the builder's figure is shared (charts.inert remembers it), this one is changed
    fig = go.Figure(
        charts.wage_bands(
            bands.drop(columns=list(STATS)).rename(columns=dict(zip(HOURLY, STATS, strict=True))),
            "label",
            title,
        )
    )
    rows = bands.dropna(subset=["hourly_median"])
    if rows.empty:
        return fig
    hover = np.array(fig.data[0].customdata, dtype=object)
    tops = rows["top_coded"].astype(bool).tolist()
    for j, stat in enumerate(HOURLY, start=2):
        hover[:, j] = [pay(v, "hourly", t) for v, t in zip(rows[stat], tops, strict=True)]
    fig.update_traces(customdata=hover)
    floor = wages.TOP_CODES["hourly"]
    for name, p90, top in zip(fig.data[0].y, rows["hourly_p90"], tops, strict=True):
        if top and p90 == floor:
            text = f"≥ {pay(floor, 'hourly')}"
            fig.add_annotation(x=p90, y=name, text=text, showarrow=False, xanchor="left", xshift=6)
    return fig.update_xaxes(title="Hourly wage (USD)")


PER = {"annual": "year", "hourly": "hour"}
UNIT = {"annual": "a year", "hourly": "an hour"}


def band_note(bands: pd.DataFrame, basis: str = "annual") -> str:
    """How to add bands, which rows are not drawn on this pay basis and why, and what the top
    code means for the wages drawn."""
    other = "hourly" if basis == "annual" else "annual"
    missing = bands.loc[bands[f"{basis}_median"].isna()]
    gaps = [
        f"{fmt.md(row['label'])} (BLS publishes its wages per {PER[other]} only: "
        f"median {pay(row[f'{other}_median'], other)} {UNIT[other]})"
        if not fmt.missing(row[f"{other}_median"])
        else f"{fmt.md(row['label'])} (BLS publishes no median)"
        for _, row in missing.iterrows()
    ]
    return " ".join(
        w
        for w in (
            "Add up to three occupations under *Compare with* (*All Occupations*, 00-0000, is "
            "every job in the US: a benchmark) and a state under *US state* in the sidebar.",
            f"Not drawn on this {basis} scale: {'; '.join(gaps)}." if gaps else "",
            top_code_note(bands, basis),
        )
        if w
    )


def _top_note(frame: pd.DataFrame, basis: str = "annual") -> list[str]:
    floor = pay(wages.TOP_CODES[basis], basis)
    out = []
    for _, row in frame.iterrows():
        cols = data.top_coded_stats(row, basis)
        out.append(", ".join(STAT_NAMES[c] for c in cols) + f" ≥ {floor}" if cols else "")
    return out


def wage_table(frame: pd.DataFrame, label: str, basis: str = "annual") -> pd.DataFrame:
    """OEWS rows as shown: the label, code, employment, the percentiles and mean of `basis`
    (hourly columns are named so), RSEs, and a `top-coded` note naming the cells that hold
    the floor."""
    out = pd.DataFrame(
        {
            "occupation / area": frame[label],
            "SOC": frame["occupation_code"],
            "area": frame["area_name"],
            "employment": frame["employment"],
            "employment RSE %": frame["employment_rse_pct"],
        }
    )
    for stat in (*wages.wage_stats(basis), f"{basis}_mean"):
        out[STAT_NAMES[stat]] = frame[stat]
    out["wage RSE %"] = frame["wage_rse_pct"]
    out["top-coded"] = _top_note(frame, basis)
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


def area_table(
    frame: pd.DataFrame, kind: str, rank: bool = False, basis: str = "annual"
) -> pd.DataFrame:
    """States or metro areas: name (ranked metro areas with their rank; states with their
    code), the median, the other percentiles and the mean (of `basis`), then employment and
    concentration: the wages come right after the name, so a phone shows them first."""
    out = pd.DataFrame({kind: frame["area_name"]})
    if rank:
        out.insert(0, "rank", frame["rank"] if "rank" in frame else range(1, len(frame) + 1))
    else:
        out["state code"] = frame["state"]
    p10, p25, median, p75, p90 = wages.wage_stats(basis)
    for stat in (median, p10, p25, p75, p90, f"{basis}_mean"):
        out[STAT_NAMES[stat]] = frame[stat].astype("float64")
    out["employment"] = frame["employment"].astype("float64")
    out["per 1,000 jobs"] = frame["employment_per_1000"].astype("float64")
    out["location quotient"] = frame["location_quotient"].astype("float64")
    out["top-coded"] = _top_note(frame, basis)
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


BLANK = "–"  # how a cell BLS publishes no figure for reads
# Why a cell is blank, in each number column's help: BLS leaves the estimate out.
NOT_RELEASED = "–: BLS does not release this estimate for the area (its footnote 8)."
WAGE_GAP = (
    "–: BLS publishes no such wage here: not released (footnote 8), or the occupation's "
    "wages are published only per hour or only per year (footnote 4)."
)


def wage_columns(basis: str = "annual") -> dict[str, Any]:
    """Column settings of the OEWS tables: whole dollars (cents for hourly wages), counts,
    two-decimal ratios, one-decimal RSEs; each number column says what a blank (–) means."""

    def number(fmt_: str, help_: str | None = None) -> Any:
        return st.column_config.NumberColumn(format=fmt_, help=help_)

    money = "$%,d" if basis == "annual" else "$%,.2f"
    wage_names = [STAT_NAMES[c] for c in (*wages.wage_stats(basis), f"{basis}_mean")]
    return {n: number(money, WAGE_GAP) for n in wage_names} | {
        "employment": number("%,d", "Jobs held. " + NOT_RELEASED),
        "per 1,000 jobs": number("%.2f", NOT_RELEASED),
        "location quotient": number("%.2f", NOT_RELEASED),
        "employment RSE %": st.column_config.NumberColumn(format="%.1f"),
        "wage RSE %": st.column_config.NumberColumn(format="%.1f"),
        # pinned and narrow: on a 390 px phone the median still shows beside the name
        "rank": st.column_config.NumberColumn(width=40, pinned=True),
        "metro": st.column_config.TextColumn(width=220, pinned=True),
    }


def grid(
    frame: pd.DataFrame,
    *,
    key: str,
    snap: Any,
    title: str,
    note: str,
    column_config: Mapping[str, Any],
    sources: Sequence[str] = ("bls_oews",),
) -> None:
    """A table in a data grid with its title and provenance, as `ui.table_block`, with a blank
    cell written `–` (the grid's default is `None`; the column's help or the note says why)."""
    st.markdown(f"**{fmt.md(title)}**")
    shown = frame.drop(columns=["source"], errors="ignore")
    config = {n: c for n, c in column_config.items() if n in shown.columns}
    st.dataframe(shown, hide_index=True, key=key, column_config=config, placeholder=BLANK)
    caption = ui.provenance(snap, ui.sources_of(frame, sources))
    st.caption(f"{note}  \n{caption}")


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


def industry_table(frame: pd.DataFrame, kinds: bool = False, basis: str = "annual") -> pd.DataFrame:
    """Industries by employment: name, NAICS code, jobs, share of the occupation's jobs,
    median wage of `basis` (and the level, `sector` or `industry group`, when `kinds`)."""
    out = pd.DataFrame(
        {
            "industry": frame["industry"],
            "NAICS": frame["industry_code"],
            "employment": frame["employment"],
            "share %": frame["share_pct"],
            STAT_NAMES[f"{basis}_median"]: frame[f"{basis}_median"],
        }
    )
    if kinds:
        level = frame["kind"].map({"sector": "sector", "group": "industry group"})
        out.insert(0, "level", level)
    out["source"] = frame["source"]
    return out.reset_index(drop=True)


def industry_columns() -> dict[str, Any]:
    """Column settings of the industry table; the median says what a blank (–) means."""
    gap = "–: BLS does not release the occupation's median wage in this industry."
    return {
        "industry": st.column_config.TextColumn(width="medium"),
        "employment": st.column_config.NumberColumn(format="%,d"),
        "share %": st.column_config.NumberColumn(format="%.1f%%"),
        "median": st.column_config.NumberColumn(format="$%,d", help=gap),
        "hourly median": st.column_config.NumberColumn(format="$%,.2f", help=gap),
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
                title=hot_title(skills, tech),
                note=merged_words(skills, soc)
                + "Hot: frequently named in job postings; in demand: among the most "
                "requested for the occupation.",
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


def hot_title(skills: pd.DataFrame, tech: pd.DataFrame) -> str:
    """`Hot technologies (105 distinct, from 3 O*NET occupations)` (plain text)."""
    merged = skills["occupation_code"].nunique()
    if merged < 2:
        return f"Hot technologies ({len(tech)})"
    return f"Hot technologies ({len(tech)} distinct, from {merged} O*NET occupations)"


def merged_words(skills: pd.DataFrame, soc: str) -> str:
    """Which O*NET occupations the hot technologies of SOC `soc` come from, by name and code,
    and that a technology two of them list is counted once."""
    named = (
        skills[["occupation_code", "occupation"]].drop_duplicates().sort_values("occupation_code")
    )
    listed = [
        f"{fmt.md(n)} ({c})"
        for c, n in zip(named["occupation_code"], named["occupation"], strict=True)
    ]
    if len(listed) == 1:
        return f"O\\*NET {listed[0]}. "
    return (
        f"O\\*NET files {len(listed)} occupations under SOC {soc}, merged here: "
        f"{', '.join(listed)}; a technology several of them list is counted once, with each "
        "that lists it. "
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
    """One row per distinct hot technology (in-demand ones first, then by name), with its
    categories and, when O*NET lists it under more than one occupation code, which do."""
    frame = skills.assign(in_demand=skills["in_demand"].fillna(False).astype(bool))
    frame = frame.groupby("skill", as_index=False).agg(
        in_demand=("in_demand", "max"),
        category=("category", lambda v: "; ".join(sorted(set(v.dropna())))),
        listed=("occupation", lambda v: "; ".join(sorted(set(v.dropna())))),
        source=("source", "first"),
    )
    frame = frame.sort_values(["in_demand", "skill"], ascending=[False, True], ignore_index=True)
    frame["in demand"] = frame.pop("in_demand").map({True: "yes", False: ""})
    columns = ["source", "technology", "in demand", "category"]
    if skills["occupation_code"].nunique() > 1:
        columns.append("hot for")
    return frame.rename(columns={"skill": "technology", "listed": "hot for"})[columns]


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
