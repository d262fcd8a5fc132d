"""Education & careers: O*NET required education per occupation and the seed career tables."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, ui

NAMES = ("occupation",)

ctx = ui.start("education", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
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
        missing = ui.missing_occupations(ctx, codes, edu)
        if missing:
            st.warning(
                "No education data in this O\\*NET release for: "
                + ui.md(", ".join(missing))
                + ". O\\*NET lists technology skills for them but has no education survey "
                "rows (in O\\*NET 29.2 this is the case for Data Scientists, 15-2051.00, and "
                "Software Developers, 15-1252.00)."
            )
        if not edu.empty:
            ui.chart(
                charts.education_stacked(edu, "Required education by occupation"),
                edu[["occupation", "occupation_code", "education_level", "share_pct"]],
                key="education_onet",
                snap=snap,
                sources=ui.sources_of(edu, edu_sources),
                alt=data.education_summary(edu),
                note="Levels from left (lowest) to right (highest).",
            )
            ui.export_buttons(
                lambda: data.education_for(key, codes, exact=True),
                key="education",
                title="Required education of the chosen occupations (O*NET)",
                table="education",
                snap=snap,
                sources=ui.sources_of(edu, edu_sources),
                filters=ctx.describe(NAMES),
                count=len(edu),
                name_parts=["-".join(codes) if len(codes) <= 3 else f"{len(codes)}occupations"],
                grain="one row per occupation and education level",
            )
else:
    st.info(
        "O\\*NET education data is not loaded, so there is no per-occupation view. "
        + ui.refresh_help()
    )

seed = data.seed_rows(key, "education")
if not seed.empty:
    st.subheader("Education of ML engineers (seed article)")
    left, right = st.columns(2)
    with left:
        ui.percent_bars(
            seed,
            "education_level",
            "share_pct",
            title=f"Highest degree of {seed['occupation'].iloc[0]}s (%)",
            axis="Share (%)",
            key="education_seed",
            snap=snap,
            note="As printed in the article; no sample or method stated.",
        )
    with right:
        certs = data.small_table(key, "certifications")
        if not certs.empty:
            ui.table_block(
                certs[["source", "certification", "issuer"]],
                key="education_certs",
                snap=snap,
                title="Certifications",
            )

revenue = data.small_table(key, "revenue_impact")
ethics = data.small_table(key, "ethics")
if not revenue.empty or not ethics.empty:
    left, right = ui.section("Why it matters: revenue impact and ethics (seed article)")
    with left:
        if not revenue.empty:
            ui.percent_bars(
                revenue,
                "company",
                "revenue_increase_pct",
                title="Revenue increase attributed to ML (%)",
                axis="Revenue increase (%)",
                key="education_revenue",
                snap=snap,
                note="Anonymous companies (A–E) as printed in the article: illustrative only.",
                color=charts.PALETTE[2],
            )
    with right:
        if not ethics.empty:
            ui.table_block(
                data.by_importance(ethics, "concern_level")[["source", "issue", "concern_level"]],
                key="education_ethics",
                snap=snap,
                title="Ethical considerations and level of concern",
            )
