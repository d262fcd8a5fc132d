"""The dashboard's data layer on a small hand-made processed dataset (pandas as the oracle)."""

from __future__ import annotations

import json
import warnings
from datetime import date

import pandas as pd
import pytest

from dashboard import data
from tests.fixtures.dashboard_fixture import build_full, salaries_frame

warnings.filterwarnings("ignore", message="No runtime found")


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return build_full(tmp_path_factory.mktemp("dash-data"))


@pytest.fixture
def snap(full, monkeypatch):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(full))
    current = data.current()
    assert current is not None
    return current


def test_paths_and_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(tmp_path))
    assert data.processed_dir() == tmp_path.resolve() / "processed"
    assert data.current() is None
    monkeypatch.setenv("JOBMARKET_ENGINE", "oracle")
    with pytest.raises(ValueError, match="not supported"):
        data.engine()


def test_snapshot_key_follows_the_version(snap, full):
    assert snap.version in snap.key
    assert str((full / "processed").resolve()) in snap.key
    assert snap.has("salaries") and snap.rows("salaries") == 100


@pytest.mark.parametrize("by", [None, "experience_level", "employee_residence", "work_year"])
def test_salary_stats_match_pandas(snap, full, by):
    query = data.SalaryQuery(countries=("US", "GB"), remote=(0, 100), dedupe=False)
    frame = salaries_frame(full)
    rows = frame.loc[
        frame["employee_residence"].isin(["US", "GB"]) & frame["remote_ratio"].isin([0, 100])
    ]
    got = data.salary_stats(snap.key, query, by)
    groups = [((None,), rows)] if by is None else list(rows.groupby([by]))
    assert len(got) == len(groups)
    for (name,), group in groups:
        row = got.iloc[0] if by is None else got.set_index(by).loc[name]
        assert row["n"] == len(group)
        for p in (10, 25, 50, 75, 90):
            assert row[f"p{p}"] == pytest.approx(group["salary_usd"].quantile(p / 100))


def test_salary_filters_combine(snap, full):
    query = data.SalaryQuery(
        countries=("US",),
        country_field="company_country",
        year_from=2024,
        year_to=2024,
        employment=("Contract",),
        dedupe=False,
    )
    rows = data.salary_rows(snap.key, query)
    assert len(rows) == 8 and set(rows["employee_residence"]) == {"DE"}
    assert query.country_field == "company_country"


def test_empty_filter_gives_empty_results(snap):
    query = data.SalaryQuery(countries=("IN",), dedupe=False)
    assert data.salary_stats(snap.key, query).empty
    assert data.salary_stats(snap.key, query, "experience_level").empty
    assert data.salary_rows(snap.key, query).empty


def test_openings_latest_and_series(snap):
    latest = data.openings_latest(snap.key, "postings_index_sa", "total", ("US", "EA"))
    assert latest["country"].tolist() == ["EA", "US"]
    assert set(latest["date"].dt.date) == {date(2021, 12, 1)}
    assert latest.set_index("country").loc["US", "value"] == 100 + 5 * 22
    capped = data.openings_latest(
        snap.key, "postings_index_sa", "total", ("US",), date(2020, 3, 15)
    )
    assert capped["date"].iloc[0].date() == date(2020, 3, 1)
    seed = data.openings_latest(snap.key, "job_openings", None, ())
    assert seed["country"].tolist() == ["GB", "IN", "US"] and seed["date"].isna().all()
    series = data.openings_series(
        snap.key, ("postings_index_nsa",), ("new",), ("GB",), date(2020, 6, 1), date(2020, 8, 1)
    )
    assert len(series) == 3 and set(series["posting_type"]) == {"new"}


def test_sectors_skills_education(snap):
    sectors = data.sector_series(snap.key, ("US",), ("Mathematics",), None, None)
    assert len(sectors) == 23 and set(sectors["sector"]) == {"Mathematics"}
    assert data.sector_titles(snap.key)["sector"].tolist()[0] == "Software Development"
    skills = data.skills_for(snap.key, ("15-2051.00",), hot_only=True)
    assert sorted(skills["skill"]) == ["Python", "Structured query language SQL", "Tableau"]
    ranking = data.hot_ranking(snap.key)
    assert ranking.iloc[0].to_dict() == {
        "skill": "Python",
        "occupations": 3,
        "in_demand_occupations": 2,
    }
    # Excel, hot for the BI analysts (15-) and every nurse, is a generic office tool: left
    # out by the Overview's rule, as on the Overview
    assert "Microsoft Excel" not in set(ranking["skill"])
    assert data.generic_technologies(snap.key) == ("Microsoft Excel",)
    among = data.hot_among(snap.key, ("15-2051.00", "15-1252.00"))
    assert among.iloc[0]["skill"] == "Python" and among.iloc[0]["chosen"] == 2
    # Excel is hot for the nurses too (every occupation outside computer & math here):
    # generic, so it ranks after every specific technology, whatever its counts.
    bi = data.hot_among(snap.key, ("15-2051.01",))
    assert bi["skill"].tolist() == [
        "Structured query language SQL",
        "Tableau",
        "Microsoft Excel",
    ]
    assert bi["generic"].tolist() == [False, False, True]
    assert data.hot_totals(snap.key) == {"all": 5, "tech": 4}
    edu = data.education_for(snap.key, ("15-2051.01", "15-2051.00"))
    assert set(edu["occupation_code"]) == {"15-2051.01"}
    assert data.seed_rows(snap.key, "education")["occupation"].unique().tolist() == [
        "Machine Learning Engineer"
    ]


