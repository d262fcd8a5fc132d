"""Job openings: world map and time series of the Indeed postings index; the seed's counts."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, region_blocks, ui

NAMES = ("country", "dates", "posting", "adjust", "region_country", "region_measure", "regions")
INLINE = ("region_country", "region_measure", "regions")
LINE_STYLES = ("solid", "dashed", "dotted", "dash-dot")

ctx = ui.start("openings", NAMES, INLINE)
snap, key, state = ctx.snap, ctx.key, ctx.state
chosen = tuple(state["country"])
start, end = state["dates"] or (None, None)
sources = snap.table_sources("openings")
has_index = data.has_index(key)

if not snap.has("openings"):
    st.info("No openings data is loaded. " + ui.refresh_help())
    st.stop()


def names_of(codes: list[str]) -> str:
    return ", ".join(fmt.country_name(c) for c in codes)


if not has_index:
    st.info(
        "The Indeed postings index (openings over time) is not loaded; only the seed article's "
        "undated counts are shown. " + ui.refresh_help()
    )
else:
    st.markdown(
        "The **Indeed Job Postings Index** is the number of job postings on Indeed as a "
        "**% of its 1 February 2020 level** (= 100): 120 means 20% more postings than then. "
        "It is an index, **not a count** of openings."
    )
    adjust, posting = tuple(state["adjust"]), tuple(state["posting"])
    if not adjust or not posting:
        st.warning("Pick at least one adjustment and one posting type in the sidebar.")
    else:
        latest = data.openings_latest(key, f"postings_index_{adjust[0]}", posting[0], chosen, end)
        as_on = f", {latest['date'].max():%d %b %Y}" if len(latest) else ""
        line = data.variant(f"postings_index_{adjust[0]}", posting[0])
        aggregates = [c for c in latest["country"] if fmt.iso3(c) is None]
        note = "Blue: above the 1 Feb 2020 level; red: below."
        if aggregates:
            note += f" Not on the map (no single territory): {names_of(aggregates)}; see the table."
        last_day = f"{latest['date'].max():%Y-%m-%d} (last day drawn)" if len(latest) else None
        ui.chart(
            ui.figure(
                charts.choropleth,
                latest,
                "value",
                "Latest postings index",
                "% of 1 Feb 2020",
                hover="<b>%{customdata[0]}</b><br>index %{z:.1f} (1 Feb 2020 = 100)"
                "<br>%{customdata[1]}",
                midpoint=100,
                customdata=("name", "date_text"),
                subtitle=f"{line} postings{as_on}; 1 Feb 2020 = 100",
            ),
            latest[["country", "name", "date", "measure", "posting_type", "value"]],
            key="openings_map",
            snap=snap,
            sources=ui.sources_of(latest),
            alt=fmt.extremes(
                latest["name"], latest["value"], what="the latest index", show=fmt.index_value
            ),
            note=note,
            as_of=last_day,
        )

        lines = chosen or tuple(c for c in data.DEFAULT_LINES if c in ctx.options.of("country"))
        if not chosen:
            st.caption(
                f"No country chosen: showing {', '.join(lines)}. Choose countries in the "
                "sidebar to compare others (Euro area = EA)."
            )
        series = data.index_lines(key, adjust, posting, lines, start, end)
        order = [data.variant(f"postings_index_{a}", p) for a in adjust for p in posting]
        drawn = [v for v in order if v in set(series["variant"])]
        note = ""
        if len(drawn) > 1:
            note = "Colour = country; line: " + "; ".join(
                f"{style} = {v}" for style, v in zip(LINE_STYLES, drawn, strict=False)
            )
            note += " (SA = seasonally adjusted, NSA = not adjusted)."
        missing = [c for c in lines if c not in set(series["country"])]
        if missing:
            note += f" No postings index for: {names_of(missing)}."
        ui.chart(
            ui.figure(
                charts.index_lines,
                series,
                "Postings index over time (% of 1 Feb 2020 level)",
                order,
                charts.colour_map(data.index_countries(key)),
            ),
            series[["country", "date", "measure", "posting_type", "value"]],
            key="openings_series",
            snap=snap,
            sources=ui.sources_of(series, sources),
            alt=fmt.series_summary(series, "country", what="the postings index"),
            note=note.strip(),
            as_of=f"{series['date'].max():%Y-%m-%d} (last day drawn)" if len(series) else None,
        )
        ui.export_buttons(
            lambda: data.openings_series(
                key,
                tuple(f"postings_index_{a}" for a in adjust),
                posting,
                lines,
                start,
                end,
                exact=True,
            ),
            key="openings_index",
            title="Indeed postings index (% of 1 Feb 2020 level)",
            table="openings",
            snap=snap,
            sources=ui.sources_of(series, sources),
            filters=ctx.describe(NAMES) | {"countries drawn": ", ".join(lines)},
            count=len(series),
            name_parts=[
                "-".join(lines) if len(lines) <= 3 else f"{len(lines)}countries",
                "-".join(adjust),
                "-".join(posting),
            ],
            grain="one row per country, day and index variant",
        )

# ---- below the country: states, provinces, regions
if snap.has("regional_openings") and ctx.options.of("region_country"):
    st.subheader("Below the country: states, provinces and regions")
    st.markdown(region_blocks.REGIONS_ABOUT)
    region_country = ui.inline_filter(ctx, "region_country")
    if region_country is None:
        st.info("Choose a country above to see its regions.")
    else:
        place = fmt.country_name(region_country)
        latest = region_blocks.with_text(data.region_latest(key, region_country, end))
        measure = ui.inline_filter(ctx, "region_measure")
        axis = charts.REGION_AXIS[measure]
        last_day = f"{latest['date'].max():%Y-%m-%d} (latest day)" if len(latest) else None
        title, subtitle = region_blocks.map_titles(latest, measure, region_country)
        if region_country == "US":
            bar = axis.split(" (")[0]  # the colour bar's title: short, it sits under the map
            fig = ui.figure(charts.region_state_map, latest, measure, title, bar, subtitle)
        else:
            fig = ui.figure(
                charts.ranked_bars,
                region_blocks.bars_frame(latest, measure),
                "region_name",
                measure,
                title,
                axis,
                text="text",
                reference=100.0 if measure == "value" else 0.0,
                hover_format=".1f",
            )
        ui.chart(
            fig,
            region_blocks.ranked_table(latest),
            key="openings_regions_map" if region_country == "US" else "openings_regions_bars",
            snap=snap,
            sources=ui.sources_of(latest),
            alt=region_blocks.words(latest, measure, place),
            note=region_blocks.map_note(latest, region_country, place),
            as_of=last_day,
            column_config=region_blocks.table_columns(),
        )
        ui.table_block(
            region_blocks.ranked_table(latest),
            key="openings_regions_table",
            snap=snap,
            title=region_blocks.table_title(region_country, place),
            note="Click a column header to sort. "
            + (region_blocks.na_note(latest) or "Every region has a value a year before."),
            column_config=region_blocks.table_columns(),
        )
        ui.export_buttons(
            lambda: data.region_latest(key, region_country, end, exact=True),
            key="openings_regions",
            title=f"Indeed postings index by region, {place}: latest value and 12-month change",
            table="regional_openings",
            snap=snap,
            sources=ui.sources_of(latest),
            filters=ctx.describe(("region_country", "dates")),
            count=len(latest),
            name_parts=[region_country, "latest"],
            grain="one row per region: its latest index, the index a year before and the change",
        )

        st.markdown(f"**{fmt.md(region_blocks.lines_heading(region_country, place))}**")
        picked = ui.inline_filter(ctx, "regions")
        # Not `lines`: the index export above reads `lines` when clicked, after this has run.
        regions = region_blocks.of_country(picked, region_country) or data.default_regions(
            key, region_country
        )
        series = data.region_lines(key, regions, start, end)
        reference = data.country_reference(key, region_country, start, end)
        if not region_blocks.of_country(picked, region_country):
            st.caption(
                f"No region of {fmt.md(place)} chosen: showing "
                + fmt.md(", ".join(ctx.options.label("regions", r) for r in regions))
                + "."
            )
        ui.chart(
            ui.figure(
                charts.region_lines,
                series,
                reference,
                region_blocks.lines_title(region_country, place),
                charts.colour_map(regions),
            ),
            series[["region", "region_name", "date", "value"]],
            key="openings_regions_lines",
            snap=snap,
            sources=ui.sources_of(series),
            alt=region_blocks.lines_words(series, reference),
            note=region_blocks.lines_note(series, reference, place),
            as_of=f"{series['date'].max():%Y-%m-%d} (last day drawn)" if len(series) else None,
        )
        ui.export_buttons(
            lambda: data.region_lines(key, regions, start, end, exact=True),
            key="openings_region_lines",
            title=f"Indeed postings index of chosen regions, {place} (% of 1 Feb 2020 level)",
            table="regional_openings",
            snap=snap,
            sources=ui.sources_of(series),
            filters=ctx.describe(("region_country", "dates"))
            | {"regions drawn": ", ".join(regions)},
            count=len(series),
            name_parts=["-".join(regions) if len(regions) <= 3 else f"{len(regions)}regions"],
            grain="one row per region and day",
        )


def seed_section() -> None:
    """The seed article's undated counts per country: a map, ranked bars and an export."""
    st.caption(
        "A count of openings as printed in the seed article: undated, no stated method."
        + (" Not comparable with the index above." if has_index else "")
    )
    left, right = st.columns(2)
    with left:
        ui.chart(
            ui.figure(
                charts.choropleth,
                seed,
                "value",
                "Job openings (count, seed article)",
                "Openings",
                hover="<b>%{customdata[0]}</b><br>%{z:,.0f} openings",
                customdata=("name",),
            ),
            seed[["country", "name", "value"]],
            key="openings_seed_map",
            snap=snap,
            sources=ui.sources_of(seed),
            alt=fmt.extremes(
                seed["name"],
                seed["value"],
                what="the seed article's count of job openings",
                show=fmt.count,
            ),
        )
    with right:
        ui.seed_openings_bars(
            seed, title="Job openings by country (count)", key="openings_seed_bars", snap=snap
        )
    ui.export_buttons(
        lambda: data.openings_latest(key, "job_openings", None, chosen, exact=True),
        key="openings_seed",
        title="Job openings by country (seed article)",
        table="openings",
        snap=snap,
        sources=ui.sources_of(seed),
        filters=ctx.describe(("country",)),
        count=len(seed),
        name_parts=["-".join(chosen) if len(chosen) <= 3 else f"{len(chosen)}countries"],
        grain="one row per country (undated counts)",
    )


seed = data.openings_latest(key, "job_openings", None, chosen)
if not seed.empty:
    # Drawn when opened once the dated index is there (it is then a footnote); open by itself
    # when it is all the page has.
    title = "Job openings by country (seed article, undated counts)"
    with ui.on_demand(title, "seed_openings", expanded=not has_index) as box:
        if box.open:
            seed_section()
elif not has_index:
    st.info("No openings for the selected countries. " + ui.refresh_help())
elif chosen:
    st.caption("The seed article has no openings count for the selected countries.")
