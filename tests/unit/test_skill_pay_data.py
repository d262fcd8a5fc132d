"""Skills that pay (dashboard/data/skill_pay.py) on hand-made rows, pandas and numpy as the
oracle: O*NET codes of one SOC merged, a top-coded median, occupations without wages, a
technology one occupation lists; then the cached queries on the hand-made processed fixture."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from dashboard import data
from dashboard.data import skill_pay
from dashboard.fmt import TOP_CODE
from tests.fixtures.dashboard_fixture import build_full

warnings.filterwarnings("ignore", message="No runtime found")

# (O*NET code, O*NET title, technology, hot, in demand)
SKILLS = [
    ("15-2051.00", "Data Scientists", "Python", True, True),
    ("15-2051.01", "Business Intelligence Analysts", "Python", False, False),
    ("15-2051.01", "Business Intelligence Analysts", "Tableau", True, False),
    ("15-1252.00", "Software Developers", "Python", True, False),
    ("15-1252.00", "Software Developers", "Niche Tool", False, False),
    ("29-1229.00", "Physicians, All Other", "Python", False, False),
    ("29-1229.00", "Physicians, All Other", "Epic", True, False),
    ("15-2051.00", "Data Scientists", "Epic", False, False),
    ("11-1031.00", "Legislators", "Python", False, False),  # no OEWS estimate
    ("27-2011.00", "Actors", "Python", False, False),  # OEWS: hourly wages only
    ("21-1011.00", "Substance Abuse Counselors", "Tableau", False, False),  # within 21-1010
]
# SOC, title, level, employment, median, top-coded, footnotes
WAGES = [
    ("15-2051", "Data Scientists", "detailed", 200_000.0, 112_590.0, False, None),
    ("15-1252", "Software Developers", "detailed", 1_650_000.0, 133_080.0, False, None),
    ("29-1229", "Physicians, All Other", "detailed", 2_000_000.0, TOP_CODE, True, "5"),
    ("27-2011", "Actors", "detailed", 50_000.0, None, False, "4"),
    ("21-1010", "Counselors", "broad", 400_000.0, 55_000.0, False, None),
]


def skill_rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        SKILLS, columns=["occupation_code", "occupation", "skill", "hot_technology", "in_demand"]
    )
    return frame.assign(category="Some software", source="onet")


def wage_rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        WAGES,
        columns=[
            "occupation_code",
            "occupation",
            "occupation_level",
            "employment",
            "annual_median",
            "top_coded",
            "footnotes",
        ],
    )
    frame["annual_p10"] = frame["annual_median"] * 0.6
    frame["annual_p25"] = frame["annual_median"] * 0.8
    frame["annual_p75"] = frame["annual_median"].where(frame["top_coded"], frame["annual_median"])
    frame["annual_p90"] = frame["annual_p75"]
    return frame.assign(source="bls_oews")


def oracle(skill: str, hot_only: bool = False) -> dict[str, float]:
    """One technology's figures from the rows above, computed another way: each SOC once, the
    weighted median as the middle job of every job written out (in units of 10,000 jobs)."""
    skills = skill_rows()
    rows = skills.loc[(skills["skill"] == skill) & (skills["hot_technology"] | (not hot_only))]
    socs = sorted({code[:7] for code in rows["occupation_code"]})
    wages = wage_rows().set_index("occupation_code").reindex(socs)
    paid = wages.dropna(subset=["annual_median"])
    jobs = np.repeat(paid["annual_median"].to_numpy(), (paid["employment"] / 10_000).astype(int))
    jobs.sort()
    return {
        "occupations": len(socs),
        "employment": float(wages["employment"].sum()),
        "with_pay": len(paid),
        "weighted_median": float(jobs[math.ceil(len(jobs) / 2) - 1]) if len(jobs) else np.nan,
        "unweighted_median": float(np.median(paid["annual_median"])) if len(paid) else np.nan,
    }


@pytest.fixture
def occ() -> pd.DataFrame:
    return skill_pay.occupations_listing(skill_rows(), wage_rows())


@pytest.mark.parametrize("skill", ["Python", "Tableau", "Niche Tool", "Epic"])
def test_each_technology_equals_the_oracle(occ, skill):
    got = skill_pay.summarize(occ).set_index("skill").loc[skill]
    want = oracle(skill)
    for name, value in want.items():
        assert got[name] == pytest.approx(value, nan_ok=True), name
    assert got["without_pay"] == want["occupations"] - want["with_pay"]


def test_codes_of_one_soc_count_once_and_keep_their_flags(occ):
    python = occ.loc[occ["skill"] == "Python"].set_index("soc")
    assert python.index.is_unique and len(python) == 5  # six codes, five SOCs
    scientists = python.loc["15-2051"]
    assert scientists["onet_codes"] == "15-2051.00, 15-2051.01"
    assert scientists["occupation"] == "Data Scientists"  # OEWS's title
    assert bool(scientists["hot"]) and bool(scientists["in_demand"])  # .00 says so
    assert scientists["employment"] == 200_000


def test_occupations_without_wages_are_listed_with_the_reason(occ):
    notes = occ.set_index(["skill", "soc"])["wage_note"]
    assert notes[("Python", "11-1031")] == "no OEWS estimate for this code"
    assert notes[("Python", "27-2011")] == "no annual median published (hourly wages only)"
    assert notes[("Tableau", "21-1011")] == (
        "no OEWS estimate for this code (BLS publishes it within 21-1010 Counselors)"
    )
    # the O*NET title stands in where OEWS has none
    assert occ.set_index(["skill", "soc"]).loc[("Python", "11-1031"), "occupation"] == "Legislators"
    summary = skill_pay.summarize(occ).set_index("skill")
    assert summary.loc["Python", "without_pay"] == 2
    # Actors' jobs count among the jobs that list Python, not behind its medians
    assert summary.loc["Python", "employment"] == 3_900_000
    assert summary.loc["Python", "employment_with_pay"] == 3_850_000


def test_a_top_coded_median_is_a_floor_and_said_so(occ):
    summary = skill_pay.summarize(occ).set_index("skill")
    python = summary.loc["Python"]
    # 2.0 M of 3.85 M jobs sit at the floor, above 1.85 M below it: the weighted median is it
    assert python["weighted_median"] == TOP_CODE and bool(python["weighted_top_coded"])
    assert python["unweighted_median"] == 133_080 and not python["unweighted_top_coded"]
    assert python["top_coded"] == 1
    epic = summary.loc["Epic"]  # two occupations: the mean of the two middles, one a floor
    assert epic["unweighted_median"] == (112_590 + TOP_CODE) / 2 and epic["unweighted_top_coded"]
    note = occ.set_index(["skill", "soc"]).loc[("Epic", "29-1229"), "wage_note"]
    assert note == "median at the top code: at least $239,200"


def test_a_technology_one_occupation_lists(occ):
    niche = skill_pay.summarize(occ).set_index("skill").loc["Niche Tool"]
    assert niche["occupations"] == niche["with_pay"] == 1
    assert niche["weighted_median"] == niche["unweighted_median"] == 133_080
    # the chosen technologies keep their order; one no occupation lists reads 0
    chosen = skill_pay.technology_pay(occ, ("Niche Tool", "Nothing", "Python"))
    assert chosen["skill"].tolist() == ["Niche Tool", "Nothing", "Python"]
    assert chosen.set_index("skill").loc["Nothing", "occupations"] == 0


def test_hot_only_keeps_an_soc_any_of_whose_codes_lists_it_hot():
    hot = skill_rows().loc[lambda f: f["hot_technology"]]
    got = skill_pay.summarize(skill_pay.occupations_listing(hot, wage_rows())).set_index("skill")
    want = oracle("Python", hot_only=True)
    assert got.loc["Python", "occupations"] == want["occupations"] == 2
    assert got.loc["Python", "weighted_median"] == want["weighted_median"] == 133_080


# The cached queries (Ibis on the published fixture) against pandas on its Parquet files.


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return build_full(tmp_path_factory.mktemp("pay-data"))


@pytest.fixture
def key(full, monkeypatch):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(full))
    return data.current().key


def test_queries_on_the_published_fixture_match_pandas(full, key):
    skills = pd.read_parquet(full / "processed" / "skills.parquet")
    wages = pd.read_parquet(full / "processed" / "occupation_wages.parquet")
    national = wages.loc[(wages["areatype"] == "national") & (wages["industry_code"] == "000000")]
    national = national.set_index("occupation_code")
    chosen = ("Tableau", "Python", "Microsoft Excel")
    got = data.technology_pay(data.skill_occupations(key, chosen), chosen).set_index("skill")
    for skill in chosen:
        codes = skills.loc[(skills["skill"] == skill) & skills["occupation_code"].notna()]
        socs = sorted({c[:7] for c in codes["occupation_code"]})
        rows = national.reindex(socs)
        paid = rows.dropna(subset=["annual_median"]).sort_values("annual_median")
        half = paid["employment"].cumsum() >= paid["employment"].sum() / 2
        assert got.loc[skill, "occupations"] == len(socs)
        assert got.loc[skill, "employment"] == rows["employment"].sum()
        assert got.loc[skill, "weighted_median"] == paid.loc[half, "annual_median"].iloc[0]
        assert got.loc[skill, "unweighted_median"] == paid["annual_median"].median()
    # Tableau: 15-2051.00 and .01 are one SOC
    assert got.loc["Tableau", "occupations"] == 1


def test_ranking_rule_and_generic_tools(key):
    ranking, generic = data.pay_ranking(key, minimum=1)
    assert (ranking["with_pay"] >= 1).all()
    assert ranking["weighted_median"].is_monotonic_decreasing
    assert set(generic).isdisjoint(ranking["skill"])
    assert data.pay_ranking(key, minimum=5)[0].empty  # no technology five occupations list
