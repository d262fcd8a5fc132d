"""Overview: headline figures for the current filters, data freshness and links to every page."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, fmt, pages, stats, ui
from dashboard.data import manifest

NAMES = (
    "country",
    "country_of",
    "years",
    "level",
    "family",
    "employment",
    "remote",
    "size",
    "occupation",
)

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
cols = st.columns(4)

# 1. Median salary with n
with cols[0]:
    overall = data.salary_stats(key, query) if snap.has("salaries") else None
    n = int(overall["n"].iloc[0]) if overall is not None and len(overall) else 0
    if n >= stats.MIN_N:
        row = overall.iloc[0]
        st.metric("Median salary (USD)", fmt.usd(row["p50"]))
        low = " ⚠ fewer than 30 reports" if n < stats.LOW_N else ""
        st.caption(
            fmt.md(
                f"n = {n:,} reports{low} · p25–p75 "
                f"{fmt.usd(row['p25'], short=True)}–{fmt.usd(row['p75'], short=True)}"
            )
        )
    else:
        st.metric("Median salary (USD)", "–")
        st.caption(
            f"n = {n:,}: too few reports (under 10) to show a median."
            if overall is not None
            else "No salary reports loaded (seed only has published means, see Salaries)."
        )

# 2. Countries with openings data
index_latest = data.openings_latest(key, "postings_index_sa", "total", countries)
seed_latest = data.openings_latest(key, "job_openings", None, countries)
with cols[1]:
    index_countries, seed_countries = set(index_latest["country"]), set(seed_latest["country"])
    st.metric("Countries with openings data", f"{len(index_countries | seed_countries):,}")
    st.caption(
        f"Indeed postings index: {len(index_countries)} · seed article counts: "
        f"{len(seed_countries)}" + (" (selected countries only)" if countries else "")
    )

# 3. Latest postings index for the selected countries
with cols[2]:
    if len(index_latest) == 1:
        row = index_latest.iloc[0]
        st.metric(
            f"Postings index, {fmt.country_name(row['country'])}", fmt.index_value(row["value"])
        )
        st.caption(f"% of 1 Feb 2020 level, seasonally adjusted, on {row['date']:%d %b %Y}")
    elif len(index_latest) > 1:
        top = index_latest.loc[index_latest["value"].idxmax()]
        bottom = index_latest.loc[index_latest["value"].idxmin()]
        st.metric(
            "Postings index, latest (range)",
            f"{fmt.index_value(bottom['value'])}–{fmt.index_value(top['value'])}",
        )
        st.caption(
            f"% of 1 Feb 2020 level (SA, all postings), {len(index_latest)} countries: lowest "
            f"{bottom['country']}, highest {top['country']}; on "
            f"{index_latest['date'].max():%d %b %Y}"
        )
    else:
        st.metric("Postings index, latest", "–")
        st.caption("No Indeed postings index for the selected countries.")

# 4. Top hot technologies for the chosen occupations
ranking = data.hot_among(key, codes)
with cols[3]:
    if not ranking.empty:
        st.metric("Top hot technology", ranking["skill"].iloc[0])
        st.caption(
            fmt.md(
                f"Hot for {ranking['chosen'].iloc[0]} of {len(codes)} chosen occupations and "
                f"{ranking['occupations'].iloc[0]} computer & math occupations. Next: "
                f"{', '.join(ranking['skill'].iloc[1:5])}"
            )
        )
    else:
        st.metric("Top hot technology", "–")
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
            note="An index, not a count: 100 = the level of 1 Feb 2020 (seasonally adjusted).",
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
    if not ranking.empty:
        top = ranking.head(12)
        ui.chart(
            charts.ranked_bars(
                top.assign(text=[f"{c} of {len(codes)} chosen" for c in top["chosen"]]),
                "skill",
                "occupations",
                "Top hot technologies of the chosen occupations",
                "Computer & math occupations listing it as hot",
                text="text",
                color=charts.PALETTE[2],
            ),
            top,
            key="overview_hot",
            snap=snap,
            sources=snap.table_sources("skills"),
            note="Ranked by how many of the chosen occupations list it as hot, then by how many "
            "O\\*NET computer and mathematical occupations (SOC 15-xxxx) do.",
        )
    elif not seed_skills.empty:
        ui.table_block(
            seed_skills[["source", "skill", "importance", "list"]],
            key="overview_seed_skills",
            snap=snap,
            title="Key skills (seed article)",
            fit=True,
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
link_cols = st.columns(3)
params = filters.to_params(state, ctx.options)
for i, page in enumerate(pages.PAGES[1:]):
    with link_cols[i % 3]:
        st.page_link(page.file, label=f"**{page.title}**", query_params=params)
        st.caption(page.blurb)
