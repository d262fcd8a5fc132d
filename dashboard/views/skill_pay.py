"""Skills that pay: technologies side by side, set against the official US wages and jobs of
the occupations that list them (O*NET technology skills x BLS OEWS, national)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, ui
from dashboard import skill_pay_blocks as pay

NAMES = ("technology", "pay_hot", "pay_group")
SOURCES = ["onet", "bls_oews"]

ctx = ui.start("skill_pay", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
skills = tuple(state["technology"])
hot_only = bool(state["pay_hot"])
group = state["pay_group"]

st.markdown(
    "**What the occupations that list a technology pay, not what the technology adds to a "
    "salary.** For each technology, the occupations O\\*NET lists it for, with their official "
    "jobs and median annual wage: BLS OEWS, **US, May 2025, all industries** (national "
    "estimates). An occupation with several O\\*NET codes (e.g. 15-2051.00 and .01) counts "
    "once. The *employment-weighted median* is the median pay of the jobs in those "
    "occupations (each occupation's median, weighted by its jobs); the *median occupation* "
    "weighs each occupation the same."
)


def export(rows, name: str, title: str, names: tuple[str, ...], count: int, grain: str) -> None:
    """Export buttons for one table of the page (its filters named in the file and About)."""
    parts = [*(skills if "technology" in names else ()), "hot" * hot_only, group or ""]
    ui.export_buttons(
        rows,
        key=name,
        title=title,
        table="skills x occupation_wages",
        snap=snap,
        sources=SOURCES,
        filters=ctx.describe(names),
        count=count,
        name_parts=parts,
        grain=grain,
    )


if not ctx.options.of("technology") or not ctx.options.of("pay_group"):
    st.info(
        "This page needs O\\*NET technology skills and BLS OEWS wages, which the loaded data "
        "does not have." + ui.refresh_help()
    )
    st.stop()

if not skills:
    st.info("Choose up to four technologies in the sidebar.")
else:
    occ = data.skill_occupations(key, skills, hot_only, group)
    summary = data.technology_pay(occ, skills)
    cols = st.columns(len(skills))
    for col, row in zip(cols, summary.itertuples(index=False), strict=True):
        with col:
            st.metric(
                fmt.md(row.skill),
                pay.money(row.weighted_median, row.weighted_top_coded),
                help="Employment-weighted median of the annual median wages of the occupations "
                "that list it",
                border=True,
            )
            st.caption(pay.metric_caption(row))
    ui.chart(
        ui.figure(
            charts.skill_pay_strip,
            occ,
            summary,
            "Median pay of the occupations, by technology",
        ),
        pay.summary_table(summary),
        key="skill_pay_strip",
        snap=snap,
        sources=SOURCES,
        alt=pay.pay_words(summary),
        note="Each dot is an occupation at its median annual wage, its area proportional to "
        "its jobs. Red bar: employment-weighted median; grey dashes: median occupation. "
        + pay.left_out_note(occ, skills),
        column_config=ui.usd_columns(*pay.MEDIANS),
    )

    st.subheader("The occupations behind each technology")
    tabs = st.tabs([fmt.md(s) for s in skills])
    for i, (tab, skill) in enumerate(zip(tabs, skills, strict=True)):
        with tab:
            table = pay.occupation_table(occ, skill)
            ui.table_block(
                table,
                key=f"skill_pay_occupations_{i}",
                snap=snap,
                sources=SOURCES,
                note=pay.occupations_note(occ, skill),
                column_config=pay.occupation_columns(),
            )
    export(
        lambda: data.skill_pay_rows(occ),
        "skill_pay",
        "Occupations that list the chosen technologies, with their OEWS national wages",
        NAMES,
        len(occ),
        "one row per technology and SOC occupation that lists it",
    )

st.subheader("Technologies ranked by the pay of the occupations that list them")
ranking, generic = data.pay_ranking(key, hot_only, group)
st.markdown(pay.ranking_rule(len(ranking), generic, group))
if ranking.empty:
    st.info("No technology is listed by enough occupations with these options.")
else:
    bars = pay.ranking_bars(ranking)
    ui.chart(
        charts.ranked_bars(
            bars,
            "skill",
            "weighted_median",
            f"The {len(bars)} technologies whose occupations pay the most",
            "Employment-weighted median annual wage (USD)",
            text="text",
            color=charts.PALETTE[2],
        ),
        pay.ranking_table(ranking),
        key="skill_pay_ranking",
        snap=snap,
        sources=SOURCES,
        alt=fmt.extremes(
            bars["skill"],
            bars["weighted_median"],
            what="the employment-weighted median pay of the occupations that list it",
            show=fmt.usd,
        ),
        note="The numbers behind the chart rank every technology that passes the rule.",
        column_config=ui.usd_columns(*pay.MEDIANS),
    )
    export(
        lambda: pay.ranking_table(ranking),
        "skill_pay_ranking",
        "Technologies ranked by the employment-weighted median pay of their occupations",
        NAMES[1:],
        len(ranking),
        "one row per technology that passes the rule",
    )
