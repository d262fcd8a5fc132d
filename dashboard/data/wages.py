"""Official wages (BLS OEWS): occupations, their wages by area, and the join to O*NET on SOC."""

from __future__ import annotations

import pandas as pd

from dashboard.data.core import cached, empty, run, table

ALL_INDUSTRIES = "000000"  # OEWS cross-industry total
NATIONAL = "0000000"


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
