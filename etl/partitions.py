"""The shrink guard per natural partition: a country of the postings index, a country's sectors,
a state's OEWS rows (the contract's `TableSchema.partition`). A refresh whose rows of one
partition would fall below half of the published ones (from 100 rows), or vanish, is refused
like a table that shrinks: a file whose every row is set aside is not a smaller country."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl import registry
from etl.config import Settings
from etl.schemas import TABLES

Counts = dict[tuple, int]


def counts(table: pa.Table, keys: tuple[str, ...]) -> Counts:
    """Rows per partition (a null key is a partition of its own)."""
    grouped = table.select(list(keys)).group_by(list(keys)).aggregate([([], "count_all")])
    return {tuple(row[k] for k in keys): row["count_all"] for row in grouped.to_pylist()}


def _arrow(frame: pa.Table | pd.DataFrame, keys: tuple[str, ...]) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame.select(list(keys))
    return pa.Table.from_pandas(frame[list(keys)], preserve_index=False)


def _published(settings: Settings, entry: dict[str, Any], keys: tuple[str, ...]) -> Counts:
    """Rows per partition of the current version's file (only the key columns are read)."""
    path = Path(settings.processed_dir) / str(entry.get("file", ""))
    if not entry.get("file") or not path.is_file():
        return {}
    return counts(pq.read_table(path, columns=list(keys)), keys)


def _label(keys: tuple[str, ...], part: tuple) -> str:
    return ", ".join(f"{k} {'none' if v is None else v}" for k, v in zip(keys, part, strict=True))


def shrunk(
    settings: Settings,
    assembled: dict[str, pa.Table | pd.DataFrame],
    previous: dict[str, Any],
    floor: float,
    min_rows: int,
) -> dict[str, list[str]]:
    """Per source, why its partitions shrank: below `floor` of the published rows (from
    `min_rows` up), or gone altogether. The seed is left out: its files ship with the project,
    so an edit to them is on purpose."""
    out: dict[str, list[str]] = {}
    for name, frame in assembled.items():
        keys = TABLES[name].partition if name in TABLES else ()
        entry = previous.get("tables", {}).get(name)
        if not keys or not entry or "source" not in keys:
            continue
        before = _published(settings, entry, keys)
        if not before:
            continue
        after = counts(_arrow(frame, keys), keys)
        at = keys.index("source")
        others = tuple(k for k in keys if k != "source")
        for part, rows in sorted(before.items(), key=lambda kv: str(kv[0])):
            source, now = part[at], after.get(part, 0)
            if source not in registry.SOURCES or registry.get(source).local:
                continue
            if now == 0 or (rows >= min_rows and now < floor * rows):
                rest = tuple(v for k, v in zip(keys, part, strict=True) if k != "source")
                out.setdefault(source, []).append(
                    f"{name} ({_label(others, rest)}) would have {now:,} rows against "
                    f"{rows:,} in the current version" + (f" (under {floor:.0%})" if now else "")
                )
    return out
