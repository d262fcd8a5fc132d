"""BLS OEWS from the mirror: the published figures equal an independent read of the raw file."""

from __future__ import annotations

import gzip
import io

import pandas as pd
import pytest

from tests.integration.conftest import SHARED

pytestmark = pytest.mark.integration

RAW = SHARED / "bls-oews" / "oe.data.0.Current.gz"


@pytest.fixture(scope="module")
def raw_values() -> pd.DataFrame:
    """The raw data file read with plain pandas, nothing shared with the ETL."""
    if not RAW.is_file():
        pytest.skip(f"no OEWS data file at {RAW}")
    with gzip.open(RAW, "rb") as handle:
        frame = pd.read_csv(io.BytesIO(handle.read()), sep="\t", dtype=str)
    frame.columns = [c.strip() for c in frame.columns]
    frame["series_id"] = frame["series_id"].str.strip()
    frame["value"] = frame["value"].str.strip()
    return frame.set_index("series_id")


def _raw(raw_values: pd.DataFrame, area: str, occupation: str, datatype: str) -> float:
    areatype = "N" if area == "0000000" else "S"
    value = raw_values.loc[f"OEU{areatype}{area}000000{occupation}{datatype}", "value"]
    return float(value)


@pytest.mark.parametrize(
    ("area", "state", "occupation", "code"),
    [
        ("0000000", None, "152051", "15-2051"),  # Data Scientists, national
        ("0000000", None, "151252", "15-1252"),  # Software Developers, national
        ("0600000", "US-CA", "152051", "15-2051"),  # Data Scientists, California
    ],
)
def test_published_wages_equal_the_raw_file(full, raw_values, area, state, occupation, code):
    wages = full.table("occupation_wages")
    row = wages[
        (wages.area_code == area)
        & (wages.industry_code == "000000")
        & (wages.occupation_code == code)
    ]
    assert len(row) == 1
    row = row.iloc[0]
    assert row.employment == _raw(raw_values, area, occupation, "01")
    assert row.annual_median == _raw(raw_values, area, occupation, "13")
    assert row.annual_p10 == _raw(raw_values, area, occupation, "11")
    assert row.hourly_median == _raw(raw_values, area, occupation, "08")
    assert (row.state if state else None) == state
    assert row.areatype == ("national" if area == "0000000" else "state")


def test_every_value_is_kept_and_counted(full, raw_values):
    entry = full.manifest["sources"]["bls_oews"]
    assert entry["rows_in"] == len(raw_values) == 6_023_970
    assert entry["values_kept"] == 6_023_970 and entry["values_rejected"] == {}
    assert entry["as_of"] == "2025-05" and entry["release"] == "2025A01"
    assert entry["quarantined"]["rows"] == 0
    wages = full.table("occupation_wages")
    assert entry["rows_out"]["occupation_wages"] == len(wages)
    by_type = wages.areatype.value_counts().to_dict()
    assert by_type == entry["rows_out_by_areatype"]
    # every series (area x industry x occupation) of the file is one row
    series = raw_values.index.str[3:23].nunique()
    assert len(wages) == series


def test_top_coded_wages_hold_the_floor_and_say_so(full, raw_values):
    wages = full.table("occupation_wages")
    top = wages[wages.top_coded]
    assert len(top) > 0
    annual = [f"annual_{p}" for p in ("p10", "p25", "median", "p75", "p90")]
    hourly = [f"hourly_{p}" for p in ("p10", "p25", "median", "p75", "p90")]
    at_floor = (top[annual] == 239_200).any(axis=1) | (top[hourly] == 115.0).any(axis=1)
    assert at_floor.all()
    assert top.footnotes.str.contains("5").all()
    # nothing above the floor was invented: the raw '-' with footnote 5 is the only source
    dashes = raw_values[(raw_values.value == "-") & raw_values.footnote_codes.str.contains("5")]
    assert len(dashes) > 0
