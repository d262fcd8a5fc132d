"""Pay growth: year-on-year growth of advertised pay by country and US sector (Indeed Wage
Tracker), beside the crowd reports' median change."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, growth_blocks, ui

NAMES = ("wage_country", "wage_sector", "dedupe")

ctx = ui.start("growth", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
st.markdown(growth_blocks.ABOUT)

if not snap.has("posted_wage_growth"):
    st.info(growth_blocks.NOT_LOADED + ui.refresh_help())
else:
    sources = snap.table_sources("posted_wage_growth")
    countries = state["wage_country"] or tuple(data.wage_countries(key))
    sectors = state["wage_sector"] or tuple(data.wage_sectors(key))
    colours = charts.colour_map(data.country_colours(key))
    series = data.wage_growth(key, countries)
    summary = data.growth_summary(series)

    st.subheader("Latest and peak, by country")
    growth_blocks.headline(summary)
    ui.chart(
        ui.figure(
            charts.wage_growth_lines,
            series,
            "Advertised pay: growth on a year before (%)",
            colours,
        ),
        data.growth_table(series),
        key="wage_growth",
        snap=snap,
        sources=sources,
        alt=growth_blocks.words(summary),
        note="Growth of advertised pay, not a level; not seasonally adjusted. "
        + growth_blocks.SUMMARY_NOTE,
        as_of=growth_blocks.last_month(series),
    )
    ui.table_block(
        growth_blocks.summary_rows(summary),
        key="wage_growth_latest",
        snap=snap,
        title="Latest value and peak",
        sources=sources,
    )

    st.subheader("United States by sector")
    by_sector = data.wage_growth(key, ("US",), sectors)
    note = growth_blocks.sector_note(key)
    if note:
        st.caption(note)
    if by_sector.empty:
        st.caption("Indeed's wage tracker has no US sector series in this data.")
    else:
        sector_summary = data.growth_summary(by_sector)
        ui.chart(
            ui.figure(
                charts.wage_growth_lines,
                by_sector,
                "US sectors: advertised pay, growth on a year before (%)",
                charts.colour_map(data.sector_colours(key)),
                reference=data.wage_growth(key, ("US",)),
            ),
            data.growth_table(by_sector),
            key="wage_growth_sectors",
            snap=snap,
            sources=sources,
            alt=growth_blocks.words(sector_summary, " (US)"),
            note="Dashed grey: the United States over all postings. " + growth_blocks.SUMMARY_NOTE,
            as_of=growth_blocks.last_month(by_sector),
        )

    st.subheader("Beside it: the median of crowd reports (a different measure)")
    st.markdown(growth_blocks.CROWD_ABOUT)
    if not snap.has("salaries"):
        st.info("The aijobs.net salary reports are not loaded. " + ui.refresh_help())
    else:
        query = filters.salary_query({"dedupe": state["dedupe"]})
        changes = data.crowd_changes(key, query, countries, tuple(ctx.options.partial_years))
        if not len(changes):
            st.caption(growth_blocks.crowd_words(changes))
        else:
            ui.chart(
                ui.figure(
                    charts.crowd_and_posted,
                    changes,
                    "Change on the year before (%)",
                    colours,
                ),
                growth_blocks.crowd_rows(changes),
                key="wage_growth_crowd",
                snap=snap,
                sources=["aijobs", *sources],
                alt=growth_blocks.crowd_words(changes),
                note="Bars: the median of crowd salary reports (aijobs.net, US dollars as "
                f"reported), shown where both years have {data.CROWD_MIN_N}+ reports. Diamonds: "
                "posted wage growth (Indeed), the mean of the calendar year's 12 monthly values. "
                "Two sources, two measures.",
                column_config={
                    **ui.usd_columns("median", "year before"),
                    **growth_blocks.PERCENT_COLUMNS,
                },
            )

    ui.export_buttons(
        lambda: data.wage_growth_rows(key, countries, sectors),
        key="wage_growth",
        title="Posted wage growth (Indeed Wage Tracker) shown on this page",
        table="posted_wage_growth",
        snap=snap,
        sources=sources,
        filters=ctx.describe(NAMES),
        name_parts=[*countries[:3], f"{len(sectors)}sectors"],
        grain="a country (or US sector) and month; growth as fractions (0.0235 = 2.35%)",
    )
