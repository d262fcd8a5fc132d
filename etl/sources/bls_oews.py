"""BLS OEWS: official employment and wage percentiles per area x industry x occupation (US)."""

from __future__ import annotations

import csv
import re
import zlib
from typing import Any

import pandas as pd

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


def _header(data: bytes, name: str) -> list[str]:
    """The data file's column names (BLS pads them with spaces), read from its first line."""
    head = data[: 1 << 16]
    if data.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error as exc:
            raise SourceError(f"{name}: the gzip body is corrupt ({exc})") from exc
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    header = [h.strip() for h in first.split("\t")]
    if header[: len(DATA_COLUMNS)] != list(DATA_COLUMNS):
        raise SourceError(
            f"{name}: line 1 is not the expected header {list(DATA_COLUMNS)}: {header[:8]}"
        )
    return header


def _explain(data: bytes, name: str, exc: Exception) -> SourceError:
    """A clear error for a data file DuckDB could not read: cut-short gzip, a missing last
    newline, or the first line whose field count differs from the header's."""
    text = decompress(data, name)  # raises for a gzip body that is cut short or corrupt
    if not text.endswith((b"\n", b"\r")):
        last = text.count(b"\n") + 1
        return SourceError(f"{name}: the file does not end with a newline at line {last:,}")
    lines = text.split(b"\n")
    width = lines[0].count(b"\t")
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() and line.count(b"\t") != width:
            return SourceError(f"{name}: cannot be parsed as a table (line {number:,}): {exc}")
    return SourceError(f"{name}: cannot be parsed as a table: {exc}")


def _load(con: Any, data: bytes, name: str, on_progress: Any) -> int:
    """The data file into DuckDB table `raw_values` (trimmed strings), read by DuckDB's parallel
    CSV reader straight from the bytes as they came (gzipped or not); returns the rows read."""
    import tempfile
    import threading

    header = _header(data, name)
    if not data.startswith(GZIP_MAGIC) and not data.endswith((b"\n", b"\r")):
        raise _explain(data, name, ValueError("no final newline"))
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in header)
    with tempfile.NamedTemporaryFile(suffix=".gz" if data.startswith(GZIP_MAGIC) else ".tsv") as f:
        f.write(data)
        f.flush()
        quoted = [(rule, text.replace("'", "''")) for rule, text in REASONS]
        case = " ".join(f"WHEN {rule} THEN '{text}'" for rule, text in quoted)
        # One pass: read, trim, and say why a value cannot be used (NULL when it can).
        query = (
            f"CREATE TABLE raw_values AS SELECT *, CASE {case} END AS reason FROM ("
            "SELECT trim(series_id) AS series_id, trim(year) AS year,"
            " trim(period) AS period, trim(value) AS value,"
            " coalesce(trim(footnote_codes), '') AS footnote_codes"
            f" FROM read_csv('{f.name}', delim = '\t', header = true, auto_detect = false,"
            f" columns = {{{columns}}}, quote = '', escape = '', compression = 'auto',"
            " null_padding = false, strict_mode = true))"
        )
        done = threading.Event()

        def watch() -> None:  # DuckDB reports how far a query is; pass it on as bytes read
            while not done.wait(0.25):
                share = con.query_progress()
                if share and share > 0:
                    on_progress(int(len(data) * min(share, 100) / 100), len(data))

        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        on_progress(0, len(data))
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            con.execute(query)
        except Exception as exc:  # noqa: BLE001 (every DuckDB read error becomes a SourceError)
            raise _explain(data, name, exc) from exc
        finally:
            done.set()
            watcher.join()
        on_progress(len(data), len(data))
    return int(con.sql("SELECT count(*) FROM raw_values").fetchall()[0][0])


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


def _sql_list(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in values)


