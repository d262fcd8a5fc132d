"""Renders the data contract in etl/schemas.py as Markdown (docs/data-contract.md is its output)."""

from __future__ import annotations

from etl.schemas import TABLES, TOP_CODE_ANNUAL, TOP_CODE_FOOTNOTE, TOP_CODE_HOURLY, Column

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

Besides each column's own rule, a table may state *row rules* across its columns (each failing
row is set aside with the rule as its reason) and its *partitions*: the groups of rows (a
country, a state) that the refresh guards against shrinking as it guards whole tables. A refresh
that would leave a table, or one of its partitions, below half of its published rows (from 100
rows up), or a partition without any row, read from the same files as last time, is refused and
the previous data kept (`--force` publishes it anyway).
"""

TOP_CODE = f"""
BLS top code: footnote {TOP_CODE_FOOTNOTE} marks a wage at or above ${TOP_CODE_HOURLY:,.2f} an hour
or ${TOP_CODE_ANNUAL:,.0f} a year; BLS publishes it as `-` and the column holds that floor, with
`top_coded` true. The floor is not a ceiling of the figures: the May 2025 file publishes 12,964
rows with a percentile above it and no footnote (national Anesthesiologists: annual p90
557,130), so no rule caps a wage at the top code; a wage out of order with its own row's
percentiles (an annual median of 999,999 above the p90) is set aside.
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
    if col.not_after_refresh:
        parts.append("not after the refresh day")
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
        if schema.rules:
            out.append("\nRow rules:\n")
            out.extend(f"- {rule.doc} (else: `{rule.reason}`)" for rule in schema.rules)
        if schema.partition:
            names = ", ".join(f"`{c}`" for c in schema.partition)
            out.append(f"\nPartitions (shrink-guarded): one per {names}.")
        if schema.name == "occupation_wages":
            out.append(TOP_CODE)
    return "\n".join(out) + "\n"
