"""Where does my offer stand: an amount placed among matching salary reports and official wages."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, fmt, offer_blocks, salary_blocks, stats, ui

NAMES = filters.OFFER_FILTERS

ctx = ui.start("offer", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
st.markdown(offer_blocks.ABOUT)

if not snap.has("salaries"):
    st.info(
        "Placing an offer needs the aijobs.net salary reports, which are not loaded (the seed "
        "holds only published averages). " + ui.refresh_help()
    )
else:
    offer = filters.offer(state)
    year = offer.year
    amount, currency = state["amount"], state["currency"] or "USD"
    converted = (
        offer_blocks.convert(key, amount, currency, year) if amount is not None else {"usd": None}
    )
    if converted.get("words"):
        st.markdown(converted["words"])
    usd = converted["usd"]
    # In a converted unit the offer is converted as a report of its country and year would be.
    pay = data.offer_pay(key, offer.base.money, usd, amount, currency, offer.country, year)
    unit = salary_blocks.unit(ctx, offer.base)
    salary_blocks.money_note(ctx, offer.base)
    if usd is not None and pay is None:
        st.warning(
            f"There is no PPP factor for {fmt.md(fmt.country_name(offer.country or ''))}: the "
            "offer cannot be placed in international dollars."
        )
    group = data.offer_group(key, offer)
    values = group["values"]
    pos = offer_blocks.position(values, pay)

    st.subheader("Among the salary reports")
    widened = offer_blocks.steps_words(group["steps"])
    if widened:
        st.info(widened)
    st.markdown(offer_blocks.position_words(pos, pay))
    others = offer_blocks.other_positions(key, group["query"], pay)
    said, moved = offer_blocks.other_words(pos, others)
    if moved:
        st.markdown(said)
    elif said:
        st.caption(said)
    cols = st.columns(4)
    cols[0].metric("Percentile", fmt.ordinal(pos["rank"]) if pos["rank"] is not None else "–")
    cols[1].metric("p25", fmt.usd(pos["p25"]))
    cols[2].metric("Median", fmt.usd(pos["p50"]))
    cols[3].metric("p75", fmt.usd(pos["p75"]))
    if pos["n"] >= stats.MIN_N:
        ui.chart(
            ui.figure(
                charts.offer_distribution,
                values,
                pay,
                f"Salaries of the group ({unit} per year)",
                fmt.plural(pos["n"], "report")
                + " · dotted: p25, median, p75 · solid: the offer · the middle 99 % shown",
            ),
            group["steps"],
            key="offer_distribution",
            snap=snap,
            sources=["aijobs"],
            alt=offer_blocks.position_words(pos, pay),
            note="The table below the chart lists the group's steps and their n.",
            unit=unit,
        )
    salary_blocks.composition_panel(ctx, group["query"])

    st.subheader("Among the same reports, brought forward to the latest month")
    forward = data.brought_forward(key, group["query"], offer.country, offer.family)
    # in US dollars as reported, whatever the money switch says: growth is of nominal pay
    before = offer_blocks.position(forward["reported"], usd)
    ahead = offer_blocks.position(forward["values"], usd)
    st.markdown(offer_blocks.forward_words(forward, before, ahead, usd))
    if ahead["rank"] is not None:
        cols = st.columns(2)
        cols[0].metric("Percentile, as reported", fmt.ordinal(before["rank"]))
        cols[1].metric("Percentile, brought forward", fmt.ordinal(ahead["rank"]))
    if len(forward["factors"]):
        ui.table_block(
            offer_blocks.forward_rows(forward),
            key="offer_forward",
            snap=snap,
            sources=["aijobs", *snap.table_sources("posted_wage_growth")],
            note="How the method works: docs/dashboard.md, *Offer check brought forward*.",
        )

    st.subheader("Among the official US wages")
    if offer.country != "US":
        st.caption("The official wages (BLS OEWS) cover the US: choose United States to see them.")
    elif not snap.has("occupation_wages"):
        st.caption("The official US wages (BLS OEWS) are not loaded. " + ui.refresh_help())
    else:
        band = data.offer_official_band(key, offer.family, state["us_state"], state["official"])
        if band.empty:
            st.caption(
                f"{fmt.md(offer.family or 'This job family')} has no close official occupation "
                "(see the mapping on the Salaries page): choose one under *Occupation (official "
                "wages)* in the sidebar to place the offer in its official band."
            )
        else:
            st.dataframe(offer_blocks.official_rows(band, usd), hide_index=True)
            st.caption(
                "Where the offer sits is interpolated between BLS's published percentiles "
                "(approximate); beyond p10 or p90 the page says only below or above. BLS "
                "estimates exclude bonuses; a crowd report may include them. "
                + ui.provenance(snap, ["bls_oews"])
            )

    st.subheader("Take it away")
    st.markdown(
        f"This check, all inputs included: [link to this check]({ui.page_link(ctx, NAMES)})"
    )
    ui.export_buttons(
        lambda: data.salary_rows(key, group["query"], exact=True),
        key="offer_group",
        title="Salary reports the offer was compared with",
        table="salaries",
        snap=snap,
        sources=["aijobs"],
        filters=salary_blocks.export_filters(
            ctx, group["query"], filters.describe_query(group["query"], ctx.options)
        ),
        count=pos["n"],
        name_parts=group["query"].file_parts(),
        grain="one salary report",
    )
