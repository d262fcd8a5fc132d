"""Skills: O*NET technologies per occupation (hot / in demand), a cross-occupation ranking, seed."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, region_blocks, ui

NAMES = ("occupation", "hot_only", "ai_country")
INLINE = ("ai_country",)
HEATMAP_ROWS = 15  # categories drawn: more would not fit a phone

ctx = ui.start("skills", NAMES, INLINE)
snap, key, state = ctx.snap, ctx.key, ctx.state
sources = snap.table_sources("skills")
codes = tuple(state["occupation"])
hot_only = bool(state["hot_only"])

if ctx.options.of("occupation"):
    st.markdown(
        "Technologies that O\\*NET lists for each occupation. **Hot technology**: frequently "
        "named in employer job postings. **In demand**: among the most requested for this "
        "occupation."
    )
    if not codes:
        st.info("Choose one or more occupations in the sidebar.")
    else:
        skills = data.skills_for(key, codes, hot_only=hot_only)
        missing = ui.missing_occupations(ctx, codes, skills)
        if missing:
            st.info(
                f"No technology skills in the loaded O\\*NET data for: {ui.md(', '.join(missing))}."
            )
        if not skills.empty:
            cells = data.hot_counts(skills, top=HEATMAP_ROWS)
            categories = data.hot_categories(skills)
            ui.chart(
                charts.category_heatmap(cells, "Hot technologies by category and occupation"),
                cells,
                key="skills_categories",
                snap=snap,
                sources=ui.sources_of(skills),
                alt=fmt.extremes(
                    cells["category"] + " for " + cells["occupation"],
                    cells["hot technologies"],
                    what="the number of hot technologies",
                    show=fmt.count,
                ),
                note=(
                    f"The {HEATMAP_ROWS} categories (of {categories}) with the most hot "
                    "technologies across the chosen occupations"
                    if categories > HEATMAP_ROWS
                    else f"Every category with a hot technology of the chosen occupations "
                    f"({categories})"
                )
                + "; each cell counts one occupation's hot technologies.",
            )
            st.subheader("Technologies by category")
            table = data.technology_table(skills)
            ui.table_block(
                table,
                key="skills_table",
                snap=snap,
                sources=ui.sources_of(skills),
                note=f"{len(table):,} technologies of the chosen occupations, grouped by "
                "category; per occupation: **hot** (hot technology), **in demand**, or "
                "**listed** (neither).",
                column_config=ui.technology_columns(list(table.columns[4:])),
            )
            ui.export_buttons(
                lambda: table,
                key="skills",
                title="Technologies of the chosen occupations (the table shown)",
                table="skills",
                snap=snap,
                sources=ui.sources_of(skills),
                filters=ctx.describe(NAMES),
                count=len(table),
                name_parts=[("-".join(codes) if len(codes) <= 3 else f"{len(codes)}occupations")]
                + (["hot"] if hot_only else []),
                grain="one row per technology, as in the table above (one column per occupation)",
            )

    ranking = data.hot_ranking(key)
    if not ranking.empty:
        left_out = data.generic_note(data.generic_technologies(key), data.hot_totals(key))
        ui.chart(
            charts.ranked_bars(
                ranking,
                "skill",
                "occupations",
                "Top hot technologies in computer & math",
                "Occupations listing it as hot",
                color=charts.PALETTE[2],
            ),
            ranking,
            key="skills_ranking",
            snap=snap,
            alt=fmt.extremes(
                ranking["skill"],
                ranking["occupations"],
                what="the number of computer & math occupations listing it as hot",
                show=fmt.count,
            ),
            sources=[s for s in sources if s != "seed"] or sources,
            note="Occupations counted: O\\*NET-SOC codes 15-xxxx (computer and mathematical "
            "occupations: software, data, ML, statistics). Independent of the sidebar "
            "occupation filter. " + left_out,
        )
else:
    st.info(
        "O\\*NET technology skills are not loaded, so there is no per-occupation view. "
        + ui.refresh_help()
    )

# ---- AI in postings (Indeed AI Tracker)
if snap.has("ai_postings_share") and ctx.options.of("ai_country"):
    st.subheader("How many postings mention AI, by country")
    st.markdown(region_blocks.AI_ABOUT)
    countries = tuple(ui.inline_filter(ctx, "ai_country")) or tuple(ctx.options.of("ai_country"))
    latest = data.ai_share_latest(key, countries)
    metrics = region_blocks.ai_metrics(latest)
    for first in range(0, len(metrics), 4):  # four to a row: a phone stacks them
        row = metrics[first : first + 4]
        for col, metric in zip(st.columns(4), row, strict=False):
            with col:
                st.metric(
                    metric["label"],
                    metric["value"],
                    metric["delta"],
                    delta_color="off",
                    help="The latest seven-day average share, its day, and its change in "
                    "percentage points (pp) against the same day a year before.",
                )
    ai = data.ai_share(key, countries)
    ui.chart(
        ui.figure(
            charts.share_lines,
            ai,
            "Share of postings mentioning AI",
            charts.colour_map(data.country_colours(key)),
        ),
        region_blocks.ai_table(latest),
        key="skills_ai_share",
        snap=snap,
        sources=ui.sources_of(ai),
        alt=region_blocks.ai_words(latest),
        note="pp: percentage points, against the same day a year before. Choose countries "
        "above the metrics.",
        as_of=f"{ai['date'].max():%Y-%m-%d} (last day drawn)" if len(ai) else None,
    )
    ui.export_buttons(
        lambda: data.ai_share(key, countries, exact=True),
        key="skills_ai_share",
        title="Share of job postings mentioning AI (Indeed AI Tracker), % of all postings",
        table="ai_postings_share",
        snap=snap,
        sources=ui.sources_of(ai),
        filters=ctx.describe(("ai_country",)) | {"countries drawn": ", ".join(countries)},
        count=len(ai),
        name_parts=["-".join(countries) if len(countries) <= 4 else f"{len(countries)}countries"],
        grain="one row per country and day",
    )

seed_lists = data.seed_skill_lists(key)
if seed_lists:
    st.subheader("Skills by importance (seed article)")
    cols = st.columns(len(seed_lists))
    for i, (col, (name, part)) in enumerate(zip(cols, seed_lists.items(), strict=True)):
        with col:
            ui.table_block(
                part[["source", "skill", "importance"]],
                key=f"skills_seed_{i}",
                snap=snap,
                title=f"{name} ({part['occupation'].iloc[0]})",
                note="Importance as printed in the article (High / Medium / Low); no method "
                "stated.",
            )

ui.table_pair(
    "Tools, libraries and algorithms (seed article)",
    [
        (data.seed_tools(key), "skills_tools"),
        (data.small_table(key, "algorithms")[["source", "algorithm", "use_case"]], "skills_algos"),
    ],
    snap,
)
