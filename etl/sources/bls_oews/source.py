"""BLS OEWS: official employment and wage percentiles per area x industry x occupation (US)."""

from __future__ import annotations

import contextlib
import csv
import gzip
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import countries, progress
from etl.config import Settings
from etl.sources.base import (
    Inflated,
    Normalized,
    Raw,
    RawFile,
    RawFiles,
    Source,
    SourceError,
    max_bytes,
    open_raw,
    read_table,
)
from etl.sources.bls_oews import reader as oews_reader

NAME = "bls_oews"
BASE_URL = "https://download.bls.gov/pub/time.series/oe"
MIRROR_DIR = "bls-oews"
DATA = "oe.data.0.Current"
AREA, OCCUPATION, INDUSTRY = "oe.area", "oe.occupation", "oe.industry"
DATATYPE, FOOTNOTE, RELEASE = "oe.datatype", "oe.footnote", "oe.release"
DATA_COLUMNS = oews_reader.DATA_COLUMNS
LOOKUPS = {
    AREA: ("state_code", "area_code", "areatype_code", "area_name"),
    OCCUPATION: ("occupation_code", "occupation_name", "display_level"),
    INDUSTRY: ("industry_code", "industry_name"),
    DATATYPE: ("datatype_code", "datatype_name"),
    FOOTNOTE: ("footnote_code", "footnote_text"),
    RELEASE: ("release_date", "description"),
}
AREATYPES = {"N": "national", "S": "state", "M": "metro"}
LEVELS = {"0": "major", "1": "minor", "2": "broad", "3": "detailed"}
# datatype code -> output column (oe.datatype names them; the file must list each of these)
DATATYPES = {
    "01": "employment",
    "02": "employment_rse_pct",
    "03": "hourly_mean",
    "04": "annual_mean",
    "05": "wage_rse_pct",
    "06": "hourly_p10",
    "07": "hourly_p25",
    "08": "hourly_median",
    "09": "hourly_p75",
    "10": "hourly_p90",
    "11": "annual_p10",
    "12": "annual_p25",
    "13": "annual_median",
    "14": "annual_p75",
    "15": "annual_p90",
    "16": "employment_per_1000",
    "17": "location_quotient",
}
HOURLY = [c for c in DATATYPES.values() if c.startswith("hourly_")]
ANNUAL = [c for c in DATATYPES.values() if c.startswith("annual_")]
TOP_CODE_FOOTNOTE = "5"
GZIP_MAGIC = oews_reader.GZIP_MAGIC


def files(settings: Settings) -> list[RawFile]:
    data = RawFile(
        name=DATA,
        url=f"{BASE_URL}/{DATA}",
        mirror_path=f"{MIRROR_DIR}/{DATA}",
        required_columns=DATA_COLUMNS,
        separator="\t",
        min_rows=1,
        gzip_ok=True,
    )
    lookups = [
        RawFile(
            name=name,
            url=f"{BASE_URL}/{name}",
            mirror_path=f"{MIRROR_DIR}/{name}",
            required_columns=columns,
            separator="\t",
        )
        for name, columns in LOOKUPS.items()
    ]
    return [*lookups, data]


def _explain(item: Raw, name: str, exc: Exception, cap: int) -> SourceError:
    """A clear error for a data file pyarrow could not read: a gzip body cut short or corrupt, a
    missing last newline, or the first line whose field count differs from the header's. Only
    a broken file comes here; it is read again a chunk at a time (never a whole line, which may
    be gigabytes long), a gzip body against `cap` on its inflated size."""
    width, bad, number, tabs, filled, last = 0, 0, 1, 0, False, b"\n"
    try:
        with _text(item, name, cap) as text:
            while chunk := text.read(1 << 20):
                *ended, rest = chunk.split(b"\n")
                for part in ended:  # the lines this chunk ends: `number` is the current one
                    tabs, filled = tabs + part.count(b"\t"), filled or bool(part.strip())
                    if number == 1:
                        width = tabs
                    elif not bad and filled and tabs != width:
                        bad = number
                    number, tabs, filled = number + 1, 0, False
                tabs, filled = tabs + rest.count(b"\t"), filled or bool(rest.strip())
                last = chunk[-1:]
    except EOFError as cut:
        raise SourceError(f"{name}: the gzip body is cut short (truncated download?)") from cut
    except (zlib.error, gzip.BadGzipFile) as corrupt:
        raise SourceError(f"{name}: the gzip body is corrupt ({corrupt})") from corrupt
    if last not in (b"\n", b"\r"):
        return SourceError(f"{name}: the file does not end with a newline at line {number:,}")
    if bad:
        return SourceError(f"{name}: cannot be parsed as a table (line {bad:,}): {exc}")
    return SourceError(f"{name}: cannot be parsed as a table: {exc}")


