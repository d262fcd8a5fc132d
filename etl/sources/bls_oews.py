"""BLS OEWS: official employment and wage percentiles per area x industry x occupation (US)."""

from __future__ import annotations

import csv
import re
import zlib
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl import countries, progress
from etl.config import Settings
from etl.sources.base import Normalized, RawFile, Source, SourceError, read_table

NAME = "bls_oews"
BASE_URL = "https://download.bls.gov/pub/time.series/oe"
MIRROR_DIR = "bls-oews"
DATA = "oe.data.0.Current"
AREA, OCCUPATION, INDUSTRY = "oe.area", "oe.occupation", "oe.industry"
DATATYPE, FOOTNOTE, RELEASE = "oe.datatype", "oe.footnote", "oe.release"
DATA_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")
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
SERIES_ID_LENGTH = 25
TOP_CODE_FOOTNOTE = "5"
NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"
GZIP_MAGIC = b"\x1f\x8b"


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


def decompress(data: bytes, name: str) -> bytes:
    """The file's text bytes: gunzipped when it came gzipped (the mirror), as is otherwise."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        text = inflater.decompress(data) + inflater.flush()
    except zlib.error as exc:
        raise SourceError(f"{name}: the gzip body is corrupt ({exc})") from exc
    if not inflater.eof:
        raise SourceError(f"{name}: the gzip body is cut short (truncated download?)")
    return text


def _text_checks(text: bytes, name: str) -> None:
    if not text.endswith((b"\n", b"\r")):
        last = text.count(b"\n") + 1
        raise SourceError(f"{name}: the file does not end with a newline at line {last:,}")


def _parse_data(text: bytes, name: str, on_progress: Any) -> pa.Table:
    """The data file as five string columns, read in blocks (progress per block)."""
    # BLS pads the header names with spaces: check them by name, then read by position.
    header = [
        h.strip() for h in text[:512].split(b"\n", 1)[0].decode("utf-8", "replace").split("\t")
    ]
    if header[: len(DATA_COLUMNS)] != list(DATA_COLUMNS):
        raise SourceError(
            f"{name}: line 1 is not the expected header {list(DATA_COLUMNS)}: {header}"
        )
    read = pacsv.ReadOptions(block_size=16 << 20, skip_rows=1, column_names=header)
    parse = pacsv.ParseOptions(delimiter="\t", quote_char=False)
    convert = pacsv.ConvertOptions(
        column_types={c: pa.string() for c in header},
        include_columns=list(DATA_COLUMNS),
        strings_can_be_null=False,
    )
    try:
        reader = pacsv.open_csv(
            pa.BufferReader(text), read_options=read, parse_options=parse, convert_options=convert
        )
        batches, done = [], 0
        total = len(text)
        for batch in reader:
            batches.append(batch)
            done = min(total, done + batch.nbytes)
            on_progress(done, total)
        on_progress(total, total)
        return pa.Table.from_batches(batches, schema=reader.schema)
    except (pa.ArrowInvalid, KeyError) as exc:
        line = _bad_line(text)
        where = f" (line {line:,})" if line else ""
        raise SourceError(f"{name}: cannot be parsed as a table{where}: {exc}") from exc


def _bad_line(text: bytes) -> int | None:
    """The first line whose field count differs from the header's (for the error message)."""
    lines = text.split(b"\n")
    width = lines[0].count(b"\t")
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() and line.count(b"\t") != width:
            return number
    return None


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


def _long(table: pa.Table) -> tuple[pa.Table, pa.Table, dict[str, int]]:
    """(decoded values, rejected rows with a reason, counts) from the raw long table."""
    series = pc.utf8_trim_whitespace(table["series_id"])
    value = pc.utf8_trim_whitespace(table["value"])
    notes = pc.utf8_trim_whitespace(table["footnote_codes"])
    length = pc.utf8_length(series)
    areatype = pc.utf8_slice_codeunits(series, 3, 4)
    datatype = pc.utf8_slice_codeunits(series, 23, 25)
    dash = pc.equal(value, "-")
    number = pc.match_substring_regex(value, NUMBER)
    reasons = [
        (pc.not_equal(length, SERIES_ID_LENGTH), "series_id: not 25 characters"),
        (pc.invert(pc.starts_with(series, "OEU")), "series_id: does not start with OEU"),
        (pc.invert(pc.is_in(areatype, pa.array(list(AREATYPES)))), "areatype: unknown code"),
        (pc.invert(pc.is_in(datatype, pa.array(list(DATATYPES)))), "datatype: unknown code"),
        (pc.invert(pc.or_(dash, number)), "value: not a number and not '-'"),
    ]
    reason = pa.nulls(len(table), pa.string())
    for bad, text in reversed(reasons):  # the first failing rule names the row
        reason = pc.if_else(bad, pa.scalar(text), reason)
    bad_row = pc.is_valid(reason)
    counts = {}
    for _, text in reasons:
        counts[text] = int(pc.sum(pc.equal(reason, text)).as_py() or 0)
    rejected = table.filter(bad_row).append_column("reason", reason.filter(bad_row))
    keep = pc.invert(bad_row)
    values = pc.if_else(number, value, pa.scalar(None, pa.string()))
    decoded = pa.table(
        {
            "areatype": areatype.filter(keep),
            "area_code": pc.utf8_slice_codeunits(series, 4, 11).filter(keep),
            "industry_code": pc.utf8_slice_codeunits(series, 11, 17).filter(keep),
            "occupation": pc.utf8_slice_codeunits(series, 17, 23).filter(keep),
            "datatype": datatype.filter(keep),
            "year": pc.utf8_trim_whitespace(table["year"]).filter(keep),
            "period": pc.utf8_trim_whitespace(table["period"]).filter(keep),
            "value": pc.cast(values.filter(keep), pa.float64()),
            "notes": notes.filter(keep),
        }
    )
    return decoded, rejected, counts


