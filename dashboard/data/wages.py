"""Official wages (BLS OEWS): occupations, their wages by area, and the join to O*NET on SOC."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.data.core import cached, empty, run, small_table, table
from dashboard.data.salaries import SalaryQuery, salary_stats
from dashboard.fmt import TOP_CODE
from dashboard.stats import PCT_COLUMNS

ALL_INDUSTRIES = "000000"  # OEWS cross-industry total
NATIONAL = "0000000"
BENCHMARK = "00-0000"  # OEWS's all-occupations row: every job, a yardstick for one role
# BLS's top codes (footnote 5) by pay basis: a cell at the code is "at or above" it.
TOP_CODES = {"annual": TOP_CODE, "hourly": 115.0}


def soc_of(onet_code: str) -> str:
    """The SOC 2018 code of an O*NET-SOC code: its first 7 characters (`15-2051.01` ->
    `15-2051`), the key OEWS and O*NET share."""
    return onet_code[:7]


@cached(max_entries=16)
def wage_occupations(key: str) -> pd.DataFrame:
    """Every detailed occupation OEWS publishes nationally across industries, with its major
    group (`15-0000 Computer and Mathematical Occupations`) to group a picker by."""
    t = table(key, "occupation_wages")
    if t is None:
        return pd.DataFrame(columns=["occupation_code", "occupation", "major_code", "major"])
    national = t.filter((t.area_code == NATIONAL) & (t.industry_code == ALL_INDUSTRIES))
    frame = run(national.select("occupation_code", "occupation", "occupation_level"))
    majors = frame.loc[frame["occupation_level"] == "major"].set_index("occupation_code")
    detailed = frame.loc[frame["occupation_level"] == "detailed"].copy()
    detailed["major_code"] = detailed["occupation_code"].str[:2] + "-0000"
    detailed["major"] = detailed["major_code"].map(majors["occupation"])
    return detailed.drop(columns="occupation_level").sort_values(
        ["major_code", "occupation"], ignore_index=True
    )


@cached(max_entries=256)
def wages_for(
    key: str,
    codes: tuple[str, ...],
    areatype: str = "national",
    industry: str = ALL_INDUSTRIES,
    exact: bool = False,
) -> pd.DataFrame:
    """OEWS rows of the SOC `codes` for one kind of area (national/state/metro) in one
    industry (all industries by default), sorted by area name."""
    t = table(key, "occupation_wages")
    if t is None or not codes:
        return empty("occupation_wages")
    t = t.filter(
        (t.areatype == areatype) & (t.industry_code == industry) & t.occupation_code.isin(codes)
    )
    return run(t.order_by(["occupation_code", "area_name"]), exact)


@cached(max_entries=256)
def metro_wages(key: str, soc: str, state: str | None = None) -> pd.DataFrame:
    """OEWS metro-area rows of occupation `soc` (all industries), only those whose main state
    is `state` (`US-CA`) when given."""
    t = table(key, "occupation_wages")
    if t is None:
        return empty("occupation_wages")
    t = t.filter(
        (t.areatype == "metro") & (t.industry_code == ALL_INDUSTRIES) & (t.occupation_code == soc)
    )
    if state:
        t = t.filter(t.state == state)
    return run(t.order_by("area_name"))


@cached(max_entries=64)
def onet_codes(key: str, soc: str) -> tuple[str, ...]:
    """The O*NET-SOC codes that belong to SOC occupation `soc` (`15-2051` -> `15-2051.00`,
    `15-2051.01`), from every O*NET table loaded; empty when O*NET has none."""
    codes: set[str] = set()
    for name in ("occupations", "skills", "education"):
        t = table(key, name)
        if t is None:
            continue
        hit = t.filter(t.occupation_code.startswith(f"{soc}.")).select("occupation_code")
        codes.update(run(hit.distinct())["occupation_code"])
    return tuple(sorted(codes))


WAGE_STATS = ("annual_p10", "annual_p25", "annual_median", "annual_p75", "annual_p90")


def wage_stats(basis: str = "annual") -> tuple[str, ...]:
    """The five percentile columns of a pay basis (`annual` or `hourly`), p10 first."""
    return tuple(c.replace("annual", basis, 1) for c in WAGE_STATS)


def pay_basis(row: pd.Series) -> str:
    """`hourly` for an OEWS row whose wages BLS publishes per hour only (footnote 4: actors,
    dancers, musicians, who do not generally work year-round, full time), else `annual`."""
    annual = row.get("annual_median")
    hourly = row.get("hourly_median")
    return "hourly" if pd.isna(annual) and not pd.isna(hourly) else "annual"


def top_coded_stats(row: pd.Series, basis: str = "annual") -> list[str]:
    """The wage columns of an OEWS row (of `basis`) that hold the top-code floor, not a
    value: BLS published only that the wage is at or above it."""
    if not bool(row.get("top_coded")):
        return []
    floor = TOP_CODES[basis]
    return [c for c in (*wage_stats(basis), f"{basis}_mean") if row.get(c) == floor]


def industry_kind(code: str) -> str:
    """`total`, `sector` (NAICS sector, `31--34`), `group` (a 4-digit industry group,
    `541500`) or `detail` (3-, 5- or 6-digit levels and the ownership splits) of an OEWS
    industry code; sectors and groups each partition the economy without overlap."""
    if code in (ALL_INDUSTRIES, "000001"):
        return "total"
    if "-" in code:
        return "sector"
    if code[:4].isdigit() and code[3] != "0" and code[4:] == "00":
        return "group"
    return "detail"


@cached(max_entries=64)
def industries_for(key: str, soc: str) -> pd.DataFrame:
    """Where occupation `soc` works, nationally: one row per NAICS sector and 4-digit industry
    group (`kind`), with employment, its share of the occupation's cross-industry employment
    (`share_pct`) and the median wage (annual and hourly). Industries BLS does not publish
    for it are absent."""
    t = table(key, "occupation_wages")
    cols = ["source", "kind", "industry_code", "industry", "employment", "share_pct"]
    cols += ["annual_median", "hourly_median", "top_coded"]
    if t is None:
        return pd.DataFrame(columns=cols)
    rows = run(
        t.filter((t.areatype == "national") & (t.occupation_code == soc)).select(
            "source",
            "industry_code",
            "industry",
            "employment",
            "annual_median",
            "hourly_median",
            "top_coded",
        )
    )
    rows["kind"] = rows["industry_code"].map(industry_kind)
    total = rows.loc[rows["industry_code"] == ALL_INDUSTRIES, "employment"]
    whole = float(total.iloc[0]) if len(total) and pd.notna(total.iloc[0]) else float("nan")
    rows = rows.loc[rows["kind"].isin(["sector", "group"]) & rows["employment"].notna()].copy()
    rows["share_pct"] = (100 * rows["employment"] / whole).round(1)
    # "Sector 54 - Professional, ..." -> "Professional, ...": the code is its own column
    rows["industry"] = rows["industry"].str.replace(r"^Sectors? [\d, and]+ - ", "", regex=True)
    return rows.sort_values(["kind", "employment"], ascending=[False, False], ignore_index=True)[
        cols
    ]


@cached(max_entries=8)
def family_occupations(key: str) -> pd.DataFrame:
    """The job family -> SOC occupation mapping (`family_occupations`), with each occupation's
    title as OEWS names it; empty when the mapping or OEWS is not loaded."""
    mapping = small_table(key, "family_occupations")
    titles = wage_occupations(key)
    if mapping.empty or titles.empty:
        return pd.DataFrame(columns=["job_family", "occupation_code", "occupation", "fit", "note"])
    names = titles.set_index("occupation_code")["occupation"]
    out = mapping.assign(occupation=mapping["occupation_code"].map(names))
    return out.dropna(subset=["occupation"])[
        ["job_family", "occupation_code", "occupation", "fit", "note"]
    ].reset_index(drop=True)


# "Median wage": annual, or hourly for an occupation BLS publishes per hour only.
MAP_MEASURES = {
    "annual_median": "Median wage",
    "employment": "Employment",
    "employment_per_1000": "Jobs per 1,000",
    "location_quotient": "Location quotient",
}
METRO_RANKS = {"annual_median": "Median wage", "employment": "Employment"}


@cached(max_entries=8)
def wage_states(key: str) -> dict[str, str]:
    """The states (and DC, territories) OEWS publishes: ISO 3166-2:US code -> name, by name."""
    t = table(key, "occupation_wages")
    if t is None:
        return {}
    states = t.filter(t.areatype == "state").select("state", "area_name").distinct()
    frame = run(states).dropna().sort_values("area_name")
    return dict(zip(frame["state"], frame["area_name"], strict=True))


@cached(max_entries=8)
def benchmark_title(key: str) -> str | None:
    """OEWS's name of the all-occupations row (`All Occupations`) when it is published
    nationally, else None."""
    t = table(key, "occupation_wages")
    if t is None:
        return None
    row = t.filter(
        (t.area_code == NATIONAL)
        & (t.industry_code == ALL_INDUSTRIES)
        & (t.occupation_code == BENCHMARK)
    ).select("occupation")
    frame = run(row.limit(1))
    return None if frame.empty else str(frame["occupation"].iloc[0])


def wage_filter_options(key: str) -> tuple[dict[str, tuple[str, ...]], dict[str, dict]]:
    """(values, labels) of the Occupations page's filters; empty when OEWS is not loaded.
    The occupation picker's labels carry the major group, so the list reads grouped; the
    compare list also offers the all-occupations row (`00-0000`) as a benchmark."""
    occ = wage_occupations(key)
    if occ.empty:
        return {"soc": (), "state": (), "map_measure": (), "metro_rank": ()}, {}
    codes = tuple(occ["occupation_code"])
    names = {
        c: f"{o} ({c})" for c, o in zip(occ["occupation_code"], occ["occupation"], strict=True)
    }
    groups = occ["major"].fillna("").str.replace(r" Occupations$", "", regex=True)
    picker = {  # the title first: a narrow sidebar cuts the end of the label, not the name
        c: f"{names[c]} · {g}" if g else names[c]
        for c, g in zip(occ["occupation_code"], groups, strict=True)
    }
    states = wage_states(key)
    # The all-occupations row can be compared with (first in the list), never be the profile.
    benchmark = benchmark_title(key)
    compare = codes
    if benchmark:
        names = {BENCHMARK: f"{benchmark} ({BENCHMARK})"} | names
        compare = (BENCHMARK, *codes)
    values = {
        "soc": codes,
        "compare": compare,
        "state": tuple(states),
        "map_measure": tuple(MAP_MEASURES),
        "metro_rank": tuple(METRO_RANKS),
    }
    labels = {
        "soc": {c: names[c] for c in codes},
        "soc_picker": picker,
        "compare": names,
        "state": states,
        "map_measure": MAP_MEASURES,
        "metro_rank": METRO_RANKS,
    }
    return values, labels


@cached(max_entries=256)
def crowd_vs_official(key: str, q: SalaryQuery) -> pd.DataFrame:
    """For each job family mapped to an official occupation: the aijobs reports of US
    residents matching `q` (its country and family choices replaced: US, every mapped family
    or the chosen ones) beside OEWS's national estimate for each mapped occupation. One row
    per family and side: `side` crowd | official, `fit`, `n` (reports; for OEWS the jobs
    estimate), p10-p90 (`p50` = median), `top_coded`, and the occupation."""
    mapping = family_occupations(key)
    cols = ["job_family", "side", "fit", "occupation_code", "occupation", "n", *PCT_COLUMNS]
    cols += ["top_coded", "source"]
    if mapping.empty:
        return pd.DataFrame(columns=cols)
    families = tuple(
        f for f in dict.fromkeys(mapping["job_family"]) if f in q.families or not q.families
    )
    # BLS publishes May 2025 dollars: the crowd side stays in the US dollars it was reported in.
    crowd_q = replace(
        q, countries=("US",), country_field="employee_residence", families=families, money="usd"
    )
    crowd = salary_stats(key, crowd_q, "job_family").assign(side="crowd", source="aijobs")
    codes = tuple(sorted(set(mapping.loc[mapping["job_family"].isin(families), "occupation_code"])))
    official = wages_for(key, codes, "national")
    official = official.rename(
        columns={"employment": "n", **{f"annual_{p}": p for p in ("p10", "p25", "p75", "p90")}}
    ).rename(columns={"annual_median": "p50"})
    official = mapping.loc[mapping["job_family"].isin(families)].merge(
        official[["occupation_code", "n", *PCT_COLUMNS, "top_coded", "source"]],
        on="occupation_code",
    )
    crowd = crowd.merge(
        mapping.loc[mapping["fit"] == "closest", ["job_family", "occupation_code", "occupation"]],
        on="job_family",
    ).assign(fit="closest", top_coded=False)
    out = pd.concat([crowd, official.assign(side="official")], ignore_index=True)
    order = {f: i for i, f in enumerate(families)}
    out["_order"] = out["job_family"].map(order)
    out["_side"] = out["side"].map({"crowd": 0, "official": 1})
    out["_fit"] = out["fit"].map({"closest": 0, "alternative": 1})
    out = out.sort_values(["_order", "_side", "_fit"], ignore_index=True)
    return out[cols]