@contextlib.contextmanager
def _text(item: Raw, name: str, cap: int) -> Iterator[BinaryIO]:
    """The data file's text, inflated (against `cap`) when it is gzipped, to read in chunks."""
    with open_raw(item) as handle:
        gzipped = handle.read(2) == GZIP_MAGIC
        handle.seek(0)
        if not gzipped:
            yield handle
            return
        with gzip.GzipFile(fileobj=handle) as text:
            yield Inflated(text, cap, f"{name} (gzip)")  # type: ignore[misc]


def _floors(footnotes: pd.DataFrame) -> tuple[float, float]:
    """The top-code floors ($ per hour, $ per year) from footnote 5's own text."""
    text = footnotes.loc[footnotes["footnote_code"] == TOP_CODE_FOOTNOTE, "footnote_text"]
    amounts = re.findall(r"\$([0-9][0-9,]*(?:\.[0-9]+)?)", " ".join(text))
    if len(amounts) < 2:
        raise SourceError(
            f"{FOOTNOTE}: footnote {TOP_CODE_FOOTNOTE} does not state the hourly and annual "
            f"top codes: {' '.join(text)[:120]!r}"
        )
    hourly, annual = (float(a.replace(",", "")) for a in amounts[:2])
    return hourly, annual


def _read(item: Raw, name: str, floors: tuple[float, float]) -> oews_reader.Wide:
    """The data file pivoted to one row per stem (read once, from its snapshot on disk), a clear
    error naming the line when it is not a table."""
    codes = list(DATATYPES)
    floor = {
        i: floors[0] if col in HOURLY else floors[1]
        for i, col in enumerate(DATATYPES.values())
        if col in HOURLY + ANNUAL
    }
    report = progress.bytes_reporter(NAME, name)
    cap = max_bytes(SOURCE)  # on the inflated size too: a small gzip can inflate to gigabytes
    try:
        return oews_reader.read(item, name, codes, TOP_CODE_FOOTNOTE, floor, report, cap)
    except pa.ArrowInvalid as exc:
        raise _explain(item, name, exc, cap) from exc


