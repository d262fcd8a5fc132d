"""Demand beside pay: a job family's sector postings index above its salary median by year."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, demand_blocks, filters, fmt, region_blocks, salary_blocks, ui

NAMES = ("role", "residence", "money", "dedupe")

ctx = ui.start("demand", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
st.markdown(demand_blocks.ABOUT)
family, country = state["role"], state["residence"]
query = filters.family_query(state)
mapping = data.family_sectors(key)
link = demand_blocks.sector_of(key, family)
needs = [
    what
    for what, ok in (
        ("the aijobs.net salary reports", snap.has("salaries")),
        ("the Indeed sector postings index", snap.has("sector_openings")),
    )
    if not ok
]
if needs:
    st.info(
        f"Setting demand beside pay needs {' and '.join(needs)}, which "
        f"{'is' if len(needs) == 1 else 'are'} not loaded. " + ui.refresh_help()
    )
elif link is None:
    st.info(
        f"{fmt.md(family or 'No job family is chosen')}: no Indeed occupational sector matches "
        "it fairly, so there is no postings index to set beside its pay. Families with a "
        "sector: " + fmt.md(", ".join(mapping["job_family"])) + "."
    )
else:
    sector = link["sector"]
    partial = tuple(ctx.options.partial_years)
    covered = [c for c, have in data.sector_coverage(key).items() if sector in have]
    if country not in covered:
        st.info(
            f"Indeed publishes no {fmt.md(sector)} index for "
            f"{fmt.md(fmt.country_name(country) if country else 'all countries together')}. "
            "Countries with one: " + ", ".join(fmt.country_name(c) for c in covered) + "."
        )
    else:
        place = fmt.country_name(country)
        salary_blocks.money_note(ctx, query)
        index = data.index_line(key, country, sector)
        pay = demand_blocks.pay_by_year(key, query)
        names = {"family": family, "sector": sector, "place": place}
        # ML and data families: the country's AI share below, both charts on one time axis
        with_ai = family in region_blocks.AI_FAMILIES and snap.has("ai_postings_share")
        has_ai = with_ai and country in data.ai_countries(key)
        span = (
            region_blocks.ai_range(index, pay, data.ai_share(key, (country,))) if has_ai else None
        )
        ui.chart(
            region_blocks.on_axis(
                ui.figure(
                    charts.demand_and_pay,
                    index,
                    pay,
                    {
                        "index": f"Demand: {sector} postings (Indeed)",
                        "pay": f"Pay: {family} median (aijobs.net)",
                    },
                    f"{family} in {place}: postings beside pay",
                    partial=partial,
                ),
                span,
            ),
            pay.rename(columns={"p50": "median"}),
            key="demand_pay",
            snap=snap,
            sources=["indeed", "aijobs"],
            alt=demand_blocks.words(index, pay, names, partial),
            note="Different sources, different measures: an index of postings (Indeed) and "
            "reported pay (aijobs.net). A dotted median: fewer than 30 reports or a year the "
            "salary snapshot covers only in part. Years under 10 reports are left out.",
            column_config=salary_blocks.stats_columns(),
            unit=salary_blocks.unit(ctx, query),
            # Indeed's own date is its newest file's; this sector's line may end years before.
            as_of={"indeed": demand_blocks.last_day(index)},
        )
        if with_ai:
            if has_ai and span is not None:
                ai = data.ai_share(key, (country,), span[0].date())
                ui.chart(
                    ui.figure(
                        charts.share_lines,
                        ai,
                        f"Share of postings mentioning AI, {place}",
                        charts.colour_map(data.country_colours(key)),
                        x_range=span,
                        height=320,
                    ),
                    ai[["country", "date", "share_pct"]],
                    key="demand_ai_share",
                    snap=snap,
                    sources=ui.sources_of(ai),
                    alt=region_blocks.ai_demand_words(ai, place),
                    note="The share of all postings in the country that mention AI keywords "
                    "(Indeed AI Tracker, seven-day average): the whole market's AI demand, not "
                    f"{fmt.md(family)} postings only. The Skills page has every country.",
                    as_of=f"{ai['date'].max():%Y-%m-%d} (last day drawn)" if len(ai) else None,
                )
            else:
                st.caption(
                    f"Indeed's AI tracker has no series for {fmt.md(place)}; it covers "
                    + ", ".join(fmt.country_name(c) for c in data.ai_countries(key))
                    + "."
                )
        salary_blocks.composition_panel(ctx, query)

    st.subheader(f"Every country with a {fmt.md(sector)} index")
    rows = demand_blocks.country_rows(key, query, sector, partial)
    if rows.empty:
        st.caption(f"No country has both a {fmt.md(sector)} index and 10 or more reports.")
    else:
        ui.table_block(
            demand_blocks.country_table(rows),
            key="demand_countries",
            snap=snap,
            sources=["indeed", "aijobs"],
            note="index: the latest value (1 Feb 2020 = 100) on the date given; 12-month "
            "change: in index points against a year before that date; median: the latest "
            "complete work year with 10 or more reports, and its change in % against the year "
            f"before ({ui.DASH}: the year before has fewer than 10 reports).",
            column_config=demand_blocks.country_columns(),
            as_of={"indeed": f"{max(rows['as of'])} (latest day in the table)"},
        )

st.subheader("The mapping")
if mapping.empty:
    st.caption("The job family → Indeed sector mapping is not loaded. " + ui.refresh_help())
else:
    ui.table_block(
        mapping.rename(columns={"job_family": "job family"}),
        key="demand_mapping",
        snap=snap,
        note="Families with no fair sector are left out rather than guessed.",
        credit=demand_blocks.MAPPING_CREDIT,
    )
