"""The Skills that pay blocks: the metric per technology, the side-by-side figures as a table
and in words, the occupations behind each technology (with a link to the Occupations page),
what the medians leave out, the ranking's rule, table and bar labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import fmt, ui
from dashboard.data import MIN_OCCUPATIONS, RANK_TOP

OCCUPATIONS_PAGE = "occupations"  # the Occupations page's URL path, `soc` its parameter
MEDIANS = ("employment-weighted median", "median occupation")


def money(value: float, top_coded: bool) -> str:
    """`$104,110`, `≥ $239,200` (a top-coded floor), `–` (no value)."""
    return ("≥ " if top_coded and not fmt.missing(value) else "") + fmt.usd(value)


def metric_caption(row: Any) -> str:
    """Under a technology's metric: `98 occupations · 13,657,920 jobs`, and what is left out."""
    text = f"{fmt.plural(int(row.occupations), 'occupation')} · {fmt.count(row.employment)} jobs"
    if row.without_pay:
        text += f" · {int(row.without_pay):,} without a median"
    return text


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per chosen technology, as shown: occupations, jobs, the two medians."""
    lower = [
        " and ".join(n for n, t in (("weighted", w), ("unweighted", u)) if t)
        for w, u in zip(summary["weighted_top_coded"], summary["unweighted_top_coded"], strict=True)
    ]
    return pd.DataFrame(
        {
            "technology": summary["skill"],
            "occupations": summary["occupations"].astype(int),
            "jobs": summary["employment"].round().astype("int64"),
            "with a median": summary["with_pay"].astype(int),
            "jobs behind the medians": summary["employment_with_pay"].round().astype("int64"),
            MEDIANS[0]: summary["weighted_median"],
            MEDIANS[1]: summary["unweighted_median"],
            "a lower bound (top-coded)": lower,
        }
    )


def pay_words(summary: pd.DataFrame) -> str:
    """Each technology's figures in one sentence: the chart's text alternative (Markdown)."""
    parts = []
    for row in summary.itertuples(index=False):
        name = fmt.md(row.skill)
        if not row.with_pay:
            parts.append(f"{name}: no occupation with a published median lists it")
            continue
        parts.append(
            f"{name}: {fmt.plural(int(row.occupations), 'occupation')} "
            f"({int(row.with_pay):,} with a published median), {fmt.count(row.employment)} "
            f"jobs; employment-weighted median {money(row.weighted_median, row.weighted_top_coded)}"
            f", median occupation {money(row.unweighted_median, row.unweighted_top_coded)}"
        )
    return "; ".join(parts) + "." if parts else "No technology chosen."


def without_pay(occ: pd.DataFrame, skill: str) -> list[str]:
    """`Legislators (11-1031)`: the occupations listing `skill` that the medians leave out."""
    rows = occ.loc[(occ["skill"] == skill) & (occ["wage_note"] != "")]
    rows = rows.loc[~rows["median_top_coded"].astype(bool)]
    return [f"{o} ({s})" for o, s in zip(rows["occupation"], rows["soc"], strict=True)]


def left_out_note(occ: pd.DataFrame, skills: Sequence[str]) -> str:
    """What the medians leave out, per technology, in one sentence (or nothing)."""
    counts = [(s, len(without_pay(occ, s))) for s in skills]
    parts = [f"{fmt.md(s)} {n:,}" for s, n in counts if n]
    if not parts:
        return "Every occupation listed has a published median and employment."
    return (
        "Occupations listed without a published median (left out of the medians, listed in "
        f"the tables below): {', '.join(parts)}."
    )


def occupations_note(occ: pd.DataFrame, skill: str) -> str:
    """A technology's table caption: what a row is, where the link goes, what is left out."""
    text = (
        "Highest median first. **SOC** opens the occupation on the Occupations page (state, "
        "metro and industry wages)."
    )
    missing = without_pay(occ, skill)
    if missing:
        text += (
            f" At the bottom, {fmt.plural(len(missing), 'occupation')} without a published "
            "median, left out of the medians (the note says why)."
        )
    top = occ.loc[(occ["skill"] == skill) & occ["median_top_coded"].astype(bool)]
    if len(top):
        text += (
            f" {fmt.plural(len(top), 'median')} BLS publishes only as at least $239,200 (top "
            "code) count at that floor."
        )
    return text


