"""Skills that pay: each O*NET technology set against the official US wages and jobs (BLS OEWS,
national, all industries) of the occupations that list it, joined on the 7-character SOC code.

What the occupations that list a technology pay, not what the technology adds to a salary.
Several O*NET codes of one SOC occupation (`15-2051.00`, `15-2051.01`) count once; an
occupation OEWS publishes no annual median for is kept, with the reason, and left out of the
medians; a median BLS top-codes sits at its floor ($239,200) and is flagged as a lower bound.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data.core import cached, run, table
from dashboard.data.skills import generic_technologies, split_generic
from dashboard.data.wages import ALL_INDUSTRIES, soc_of
from dashboard.fmt import TOP_CODE

DEFAULT_TECHNOLOGIES = ("Python", "Microsoft Excel", "Apache Spark", "Tableau")
MOST_TECHNOLOGIES = 4
# A technology is ranked by pay only when at least this many of the occupations that list it
# have a published median: below that, one occupation's pay would be the technology's.
MIN_OCCUPATIONS = 10
RANK_TOP = 25  # technologies drawn in the ranking (the table behind it has them all)
WAGE_COLUMNS = ["annual_p10", "annual_p25", "annual_median", "annual_p75", "annual_p90"]
OCCUPATION_COLUMNS = [
    "skill",
    "soc",
    "occupation",
    "onet_codes",
    "category",
    "hot",
    "in_demand",
    "employment",
    *WAGE_COLUMNS,
    "median_top_coded",
    "wage_note",
]
SUMMARY_COLUMNS = [
    "skill",
    "occupations",
    "employment",
    "with_pay",
    "employment_with_pay",
    "weighted_median",
    "weighted_top_coded",
    "unweighted_median",
    "unweighted_top_coded",
    "top_coded",
    "without_pay",
]


def major_groups(wages: pd.DataFrame) -> dict[str, str]:
    """SOC major groups OEWS publishes nationally: `15` -> `Computer and Mathematical`."""
    majors = wages.loc[wages["occupation_level"] == "major"]
    names = majors["occupation"].str.replace(r" Occupations$", "", regex=True)
    return dict(sorted(zip(majors["occupation_code"].str[:2], names, strict=True)))


@cached(max_entries=8)
def national_wages(key: str) -> pd.DataFrame:
    """OEWS national, all-industry rows of every occupation (every level: a detailed code BLS
    does not publish may sit within a published broad one)."""
    t = table(key, "occupation_wages")
    cols = ["occupation_code", "occupation", "occupation_level", "employment", *WAGE_COLUMNS]
    cols += ["top_coded", "footnotes", "source"]
    if t is None:
        return pd.DataFrame(columns=cols)
    national = t.filter((t.areatype == "national") & (t.industry_code == ALL_INDUSTRIES))
    return run(national.select(*cols))


def _skill_rows(key: str, hot_only: bool, group: str | None) -> object | None:
    """The O*NET technology rows with a code (optionally hot only, one SOC major group)."""
    t = table(key, "skills")
    if t is None:
        return None
    t = t.filter(t.occupation_code.notnull())
    if hot_only:
        t = t.filter(t.hot_technology.fill_null(False))
    if group:
        t = t.filter(t.occupation_code.startswith(f"{group}-"))
    return t


@cached(max_entries=64)
def technology_rows(
    key: str, skills: tuple[str, ...], hot_only: bool = False, group: str | None = None
) -> pd.DataFrame:
    """The O*NET rows of the chosen technologies (one per O*NET code and technology)."""
    t = _skill_rows(key, hot_only, group)
    cols = ["skill", "category", "occupation_code", "occupation", "hot_technology", "in_demand"]
    if t is None or not skills:
        return pd.DataFrame(columns=[*cols, "source"])
    t = t.filter(t.skill.isin(list(skills)))
    return run(t.select(*cols, "source"))


def _wage_note(row: pd.Series, broad: dict[str, str]) -> str:
    """Why an occupation has no median in the medians, or that its median is a floor."""
    if pd.isna(row["occupation_level"]):
        within = broad.get(row["soc"][:6] + "0")
        return "no OEWS estimate for this code" + (
            f" (BLS publishes it within {row['soc'][:6]}0 {within})" if within else ""
        )
    if pd.isna(row["annual_median"]):
        notes = str(row["footnotes"] or "").split(";")
        return "no annual median published" + (" (hourly wages only)" if "4" in notes else "")
    if pd.isna(row["employment"]) or row["employment"] <= 0:
        return "no employment published"
    if row["median_top_coded"]:
        return f"median at the top code: at least ${TOP_CODE:,.0f}"
    return ""


def occupations_listing(rows: pd.DataFrame, wages: pd.DataFrame) -> pd.DataFrame:
    """One row per technology and SOC occupation that lists it (its O*NET codes merged: hot or
    in demand if any of them says so) with OEWS national employment and annual percentiles;
    occupations without a published median are kept, `wage_note` saying why."""
    if rows.empty:
        return pd.DataFrame(columns=OCCUPATION_COLUMNS)
    rows = rows.assign(
        soc=rows["occupation_code"].map(soc_of),
        hot_technology=rows["hot_technology"].fillna(False).astype(bool),
        in_demand=rows["in_demand"].fillna(False).astype(bool),
    ).sort_values(["skill", "occupation_code"])
    grouped = rows.groupby(["skill", "soc"], sort=False).agg(
        onet_codes=("occupation_code", lambda v: ", ".join(dict.fromkeys(v))),
        onet_title=("occupation", "first"),
        category=("category", lambda v: "; ".join(dict.fromkeys(v.dropna()))),
        hot=("hot_technology", "any"),
        in_demand=("in_demand", "any"),
    )
    occ = grouped.reset_index().merge(
        wages.drop(columns="source").rename(columns={"occupation_code": "soc"}),
        on="soc",
        how="left",
    )
    occ["occupation"] = occ["occupation"].fillna(occ["onet_title"])
    occ["median_top_coded"] = occ["top_coded"].fillna(False).astype(bool) & (
        occ["annual_median"] == TOP_CODE
    )
    broad_rows = wages.loc[wages["occupation_level"] == "broad"]
    broad = dict(zip(broad_rows["occupation_code"], broad_rows["occupation"], strict=True))
    occ["wage_note"] = [_wage_note(row, broad) for _, row in occ.iterrows()]
    occ = occ.sort_values(["skill", "annual_median"], ascending=[True, False], na_position="last")
    return occ[OCCUPATION_COLUMNS].reset_index(drop=True)


def summarize(occ: pd.DataFrame) -> pd.DataFrame:
    """Per technology: `occupations` (SOC occupations that list it), `employment` (the jobs they
    hold), `with_pay` and `employment_with_pay` (those with a published median and employment:
    what the medians rest on), the `weighted_median` (employment-weighted median of the
    occupations' medians: the lowest median at which half the jobs are reached), the
    `unweighted_median` (the median occupation), whether either is a top-coded floor (a lower
    bound), `top_coded` (occupations whose median is) and `without_pay`."""
    if occ.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    by = occ.groupby("skill", sort=False)
    out = pd.DataFrame(
        {"occupations": by["soc"].nunique(), "employment": by["employment"].sum()},
    )
    paid = occ.loc[occ["annual_median"].notna() & (occ["employment"] > 0)]
    paid = paid.sort_values(["skill", "annual_median"], kind="stable")
    pby = paid.groupby("skill", sort=False)
    out["with_pay"] = pby.size()
    out["employment_with_pay"] = pby["employment"].sum()
    half = pby["employment"].cumsum() >= pby["employment"].transform("sum") / 2
    weighted = paid.loc[half].groupby("skill", sort=False).head(1).set_index("skill")
    out["weighted_median"] = weighted["annual_median"]
    out["weighted_top_coded"] = weighted["median_top_coded"]
    out["unweighted_median"] = pby["annual_median"].median()
    # the median of n values involves the (n // 2)-th smallest: a floor there is a lower bound
    upper = paid.loc[pby.cumcount() == pby["annual_median"].transform("size") // 2].set_index(
        "skill"
    )
    out["unweighted_top_coded"] = upper["median_top_coded"]
    out["top_coded"] = pby["median_top_coded"].sum()
    out = out.reset_index()
    for name in ("with_pay", "top_coded"):
        out[name] = out[name].fillna(0).astype(int)
    for name in ("weighted_top_coded", "unweighted_top_coded"):
        out[name] = out[name].fillna(False).astype(bool)
    out["without_pay"] = out["occupations"] - out["with_pay"]
    return out[SUMMARY_COLUMNS]


@cached(max_entries=64)
def skill_occupations(
    key: str, skills: tuple[str, ...], hot_only: bool = False, group: str | None = None
) -> pd.DataFrame:
    """The occupations that list each chosen technology, with their OEWS wages (see
    `occupations_listing`), technologies in the order given."""
    occ = occupations_listing(technology_rows(key, skills, hot_only, group), national_wages(key))
    order = {s: i for i, s in enumerate(skills)}
    return occ.sort_values("skill", key=lambda s: s.map(order), kind="stable", ignore_index=True)


def technology_pay(occ: pd.DataFrame, skills: tuple[str, ...]) -> pd.DataFrame:
    """`summarize(occ)` with one row per chosen technology, in the order given (a technology
    no occupation lists, with these options, reads 0 occupations)."""
    out = summarize(occ).set_index("skill").reindex(list(skills))
    for name in ("occupations", "employment", "with_pay", "employment_with_pay", "top_coded"):
        out[name] = out[name].fillna(0)
    for name in ("weighted_top_coded", "unweighted_top_coded"):
        out[name] = out[name].fillna(False).astype(bool)
    out["without_pay"] = out["occupations"] - out["with_pay"]
    return out.reset_index()[SUMMARY_COLUMNS]


@cached(max_entries=16)
def pay_ranking(
    key: str, hot_only: bool = False, group: str | None = None, minimum: int = MIN_OCCUPATIONS
) -> tuple[pd.DataFrame, list[str]]:
    """(every technology at least `minimum` occupations with a published median list, by
    employment-weighted median pay, highest first; the generic office tools left out, by the
    Overview's rule). Only the columns the medians need are read for all ~9,000 technologies."""
    t = _skill_rows(key, hot_only, group)
    if t is None:
        return pd.DataFrame(columns=[*SUMMARY_COLUMNS, "generic"]), []
    pairs = run(t.select(skill=t.skill, soc=t.occupation_code.substr(0, 7)).distinct())
    wages = national_wages(key)
    occ = pairs.merge(
        wages.rename(columns={"occupation_code": "soc"}), on="soc", how="left"
    ).assign(median_top_coded=lambda f: f["top_coded"].fillna(False).astype(bool))
    occ["median_top_coded"] &= occ["annual_median"] == TOP_CODE
    ranked = summarize(occ)
    ranked = ranked.loc[ranked["with_pay"] >= minimum].copy()
    ranked["generic"] = ranked["skill"].isin(generic_technologies(key))
    # One large occupation often holds the middle job of several technologies (Software
    # Developers): their weighted medians tie, and the median occupation breaks the tie.
    ranked = ranked.sort_values(
        ["weighted_median", "unweighted_median", "with_pay", "skill"],
        ascending=[False, False, False, True],
    )
    specific, generic = split_generic(ranked)
    return specific, generic


@cached(max_entries=8)
def technology_options(key: str) -> tuple[str, ...]:
    """Every technology O*NET lists for an occupation, alphabetically (case-insensitive)."""
    t = table(key, "skills")
    if t is None:
        return ()
    names = run(t.filter(t.occupation_code.notnull()).select("skill").distinct())["skill"]
    return tuple(sorted(names, key=lambda s: (s.casefold(), s)))


def skill_pay_filter_options(key: str) -> tuple[dict[str, tuple[str, ...]], dict[str, dict]]:
    """(values, labels) of the Skills that pay filters: technologies and SOC major groups."""
    techs = technology_options(key)
    wages = national_wages(key)
    groups = major_groups(wages) if not wages.empty and techs else {}
    values = {"technology": techs, "pay_group": tuple(groups)}
    labels = {"pay_group": {code: f"{name} ({code})" for code, name in groups.items()}}
    return values, labels


def export_rows(occ: pd.DataFrame) -> pd.DataFrame:
    """The occupations of every chosen technology, one row per technology and occupation."""
    return occ.rename(columns={"skill": "technology", "soc": "occupation_code"})
