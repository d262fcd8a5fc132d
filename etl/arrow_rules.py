"""The contract's row rules for a table that arrives as typed Arrow (a big source)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.schemas import (
    AFTER_REFRESH,
    TABLES,
    Column,
    TableSchema,
    Text,
    Values,
    after_refresh,
    key_reasons,
    validate,
)

_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.timestamp("ms"),  # as the pandas rules store a date (datetime64[ms])
}


def _typed(raw: pa.ChunkedArray, col: Column) -> pa.Array:
    """The column in its contract type. Arrow input is typed already, so nothing is unreadable:
    a column of another type family is a programming error, not bad data."""
    raw = raw.combine_chunks()
    if pa.types.is_null(raw.type):
        return pa.nulls(len(raw), _TYPES[col.kind])
    kind_ok = {
        "str": pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type),
        "int": pa.types.is_integer(raw.type),
        "float": pa.types.is_floating(raw.type) or pa.types.is_integer(raw.type),
        "bool": pa.types.is_boolean(raw.type),
        "date": pa.types.is_date(raw.type) or pa.types.is_timestamp(raw.type),
    }.get(col.kind, False)
    if not kind_ok:
        raise TypeError(f"column {col.name!r}: {raw.type} cannot hold a {col.kind} column")
    if col.kind == "float":
        raw = raw.cast(pa.float64())
        return pc.if_else(pc.is_nan(raw), pa.scalar(None, pa.float64()), raw)
    return raw.cast(_TYPES[col.kind])


def _text(values: pa.Array, col: Column) -> tuple[pa.Array, list[tuple[pa.Array, str]]]:
    """Text trimmed ('' is null) and its pattern / allowed-value checks, each worked out once per
    distinct value (the big tables repeat a few thousand names) and spread back to the rows."""
    encoded = values.dictionary_encode()
    words = pc.utf8_trim_whitespace(encoded.dictionary)
    words = pc.if_else(pc.equal(words, ""), pa.scalar(None, pa.string()), words)
    checks = []
    if col.allowed is not None:
        bad = pc.invert(pc.is_in(words, value_set=pa.array(col.allowed, pa.string())))
        checks.append((bad, f"{col.name}: not one of {'/'.join(map(str, col.allowed))}"))
    if col.pattern is not None:
        bad = pc.invert(pc.match_substring_regex(words, f"^(?:{col.pattern})$"))
        checks.append((bad, f"{col.name}: does not match {col.pattern}"))
    index = encoded.indices
    return words.take(index), [(bad.take(index), text) for bad, text in checks]


def _key_failures(
    typed: pa.Table, schema: TableSchema, bad_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(mask, reason per row) of the natural key's rule among the rows passing the others. The
    keys are counted in Arrow; only when one repeats are the rows judged in pandas."""
    rows = typed.num_rows
    mask, texts = np.zeros(rows, bool), np.full(rows, "", dtype=object)
    columns = schema.column_names
    fine = typed.select(columns).append_column("_row", pa.array(np.arange(rows)))
    fine = fine.filter(pa.array(~bad_rows))
    counts = fine.group_by(list(schema.key)).aggregate([("_row", "count")])
    if counts.num_rows == fine.num_rows:
        return mask, texts
    frame = fine.to_pandas().set_index("_row")
    reasons = key_reasons(frame[list(schema.key)], frame[columns])
    reasons = reasons[reasons != ""]
    at = reasons.index.to_numpy(dtype=np.int64)
    mask[at] = True
    texts[at] = reasons.to_numpy()
    return mask, texts


def _row_values(columns: dict[str, pa.Array]) -> Values:
    """Typed Arrow columns as the numpy arrays row rules take (NaN / None for null)."""

    def values(name: str) -> np.ndarray | Text:
        column = columns[name]
        if pa.types.is_floating(column.type):
            return column.to_numpy(zero_copy_only=False)
        encoded = column.dictionary_encode()
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        return Text(codes, encoded.dictionary.to_pylist())

    return values


def validate_arrow(
    table: str, data: pa.Table, today: date | None = None
) -> tuple[pa.Table, pd.DataFrame]:
    """`schemas.validate` for typed Arrow input: the same rules and reason texts; returns the valid
    rows in the contract's Arrow types and the rejected rows (as given, plus `reason`)."""
    schema = TABLES[table]
    names = set(data.column_names)
    missing = [c.name for c in schema.columns if c.name not in names and not c.nullable]
    if missing:
        raise ValueError(f"table {table!r} is missing required columns: {', '.join(missing)}")
    rows = data.num_rows
    failures: list[tuple[np.ndarray, str]] = []
    out: dict[str, pa.Array] = {}
    for col in schema.columns:
        if col.name in names:
            values = _typed(data[col.name], col)
        else:
            values = pa.nulls(rows, _TYPES[col.kind])
        checks: list[tuple[pa.Array, str]] = []
        if col.kind == "str":
            values, checks = _text(values, col)
        elif col.allowed is not None:
            bad = pc.invert(pc.is_in(values, value_set=pa.array(col.allowed, values.type)))
            checks.append((bad, f"{col.name}: not one of {'/'.join(map(str, col.allowed))}"))
        if col.kind == "float":
            infinite = pc.invert(pc.is_finite(values))
            checks.append((infinite, f"{col.name}: not a finite number"))
        if col.min is not None:
            checks.append((pc.less(values, col.min), f"{col.name}: below {col.min}"))
        if col.max is not None:
            checks.append((pc.greater(values, col.max), f"{col.name}: above {col.max}"))
        if col.not_after_refresh:
            late = after_refresh(values.to_numpy(zero_copy_only=False), today)
            checks.append((pa.array(late), f"{col.name}: {AFTER_REFRESH}"))
        if not col.nullable:
            nulls = pc.is_null(values).to_numpy(zero_copy_only=False)
            failures.append((nulls, f"{col.name}: missing"))
        for bad, text in checks:  # a null value fails no rule but `missing`
            failures.append((pc.fill_null(bad, False).to_numpy(zero_copy_only=False), text))
        out[col.name] = values
    for rule in schema.rules:
        failures.append((rule.failing(_row_values(out)), rule.reason))
    extras = [name for name in data.column_names if name not in out]
    typed = pa.table({**out, **{name: data[name] for name in extras}})
    bad_rows = np.zeros(rows, bool)
    for mask, _ in failures:
        bad_rows |= mask
    if schema.key:
        failures.append(_key_failures(typed, schema, bad_rows))
        bad_rows |= failures[-1][0]
    if not bad_rows.any():
        return typed, pd.DataFrame(columns=[*data.column_names, "reason"])
    at = np.flatnonzero(bad_rows)
    reasons = [
        "; ".join(text if isinstance(text, str) else text[i] for mask, text in failures if mask[i])
        for i in at
    ]
    rejected = data.take(at).to_pandas()
    rejected["reason"] = reasons
    return typed.filter(pa.array(~bad_rows)), rejected


def validate_table(
    table: str, frame: pd.DataFrame | pa.Table, today: date | None = None
) -> tuple[Any, pd.DataFrame]:
    """Validate rows as they came: Arrow stays Arrow, pandas stays pandas."""
    if isinstance(frame, pa.Table):
        return validate_arrow(table, frame, today)
    return validate(table, frame, today)