def test_missing_table_is_empty_not_an_error(snap, tmp_path, monkeypatch):
    assert data.small_table(snap.key, "no_such_table").empty
    assert data.distinct(snap.key, "no_such_table", "x") == []


def test_refresh_is_picked_up(tmp_path, monkeypatch):
    """A new version (symlink swap) changes the key, so cached results are not reused."""
    root = build_full(tmp_path / "d")
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(root))
    first = data.current()
    n1 = data.salary_stats(first.key, data.SalaryQuery(dedupe=False))["n"].iloc[0]
    build_full(root)  # publishes a second version
    second = data.current()
    assert second.key != first.key
    assert data.salary_stats(second.key, data.SalaryQuery(dedupe=False))["n"].iloc[0] == n1
    manifest = json.loads((root / "processed" / "manifest.json").read_text())
    assert manifest["version"] == second.version


def test_hive_partitioned_table_is_read(tmp_path, monkeypatch, full):
    """A table published as a folder of partitions (the scale path) reads the same."""
    src = (full / "processed").resolve()
    out = tmp_path / "processed"
    out.mkdir()
    manifest = json.loads((src / "manifest.json").read_text())
    for info in manifest["tables"].values():
        (out / info["file"]).write_bytes((src / info["file"]).read_bytes())
    frame = pd.read_parquet(src / "salaries.parquet")
    (out / "salaries.parquet").unlink()
    frame.to_parquet(out / "salaries", partition_cols=["work_year"])
    manifest["tables"]["salaries"]["file"] = "salaries"
    manifest["version"] = "hive-test"
    (out / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(tmp_path))
    snap = data.current()
    got = data.salary_stats(snap.key, data.SalaryQuery(year_from=2024, year_to=2024, dedupe=False))
    assert got["n"].iloc[0] == (frame["work_year"] == 2024).sum()


