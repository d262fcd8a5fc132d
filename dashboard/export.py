"""Exports of exactly the filtered rows: CSV (UTF-8), Excel (Data + About), Parquet (metadata)."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

# A spreadsheet runs a cell starting with these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Full-width forms some spreadsheets read as their ASCII originals (= + - @).
WIDE_FORMULA_START = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters a spreadsheet skips before it looks for a formula: spaces, no-break and ideographic
# spaces, zero-width characters and the byte order mark.
INVISIBLE = " \u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"


def risky_text(value: Any) -> bool:
    """True for text a spreadsheet could run as a formula: it starts with = + - @ (or their
    full-width forms), a tab or a carriage return, after any invisible lead-in."""
    if not isinstance(value, str):
        return False
    if value.startswith(FORMULA_START):
        return True
    bare = value.lstrip(INVISIBLE)
    return bare.startswith(FORMULA_START + WIDE_FORMULA_START)


METADATA_KEY = "jobmarket.about"
FORMATS = {
    "csv": ("CSV (UTF-8)", "text/csv"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", "application/vnd.apache.parquet"),
}


@dataclass(frozen=True)
class About:
    """What an export says about itself: the view, its sources and licences, the filters."""

    title: str
    table: str
    sources: tuple[Mapping[str, Any], ...] = ()
    filters: Mapping[str, str] = field(default_factory=dict)
    data_version: str = ""
    refreshed_at: str = ""
    exported_at: str = field(
        default_factory=lambda: datetime.now(UTC).replace(microsecond=0).isoformat()
    )

    def as_dict(self, rows: int) -> dict[str, Any]:
        return {
            "title": self.title,
            "table": self.table,
            "row_count": rows,
            "filters": dict(self.filters) or {"(none)": "all rows"},
            "sources": [
                {
                    k: s.get(k)
                    for k in ("name", "title", "url", "licence", "licence_url", "attribution")
                }
                | {"as_of": s.get("as_of") or s.get("as_of_note") or "undated"}
                for s in self.sources
            ],
            "data_version": self.data_version,
            "data_refreshed_at": self.refreshed_at,
            "exported_at": self.exported_at,
        }

    def rows(self, rows: int) -> list[tuple[str, str]]:
        """The About sheet, as (field, value) lines a person reads top to bottom."""
        info = self.as_dict(rows)
        lines = [
            ("Title", info["title"]),
            ("Table", info["table"]),
            ("Rows", f"{rows}"),
            ("Exported at (UTC)", info["exported_at"]),
            ("Data version", info["data_version"]),
            ("Data refreshed at (UTC)", info["data_refreshed_at"]),
        ]
        for name, value in info["filters"].items():
            lines.append((f"Filter: {name}", value))
        for src in info["sources"]:
            tag = f"Source {src['name']}"
            lines += [
                (tag, src["title"] or ""),
                (f"{tag}: licence", f"{src['licence']} ({src['licence_url']})"),
                (f"{tag}: attribution", src["attribution"] or ""),
                (f"{tag}: URL", src["url"] or ""),
                (f"{tag}: as of", str(src["as_of"])),
            ]
        return lines


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _one_line_end(value: Any) -> Any:
    # A lone carriage return is not the CSV's line end, so the writer would leave the cell
    # unquoted and a reader would split the record there (its tail becoming a live cell).
    # As "\n" it is the line end, and the writer quotes the whole cell.
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with `'` (`risky_text`), and
    write line breaks inside a cell as one kind, so the cell is quoted; numbers stay numbers."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        # Plain booleans: mapping an Arrow string column can keep its Arrow type, which has
        # no `any`.
        values = series.astype(object)
        breaks = pd.Series([isinstance(v, str) and "\r" in v for v in values], dtype=bool)
        risky = pd.Series([bool(risky_text(v)) for v in values], index=series.index, dtype=bool)
        if breaks.any() or risky.any():
            fixed = values.map(_one_line_end)
            out[col] = fixed.where(~risky, "'" + fixed.astype(str))
    return out


# Whole numbers below this are exact in a float64, so writing them as integers loses nothing.
EXACT_INTEGERS = 2.0**53


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns with their whole values as integers (`1687890`, not `1687890.0`): a column
    of whole numbers only becomes Int64 (blanks stay blank), a mixed one writes each whole
    value as an integer and the others as they are."""
    out = frame
    for col in frame.columns:
        series = frame[col]
        # numpy floats and Arrow-backed ones (pd.ArrowDtype, as the data layer returns them)
        if not pd.api.types.is_float_dtype(series.dtype):
            continue
        values = series.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(values) & (np.abs(values) < EXACT_INTEGERS)
        whole[whole] = values[whole] == np.round(values[whole])
        if not whole.any():
            continue
        out = out if out is not frame else frame.copy()
        if whole.all():  # numpy int64 writes faster than the nullable Int64
            out[col] = values.astype(np.int64)
        elif whole.sum() == series.notna().sum():
            out[col] = series.astype("Int64")
        else:
            mixed = series.astype(object)
            mixed[whole] = [int(v) for v in values[whole]]
            out[col] = mixed
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """The rows as UTF-8 CSV, formula-looking text neutralized, whole numbers written as
    integers (no provenance lines)."""
    return neutralize(whole_numbers(frame)).to_csv(index=False, lineterminator="\n").encode("utf-8")


