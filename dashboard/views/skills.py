"""Skills: O*NET technologies per occupation (hot / in demand), a cross-occupation ranking, seed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui

NAMES = ("occupation", "hot_only")


def technology_table(skills: pd.DataFrame) -> pd.DataFrame:
    """One row per technology (grouped by category), one column per chosen occupation."""
    hot = skills["hot_technology"].fillna(False).astype(bool)
    demand = skills["in_demand"].fillna(False).astype(bool)
    marks = {(True, True): "hot, in demand", (True, False): "hot", (False, True): "in demand"}
    flags = skills.assign(
        mark=[marks.get((h, d), "listed") for h, d in zip(hot, demand, strict=True)]
    )
    wide = flags.pivot_table(
        index=["category", "skill"], columns="occupation", values="mark", aggfunc="first"
    ).fillna("")
    wide["occupations"] = (wide != "").sum(axis=1)
    wide["hot for"] = wide.isin(["hot", "hot, in demand"]).sum(axis=1)
    wide = wide.reset_index().rename(columns={"skill": "technology"})
    # Categories with the most hot technologies first, then hot-for-most within a category.
    wide["_rank"] = wide.groupby("category")["hot for"].transform("sum")
    wide = wide.sort_values(
        ["_rank", "category", "hot for", "occupations", "technology"],
        ascending=[False, True, False, False, True],
    )
    first = ["category", "technology", "hot for", "occupations"]
    return wide[first + [c for c in wide.columns if c not in first and c != "_rank"]]


snap = ui.require_snapshot()
key = snap.key
st.title("Skills")
state = filters.sidebar(snap, NAMES)
options = filters.options_for(snap)
st.caption(filters.summary(state, options, NAMES))
sources = snap.table_sources("skills")
codes = tuple(state["occupation"])
onet = [s for s in sources if s != "seed"]

if options.of("occupation"):
    st.markdown(
        "Technologies that O\\*NET lists for each occupation. **Hot technology**: frequently "
        "named in employer job postings. **In demand**: among the most requested for this "
        "occupation."
    )
    if not codes:
        st.info("Choose one or more occupations in the sidebar.")
    else:
        skills = data.skills_for(key, codes, hot_only=bool(state["hot_only"]))
        missing = [c for c in codes if c not in set(skills["occupation_code"])]
        if missing:
            st.info(
                "No technology skills in the loaded O\\*NET data for: "
                + ui.md(", ".join(options.label("occupation", c) for c in missing))
                + "."
            )
        if not skills.empty:
            fig = charts.category_heatmap(skills, "Hot technologies by category and occupation")
            hot = skills.loc[skills["hot_technology"].fillna(False).astype(bool)]
            counts = (
                hot.groupby(["category", "occupation"]).size().rename("hot technologies")
            ).reset_index()
            ui.chart(
                fig,
                counts,
                key="skills_categories",
                snap=snap,
                sources=ui.sources_of(skills),
                note="The 15 categories with the most hot technologies across the chosen "
                "occupations; each cell counts one occupation's hot technologies.",
            )
            st.subheader("Technologies by category")
            table = technology_table(skills)
            st.dataframe(
                table,
                hide_index=True,
                key="skills_table",
                column_config={
                    "occupations": st.column_config.NumberColumn("occupations listing it"),
                    "hot for": st.column_config.NumberColumn("hot for (occupations)"),
                },
            )
            st.caption(
                f"{len(table):,} technologies of the chosen occupations, grouped by category; "
                "per occupation: **hot** (hot technology), **in demand**, or **listed** "
                "(neither).  \n" + ui.provenance(snap, ui.sources_of(skills))
            )
            ui.export_buttons(
                lambda: data.skills_for(key, codes, hot_only=bool(state["hot_only"]), exact=True),
                key="skills",
                title="Technology skills of the chosen occupations",
                table="skills",
                snap=snap,
                sources=ui.sources_of(skills),
                filters=filters.describe(state, options, NAMES),
                count=len(skills),
            )

    ranking = data.hot_ranking(key)
    if not ranking.empty:
        fig = charts.ranked_bars(
            ranking,
            "skill",
            "occupations",
            "Most-listed hot technologies across computer & mathematical occupations",
            "Occupations listing it as a hot technology",
            color=charts.PALETTE[2],
        )
        ui.chart(
            fig,
            ranking,
            key="skills_ranking",
            snap=snap,
            sources=ui.sources_of(ranking, onet or sources),
            note="Occupations counted: O\\*NET-SOC codes 15-xxxx (computer and mathematical "
            "occupations: software, data, ML, statistics). Independent of the sidebar "
            "occupation filter.",
        )
else:
    st.info(
        "O\\*NET technology skills are not loaded, so there is no per-occupation view. "
        + ui.REFRESH_HELP
    )

seed = data.seed_rows(key, "skills")
seed = seed.loc[seed["importance"].notna()] if "importance" in seed else seed
if not seed.empty:
    st.subheader("Skills by importance (seed article)")
    order = {"High": 0, "Medium": 1, "Low": 2}
    seed_sources = sorted(set(seed["source"]))
    lists = list(dict.fromkeys(seed["list"].fillna("Skills"))) if "list" in seed else ["Skills"]
    cols = st.columns(len(lists))
    for col, name in zip(cols, lists, strict=True):
        with col:
            part = seed.loc[seed["list"].fillna("Skills") == name] if "list" in seed else seed
            part = part.sort_values("importance", key=lambda s: s.map(order))
            st.markdown(f"**{name}** ({part['occupation'].iloc[0]})")
            st.dataframe(
                part[["skill", "importance"]],
                hide_index=True,
                key=f"skills_seed_{lists.index(name)}",
            )
    st.caption(
        "Importance as printed in the article (High / Medium / Low); no method stated.  \n"
        + ui.provenance(snap, seed_sources)
    )

tools = data.small_table(key, "tools")
algorithms = data.small_table(key, "algorithms")
if not tools.empty or not algorithms.empty:
    st.subheader("Tools, libraries and algorithms (seed article)")
    left, right = st.columns(2)
    with left:
        if not tools.empty:
            st.dataframe(
                tools[["tool", "purpose", "list"]] if "list" in tools else tools,
                hide_index=True,
                key="skills_tools",
            )
    with right:
        if not algorithms.empty:
            st.dataframe(algorithms[["algorithm", "use_case"]], hide_index=True, key="skills_algos")
    names = sorted(set(pd.concat([tools["source"], algorithms["source"]])))
    st.caption(ui.provenance(snap, names))
