"""Occupations: official BLS OEWS wages and jobs of one occupation by state, metro and industry."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, occupation_blocks, region_blocks, ui
from dashboard.data import manifest, wages

NAMES = ("soc", "compare", "state", "map_measure", "where_view", "metro_rank")
INLINE = ("map_measure", "where_view", "metro_rank")

ctx = ui.start("occupations", NAMES, INLINE)
snap, key, state = ctx.snap, ctx.key, ctx.state
soc = state["soc"]

if not snap.has("occupation_wages"):
    st.info(
        "The official US wages (BLS OEWS) are not loaded, so there is no occupation profile. "
        + ui.refresh_help()
    )
elif soc is None:
    st.info("Choose an occupation in the sidebar.")
else:
    sources = snap.table_sources("occupation_wages")
    month = fmt.month(manifest.as_of(snap.sources.get("bls_oews", {})))
    name = ctx.options.label("compare", soc)
    title = name.rsplit(" (", 1)[0]
    st.markdown(occupation_blocks.about(month))
    compare = tuple(c for c in state["compare"] if c != soc)
    us_state = state["state"]
    national = data.wages_for(key, (soc, *compare), "national")
    mine = occupation_blocks.rows_of(national, soc)
    # Hourly for an occupation BLS publishes per hour only (actors): every wage on the page.
    basis = "annual" if mine.empty else wages.pay_basis(mine.iloc[0])
    median = f"{basis}_median"
    if mine.empty:
        st.warning(f"BLS publishes no national figures for {ui.md(name)} in this release.")
    else:
        occupation_blocks.headline(mine.iloc[0], month)

    # ---- wage bands: the occupation, its state, the compared occupations
    states = data.wages_for(key, (soc,), "state")
    bands = occupation_blocks.band_rows(national, states, (soc, *compare), us_state)
    drawn_bands = bands.dropna(subset=[median])
    st.subheader("Wage band" if len(bands) < 2 else "Wage bands compared")
    ui.chart(
        ui.figure(
            occupation_blocks.band_figure, bands, f"{basis.capitalize()} wages, {month}", basis
        ),
        occupation_blocks.wage_table(bands, "label", basis),
        key="occupation_bands",
        snap=snap,
        sources=sources,
        alt=fmt.extremes(
            drawn_bands["label"],
            drawn_bands[median],
            what="the median",
            show=occupation_blocks.shown_as(drawn_bands, median),
        )
        if len(drawn_bands) > 1
        else occupation_blocks.band_words(bands, basis),
        note=occupation_blocks.band_note(bands, basis),
        column_config=occupation_blocks.wage_columns(basis),
    )

    # ---- states
    st.subheader(f"{fmt.md(title)} by state")
    measure = ui.inline_filter(ctx, "map_measure")
    measure_label = ctx.options.label("map_measure", measure)
    if measure == "annual_median":
        measure = median
    drawn = states.dropna(subset=[measure])
    ui.chart(
        ui.figure(
            charts.state_map,
            states,
            measure,
            f"{measure_label} by state",
            occupation_blocks.COLORBAR[measure],
            f"{title}, {month}",
        ),
        occupation_blocks.area_table(states, "state", basis=basis),
        key="occupation_states",
        snap=snap,
        sources=sources,
        alt=fmt.extremes(
            drawn["area_name"],
            drawn[measure],
            what=f"the {measure_label.lower()}",
            show=occupation_blocks.shown_as(drawn, measure),
        ),
        note=occupation_blocks.state_note(states, measure, ctx.options.labels["state"])
        + " "
        + occupation_blocks.top_code_note(states, basis, "area_name"),
        column_config=occupation_blocks.wage_columns(basis),
    )

    # ---- where to work: pay beside the state's demand
    where_export = {}
    if snap.has("regional_openings") and basis == "hourly":
        st.subheader(f"Where to work as {fmt.md(title)}: pay and demand by state")
        st.info(
            "This view sets each state's median annual wage beside its postings; BLS publishes "
            f"no annual wage for {ui.md(title)}. Their hourly wages by state are in the map and "
            "table above."
        )
    elif snap.has("regional_openings"):
        st.subheader(f"Where to work as {fmt.md(title)}: pay and demand by state")
        st.markdown(region_blocks.WHERE_ABOUT.format(month=month))
        where = data.where_to_work(key, soc)
        where_table = region_blocks.where_rows(where)
        view = ui.inline_filter(ctx, "where_view")
        if view in ("wage", "change"):
            measure = "annual_median" if view == "wage" else "change"
            ui.chart(
                ui.figure(
                    charts.state_map,
                    where,
                    measure,
                    ctx.options.label("where_view", view).removeprefix("Map: ").capitalize()
                    + " by state",
                    "Median (USD)" if view == "wage" else "Points in 12 months",
                    f"{title}, {month}" if view == "wage" else "All postings in the state",
                ),
                where_table,
                key="occupation_where_map",
                snap=snap,
                sources=["bls_oews"] if view == "wage" else ["indeed"],
                alt=region_blocks.where_words(where, title),
                note=(
                    f"The occupation's median annual wage in each state (BLS OEWS, {month}). "
                    + region_blocks.unpublished(where)
                    if view == "wage"
                    else "The change over 12 months, in index points, of the Indeed postings "
                    "index of all jobs in each state (1 Feb 2020 = 100), not only this "
                    "occupation's."
                ),
                column_config=region_blocks.where_columns(),
            )
        else:
            ui.chart(
                ui.figure(
                    charts.pay_and_demand,
                    where,
                    f"{title}: pay and demand",
                    "Circle size: the occupation's jobs",
                ),
                where_table,
                key="occupation_where",
                snap=snap,
                sources=["bls_oews", "indeed"],
                alt=region_blocks.where_words(where, title),
                note=f"y: the occupation's median annual wage in the state (BLS OEWS, {month}). "
                "x: the change over 12 months, in index points, of the Indeed postings index of "
                "all jobs in the state (1 Feb 2020 = 100), to its latest day. Right of the "
                "dotted line: more postings than a year before. "
                + region_blocks.unpublished(where),
                column_config=region_blocks.where_columns(),
            )
        occupation_blocks.grid(
            where_table,
            key="occupation_where_table",
            snap=snap,
            sources=["bls_oews", "indeed"],
            title="Every state: pay, jobs and demand",
            note="Click a column header to sort. A median that reads “–”: BLS publishes none "
            "(the note says why); an index that reads “–”: Indeed publishes none for the area. "
            "Export it under *Export* at the end of the page.",
            column_config=region_blocks.where_columns(),
        )
        where_export = {
            "occupation_where": (
                "Where to work: median wage (BLS OEWS) beside the state's postings index "
                "(Indeed, all postings)",
                lambda: where_table,
            )
        }

    # ---- metro areas
    metros = data.metro_wages(key, soc, us_state)
    where = ctx.options.label("state", us_state) if us_state else "the US"
    st.subheader(f"Metro areas in {fmt.md(where)}")
    rank = ui.inline_filter(ctx, "metro_rank")
    shown, ranked = occupation_blocks.top_and_bottom(
        metros, median if rank == "annual_median" else rank
    )
    rank_label = ctx.options.label("metro_rank", rank).lower()
    if shown.empty:
        st.info(f"BLS publishes no metro-area figure for {ui.md(title)} in {ui.md(where)}.")
    else:
        occupation_blocks.grid(
            occupation_blocks.area_table(shown, "metro", rank=True, basis=basis),
            key="occupation_metros",
            snap=snap,
            column_config=occupation_blocks.wage_columns(basis),
            title=(
                f"The {len(shown)} metro areas with a figure, by {rank_label}"
                if len(shown) == ranked
                else f"Highest and lowest {len(shown) // 2} of {ranked} metro areas by {rank_label}"
            ),
            note="Click a column header to sort. A metro area that spans states is listed "
            "under its main state. " + occupation_blocks.top_code_note(shown, basis, "area_name"),
        )

    # ---- industries
    st.subheader(f"Industries employing {fmt.md(title)}")
    industries = data.industries_for(key, soc)
    sectors, groups = occupation_blocks.split_industries(industries)
    if sectors.empty:
        st.info(f"BLS publishes no industry breakdown for {ui.md(title)}.")
    else:
        ui.percent_bars(
            occupation_blocks.sector_labels(sectors),
            "sector",
            "share_pct",
            title=f"Share of {title} jobs by NAICS sector",
            axis="Share of the occupation's jobs (%)",
            key="occupation_sectors",
            snap=snap,
            note=occupation_blocks.share_note(sectors, mine),
        )
        occupation_blocks.grid(
            occupation_blocks.industry_table(groups, basis=basis),
            key="occupation_industries",
            snap=snap,
            sources=sources,
            title="The largest industry groups (4-digit NAICS)",
            note="Share: of the occupation's jobs in all industries. "
            + occupation_blocks.top_code_note(groups, basis, "industry"),
            column_config=occupation_blocks.industry_columns(),
        )

    # ---- what it asks for (O*NET)
    occupation_blocks.onet_section(ctx, soc, title)

    # ---- exports
    st.subheader("Export")
    parts = [soc, *compare] + ([us_state] if us_state else [])
    occupation_blocks.exports(
        ctx,
        {
            "occupation_bands": (
                "Wage bands shown",
                lambda: occupation_blocks.wage_table(bands, "label", basis),
            ),
            "occupation_states": (
                "States",
                lambda: occupation_blocks.area_table(states, "state", basis=basis),
            ),
            "occupation_metros": (
                "Metro areas shown",
                lambda: occupation_blocks.area_table(shown, "metro", rank=True, basis=basis),
            ),
            "occupation_industries": (
                "Industries (sectors and groups)",
                lambda: occupation_blocks.industry_table(industries, kinds=True, basis=basis),
            ),
        }
        | where_export,
        parts=parts,
        title=title,
        joined={"occupation_where": ("bls_oews", "indeed")},
    )
