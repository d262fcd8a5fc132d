"""Skills that pay: on the real refresh, the figures of Python, Microsoft Excel, Apache Spark and
Tableau equal an independent computation from the raw O*NET file and the published OEWS table;
on the hand-made fixture, URL state and the tables behind the page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import fmt
from tests.conftest import SHARED_DATASETS as MIRROR

pytestmark = pytest.mark.app
FOUR = ("Python", "Microsoft Excel", "Apache Spark", "Tableau")


def summary_of(at) -> pd.DataFrame:
    """The side-by-side figures as the page shows them (the numbers behind its strip chart)."""
    for frame in at.dataframe:
        if "jobs behind the medians" in frame.value.columns:
            return frame.value.set_index("technology")
    raise AssertionError("no side-by-side table on the page")


def independent(skills: pd.DataFrame, wages: pd.DataFrame, skill: str, **only: object) -> dict:
    """One technology's figures from pandas: each SOC (first 7 characters of the O*NET code)
    once, its national all-industry OEWS row; the weighted median as the middle job."""
    rows = skills.loc[skills["Example"] == skill]
    if only.get("hot"):
        rows = rows.loc[rows["Hot Technology"] == "Y"]
    if only.get("group"):
        rows = rows.loc[rows["O*NET-SOC Code"].str[:2] == only["group"]]
    socs = sorted(set(rows["O*NET-SOC Code"].str[:7]))
    national = wages.loc[(wages["areatype"] == "national") & (wages["industry_code"] == "000000")]
    found = national.set_index("occupation_code").reindex(socs)
    paid = found.loc[found["annual_median"].notna() & (found["employment"] > 0)]
    order = np.argsort(paid["annual_median"].to_numpy(), kind="stable")
    medians = paid["annual_median"].to_numpy()[order]
    jobs = np.cumsum(paid["employment"].to_numpy()[order])
    middle = np.searchsorted(jobs, jobs[-1] / 2)  # the first job at or past half of them
    return {
        "occupations": len(socs),
        "jobs": found["employment"].sum(),
        "with a median": len(paid),
        "employment-weighted median": medians[middle],
        "median occupation": float(np.median(medians)),
    }


@pytest.fixture(scope="module")
def raw_onet() -> pd.DataFrame:
    return pd.read_csv(MIRROR / "onet" / "Technology Skills.txt", sep="\t", dtype=str)


@pytest.mark.integration
def test_four_technologies_equal_an_independent_computation(rendered, real_dir, raw_onet):
    at = rendered("real", "skill_pay")
    assert not at.exception and not at.error
    wages = pd.read_parquet(real_dir / "processed" / "occupation_wages.parquet")
    shown = summary_of(at)
    metrics = {m.label: m.value for m in at.metric}
    assert set(shown.index) == set(FOUR)
    for skill in FOUR:
        want = independent(raw_onet, wages, skill)
        for column, value in want.items():
            assert shown.loc[skill, column] == pytest.approx(value), (skill, column)
        assert metrics[skill] == fmt.usd(want["employment-weighted median"])
    # the figures the issue quotes: about 13.7 million jobs list Python, 137 million Excel
    assert round(shown.loc["Python", "jobs"] / 1e6, 1) == 13.7
    assert round(shown.loc["Microsoft Excel", "jobs"] / 1e6) == 137
    # every occupation is in a table, those without a median too
    sizes = sorted(len(f.value) for f in at.dataframe if "O*NET codes" in f.value.columns)
    assert sizes == sorted(int(shown.loc[s, "occupations"]) for s in FOUR)


@pytest.mark.integration
def test_hot_only_within_computer_and_math(rendered, real_dir, raw_onet):
    params = {"tech": "Python,Apache Spark", "tech_hot": "1", "soc_group": "15"}
    at = rendered("real", "skill_pay", params)
    assert not at.exception and not at.error
    wages = pd.read_parquet(real_dir / "processed" / "occupation_wages.parquet")
    shown = summary_of(at)
    for skill in ("Python", "Apache Spark"):
        want = independent(raw_onet, wages, skill, hot=True, group="15")
        for column, value in want.items():
            assert shown.loc[skill, column] == pytest.approx(value), (skill, column)
    ranking = next(f.value for f in at.dataframe if "rank" in f.value.columns)
    assert (ranking["occupations with a median"] >= 5).all()
    assert "Microsoft Excel" not in set(ranking["technology"])  # a generic office tool


def test_url_state_and_tables_on_the_fixture(rendered, full_dir):
    at = rendered("full", "skill_pay", {"tech": "Tableau", "soc_group": "15"})
    assert not at.exception and not at.error
    assert [m.label for m in at.metric] == ["Tableau"]
    caption = " ".join(c.value for c in at.caption)
    assert "Computer and Mathematical (15)" in caption
    table = next(f.value for f in at.dataframe if "O*NET codes" in f.value.columns)
    # 15-2051.00 and 15-2051.01 both list Tableau: one occupation, linked to the Occupations page
    assert table["O*NET codes"].tolist() == ["15-2051.00, 15-2051.01"]
    assert table["SOC"].tolist() == ["occupations?soc=15-2051"]
    buttons = {b.key for b in at.get("download_button")}
    assert {"export_skill_pay_csv", "export_skill_pay_xlsx", "export_skill_pay_parquet"} <= buttons


def test_too_many_technologies_are_cut_to_four_with_a_notice(rendered, full_dir):
    params = {"tech": "Python,Tableau,Git,SAS,C++"}
    at = rendered("full", "skill_pay", params)
    assert not at.exception
    assert len(at.metric) == 4
    assert any("at most 4" in w.value for w in [*at.warning, *at.info, *at.toast])