# Why a value cannot be used, in order: the first failing rule names the row.
REASONS = (
    (f"length(series_id) <> {SERIES_ID_LENGTH}", "series_id: not 25 characters"),
    ("NOT starts_with(series_id, 'OEU')", "series_id: does not start with OEU"),
    (f"substr(series_id, 4, 1) NOT IN ({_sql_list(AREATYPES)})", "areatype: unknown code"),
    (f"substr(series_id, 24, 2) NOT IN ({_sql_list(DATATYPES)})", "datatype: unknown code"),
    (
        f"value <> '-' AND NOT regexp_full_match(value, '{NUMBER[1:-1]}')",
        "value: not a number and not '-'",
    ),
)


def _reasons(con: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    """The raw values that cannot be used, with their reason, and the count per reason."""
    rejected = con.sql(
        "SELECT series_id, year, period, value, footnote_codes, reason FROM raw_values"
        " WHERE reason IS NOT NULL ORDER BY series_id, reason"
    ).df()
    counts = rejected["reason"].value_counts().to_dict()
    return rejected, {text: int(counts.get(text, 0)) for _, text in REASONS}


def _wide(con: Any, floors: tuple[float, float]) -> pd.DataFrame:
    """One row per area x industry x occupation, a column per datatype (one DuckDB pivot)."""
    hourly_floor, annual_floor = floors
    top = f"footnote_codes LIKE '%{TOP_CODE_FOOTNOTE}%'"
    pivots = []
    for code, column in DATATYPES.items():
        floor = hourly_floor if column in HOURLY else annual_floor if column in ANNUAL else None
        value = "number"
        if floor is not None:
            # A top-coded wage is published as '-' with footnote 5: keep the floor it is at or
            # above (the top_coded flag says so), never a made-up figure.
            value = f"COALESCE(number, CASE WHEN {top} THEN {floor} END)"
        pivots.append(f"MAX({value}) FILTER (WHERE datatype = '{code}') AS {column}")
    wage_codes = _sql_list(c for c, col in DATATYPES.items() if col in HOURLY + ANNUAL)
    return con.sql(
        "WITH v AS (SELECT substr(series_id, 4, 1) AS areatype,"
        " substr(series_id, 5, 7) AS area_code, substr(series_id, 12, 6) AS industry_code,"
        " substr(series_id, 18, 6) AS occupation, substr(series_id, 24, 2) AS datatype,"
        " year || period AS stamp, TRY_CAST(NULLIF(value, '-') AS DOUBLE) AS number,"
        " footnote_codes FROM raw_values WHERE reason IS NULL)"
        " SELECT areatype, area_code, industry_code, occupation, MIN(stamp) AS stamp, "
        + ", ".join(pivots)
        + f", BOOL_OR(number IS NULL AND {top} AND datatype IN ({wage_codes})) AS top_coded"
        ", STRING_AGG(DISTINCT NULLIF(footnote_codes, ''), ';'"
        " ORDER BY NULLIF(footnote_codes, '')) AS footnotes"
        " FROM v GROUP BY ALL"
        # DuckDB reads in parallel: the order is fixed here so that a refresh is reproducible
        " ORDER BY areatype, area_code, industry_code, occupation"
    ).df()


def normalize(raw: dict[str, bytes], settings: Settings) -> Normalized:
    """Pure: the OEWS flat files -> `occupation_wages`, one row per area x industry x occupation."""
    look = {
        name: read_table(raw, name, cols, separator="\t", quoting=csv.QUOTE_NONE)
        for name, cols in LOOKUPS.items()
    }
    releases = look[RELEASE]["release_date"].tolist()
    missing = sorted(set(DATATYPES) - set(look[DATATYPE]["datatype_code"]))
    if missing:
        raise SourceError(f"{DATATYPE}: lacks datatype codes {missing} that the data file uses")
    floors = _floors(look[FOOTNOTE])
    import duckdb

    # A cap keeps the whole refresh well under 1.5 GB: DuckDB spills to disk rather than grow.
    con = duckdb.connect(config={"memory_limit": "600MB"})
    try:
        rows_in = _load(con, raw.get(DATA, b""), DATA, progress.bytes_reporter(NAME, DATA))
        rejected, reason_counts = _reasons(con)
        wide = _wide(con, floors)
    finally:
        con.close()

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
)
