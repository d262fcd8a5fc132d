"""Industries & sectors: Indeed sector postings index; seed and BLS OEWS industry shares."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, occupation_blocks, ui

NAMES = ("country", "sector", "dates")

ctx = ui.start("industries", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state

if snap.has("sector_openings"):
    sources = snap.table_sources("sector_openings")
    with_sectors = set(data.distinct(key, "sector_openings", "country"))
    picked = tuple(state["country"])
    chosen = (
        tuple(c for c in picked if c in with_sectors) if picked else tuple(sorted(with_sectors))
    )
    without = [c for c in picked if c not in with_sectors]
    sectors = tuple(state["sector"])
    start, end = state["dates"] or (None, None)
    st.markdown(
        "Indeed job postings per **occupational sector**, as a **% of the sector's 1 February "
        "2020 level** (= 100): an index, not a count. Panels: countries; colours: sectors."
    )
    if without:
        st.info(
            "No sector breakdown for: "
            + ", ".join(fmt.country_name(c) for c in without)
            + f". Sector data covers {', '.join(sorted(with_sectors))}."
        )
    if not sectors:
        st.warning("Choose one or more sectors in the sidebar.")
    elif not chosen:
        st.warning("None of the chosen countries has sector data: choose another country.")
    else:
        series = data.sector_series(key, chosen, sectors, start, end)
        last = data.last_rows(series, ["country", "sector"])
        ends = data.last_dates(series, "country")
        note = ", ".join(f"{c} {d:%d %b %Y}" for c, d in ends.items())
        coverage = data.sector_coverage(key)
        missing = {c: [x for x in sectors if x not in coverage.get(c, [])] for c in chosen}
        missing = {c: m for c, m in missing.items() if m}
        ui.chart(
            ui.figure(
                charts.sector_lines,
                series,
                "Sector postings index (% of 1 Feb 2020 level)",
                colours=charts.colour_map(data.sectors(key)),
                missing=missing,
            ),
            last[["country", "sector", "date", "posting_type", "value"]],
            key="sector_series",
            snap=snap,
            sources=sources,
            alt=fmt.series_summary(series, ["country", "sector"], what="the sector index"),
            note=(f"Last day per country: {note}" if note else "")
            + " (table: the latest value per country and sector)."
            + "".join(
                f" {fmt.country_name(c)}'s file has no series for: {', '.join(m)}."
                for c, m in missing.items()
            ),
            as_of=f"{max(ends.values()):%Y-%m-%d} (last day drawn)" if ends else None,
        )
        titles = data.sector_titles(key, sectors)
        if not titles.empty:
            st.subheader("Example job titles per sector")
            ui.table_block(
                titles,
                key="sector_titles",
                snap=snap,
            )
        ui.export_buttons(
            lambda: data.sector_series(key, chosen, sectors, start, end, exact=True),
            key="sector_openings",
            title="Indeed sector postings index (% of 1 Feb 2020 level)",
            table="sector_openings",
            snap=snap,
            sources=sources,
            filters=ctx.describe(NAMES) | {"countries": ", ".join(chosen)},
            count=len(series),
            name_parts=["-".join(chosen) if len(chosen) <= 3 else f"{len(chosen)}countries"],
            grain="one row per country, sector and day",
        )
else:
    st.info("The Indeed sector postings index is not loaded. " + ui.refresh_help())

industries = data.small_table(key, "industries")
official = occupation_blocks.SEED_COUNTERPARTS if snap.has("occupation_wages") else {}
if not industries.empty or official:
    st.subheader("Industries employing ML engineers, data scientists and software developers")
    left, right = st.columns(2) if not industries.empty and official else (st.container(), None)
    if not industries.empty:
        with left:
            ui.percent_bars(
                industries,
                "industry",
                "share_pct",
                title="Share of ML engineers by industry (%), seed article",
                axis="Share of employment (%)",
                key="industries_seed",
                snap=snap,
                note="As printed in the article; no sample, date or geography stated.",
            )
    if official:
        with right or left:
            soc = st.radio(
                "Official occupation (BLS OEWS)",
                list(official),
                format_func=official.get,
                horizontal=True,
                key="industries_soc",
            )
            # Not `sectors`: the export button above reads that name when it is clicked.
            by_sector, _groups = occupation_blocks.split_industries(data.industries_for(key, soc))
            ui.percent_bars(
                occupation_blocks.sector_labels(occupation_blocks.top_sectors(by_sector)),
                "sector",
                "share_pct",
                title=f"{official[soc]} by NAICS sector (%), BLS OEWS",
                axis="Share of employment (%)",
                key="industries_official",
                snap=snap,
                note="US, May 2025; shares computed from BLS's employment estimates by sector "
                "(the 8 largest, then the rest together). "
                "BLS has no occupation code for ML engineers: most are counted as Software "
                "Developers. The article's categories are not NAICS sectors, so compare the "
                "pattern, not bar by bar. More on the Occupations page.",
                color=charts.PALETTE[0],
                rest_last=True,
            )