class _Builder:
    """A stand-in for SparkSession.builder that records how it was set up."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def appName(self, name: str) -> _Builder:  # noqa: N802 (Spark's own spelling)
        self.calls.append(("appName", name))
        return self

    def master(self, url: str) -> _Builder:
        self.calls.append(("master", url))
        return self

    def remote(self, url: str) -> _Builder:
        self.calls.append(("remote", url))
        return self

    def getOrCreate(self) -> list[tuple[str, str]]:  # noqa: N802
        return self.calls


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, ("master", "local[*]")),
        ("spark://cluster:7077", ("master", "spark://cluster:7077")),
        ("sc://connect:15002", ("remote", "sc://connect:15002")),
    ],
)
def test_the_spark_master_is_a_setting(monkeypatch, setting, expected):
    from dashboard.data import core
    from dashboard.data.core import spark_session

    if setting is None:
        monkeypatch.delenv("JOBMARKET_SPARK_MASTER", raising=False)
    else:
        monkeypatch.setenv("JOBMARKET_SPARK_MASTER", setting)
    session_class = type("Session", (), {"builder": _Builder()})
    monkeypatch.setattr(core, "_executors_within", lambda *_: True)  # a cluster's executor is up
    assert spark_session(session_class)[-1] == expected


def test_exports_bypass_the_cache_and_queries_use_it(monkeypatch):
    import streamlit
    from streamlit import runtime

    from dashboard.data.core import cached

    def memo(**_options):  # st.cache_data's behaviour, without a Streamlit server
        def wrap(fn):
            store = {}

            def call(*args, **kwargs):
                key = (args, tuple(sorted(kwargs.items())))
                if key not in store:
                    store[key] = fn(*args, **kwargs)
                return store[key]

            call.clear = store.clear
            return call

        return wrap

    monkeypatch.setattr(streamlit, "cache_data", memo)

    calls: list[bool] = []

    @cached(max_entries=4)
    def query(key: str, exact: bool = False) -> pd.DataFrame:
        calls.append(exact)
        return pd.DataFrame({"call": [len(calls)]})

    monkeypatch.setattr(runtime, "exists", lambda: True)  # as inside `streamlit run`
    assert query("k").equals(query("k")) and calls == [False]  # the second came from the cache
    query("k", exact=True)
    query("k", exact=True)
    assert calls == [False, True, True]  # an export is built on every click, never cached
    monkeypatch.setattr(runtime, "exists", lambda: False)  # a script or the bench
    query("k")
    assert calls == [False, True, True, False]
    query.clear()


def test_a_uri_data_root_is_read_through_the_engine(tmp_path, monkeypatch) -> None:
    from tests.fixtures.dashboard_fixture import build_full

    root = build_full(tmp_path / "data")
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(root))
    local = data.current()
    want = data.salary_stats.uncached(local.key, data.SalaryQuery(dedupe=False), "experience_level")
    monkeypatch.setenv("JOBMARKET_DATA_DIR", f"file://{root}/")
    remote = data.current()
    assert remote.key.startswith(f"file://{root}/processed#") and remote.version == local.version
    got = data.salary_stats.uncached(remote.key, data.SalaryQuery(dedupe=False), "experience_level")
    assert got.equals(want)
    assert len(data.salary_rows(remote.key, data.SalaryQuery(countries=("US",), dedupe=False))) > 0
    ok, message = data.build_seed()  # a URI root is never written to
    assert not ok and "is a URI" in message
    monkeypatch.setenv("JOBMARKET_DATA_DIR", f"file://{tmp_path}/nothing")
    assert data.current() is None


def test_oews_occupations_wages_and_the_join_to_onet_on_soc(snap) -> None:
    occupations = data.wage_occupations(snap.key)
    # national, all industries, detailed; grouped by major group, then by title
    assert occupations["occupation_code"].tolist() == ["15-2051", "15-1252"]
    assert occupations.set_index("occupation_code").loc["15-2051", "occupation"] == (
        "Data Scientists"
    )
    national = data.wages_for(snap.key, ("15-2051", "15-1252"))
    assert national.set_index("occupation_code").loc["15-2051", "annual_median"] == 114_010
    states = data.wages_for(snap.key, ("15-2051",), "state")
    assert states[["state", "annual_median"]].values.tolist() == [["US-CA", 146_450]]
    assert data.wages_for(snap.key, ()).empty
    # the 7-character SOC code joins O*NET's codes, suffixes and all
    assert data.soc_of("15-2051.01") == "15-2051"
    assert data.onet_codes(snap.key, "15-2051") == ("15-2051.00", "15-2051.01")
    assert data.onet_codes(snap.key, "15-1252") == ("15-1252.00",)
    assert data.onet_codes(snap.key, "25-3041") == ()  # O*NET has no row for it here
    skills = data.skills_for(snap.key, data.onet_codes(snap.key, "15-2051"))
    assert {"Python", "SAS"} <= set(skills["skill"])


def test_oews_industries_metros_states_and_the_family_mapping(snap) -> None:
    occupations = data.wage_occupations(snap.key)
    assert set(occupations["major"]) == {"Computer and Mathematical Occupations"}
    industries = data.industries_for(snap.key, "15-2051")
    # sectors first, then 4-digit groups; shares of the cross-industry employment (245,900)
    assert industries[["kind", "industry_code", "share_pct"]].values.tolist() == [
        ["sector", "54--55", 28.5],
        ["group", "541500", 11.0],
    ]
    assert industries["industry"].iloc[0] == "Professional, Scientific, and Technical Services"
    assert data.industries_for(snap.key, "25-3041").empty
    metros = data.metro_wages(snap.key, "15-2051")
    assert metros["area_name"].tolist() == ["San Francisco-Oakland-Fremont, CA"]
    assert data.metro_wages(snap.key, "15-2051", "US-CA")["state"].tolist() == ["US-CA"]
    assert data.metro_wages(snap.key, "15-2051", "US-NY").empty
    assert data.wage_states(snap.key) == {"US-CA": "California"}
    row = metros.iloc[0]
    assert bool(row["top_coded"]) and row["annual_p90"] == 239_200
    assert data.top_coded_stats(row) == ["annual_p90"]
    mapping = data.family_occupations(snap.key)
    # only occupations OEWS has (here 15-2051 and 15-1252), with OEWS's title
    assert set(mapping["occupation_code"]) == {"15-2051", "15-1252"}
    ds = mapping.set_index("job_family").loc["Data Scientist"]
    assert (ds["occupation"], ds["fit"]) == ("Data Scientists", "closest")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("000000", "total"),
        ("000001", "total"),
        ("54--55", "sector"),
        ("99-100", "sector"),
        ("541500", "group"),
        ("541000", "detail"),  # 3-digit subsector
        ("541511", "detail"),
        ("611302", "detail"),  # an ownership split
        ("3250A1", "detail"),
    ],
)
def test_industry_kind_partitions_naics_levels(code: str, kind: str) -> None:
    assert data.industry_kind(code) == kind
