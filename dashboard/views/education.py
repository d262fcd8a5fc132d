"""Education & careers: O*NET required education per occupation and the seed career tables."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, ui

NAMES = ("occupation",)

snap = ui.require_snapshot()
key = snap.key
st.title("Education & careers")
state = filters.sidebar(snap, NAMES)
options = filters.options_for(snap)
st.caption(filters.summary(state, options, NAMES))
codes = tuple(state["occupation"])
edu_sources = [s for s in snap.table_sources("education") if s != "seed"]

if not data.occupations(key, "education").empty:
    st.markdown(
        "The level of education O\\*NET respondents say an occupation **requires** (scale RL), "
        "as a share of respondents."
    )
    if not codes:
        st.info("Choose one or more occupations in the sidebar.")
    else:
        edu = data.education_for(key, codes)
        missing = [c for c in codes if c not in set(edu["occupation_code"])]
        if missing:
            st.warning(
                "No education data in this O\\*NET release for: "
                + ui.md(", ".join(options.label("occupation", c) for c in missing))
                + ". O\\*NET lists technology skills for them but has no education survey "
                "rows (in O\\*NET 29.2 this is the case for Data Scientists, 15-2051.00, and "
                "Software Developers, 15-1252.00)."
            )
        if not edu.empty:
            fig = charts.education_stacked(edu, "Required education by occupation")
            ui.chart(
                fig,
                edu[["occupation", "occupation_code", "education_level", "share_pct"]],
                key="education_onet",
                snap=snap,
                sources=ui.sources_of(edu, edu_sources),
                note="Levels from left (lowest) to right (highest).",
            )
            ui.export_buttons(
                lambda: data.education_for(key, codes, exact=True),
                key="education",
                title="Required education of the chosen occupations (O*NET)",
                table="education",
                snap=snap,
                sources=ui.sources_of(edu, edu_sources),
                filters=filters.describe(state, options, NAMES),
                count=len(edu),
            )
else:
    st.info(
        "O\\*NET education data is not loaded, so there is no per-occupation view. "
        + ui.REFRESH_HELP
    )

seed = data.seed_rows(key, "education")
if not seed.empty:
    st.subheader("Education of ML engineers (seed article)")
    left, right = st.columns(2)
    with left:
        frame = seed.assign(text=[charts.pct(v) for v in seed["share_pct"]])
        fig = charts.ranked_bars(
            frame,
            "education_level",
            "share_pct",
            f"Highest degree of {seed['occupation'].iloc[0]}s (%)",
            "Share (%)",
            text="text",
            color=charts.PALETTE[1],
        )
        fig.update_xaxes(ticksuffix="%")
        ui.chart(
            fig,
            seed[["source", "occupation", "education_level", "share_pct"]],
            key="education_seed",
            snap=snap,
            sources=sorted(set(seed["source"])),
            note="As printed in the article; no sample or method stated.",
        )
    with right:
        certs = data.small_table(key, "certifications")
        if not certs.empty:
            st.markdown("**Certifications**")
            st.dataframe(certs[["certification", "issuer"]], hide_index=True, key="education_certs")
            st.caption(ui.provenance(snap, sorted(set(certs["source"]))))

revenue = data.small_table(key, "revenue_impact")
ethics = data.small_table(key, "ethics")
if not revenue.empty or not ethics.empty:
    st.subheader("Why it matters: revenue impact and ethics (seed article)")
    left, right = st.columns(2)
    with left:
        if not revenue.empty:
            frame = revenue.assign(text=[charts.pct(v) for v in revenue["revenue_increase_pct"]])
            fig = charts.ranked_bars(
                frame,
                "company",
                "revenue_increase_pct",
                "Revenue increase attributed to ML (%)",
                "Revenue increase (%)",
                text="text",
                color=charts.PALETTE[2],
            )
            fig.update_xaxes(ticksuffix="%")
            ui.chart(
                fig,
                revenue[["source", "company", "revenue_increase_pct"]],
                key="education_revenue",
                snap=snap,
                sources=sorted(set(revenue["source"])),
                note="Anonymous companies (A–E) as printed in the article: illustrative only.",
            )
    with right:
        if not ethics.empty:
            st.markdown("**Ethical considerations and level of concern**")
            order = {"High": 0, "Medium": 1, "Low": 2}
            st.dataframe(
                ethics[["issue", "concern_level"]].sort_values(
                    "concern_level", key=lambda s: s.map(order)
                ),
                hide_index=True,
                key="education_ethics",
            )
            st.caption(ui.provenance(snap, sorted(set(ethics["source"]))))