def _lookup(keys: pa.Array, table: pd.DataFrame, key: str, column: str) -> pa.Array:
    """`column` of `table` for each key (null where the lookup file lacks the key)."""
    index = pc.index_in(keys, value_set=pa.array(table[key].astype(str), pa.string()))
    return pa.array(table[column].astype(object).to_numpy(), pa.string(), from_pandas=True).take(
        index
    )


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: the OEWS flat files -> `occupation_wages`, one row per area x industry x occupation."""
    look = {
        name: read_table(raw, name, cols, separator="\t", quoting=csv.QUOTE_NONE)
        for name, cols in LOOKUPS.items()
    }
    releases = look[RELEASE]["release_date"].tolist()
    missing = sorted(set(DATATYPES) - set(look[DATATYPE]["datatype_code"]))
    if missing:
        raise SourceError(f"{DATATYPE}: lacks datatype codes {missing} that the data file uses")
    wide = _read(raw.get(DATA, b""), DATA, _floors(look[FOOTNOTE]))

    stems = wide.stems.view(np.uint8).reshape(-1, 20)
    part = {
        name: pa.array(np.ascontiguousarray(stems[:, a:b]).view(f"S{b - a}").ravel()).cast(
            pa.string()
        )
        for name, (a, b) in {
            "areatype": (0, 1),
            "area": (1, 8),
            "industry": (8, 14),
            "occupation": (14, 20),
        }.items()
    }
    states = {
        row.state_code: countries.us_state(row.area_name)
        for row in look[AREA].itertuples()
        if row.areatype_code == "S"
    }
    # A metro's state is its main state's (the state code BLS files it under).
    area = look[AREA].assign(state=look[AREA]["state_code"].map(states))
    occupations = look[OCCUPATION].copy()
    occupations["level"] = occupations["display_level"].map(LEVELS)
    occ = part["occupation"]
    level = _lookup(occ, occupations, "occupation_code", "level")
    level = pc.if_else(pc.equal(occ, "000000"), "total", level)
    kinds = pd.DataFrame({"code": list(AREATYPES), "name": list(AREATYPES.values())})
    columns = {
        "source": pa.array([NAME] * len(stems), pa.string()),
        "release": pa.array(wide.stamp, pa.string()),
        "areatype": _lookup(part["areatype"], kinds, "code", "name"),
        "area_code": part["area"],
        "area_name": _lookup(part["area"], area, "area_code", "area_name"),
        "state": _lookup(part["area"], area, "area_code", "state"),
        "industry_code": part["industry"],
        "industry": _lookup(part["industry"], look[INDUSTRY], "industry_code", "industry_name"),
        "occupation_code": pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(occ, 0, 2), pc.utf8_slice_codeunits(occ, 2, 6), "-"
        ),
        "occupation": _lookup(occ, occupations, "occupation_code", "occupation_name"),
        "occupation_level": level,
        **{
            column: pa.array(wide.values[i], pa.float64(), from_pandas=True)
            for i, column in enumerate(DATATYPES.values())
        },
        "top_coded": pa.array(wide.top_coded, pa.bool_()),
        "footnotes": pa.array(wide.footnotes, pa.string()),
    }
    # Handed over as Arrow: validated and written without ever becoming a pandas frame.
    out = pa.table(columns)
    release = releases[0] if releases else None
    by_areatype = {
        row["values"]: row["counts"] for row in pc.value_counts(out["areatype"]).to_pylist()
    }
    rejected = wide.rejected
    stats = {
        "rows_in": wide.rows_in,
        "values_kept": wide.rows_in - sum(wide.reason_counts.values()),
        "values_rejected": {k: v for k, v in wide.reason_counts.items() if v},
        "rows_out_by_areatype": {k: int(v) for k, v in sorted(by_areatype.items())},
        "top_coded_rows": int(pc.sum(out["top_coded"]).as_py() or 0),
        "as_of": _as_of(look[RELEASE]),
        "release": release,
    }
    return Normalized(
        tables={"occupation_wages": out},
        rejected={"occupation_wages": rejected} if len(rejected) else {},
        stats=stats,
    )


def _as_of(releases: pd.DataFrame) -> str | None:
    """`May 2025` (release 2025A01) -> `2025-05`: the survey's reference month."""
    for text in releases["description"]:
        found = re.match(r"^\s*([A-Za-z]+)\s+(\d{4})\s*$", text)
        if found:
            month = pd.to_datetime(f"1 {found.group(1)} {found.group(2)}", errors="coerce")
            if not pd.isna(month):
                return month.strftime("%Y-%m")
    return None


SOURCE = Source(
    name=NAME,
    title="BLS Occupational Employment and Wage Statistics (OEWS), May 2025",
    homepage="https://www.bls.gov/oes/",
    licence="Public domain (U.S. federal government work)",
    licence_url="https://www.bls.gov/opub/copyright-information.htm",
    attribution="U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics",
    tables=("occupation_wages",),
    files=files,
    normalize=normalize,
    version=1,
    max_mb=800,  # the data file is 331 MB uncompressed, as BLS serves it
)
