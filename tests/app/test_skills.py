"""The Skills page: the heatmap's sentence and numbers are the cells it draws, and the most-listed
ranking leaves out the generic office tools by the Overview's rule, in the Overview's words."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.filters.specs import DEFAULT_OCCUPATIONS
from tests.app.test_honest_defaults import charts_of
from tests.app.test_pages import assert_clean

pytestmark = pytest.mark.app


def _cells(skills: pd.DataFrame, codes: tuple[str, ...], top: int = 15) -> pd.DataFrame:
    """Hot technologies per category and occupation (0 included), the `top` categories with
    the most across the occupations first (ties by name), straight from the published table."""
    hot = skills[skills.occupation_code.isin(codes) & skills.hot_technology.fillna(False)]
    grid = pd.crosstab(hot.category, hot.occupation)  # sorted by name: ties stay so
    return grid.loc[grid.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]


def _generic(skills: pd.DataFrame) -> list[str]:
    """Technologies hot for at least half of the occupations outside SOC group 15."""
    coded = skills[skills.occupation_code.notna()]
    others = coded.loc[~coded.occupation_code.str.startswith("15-"), "occupation_code"].nunique()
    hot = coded[coded.hot_technology.fillna(False) & ~coded.occupation_code.str.startswith("15-")]
    share = hot.groupby("skill")["occupation_code"].nunique() / others
    return sorted(share[share >= 0.5].index)


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def _heatmap_check(at, skills: pd.DataFrame) -> int:
    """The heatmap, its sentence and its numbers table hold the same cells; their count."""
    expected = _cells(skills, DEFAULT_OCCUPATIONS)
    heat = charts_of(at)["chart_skills_categories"]["data"][0]
    rows = [label.replace("<br>", " ") for label in heat["y"]][::-1]  # drawn bottom-up
    assert rows == expected.index.tolist()
    assert len(heat["z"]) == expected.size  # every drawn cell, zeros included
    table = next(d.value for d in at.dataframe if "hot technologies" in d.value.columns)
    shown = table.set_index(["category", "occupation"])["hot technologies"].sort_index()
    assert shown.to_dict() == expected.stack().sort_index().to_dict()
    words = next(m.value for m in at.markdown if "number of hot technologies" in m.value)
    assert f"across {expected.size} groups shown" in words
    if (expected == 0).any().any():
        assert words.split("lowest for ")[1].split(", across")[0].endswith("(0)")
    return expected.size


def test_the_heatmap_s_words_and_numbers_are_the_cells_it_draws(rendered, full_dir):
    at = rendered("full", "skills")
    assert_clean(at, "skills")
    skills = pd.read_parquet(full_dir / "processed" / "skills.parquet")
    # 5 categories by 4 occupations: the 9 non-zero pairs alone would say "9 groups"
    assert _heatmap_check(at, skills) == 20
    assert "Every category with a hot technology of the chosen occupations (5);" in _captions(at)


def test_the_ranking_leaves_out_generic_tools_in_the_overview_s_words(rendered, full_dir):
    at = rendered("full", "skills")
    skills = pd.read_parquet(full_dir / "processed" / "skills.parquet")
    assert _generic(skills) == ["Microsoft Excel"]  # hot for the nurses and a BI occupation
    ranking = next(d.value for d in at.dataframe if "in_demand_occupations" in d.value.columns)
    assert "Microsoft Excel" not in set(ranking["skill"])
    assert ranking["skill"].tolist()[0] == "Python"
    rule = (
        "Left out as generic office tools (hot for at least 50% of the 1 occupation outside "
        "computer & math, so they say little about any one): Microsoft Excel."
    )
    assert rule in _captions(at)
    assert rule in _captions(rendered("full", "overview"))  # one rule, one wording


@pytest.mark.integration
def test_on_real_data_60_cells_are_drawn_and_said_and_office_tools_left_out(rendered, real_dir):
    at = rendered("real", "skills")
    skills = pd.read_parquet(real_dir / "processed" / "skills.parquet")
    assert _heatmap_check(at, skills) == 60  # the 15 categories of 4 occupations (not 113)
    hot = skills[
        skills.occupation_code.isin(DEFAULT_OCCUPATIONS) & skills.hot_technology.fillna(False)
    ]
    said = f"The 15 categories (of {hot.category.nunique()}) with the most hot technologies"
    assert said in _captions(at)
    generic = _generic(skills)
    assert {"Microsoft Excel", "Microsoft Office software"} <= set(generic)
    ranking = next(d.value for d in at.dataframe if "in_demand_occupations" in d.value.columns)
    assert not set(generic) & set(ranking["skill"])
    assert ranking["skill"].iloc[0] == "Structured query language SQL"
    assert f"so they say little about any one): {', '.join(generic)}." in _captions(at)
