"""indeed below the country on the real mirror: regional_openings (US states, Canadian provinces,
UK regions) and ai_postings_share equal an independent pandas read of the raw files (the shared
full refresh, read-only)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.integration.conftest import SHARED, Refreshed, real_data_unavailable

pytestmark = pytest.mark.integration

POSTINGS = SHARED / "indeed-job-postings"
AI = SHARED / "indeed-ai-tracker" / "AI_posting.csv"
REGIONAL = {  # country: (file, the column naming a region)
    "US": ("state_job_postings_us.csv", "state"),
    "CA": ("provincial_postings_ca.csv", "province"),
    "GB": ("regional_gb.csv", "region"),
}

if real_data_unavailable() or not AI.is_file() or not (POSTINGS / "regional_gb.csv").is_file():
    pytest.skip(
        f"real-data mirror with the Indeed regional files and AI Tracker not found at {SHARED}",
        allow_module_level=True,
    )


def _raw(country: str) -> pd.DataFrame:
    name, column = REGIONAL[country]
    frame = pd.read_csv(POSTINGS / name, parse_dates=["date"])
    return frame.rename(columns={column: "code", "indeed_job_postings_index": "value"})


def _latest(frame: pd.DataFrame, by: str, value: str) -> pd.Series:
    """Each group's value on its last date."""
    return frame.sort_values("date").groupby(by).tail(1).set_index(by)[value]


@pytest.fixture(scope="module")
def regional(full: Refreshed) -> pd.DataFrame:
    return full.table("regional_openings").assign(date=lambda t: pd.to_datetime(t["date"]))


@pytest.fixture(scope="module")
def ai(full: Refreshed) -> pd.DataFrame:
    return full.table("ai_postings_share").assign(date=lambda t: pd.to_datetime(t["date"]))


def test_both_tables_publish_from_the_mirror_with_nothing_set_aside(full: Refreshed) -> None:
    entry = full.manifest["sources"]["indeed"]
    assert entry["status"] == "ok" and entry["origin"] == "mirror"
    assert entry["quarantined"]["rows"] == 0
    for name in ("state_job_postings_us.csv", "regional_gb.csv", "AI_posting.csv"):
        assert len(entry["files"][name]["sha256"]) == 64
    assert entry["files"]["AI_posting.csv"]["from"].endswith("indeed-ai-tracker/AI_posting.csv")
    assert entry["regional_as_of"] == {"US": "2026-08-14", "CA": "2026-08-14", "GB": "2026-08-14"}
    assert set(entry["ai_share_as_of"].values()) == {"2026-06-30"}
    tables = full.manifest["tables"]
    assert tables["regional_openings"]["sources"] == ["indeed"]
    assert tables["ai_postings_share"]["sources"] == ["indeed"]


def test_row_counts_equal_the_raw_files(regional: pd.DataFrame, ai: pd.DataFrame) -> None:
    counts = {c: len(_raw(c)) for c in REGIONAL}
    assert counts == {"US": 121_737, "CA": 23_870, "GB": 28_644}
    assert regional.groupby("country").size().to_dict() == counts
    assert regional.groupby("country")["region"].nunique().to_dict() == {
        "US": 51,
        "CA": 10,
        "GB": 12,
    }
    assert len(ai) == len(pd.read_csv(AI)) == 24_642


def test_every_value_equals_the_raw_files(regional: pd.DataFrame) -> None:
    for country in REGIONAL:
        raw = _raw(country)
        if country == "GB":  # names: the display name is ONS's, so compare through the code
            names = dict(regional[regional.country == "GB"][["region_name", "region"]].values)
            names["Yorkshire & the Humber"] = names.pop("Yorkshire and The Humber")
            raw["region"] = raw["code"].map(names)
        else:
            raw["region"] = country + "-" + raw["code"].str.upper()
        got = regional[regional.country == country]
        expected = raw.sort_values(["region", "date"])[["region", "date", "value"]]
        pd.testing.assert_frame_equal(
            got[["region", "date", "value"]].reset_index(drop=True),
            expected.reset_index(drop=True),
            check_dtype=False,
        )


def test_latest_index_of_named_states_and_the_extremes(regional: pd.DataFrame) -> None:
    raw = _raw("US")
    want = _latest(raw, "code", "value")
    got = _latest(regional[regional.country == "US"], "region", "value")
    assert {r[3:].lower(): v for r, v in got.items()} == want.to_dict()
    latest = {r: got[r] for r in ("US-CA", "US-NY", "US-TX", "US-WA")}
    assert latest == {"US-CA": 85.19, "US-NY": 88.75, "US-TX": 114.15, "US-WA": 74.78}
    assert latest == {f"US-{c.upper()}": want[c] for c in ("ca", "ny", "tx", "wa")}
    ranked = got.sort_values()
    assert (ranked.index[0], ranked.iloc[0]) == ("US-DC", 70.94)  # the District of Columbia
    states = ranked.drop("US-DC")
    assert (states.index[0], states.iloc[0]) == ("US-WA", 74.78)  # the lowest of the 50 states
    assert (states.index[-1], states.iloc[-1]) == ("US-AK", 156.08)
    assert (want.idxmin(), want.min(), want.idxmax(), want.max()) == ("dc", 70.94, "ak", 156.08)
    dates = regional.groupby("country")["date"].max().dt.strftime("%Y-%m-%d")
    assert set(dates) == {"2026-08-14"}


def test_us_regions_join_the_oews_state_areas(full: Refreshed, regional: pd.DataFrame) -> None:
    wages = full.table("occupation_wages")
    states = set(wages.loc[wages.areatype == "state", "state"])
    us = set(regional.loc[regional.country == "US", "region"])
    assert len(us) == 51 and us <= states
    assert set(regional.loc[regional.region == "US-CA", "region_name"]) == {"California"}


def test_ai_share_on_its_last_date_equals_the_raw_file(ai: pd.DataFrame) -> None:
    raw = pd.read_csv(AI, parse_dates=["date"])
    want = _latest(raw, "jobcountry", "AI_share_postings")
    got = _latest(ai, "country", "share_pct")
    assert got.to_dict() == want.to_dict()
    assert set(ai.groupby("country")["date"].max().dt.strftime("%Y-%m-%d")) == {"2026-06-30"}
    shares = {c: round(got[c], 4) for c in ("US", "GB", "CA", "DE")}
    assert shares == {"US": 5.8806, "GB": 9.4, "CA": 17.9319, "DE": 5.1337}
    full_rows = ai.sort_values(["country", "date"])[["country", "date", "share_pct"]]
    expected = raw.sort_values(["jobcountry", "date"])
    assert full_rows["share_pct"].tolist() == expected["AI_share_postings"].tolist()
    assert full_rows["country"].tolist() == expected["jobcountry"].tolist()
