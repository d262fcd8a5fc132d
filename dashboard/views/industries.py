"""Industries & sectors: the seed's industry shares and the Indeed sector postings index."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, ui

NAMES = ("country", "sector", "dates")

snap = ui.require_snapshot()
key = snap.key
st.title("Industries & sectors")
state = filters.sidebar(snap, NAMES)
options = filters.options_for(snap)
st.caption(filters.summary(state, options, NAMES))
names = data.country_names(key)

if snap.has("sector_openings"):
    sources = snap.table_sources("sector_openings")
    with_sectors = set(data.distinct(key, "sector_openings", "country"))
    picked = tuple(state["country"])
    chosen = (
        tuple(c for c in picked if c in with_sectors) if picked else tuple(sorted(with_sectors))
    )
    without = [c for c in state["country"] if c not in with_sectors]
    sectors = tuple(state["sector"])
    start, end = state["dates"] or (None, None)
    st.markdown(
        "Indeed job postings per **occupational sector**, as a **% of the sector's 1 February "
        "2020 level** (= 100): an index, not a count. Panels: countries; colours: sectors."
    )
    if without:
        st.info(
            "No sector breakdown for: "
            + ", ".join(charts.country_name(c, names) for c in without)
            + f". Sector data covers {', '.join(sorted(with_sectors))}."
        )
    if not sectors:
        st.warning("Choose one or more sectors in the sidebar.")
    elif not chosen:
        st.warning("None of the chosen countries has sector data: choose another country.")
    else:
        series = data.sector_series(key, chosen, sectors, start, end)
        fig = ui.figure(
            "sector_lines", series, "Sector postings index (% of 1 Feb 2020 level)", names
        )
        last = series.groupby(["country", "sector"]).tail(1)
        note = ""
        if len(last):
            ends = last.groupby("country")["date"].max()
            note = "Last day per country: " + ", ".join(
                f"{c} {d:%d %b %Y}" for c, d in ends.items()
            )
        ui.chart(
            fig,
            last[["country", "sector", "date", "posting_type", "value"]],
            key="sector_series",
            snap=snap,
            sources=sources,
            note=note + " (table: the latest value per country and sector).",
        )
        titles = data.sector_titles(key)
        if not titles.empty:
            st.subheader("Example job titles per sector")
            picked = titles.loc[titles["sector"].isin(sectors)]
            st.dataframe(
                picked[["sector", "job_titles"]],
                hide_index=True,
                key="sector_titles",
                column_config={"job_titles": st.column_config.TextColumn("example job titles")},
            )
            st.caption(ui.provenance(snap, snap.table_sources("sector_titles")))
        ui.export_buttons(
            lambda: data.sector_series(key, chosen, sectors, start, end, exact=True),
            key="sector_openings",
            title="Indeed sector postings index (% of 1 Feb 2020 level)",
            table="sector_openings",
            snap=snap,
            sources=sources,
            filters=filters.describe(state, options, NAMES) | {"countries": ", ".join(chosen)},
            count=len(series),
        )
else:
    st.info("The Indeed sector postings index is not loaded. " + ui.REFRESH_HELP)

industries = data.small_table(key, "industries")
if not industries.empty:
    st.subheader("Industries employing ML engineers (seed article)")
    frame = industries.assign(text=[charts.pct(v) for v in industries["share_pct"]])
    fig = charts.ranked_bars(
        frame,
        "industry",
        "share_pct",
        "Share of ML engineers by industry (%)",
        "Share of employment (%)",
        text="text",
        color=charts.PALETTE[1],
    )
    fig.update_xaxes(ticksuffix="%")
    ui.chart(
        fig,
        industries[["source", "industry", "share_pct"]],
        key="industries_seed",
        snap=snap,
        sources=sorted(set(industries["source"])),
        note="As printed in the article; no sample, date or geography stated.",
    )