def occupation_table(occ: pd.DataFrame, skill: str) -> pd.DataFrame:
    """The occupations that list `skill`, highest median first, those without one last: name
    (text), a link to the Occupations page for the SOC, O*NET codes, flags, jobs, p10-p90."""
    rows = occ.loc[occ["skill"] == skill]
    return pd.DataFrame(
        {
            "occupation": rows["occupation"],
            "SOC": [f"{OCCUPATIONS_PAGE}?soc={s}" for s in rows["soc"]],
            "O*NET codes": rows["onet_codes"],
            "hot": rows["hot"].map({True: "hot", False: ""}),
            "in demand": rows["in_demand"].map({True: "in demand", False: ""}),
            "jobs": rows["employment"],
            "p10": rows["annual_p10"],
            "median": rows["annual_median"],
            "p90": rows["annual_p90"],
            "note": rows["wage_note"],
        }
    ).reset_index(drop=True)


def occupation_columns() -> dict[str, Any]:
    """The occupations table's columns: the SOC as a link to the Occupations page."""
    return {
        "occupation": st.column_config.TextColumn("occupation", width="medium"),
        "SOC": st.column_config.LinkColumn(
            "SOC",
            help="Opens the occupation on the Occupations page",
            display_text=r"soc=(.*)$",
        ),
        "jobs": st.column_config.NumberColumn("jobs", format="localized"),
        **ui.usd_columns("p10", "median", "p90"),
    }


def ranking_rule(ranked: int, generic: Sequence[str], group: str | None) -> str:
    """The ranking's rule, said on the page."""
    text = (
        f"The rule: a technology is ranked when at least **{MIN_OCCUPATIONS} occupations with "
        "a published median** list it (with the options in the sidebar), by the "
        "employment-weighted median of their pay. One large occupation often holds the middle "
        "job for many technologies (Software Developers, 1.7 million jobs), so their weighted "
        "medians tie; the median occupation breaks the tie."
    )
    if ranked:
        drawn = f"the top {RANK_TOP} are drawn" if ranked > RANK_TOP else "all are drawn"
        text += f" {fmt.plural(ranked, 'technology', 'technologies')} pass; {drawn}."
    if generic:
        text += (
            " Left out as generic office tools (hot for at least half of the occupations "
            "outside computer & math, the Overview's rule): "
            + ", ".join(fmt.md(g) for g in generic)
            + "."
        )
    if ranked and not group:
        text += (
            " Across every occupation, a technology that a few large, high-paid occupations "
            "list ranks high whatever it does: pick one major group in the sidebar to compare "
            "within a field."
        )
    return text


def ranking_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """The ranking as shown: rank, technology, occupations with a median, jobs, both medians."""
    return pd.DataFrame(
        {
            "rank": range(1, len(ranking) + 1),
            "technology": ranking["skill"].to_numpy(),
            "occupations with a median": ranking["with_pay"].astype(int).to_numpy(),
            "jobs": ranking["employment_with_pay"].round().astype("int64").to_numpy(),
            MEDIANS[0]: ranking["weighted_median"].to_numpy(),
            MEDIANS[1]: ranking["unweighted_median"].to_numpy(),
        }
    )


def ranking_bars(ranking: pd.DataFrame, top: int = RANK_TOP) -> pd.DataFrame:
    """The `top` technologies of the ranking with a bar label: `$135,980 · 11 occupations`,
    lowest first (the bars keep that order among ties, the first at the bottom)."""
    head = ranking.head(top).iloc[::-1]
    return head.assign(
        text=[
            f"{money(v, t)} · {fmt.plural(int(n), 'occupation')}"
            for v, t, n in zip(
                head["weighted_median"], head["weighted_top_coded"], head["with_pay"], strict=True
            )
        ]
    )
