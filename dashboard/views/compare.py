"""Compare two segments: their salary distributions and median gap, their openings index lines."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, compare_blocks, data, filters, fmt, salary_blocks, stats, ui

SIDES = ("a", "b")
SEGMENTS = {
    side: [n for n in filters.segment_names(side) if not n.endswith("_sector")] for side in SIDES
}
SECTORS = {side: f"{side}_sector" for side in SIDES}
NAMES = compare_blocks.link_names()

ctx = ui.start("compare", NAMES, inline=[n for n in NAMES if n not in compare_blocks.SIDEBAR])
snap, key, state = ctx.snap, ctx.key, ctx.state
st.markdown(compare_blocks.ABOUT)

ui.inline_filter(ctx, compare_blocks.BOTH)
# Without salary reports no segment filter applies: two empty boxes would only puzzle.
if any(ctx.options.available(name) for name in SEGMENTS["a"]):
    for side, col in zip(SIDES, st.columns(2), strict=True):
        with col, st.container(border=True):
            st.markdown(f"**Segment {side.upper()}**")
            for name in SEGMENTS[side]:
                ui.inline_filter(ctx, name)
labels = {side: compare_blocks.segment_label(ctx, side) for side in SIDES}

st.subheader("Pay")
if not snap.has("salaries"):
    st.info(
        "Comparing pay needs the aijobs.net salary reports, which are not loaded (the seed "
        "holds only published averages). " + ui.refresh_help()
    )
else:
    queries = {side: filters.segment_query(state, side) for side in SIDES}
    unit = salary_blocks.unit(ctx, queries["a"])
    salary_blocks.money_note(ctx, queries["a"])
    values = {side: data.salary_values(key, queries[side]) for side in SIDES}
    n_a, n_b = len(values["a"]), len(values["b"])
    groups = {side: (labels[side], values[side]) for side in SIDES}
    if min(n_a, n_b) < stats.MIN_N:
        st.warning(compare_blocks.too_few_words(n_a, n_b))
        gap = None
    else:
        gap = stats.median_gap(values["a"], values["b"])
        st.markdown(compare_blocks.gap_words(gap, n_a, n_b))
        cols = st.columns(4)
        cols[0].metric("Median A", fmt.usd(gap["median_a"]), help=f"A: {labels['a']}")
        cols[1].metric("Median B", fmt.usd(gap["median_b"]), help=f"B: {labels['b']}")
        cols[2].metric(
            "Gap A − B",
            compare_blocks.percent(gap["gap_pct"]),
            help=f"A's median over B's, in %; the gap in {unit} is in the sentence above.",
        )
        cols[3].metric("A above B's median", fmt.pct(gap["a_above_b_median"]))
        ui.chart(
            ui.figure(
                charts.compare_distributions,
                {
                    side: (
                        f"{side.upper()}: {labels[side]}",
                        values[side],
                        compare_blocks.COLOURS[side],
                    )
                    for side in SIDES
                },
                f"Salaries of A and B ({unit} per year)",
                "% of each segment's reports · dashed: medians",
            ),
            compare_blocks.stats_rows(groups),
            key="compare_distributions",
            snap=snap,
            sources=["aijobs"],
            alt=compare_blocks.gap_words(gap, n_a, n_b) + " " + compare_blocks.share_words(gap),
            column_config=salary_blocks.stats_columns(),
            unit=unit,
        )
    if gap is None:
        st.dataframe(
            compare_blocks.stats_rows(groups),
            hide_index=True,
            column_config=salary_blocks.stats_columns(),
        )
    salary_blocks.composition_panels(ctx, {f"{s.upper()}: {labels[s]}": queries[s] for s in SIDES})

st.subheader("Openings")
if not data.has_index(key):
    st.info(
        "Comparing openings needs the Indeed postings index, which is not loaded (the seed "
        "holds only counts for a few countries). " + ui.refresh_help()
    )
else:
    st.caption(
        "Each segment's line is its country's index of all postings (seasonally adjusted), or "
        "with a sector chosen, that sector's index in the country."
    )
    cols = st.columns(2)
    for side, col in zip(SIDES, cols, strict=True):
        with col:
            ui.inline_filter(ctx, SECTORS[side])
    lines = {side: compare_blocks.line_of(ctx, side) for side in SIDES}
    missing = [why for country, why in lines.values() if country is None]
    if missing:
        st.info("No openings comparison: " + "; ".join(missing) + ".")
    else:
        names = {side: lines[side][1] for side in SIDES}
        series = {
            side: data.index_line(key, lines[side][0], state[SECTORS[side]]) for side in SIDES
        }
        gaps = compare_blocks.index_gap(series["a"], series["b"])
        ui.chart(
            ui.figure(
                charts.index_gap_lines,
                gaps,
                names,
                compare_blocks.COLOURS,
                "Postings index of A and B, and the gap",
            ),
            compare_blocks.gap_table(gaps, names),
            key="compare_openings",
            snap=snap,
            sources=["indeed"],
            alt=compare_blocks.gap_summary(gaps, names),
            note="Both lines are 100 on 1 Feb 2020, so the gap compares how postings grew or "
            "shrank since then, not how many postings each has.",
            as_of=f"{gaps['date'].max():%Y-%m-%d}" if len(gaps) else None,
        )

st.subheader("Take it away")
st.markdown(f"This comparison, all inputs included: [link]({ui.page_link(ctx, NAMES)})")
if snap.has("salaries"):
    ui.export_buttons(
        lambda: compare_blocks.segment_rows(key, queries),
        key="compare_segments",
        title="Salary reports of segments A and B",
        table="salaries",
        snap=snap,
        sources=["aijobs"],
        filters=salary_blocks.export_filters(
            ctx,
            queries["a"],
            {
                f"{s.upper()} {k}": v
                for s in SIDES
                for k, v in filters.describe_query(queries[s], ctx.options).items()
            },
        ),
        count=n_a + n_b,
        name_parts=["A", *queries["a"].file_parts(), "vs", "B", *queries["b"].file_parts()],
        grain="one salary report per segment it falls in (column `segment`)",
    )
