"""Renders the data contract in etl/schemas.py as Markdown (docs/data-contract.md is its output)."""

from __future__ import annotations

from etl.schemas import TABLES, Column

_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool", "date": "date32"}

INTRO = """# Data contract

Generated from `etl/schemas.py` by `python -m etl contract` (a test keeps the two in step).
Users read these Parquet files directly: `data/processed/<table>.parquet`, one file per table,
each with every source's rows (the `source` column says which). `data/processed` is a symlink to
the current complete version under `data/.versions/`, swapped atomically by each refresh.
`data/processed/manifest.json` records per table its row count, sources and columns, and per source
its URL, licence, attribution, retrieval time, sha256 of each raw file, as-of date, rows in/out,
and rows quarantined with the reasons counted. Rows that fail these rules are written to
`data/quarantine/<source>/<table>.csv` with a `reason` column, never silently dropped.

Conventions: country codes are ISO 3166-1 alpha-2 (`EA` = euro area); currencies ISO 4217;
experience levels are exactly `Entry`, `Mid`, `Senior`, `Director`, `Executive`. Where a source has
no figure for a column the value is null, never a made-up default.
"""


def _rule(col: Column) -> str:
    parts = []
    if col.allowed is not None:
        parts.append("one of " + ", ".join(f"`{v}`" for v in col.allowed))
    if col.pattern is not None:
        parts.append(f"matches `{col.pattern}`")
    if col.min is not None:
        parts.append(f">= {col.min:g}")
    if col.max is not None:
        parts.append(f"<= {col.max:g}")
    return "; ".join(parts)


def render() -> str:
    """The whole contract as a Markdown document."""
    out = [INTRO]
    for schema in TABLES.values():
        out.append(f"\n## `{schema.name}`\n\nGrain: {schema.grain}.\n")
        out.append("| column | type | null? | rule | meaning |")
        out.append("| --- | --- | --- | --- | --- |")
        for col in schema.columns:
            null = "nullable" if col.nullable else "required"
            out.append(f"| `{col.name}` | {_TYPES[col.kind]} | {null} | {_rule(col)} | {col.doc} |")
    return "\n".join(out) + "\n"