def _wide(decoded: pa.Table, floors: tuple[float, float]) -> pd.DataFrame:
    """One row per area x industry x occupation, a column per datatype (DuckDB pivot)."""
    import duckdb

    hourly_floor, annual_floor = floors
    pivots = []
    for code, column in DATATYPES.items():
        floor = hourly_floor if column in HOURLY else annual_floor if column in ANNUAL else None
        value = "value"
        if floor is not None:
            # A top-coded wage is published as '-' with footnote 5: keep the floor it is at or
            # above (the top_coded flag says so), never a made-up figure.
            value = (
                f"COALESCE(value, CASE WHEN notes LIKE '%{TOP_CODE_FOOTNOTE}%' THEN {floor} END)"
            )
        pivots.append(f"MAX({value}) FILTER (WHERE datatype = '{code}') AS {column}")
    wage_codes = ", ".join(f"'{c}'" for c, col in DATATYPES.items() if col in HOURLY + ANNUAL)
    con = duckdb.connect()
    try:
        con.register("decoded", decoded)
        return con.sql(
            "SELECT areatype, area_code, industry_code, occupation, MIN(year || period) AS stamp, "
            + ", ".join(pivots)
            + f", BOOL_OR(value IS NULL AND notes LIKE '%{TOP_CODE_FOOTNOTE}%'"
            f" AND datatype IN ({wage_codes})) AS top_coded"
            ", STRING_AGG(DISTINCT NULLIF(notes, ''), ';' ORDER BY NULLIF(notes, ''))"
            " AS footnotes"
            " FROM decoded GROUP BY ALL"
        ).df()
    finally:
        con.close()


def normalize(raw: dict[str, bytes], settings: Settings) -> Normalized:
    """Pure: the OEWS flat files -> `occupation_wages`, one row per area x industry x occupation."""
    look = {
        name: read_table(raw, name, cols, separator="\t", quoting=csv.QUOTE_NONE)
        for name, cols in LOOKUPS.items()
    }
    text = decompress(raw.get(DATA, b""), DATA)
    _text_checks(text, DATA)
    report = progress.bytes_reporter(NAME, DATA)
    table = _parse_data(text, DATA, report)
    del text
    decoded, rejected, reason_counts = _long(table)
    rows_in = len(table)
    del table
    releases = look[RELEASE]["release_date"].tolist()
    known = set(look[DATATYPE]["datatype_code"])
    missing = sorted(set(DATATYPES) - known)
    if missing:
        raise SourceError(f"{DATATYPE}: lacks datatype codes {missing} that the data file uses")
    wide = _wide(decoded, _floors(look[FOOTNOTE]))
    del decoded

    areas = look[AREA].set_index("area_code")
    states = {
        row.state_code: countries.us_state(row.area_name)
        for row in look[AREA].itertuples()
        if row.areatype_code == "S"
    }
    occupations = look[OCCUPATION].set_index("occupation_code")
    industries = look[INDUSTRY].set_index("industry_code")["industry_name"]
    occ = wide["occupation"]
    level = occupations["display_level"].map(LEVELS).reindex(occ).to_numpy()
    level = pd.Series(level, index=wide.index).where(occ != "000000", "total")
    area_state = areas["state_code"].reindex(wide["area_code"]).to_numpy()
    out = pd.DataFrame(
        {
            "source": NAME,
            "release": wide["stamp"],  # year + period: 2025 + A01 -> 2025A01, as oe.release
            "areatype": wide["areatype"].map(AREATYPES),
            "area_code": wide["area_code"],
            "area_name": areas["area_name"].reindex(wide["area_code"]).to_numpy(),
            "state": pd.Series(area_state, index=wide.index).map(states),
            "industry_code": wide["industry_code"],
            "industry": industries.reindex(wide["industry_code"]).to_numpy(),
            "occupation_code": occ.str[:2] + "-" + occ.str[2:],
            "occupation": occupations["occupation_name"].reindex(occ).to_numpy(),
            "occupation_level": level,
            **{column: wide[column] for column in DATATYPES.values()},
            "top_coded": wide["top_coded"].fillna(False).astype(bool),
            "footnotes": wide["footnotes"],
        }
    )
    release = releases[0] if releases else None
    by_areatype = out["areatype"].value_counts().to_dict()
    stats = {
        "rows_in": rows_in,
        "values_kept": rows_in - len(rejected),
        "values_rejected": {k: v for k, v in reason_counts.items() if v},
        "rows_out_by_areatype": {k: int(v) for k, v in sorted(by_areatype.items())},
        "top_coded_rows": int(out["top_coded"].sum()),
        "as_of": _as_of(look[RELEASE]),
        "release": release,
    }
    rejected_frame = rejected.to_pandas() if len(rejected) else None
    return Normalized(
        tables={"occupation_wages": out},
        rejected={"occupation_wages": rejected_frame} if rejected_frame is not None else {},
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
)
