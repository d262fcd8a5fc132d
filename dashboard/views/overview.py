"""Overview: headline figures for the current filters, data freshness and links to every page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui

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
LINKS = (
    ("views/openings.py", "Job openings", "Postings index by country over time; seed counts."),
    ("views/salaries.py", "Salaries", "Median and spread by level, country, family, year."),
    ("views/skills.py", "Skills", "Technologies per occupation, hot and in-demand flags."),
    ("views/industries.py", "Industries & sectors", "Seed industry shares; sector index."),
    ("views/education.py", "Education & careers", "Required education, certifications."),
    ("views/sources.py", "Data & sources", "Licences, as-of dates, quarantine, refresh."),
)

snap = ui.require_snapshot()
key = snap.key
st.title("Job market for ML, data & software roles")
st.markdown(
    "Salaries, openings and skills from open data: **medians with their sample size**, a "
    "postings index, O*NET technologies. Filters are in the sidebar and in the page address, "
    "so a copied link reopens this view."
)
state = filters.sidebar(snap, NAMES)
options = filters.options_for(snap)
st.caption(filters.summary(state, options, NAMES))

query = filters.salary_query(state)
countries = tuple(state["country"])
cols = st.columns(4)

# 1. Median salary with n
with cols[0]:
    if snap.has("salaries"):
        overall = data.salary_stats(key, query)
        n = int(overall["n"].iloc[0]) if len(overall) else 0
        if n >= charts.MIN_N:
            st.metric("Median salary (USD)", charts.usd(overall["p50"].iloc[0]))
            low = " ⚠ fewer than 30 reports" if n < charts.LOW_N else ""
            st.caption(
                ui.md(
                    f"n = {n:,} reports{low} · p25–p75 "
                    f"{charts.usd(overall['p25'].iloc[0], short=True)}–"
                    f"{charts.usd(overall['p75'].iloc[0], short=True)}"
                )
            )
        else:
            st.metric("Median salary (USD)", "–")
            st.caption(f"n = {n:,}: too few reports (under 10) to show a median.")
    else:
        st.metric("Median salary (USD)", "–")
        st.caption("No salary reports loaded (seed only has published means, see Salaries).")

# 2. Countries with openings data
with cols[1]:
    index_countries = set()
    seed_countries = set()
    if snap.has("openings"):
        idx = data.openings_latest(key, "postings_index_sa", "total", countries)
        index_countries = set(idx["country"])
        seed_countries = set(data.openings_latest(key, "job_openings", None, countries)["country"])
    total = len(index_countries | seed_countries)
    st.metric("Countries with openings data", f"{total:,}")
    st.caption(
        f"Indeed postings index: {len(index_countries)} · seed article counts: "
        f"{len(seed_countries)}" + (" (selected countries only)" if countries else "")
    )

# 3. Latest postings index for the selected countries
with cols[2]:
    latest = pd.DataFrame()
    if index_countries:
        latest = data.openings_latest(key, "postings_index_sa", "total", countries)
    if len(latest) == 1:
        row = latest.iloc[0]
        st.metric(
            f"Postings index, {charts.country_name(row['country'])}",
            charts.index_value(row["value"]),
        )
        st.caption(f"% of 1 Feb 2020 level, seasonally adjusted, on {row['date']:%d %b %Y}")
    elif len(latest) > 1:
        top = latest.loc[latest["value"].idxmax()]
        bottom = latest.loc[latest["value"].idxmin()]
        st.metric(
            "Postings index, latest (range)",
            f"{charts.index_value(bottom['value'])}–{charts.index_value(top['value'])}",
        )
        st.caption(
            f"% of 1 Feb 2020 level (SA, all postings), {len(latest)} countries: lowest "
            f"{bottom['country']}, highest {top['country']}; on {latest['date'].max():%d %b %Y}"
        )
    else:
        st.metric("Postings index, latest", "–")
        st.caption("No Indeed postings index for the selected countries.")

# 4. Top hot technologies for the chosen occupations
with cols[3]:
    codes = tuple(state["occupation"])
    skills = data.skills_for(key, codes, hot_only=True) if codes else pd.DataFrame()
    if not skills.empty:
        ranking = data.hot_among(key, codes)
        st.metric("Top hot technology", ranking["skill"].iloc[0])
        st.caption(
            ui.md(
                f"Hot for {ranking['chosen'].iloc[0]} of {len(codes)} chosen occupations and "
                f"{ranking['occupations'].iloc[0]} computer & math occupations. Next: "
                f"{', '.join(ranking['skill'].iloc[1:5])}"
            )
        )
    else:
        st.metric("Top hot technology", "–")
        st.caption("No O\\*NET technology skills for the chosen occupations.")

left, right = st.columns(2)
seed_openings = pd.DataFrame()
if latest.empty and snap.has("openings"):
    seed_openings = data.openings_latest(key, "job_openings", None, countries)
with left:
    if not latest.empty:
        frame = latest.assign(
            name=[charts.country_name(c, data.country_names(key)) for c in latest["country"]]
        )
        fig = charts.ranked_bars(
            frame,
            "name",
            "value",
            "Latest postings index by country",
            charts.INDEX_AXIS,
            reference=100,
            hover_format=".1f",
        )
        ui.chart(
            fig,
            frame[["country", "name", "date", "value"]],
            key="overview_index",
            snap=snap,
            sources=ui.sources_of(latest),
            note="An index, not a count: 100 = the level of 1 Feb 2020 (seasonally adjusted).",
        )
    elif not seed_openings.empty:
        frame = seed_openings.assign(
            name=[charts.country_name(c, data.country_names(key)) for c in seed_openings["country"]]
        )
        fig = charts.ranked_bars(
            frame,
            "name",
            "value",
            "Job openings by country (seed article)",
            "Job openings (count)",
            color=charts.PALETTE[1],
        )
        ui.chart(
            fig,
            frame[["country", "name", "value"]],
            key="overview_seed_openings",
            snap=snap,
            sources=ui.sources_of(seed_openings),
            note="Undated counts as printed in the seed article. Refresh the indeed source for "
            "the postings index over time.",
        )
    else:
        st.info("No openings data for the selected countries.")
with right:
    if not skills.empty:
        top = ranking.head(12)
        fig = charts.ranked_bars(
            top.assign(text=[f"{c} of {len(codes)} chosen" for c in top["chosen"]]),
            "skill",
            "occupations",
            "Top hot technologies of the chosen occupations",
            "Computer & math occupations listing it as hot",
            text="text",
            color=charts.PALETTE[2],
        )
        ui.chart(
            fig,
            top,
            key="overview_hot",
            snap=snap,
            sources=ui.sources_of(skills),
            note="Ranked by how many of the chosen occupations list it as hot, then by how many "
            "O\\*NET computer and mathematical occupations (SOC 15-xxxx) do.",
        )
    else:
        seed_skills = data.seed_rows(key, "skills")
        if not seed_skills.empty and "importance" in seed_skills:
            st.markdown("**Key skills (seed article)**")
            order = {"High": 0, "Medium": 1, "Low": 2}
            st.dataframe(
                seed_skills[["skill", "importance", "list"]].sort_values(
                    "importance", key=lambda v: v.map(order)
                ),
                hide_index=True,
                key="overview_seed_skills",
                height=35 * (len(seed_skills) + 1) + 3,
            )
            st.caption(ui.provenance(snap, ui.sources_of(seed_skills)))
        else:
            st.info("O*NET technology skills are not loaded, or no occupation is chosen.")

st.subheader("Data freshness")
rows = []
for name, info in snap.sources.items():
    rows.append(
        {
            "source": name,
            "title": info.get("title"),
            "as of": ui.as_of(info),
            "refreshed (UTC)": str(info.get("refreshed_at") or "")[:19].replace("T", " "),
            "status": info.get("status"),
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, key="overview_freshness", width="stretch")
st.caption(
    f"Last refresh {str(snap.manifest.get('refreshed_at', '?'))[:19].replace('T', ' ')} UTC · "
    f"data version {snap.version}. How to refresh: see Data & sources."
)

st.subheader("Pages")
link_cols = st.columns(3)
params = filters.to_params(state, options)
for i, (path, label, text) in enumerate(LINKS):
    with link_cols[i % 3]:
        st.page_link(path, label=f"**{label}**", query_params=params)
        st.caption(text)