CSV_FIRST_LINE = "# jobmarket export: the first {n} lines start with # and say what this is;"
CSV_READ_HINT = (
    "# read the rows with pandas.read_csv(path, skiprows={n}) or dashboard.export.read_csv(path)."
)


def csv_with_provenance(frame: pd.DataFrame, about: About) -> bytes:
    """The CSV with its provenance in leading `#` lines: title, filters, sources, licences,
    as-of dates. The first line says how many lines to skip (a CSV has no comment syntax,
    and `comment="#"` would cut titles such as "C# Developer", so readers skip by count)."""
    body = [f"# {k}: {v}".replace("\n", " ").replace("\r", " ") for k, v in about.rows(len(frame))]
    n = len(body) + 2
    head = [CSV_FIRST_LINE.format(n=n), CSV_READ_HINT.format(n=n), *body]
    return ("\n".join(head) + "\n").encode("utf-8") + to_csv(frame)


def provenance_lines(data: bytes) -> int:
    """How many leading provenance lines an exported CSV has (0 for a bare CSV)."""
    first = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    found = re.match(r"# jobmarket export: the first (\d+) lines", first)
    return int(found.group(1)) if found else 0


def read_csv(source: bytes | str | os.PathLike[str], **kwargs: Any) -> pd.DataFrame:
    """An exported CSV's rows, its provenance lines skipped: `source` is the file's path or
    its bytes (`kwargs` go to pandas.read_csv)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return pd.read_csv(io.BytesIO(data), skiprows=provenance_lines(data), **kwargs)


def file_stem(table: str, parts: Sequence[object]) -> str:
    """`salaries_US_Senior_2024`: a file name that says what the export holds."""
    words = [re.sub(r"[^A-Za-z0-9._+-]+", "-", str(p)).strip("-") for p in (table, *parts)]
    stem = "_".join(w for w in words if w)
    return stem[:100].rstrip("_-") or table


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = neutralize(frame)
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            # openpyxl refuses control characters; they carry no meaning in a cell anyway.
            series = series.map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
            )
        out[col] = series.astype(object).where(series.notna(), None)
    return out


def to_xlsx(frame: pd.DataFrame, about: About) -> bytes:
    """A workbook with the rows on `Data` and the provenance on `About`."""
    buffer = io.BytesIO()
    about_frame = pd.DataFrame(about.rows(len(frame)), columns=["field", "value"])
    with pd.ExcelWriter(
        buffer, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD"
    ) as writer:
        _excel_safe(frame).to_excel(writer, sheet_name="Data", index=False)
        _excel_safe(about_frame).to_excel(writer, sheet_name="About", index=False)
        for name, data in (("Data", frame), ("About", about_frame)):
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for i, col in enumerate(data.columns, start=1):
                sample = [len(str(v)) for v in data[col].head(200) if not _missing(v)]
                width = max([len(str(col)), *sample])
                sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 80)
    return buffer.getvalue()


def calendar_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each datetime column whose values are all midnight as dates (a copy when
    one is)."""
    out = frame
    for col in frame.columns:
        series = frame[col]
        if not (isinstance(series.dtype, np.dtype) and series.dtype.kind == "M"):
            continue
        values = series.dropna()
        if (values == values.dt.normalize()).all():  # midnight only: calendar dates
            out = out if out is not frame else frame.copy()
            out[col] = series.map(lambda v: v.date() if pd.notna(v) else None).astype(object)
    return out


def to_parquet(frame: pd.DataFrame, about: About) -> bytes:
    """Parquet with the About content in the file's key-value metadata; calendar dates stay
    dates (date32), not timestamps, even when a frame carries them as datetime64."""
    frame = calendar_dates(frame)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    info = about.as_dict(len(frame))
    extra = {
        METADATA_KEY: json.dumps(info, ensure_ascii=False),
        "title": info["title"],
        "row_count": str(len(frame)),
        "filters": json.dumps(info["filters"], ensure_ascii=False),
        "sources": json.dumps(info["sources"], ensure_ascii=False),
        "licences": "; ".join(f"{s['name']}: {s['licence']}" for s in info["sources"]),
        "attribution": " | ".join(s["attribution"] or "" for s in info["sources"]),
        "as_of": "; ".join(f"{s['name']}: {s['as_of']}" for s in info["sources"]),
        "data_version": info["data_version"],
        "exported_at": info["exported_at"],
    }
    metadata = dict(table.schema.metadata or {})
    if any(isinstance(t, pd.ArrowDtype) for t in frame.dtypes):
        # pandas would restore pyarrow-backed dtypes from its metadata; without it a reader
        # maps the Arrow types the usual way, just as for the files in data/processed.
        metadata.pop(b"pandas", None)
    metadata.update({k.encode(): v.encode("utf-8") for k, v in extra.items()})
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer, compression="zstd")
    return buffer.getvalue()


def render(kind: str, frame: pd.DataFrame, about: About) -> bytes:
    if kind == "csv":
        return csv_with_provenance(frame, about)
    if kind == "xlsx":
        return to_xlsx(frame, about)
    if kind == "parquet":
        return to_parquet(frame, about)
    raise ValueError(f"unknown export format {kind!r}; use one of {', '.join(FORMATS)}")


def read_about(parquet_bytes: bytes) -> dict[str, Any]:
    """The About content stored in an exported Parquet file (for checks and round trips)."""
    metadata = pq.read_schema(io.BytesIO(parquet_bytes)).metadata or {}
    return json.loads(metadata[METADATA_KEY.encode()].decode("utf-8"))
