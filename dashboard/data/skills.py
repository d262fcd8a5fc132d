"""Skills and education queries: O*NET technologies and required education, seed tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import pandas as pd

from dashboard import fmt
from dashboard.data.core import cached, empty, run, small_table, table

# SOC major group 15 = "Computer and Mathematical Occupations": the ML, data and software roles.
TECH_SOC_PREFIX = "15-"
IMPORTANCE_ORDER = {"High": 0, "Medium": 1, "Low": 2}


@cached(max_entries=32)
def occupations(key: str, name: str = "skills") -> pd.DataFrame:
    """Distinct (occupation_code, occupation) pairs with a code, sorted by name."""
    t = table(key, name)
    if t is None:
        return pd.DataFrame(columns=["occupation_code", "occupation"])
    frame = run(
        t.filter(t.occupation_code.notnull()).select("occupation_code", "occupation").distinct()
    )
    return frame.sort_values(["occupation", "occupation_code"]).reset_index(drop=True)


@cached(max_entries=128)
def skills_for(
    key: str, codes: tuple[str, ...], hot_only: bool = False, exact: bool = False
) -> pd.DataFrame:
    """Technology skills of the chosen occupations (by O*NET code)."""
    t = table(key, "skills")
    if t is None or not codes:
        return empty("skills")
    t = t.filter(t.occupation_code.isin(list(codes)))
    if hot_only:
        t = t.filter(t.hot_technology.fill_null(False))
    return run(t.order_by(["occupation", "category", "skill"]), exact)


def hot_counts(skills: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """The cells of the category heatmap: the `top` categories with the most hot technologies
    across the chosen occupations (most first, ties by name), each with every chosen occupation
    that lists a hot technology (`hot technologies` 0 where it lists none in that category)."""
    hot = skills.loc[skills["hot_technology"].fillna(False).astype(bool)]
    cols = ["category", "occupation", "hot technologies"]
    if hot.empty:
        return pd.DataFrame(columns=cols)
    grid = hot.pivot_table(
        index="category", columns="occupation", values="skill", aggfunc="size", fill_value=0
    )
    totals = grid.sum(axis=1).rename("total").reset_index()
    kept = totals.sort_values(["total", "category"], ascending=[False, True]).head(top)
    cells = grid.loc[kept["category"]].stack().rename("hot technologies").reset_index()
    return cells[cols].astype({"hot technologies": int})


def hot_categories(skills: pd.DataFrame) -> int:
    """How many categories hold a hot technology of the chosen occupations (the heatmap draws
    the first `top` of them)."""
    hot = skills["hot_technology"].fillna(False).astype(bool)
    return int(skills.loc[hot, "category"].nunique())


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


@cached(max_entries=32)
def hot_ranking(key: str, prefix: str = TECH_SOC_PREFIX, top: int = 25) -> pd.DataFrame:
    """Technologies ranked by how many occupations (codes starting with `prefix`) list them
    hot, the generic office tools (`generic_technologies`, the Overview's rule) left out."""
    t = table(key, "skills")
    cols = ["skill", "occupations", "in_demand_occupations"]
    if t is None:
        return pd.DataFrame(columns=cols)
    hot = t.filter(t.occupation_code.startswith(prefix) & t.hot_technology.fill_null(False))
    generic = generic_technologies(key, prefix)
    if generic:
        hot = hot.filter(~hot.skill.isin(list(generic)))
    agg = hot.group_by("skill").aggregate(
        occupations=hot.occupation_code.nunique(),
        in_demand_occupations=hot.occupation_code.nunique(where=hot.in_demand.fill_null(False)),
    )
    frame = run(agg.order_by([ibis.desc("occupations"), "skill"]).limit(top))
    return frame[cols].reset_index(drop=True)


# A technology hot for at least this share of the occupations outside computer & math is a
# generic office tool (Excel is hot for 859 of 923 occupations): true for the chosen ones,
# but it says nothing about them. Python, hot for 97 of 887 such occupations, is not.
GENERIC_SHARE = 0.5


@cached(max_entries=32)
def hot_totals(key: str, prefix: str = TECH_SOC_PREFIX) -> dict[str, int]:
    """How many occupations have technology data: `all`, and `tech` (codes starting `prefix`)."""
    t = table(key, "skills")
    if t is None:
        return {"all": 0, "tech": 0}
    coded = t.filter(t.occupation_code.notnull())
    frame = run(
        coded.aggregate(
            all=coded.occupation_code.nunique(),
            tech=coded.occupation_code.nunique(where=coded.occupation_code.startswith(prefix)),
        )
    )
    return {"all": int(frame.loc[0, "all"]), "tech": int(frame.loc[0, "tech"])}


@cached(max_entries=128)
def hot_among(key: str, codes: tuple[str, ...], prefix: str = TECH_SOC_PREFIX) -> pd.DataFrame:
    """Hot technologies of the chosen occupations, most shared first: `chosen` (how many of
    them list it hot), `occupations` (how many computer & math occupations do), `everywhere`
    (how many occupations of any kind do) and `generic` (hot for at least half of the
    occupations outside computer & math: office tools, ranked after the rest)."""
    t = table(key, "skills")
    cols = ["skill", "chosen", "occupations", "everywhere", "generic"]
    if t is None or not codes:
        return pd.DataFrame(columns=cols)
    hot, overall = _hot_spread(t, prefix)
    mine = hot.filter(hot.occupation_code.isin(list(codes)))
    chosen = mine.group_by("skill").aggregate(chosen=mine.occupation_code.nunique())
    joined = chosen.join(overall, "skill").select("skill", "chosen", "occupations", "everywhere")
    frame = run(joined)
    frame["generic"] = _generic(frame, hot_totals(key, prefix))
    frame = frame.sort_values(
        ["generic", "chosen", "occupations", "skill"], ascending=[True, False, False, True]
    )
    return frame[cols].reset_index(drop=True)


def _hot_spread(t: Any, prefix: str) -> tuple[Any, Any]:
    """(the hot rows of skills table `t`, per technology how many occupations list it hot:
    `occupations` with codes starting `prefix`, `everywhere` of any kind)."""
    hot = t.filter(t.occupation_code.notnull() & t.hot_technology.fill_null(False))
    overall = hot.group_by("skill").aggregate(
        occupations=hot.occupation_code.nunique(where=hot.occupation_code.startswith(prefix)),
        everywhere=hot.occupation_code.nunique(),
    )
    return hot, overall


def _generic(frame: pd.DataFrame, totals: dict[str, int]) -> pd.Series:
    """The generic-office-tool rule: hot for at least GENERIC_SHARE of the occupations outside
    computer & math (`frame` has `occupations` and `everywhere` per technology)."""
    others = max(totals["all"] - totals["tech"], 1)
    return (frame["everywhere"] - frame["occupations"]) / others >= GENERIC_SHARE


@cached(max_entries=16)
def generic_technologies(key: str, prefix: str = TECH_SOC_PREFIX) -> tuple[str, ...]:
    """Every technology the Overview's rule calls a generic office tool (see `hot_among`)."""
    t = table(key, "skills")
    if t is None:
        return ()
    frame = run(_hot_spread(t, prefix)[1])
    return tuple(sorted(frame.loc[_generic(frame, hot_totals(key, prefix)), "skill"]))


def generic_note(generic: Sequence[str], totals: dict[str, int]) -> str:
    """The generic-office-tool rule in the one wording every page uses, naming what it left
    out (`generic`); empty when it left nothing out."""
    if not generic:
        return ""
    others = totals["all"] - totals["tech"]
    return (
        f"Left out as generic office tools (hot for at least {GENERIC_SHARE:.0%} of the "
        f"{fmt.plural(others, 'occupation')} outside computer & math, so they say little about "
        "any one): "
        f"{fmt.md(', '.join(generic))}."
    )


def split_generic(ranking: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """(the specific technologies of a `hot_among` ranking, the names of the generic ones)."""
    generic = ranking["generic"].astype(bool)
    return ranking.loc[~generic].reset_index(drop=True), ranking.loc[generic, "skill"].tolist()


def with_share_text(top: pd.DataFrame, total: int) -> pd.DataFrame:
    """`top` with a `text` column `35 of 36`: a bar's label, equal to its length."""
    return top.assign(text=[f"{v} of {total}" for v in top["occupations"]])


@cached(max_entries=32)
def seed_rows(key: str, name: str) -> pd.DataFrame:
    """The rows of a table without an occupation code (the seed article's tables)."""
    t = table(key, name)
    if t is None:
        return empty(name)
    if "occupation_code" in t.columns:
        t = t.filter(t.occupation_code.isnull())
    return run(t)


def seed_tools(key: str) -> pd.DataFrame:
    """The seed article's tools and libraries, one row per tool: a tool both lists name
    (TensorFlow, PyTorch, Scikit-learn) is shown once, with both purposes and both lists."""
    tools = small_table(key, "tools")
    if tools.empty:
        return pd.DataFrame(columns=["source", "tool", "purpose", "listed in"])
    joined = (
        tools.groupby("tool", sort=False)
        .agg(
            source=("source", "first"),
            purpose=("purpose", lambda v: "; ".join(dict.fromkeys(v))),
            listed=("list", lambda v: "; ".join(dict.fromkeys(v))),
        )
        .reset_index()
        .rename(columns={"listed": "listed in"})
    )
    return joined[["source", "tool", "purpose", "listed in"]]


def seed_skills(key: str) -> pd.DataFrame:
    """The seed article's skills with an importance, High first."""
    seed = seed_rows(key, "skills")
    if "importance" not in seed:
        return seed.iloc[0:0]
    return by_importance(seed.loc[seed["importance"].notna()], "importance")


def seed_skill_lists(key: str) -> dict[str, pd.DataFrame]:
    """The seed article's skill lists: {list name: its skills, High importance first}."""
    seed = seed_skills(key)
    names = seed["list"].fillna("Skills") if "list" in seed else pd.Series("Skills", seed.index)
    return {name: seed.loc[names == name] for name in dict.fromkeys(names)}


def by_importance(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows with a High/Medium/Low `column`, High first."""
    return frame.sort_values(column, key=lambda s: s.map(IMPORTANCE_ORDER), kind="stable")


@cached(max_entries=128)
def education_for(key: str, codes: tuple[str, ...], exact: bool = False) -> pd.DataFrame:
    """Required-education shares of the chosen occupations, levels in their natural order."""
    t = table(key, "education")
    if t is None or not codes:
        return empty("education")
    t = t.filter(t.occupation_code.isin(list(codes)))
    return run(t.order_by(["occupation", "level_order", "education_level"]), exact)


def education_summary(edu: pd.DataFrame) -> str:
    """`Most respondents say Statisticians need a Master's degree (61%).`: per occupation, the
    education level most respondents name, as a chart's text alternative."""
    if edu.empty:
        return "No education data to show."
    top = edu.sort_values("share_pct").groupby("occupation").tail(1)
    parts = [
        f"{fmt.md(row.occupation)}: {fmt.md(row.education_level)} ({row.share_pct:.0f}%)"
        for row in top.itertuples(index=False)
    ]
    return "The level most respondents say is required: " + "; ".join(parts) + "."
