"""Job openings: world map and time series of the Indeed postings index; the seed's counts."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, ui

NAMES = ("country", "dates", "posting", "adjust")
# Drawn when no country is chosen: the six with sector data too, so pages line up.
DEFAULT_COUNTRIES = ("US", "GB", "DE", "FR", "CA", "AU")
ADJUST_LABEL = {"sa": "SA", "nsa": "NSA"}
POSTING_LABEL = {"total": "all", "new": "new"}

snap = ui.require_snapshot()
key = snap.key
st.title("Job openings")
state = filters.sidebar(snap, NAMES)
options = filters.options_for(snap)
st.caption(filters.summary(state, options, NAMES))
names = data.country_names(key)
chosen = tuple(state["country"])
start, end = state["dates"] or (None, None)
sources = snap.table_sources("openings")
measures = set(data.distinct(key, "openings", "measure"))
has_index = bool(measures & {"postings_index_sa", "postings_index_nsa"})

if not snap.has("openings"):
    st.info("No openings data is loaded. " + ui.REFRESH_HELP)
    st.stop()

if not has_index:
    st.info(
        "The Indeed postings index (openings over time) is not loaded; only the seed article's "
        "undated counts are shown. " + ui.REFRESH_HELP
    )
else:
    st.markdown(
        "The **Indeed Job Postings Index** is the number of job postings on Indeed as a "
        "**% of its 1 February 2020 level** (= 100): 120 means 20% more postings than then. "
        "It is an index, **not a count** of openings."
    )
    adjust = tuple(state["adjust"]) or ()
    posting = tuple(state["posting"]) or ()
    if not adjust or not posting:
        st.warning("Pick at least one adjustment and one posting type in the sidebar.")
    else:
        map_measure = f"postings_index_{adjust[0]}"
        latest = data.openings_latest(key, map_measure, posting[0], chosen, end)
        latest = latest.assign(name=[charts.country_name(c, names) for c in latest["country"]])
        as_on = latest["date"].max() if len(latest) else None
        title = (
            f"Latest postings index ({ADJUST_LABEL[adjust[0]]}, {POSTING_LABEL[posting[0]]} "
            f"postings)" + (f", {as_on:%d %b %Y}" if as_on is not None else "")
        )
        latest["date_text"] = latest["date"].dt.strftime("%d %b %Y")
        fig = ui.figure(
            "choropleth",
            latest,
            "value",
            title,
            "% of 1 Feb 2020",
            hover="<b>%{customdata[0]}</b><br>index %{z:.1f} (1 Feb 2020 = 100)"
            "<br>%{customdata[1]}",
            midpoint=100,
            customdata=("name", "date_text"),
        )
        aggregates = [c for c in latest["country"] if charts.iso3(c) is None]
        note = "Blue: above the 1 Feb 2020 level; red: below."
        if aggregates:
            note += (
                f" Not on the map (no single territory): "
                f"{', '.join(charts.country_name(c, names) for c in aggregates)}; see the table."
            )
        table = latest[["country", "name", "date", "measure", "posting_type", "value"]]
        ui.chart(
            fig, table, key="openings_map", snap=snap, sources=ui.sources_of(latest), note=note
        )

        lines = chosen or tuple(c for c in DEFAULT_COUNTRIES if c in options.of("country"))
        if not chosen:
            st.caption(
                f"No country chosen: showing {', '.join(lines)}. Choose countries in the "
                "sidebar to compare others (Euro area = EA)."
            )
        series = data.openings_series(
            key,
            tuple(f"postings_index_{a}" for a in adjust),
            posting,
            lines,
            start,
            end,
        )
        series = series.loc[series["date"].notna()].copy()

        def variant(measure: str, posting_type: str) -> str:
            return f"{ADJUST_LABEL[measure.rsplit('_', 1)[-1]]}, {POSTING_LABEL[posting_type]}"

        series["variant"] = [
            variant(m, p) for m, p in zip(series["measure"], series["posting_type"], strict=True)
        ]
        order = [variant(f"postings_index_{a}", p) for a in adjust for p in posting]
        missing = [c for c in lines if c not in set(series["country"])]
        fig = ui.figure(
            "index_lines",
            series,
            "Postings index over time (% of 1 Feb 2020 level)",
            names,
            order,
        )
        note = ""
        if series["variant"].nunique() > 1:
            drawn = [v for v in order if v in set(series["variant"])]
            styles = ("solid", "dashed", "dotted", "dash-dot")
            note = "Colour = country; line: " + "; ".join(
                f"{style} = {v}" for style, v in zip(styles, drawn, strict=False)
            )
            note += " (SA = seasonally adjusted, NSA = not adjusted)."
        if missing:
            note += (" " if note else "") + (
                "No postings index for: "
                + ", ".join(charts.country_name(c, names) for c in missing)
                + "."
            )
        ui.chart(
            fig,
            series[["country", "date", "measure", "posting_type", "value"]],
            key="openings_series",
            snap=snap,
            sources=ui.sources_of(series, sources),
            note=note,
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
            filters=filters.describe(state, options, NAMES) | {"countries drawn": ", ".join(lines)},
            count=len(series),
        )

seed = data.openings_latest(key, "job_openings", None, chosen)
if not seed.empty:
    st.subheader("Job openings by country (seed article, undated counts)")
    seed = seed.assign(name=[charts.country_name(c, names) for c in seed["country"]])
    seed_sources = sorted(set(seed["source"]))
    st.caption(
        "A count of openings as printed in the seed article: undated, no stated method."
        + (" Not comparable with the index above." if has_index else "")
    )
    left, right = st.columns(2)
    with left:
        fig = ui.figure(
            "choropleth",
            seed,
            "value",
            "Job openings (count, seed article)",
            "Openings",
            hover="<b>%{customdata[0]}</b><br>%{z:,.0f} openings",
            customdata=("name",),
        )
        ui.chart(
            fig,
            seed[["country", "name", "value"]],
            key="openings_seed_map",
            snap=snap,
            sources=seed_sources,
        )
    with right:
        fig = charts.ranked_bars(
            seed,
            "name",
            "value",
            "Job openings by country (count)",
            "Job openings (count)",
            text=None,
            color=charts.PALETTE[1],
        )
        ui.chart(
            fig,
            seed[["country", "name", "value"]],
            key="openings_seed_bars",
            snap=snap,
            sources=seed_sources,
        )
    ui.export_buttons(
        lambda: data.openings_latest(key, "job_openings", None, chosen, exact=True),
        key="openings_seed",
        title="Job openings by country (seed article)",
        table="openings",
        snap=snap,
        sources=seed_sources,
        filters=filters.describe(state, options, ("country",)),
        count=len(seed),
    )
elif not has_index:
    st.info("No openings for the selected countries. " + ui.REFRESH_HELP)
elif chosen:
    st.caption("The seed article has no openings count for the selected countries.")
