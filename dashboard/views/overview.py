"""Overview: headline figures for the current filters, data freshness and links to every page."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, fmt, pages, salary_blocks, stats, ui
from dashboard.data import manifest

NAMES = (*filters.SALARY_FILTERS, "occupation")

ctx = ui.start("overview", NAMES)
snap, key, state = ctx.snap, ctx.key, ctx.state
st.markdown(
    "Salaries, openings and skills from open data: **medians with their sample size**, a "
    "postings index, O*NET technologies. Filters are in the sidebar and in the page address, "
    "so a copied link reopens this view."
)
query = filters.salary_query(state)
countries = tuple(state["country"])
codes = tuple(state["occupation"])
years = filters.years_text(state["years"], ctx.options)
index_latest = data.openings_latest(key, "postings_index_sa", "total", countries)
seed_latest = data.openings_latest(key, "job_openings", None, countries)
ranking = data.hot_among(key, codes)
specific, generic = data.split_generic(ranking)
totals = data.hot_totals(key)
cols = st.columns(4)

with cols[0]:
    overall = data.salary_stats(key, query) if snap.has("salaries") else None
    n = int(overall["n"].iloc[0]) if overall is not None and len(overall) else 0
    st.metric(
        f"Median salary, {years} ({salary_blocks.unit(ctx, query, short=True)}/year)"
        if overall is not None
        else "Median salary",
        fmt.usd(overall["p50"].iloc[0]) if n >= stats.MIN_N else "–",
    )
    if overall is None:
        st.caption("No salary reports loaded (the seed has published means only: see Salaries).")
    elif n >= stats.MIN_N:
        row = overall.iloc[0]
        low = " ⚠ fewer than 30: read with care" if n < stats.LOW_N else ""
        st.caption(
            fmt.md(
                f"n = {fmt.plural(n, 'report')}{low} · middle half "
                f"{fmt.usd(row['p25'], short=True)}–{fmt.usd(row['p75'], short=True)} · "
                f"{'identical reports counted once' if query.dedupe else 'every row counted'}"
            )
        )
    else:
        salary_blocks.too_few(ctx, n, "salaries")

with cols[1]:
    if len(index_latest) == 1:
        row = index_latest.iloc[0]
        st.metric(f"Postings index, {row['name']}", fmt.index_value(row["value"]))
        st.caption(
            f"% of its 1 Feb 2020 level (= 100), seasonally adjusted, all postings; "
            f"on {row['date']:%d %b %Y}"
        )
    elif len(index_latest) > 1:
        above = data.above_baseline(index_latest)
        st.metric(
            "Above Feb 2020 postings level",
            f"{above} of {len(index_latest)}",
            help="Countries whose Indeed postings index is above 100 (its 1 Feb 2020 level).",
        )
        last = index_latest["date"]
        when = (
            f"{last.max():%d %b %Y}"
            if last.min() == last.max()
            else (f"{last.min():%d %b %Y}–{last.max():%d %b %Y}")
        )
        st.caption(
            f"countries: Indeed postings index (SA, all postings) on each country's latest day "
            f"({when}); 100 = 1 Feb 2020."
        )
    else:
        st.metric("Postings index", "–")
        st.caption("No Indeed postings index for the selected countries.")

with cols[2]:
    if len(index_latest):
        bounds = data.date_bounds(key, "openings")
        st.metric("Countries with a daily postings index", f"{len(index_latest):,}")
        st.caption(
            f"Indeed, {bounds[0]:%d %b %Y} to {bounds[1]:%d %b %Y}"
            + (" (selected countries)" if countries else "")
            + f". The seed article's undated counts ({len(seed_latest)} countries) are shown "
            "apart on Job openings, not added in."
        )
    else:
        st.metric("Countries with seed counts", f"{len(seed_latest):,}")
        st.caption(
            "Countries in the seed article's openings table: undated counts as printed; "
            "refresh the indeed source for a dated index."
        )

with cols[3]:
    if not specific.empty:
        top = specific.iloc[0]
        ui.headline("Top hot technology", top["skill"])
        st.caption(
            fmt.md(
                f"Hot for {top['chosen']} of {len(codes)} chosen occupations and "
                f"{top['occupations']} of {totals['tech']} computer & math occupations "
                f"(O*NET {manifest.as_of(snap.sources.get('onet', {}))})."
            )
            + (
                " Generic office tools are left out (named under the hot technologies chart)."
                if generic
                else ""
            )
        )
    else:
        ui.headline("Top hot technology", "–")
        st.caption("No O\\*NET technology skills for the chosen occupations.")

left, right = st.columns(2)
with left:
    if not index_latest.empty:
        ui.country_bars(
            index_latest,
            title="Latest postings index by country",
            axis=fmt.INDEX_AXIS,
            key="overview_index",
            snap=snap,
            columns=("country", "name", "date", "value"),
            what="the latest postings index",
            show=fmt.index_value,
            note="An index, not a count: 100 = the level of 1 Feb 2020 (seasonally adjusted).",
            as_of=f"{index_latest['date'].max():%Y-%m-%d} (last day drawn)",
            reference=100,
            hover_format=".1f",
        )
    elif not seed_latest.empty:
        ui.seed_openings_bars(
            seed_latest,
            title="Job openings by country (seed article)",
            key="overview_seed_openings",
            snap=snap,
            note="Undated counts as printed in the seed article. Refresh the indeed source for "
            "the postings index over time.",
        )
    else:
        st.info("No openings data for the selected countries.")
with right:
    seed_skills = data.seed_skills(key)
    if not specific.empty:
        top = specific.head(12)
        share = f"of {totals['tech']}"
        ui.chart(
            charts.ranked_bars(
                data.with_share_text(top, totals["tech"]),
                "skill",
                "occupations",
                "Hot technologies of the chosen occupations",
                "Computer & math occupations listing it as hot",
                text="text",
                color=charts.PALETTE[2],
            ),
            top,
            key="overview_hot",
            snap=snap,
            sources=[s for s in snap.table_sources("skills") if s != "seed"],
            alt=fmt.extremes(
                top["skill"],
                top["occupations"],
                what="the number of computer & math occupations listing it as hot",
                show=lambda v: f"{v:.0f} {share}",
            ),
            note="The technologies hot for the most chosen occupations; bar and label: how "
            "many O\\*NET computer and mathematical occupations (SOC 15-xxxx) list each as hot. "
            + data.generic_note(generic, totals),
        )
    elif not seed_skills.empty:
        ui.table_block(
            seed_skills[["source", "skill", "importance", "list"]],
            key="overview_seed_skills",
            snap=snap,
            title="Key skills (seed article)",
        )
    else:
        st.info("O*NET technology skills are not loaded, or no occupation is chosen.")

st.subheader("Data freshness")
st.dataframe(manifest.freshness(snap), hide_index=True, key="overview_freshness", width="stretch")
st.caption(
    f"Last refresh {manifest.refreshed_at(snap)} UTC · "
    f"data version {snap.version}. How to refresh: see Data & sources."
)

st.subheader("Pages")
params = filters.to_params(state, ctx.options)
others = pages.PAGES[1:]
for row in range(0, len(others), 3):  # a row of columns each, so phones keep the order
    for col, page in zip(st.columns(3), others[row : row + 3], strict=False):
        with col:
            st.page_link(page.file, label=f"{page.title} →", query_params=params)
            st.caption(page.blurb)
