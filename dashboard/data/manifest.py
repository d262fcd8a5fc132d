"""Tables about the data itself, from a version's manifest (parsed by etl.catalog): sources,
rows, quarantine."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.data.core import Snapshot
from etl.catalog import TABLES


def as_of(info: dict[str, Any]) -> str:
    """A source's as-of date (or note), `undated` when it has none."""
    return str(info.get("as_of") or info.get("as_of_note") or "undated")


def _utc(stamp: object) -> str:
    return str(stamp or "")[:19].replace("T", " ")


def refreshed_at(snap: Snapshot) -> str:
    """When the version was published, `YYYY-MM-DD HH:MM:SS` (UTC)."""
    return _utc(snap.manifest.refreshed_at or "?")


def freshness(snap: Snapshot) -> pd.DataFrame:
    """One row per source: title, as-of, when it was refreshed and its status."""
    return pd.DataFrame(
        [
            {
                "source": name,
                "title": info.get("title"),
                "as of": as_of(info),
                "refreshed (UTC)": _utc(info.get("refreshed_at")),
                "status": info.get("status"),
            }
            for name, info in snap.sources.items()
        ]
    )


def source_summary(snap: Snapshot) -> pd.DataFrame:
    """One column per source (a handful of sources, many fields: it reads best transposed)."""
    summary = {}
    for name, info in snap.sources.items():
        quarantine = info.get("quarantined") or {}
        unmapped = info.get("unmapped_job_titles") or {}
        kept = info.get("duplicates_kept")
        summary[name] = {
            "licence": info.get("licence"),
            "as of": as_of(info),
            "refreshed (UTC)": _utc(info.get("refreshed_at")),
            "status": info.get("status"),
            "rows in": f"{info.get('rows_in') or 0:,}",
            "rows out": f"{sum((info.get('rows_out') or {}).values()):,}",
            "quarantined rows": f"{quarantine.get('rows', 0):,}",
            "duplicates kept": "–" if kept is None else f"{kept:,}",
            "unmapped job titles (rows)": "–" if not unmapped else f"{unmapped.get('rows', 0):,}",
        }
    return pd.DataFrame(summary)


def quarantine_reasons(info: dict[str, Any]) -> pd.DataFrame:
    """Quarantined rows per reason for one source."""
    reasons = (info.get("quarantined") or {}).get("reasons") or {}
    return pd.DataFrame({"reason": list(reasons), "rows": list(reasons.values())})


def rows_published(info: dict[str, Any]) -> pd.DataFrame:
    """Rows the source published per table."""
    rows_out = info.get("rows_out") or {}
    return pd.DataFrame({"table": list(rows_out), "rows published": list(rows_out.values())})


def unmapped_titles(info: dict[str, Any]) -> pd.DataFrame:
    """The most frequent job titles not mapped to a job family (counted as Other)."""
    value = (info.get("unmapped_job_titles") or {}).get("top")
    # `top` lists come as {title: rows} or [{...}] or [[title, rows]]: show any as a table.
    if isinstance(value, dict):
        return pd.DataFrame({"job_title": list(value), "rows": list(value.values())})
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return pd.DataFrame(value)
    if isinstance(value, list) and value:
        return pd.DataFrame(value, columns=["job_title", "rows"][: len(value[0])])
    return pd.DataFrame()


def raw_files(info: dict[str, Any]) -> pd.DataFrame:
    """The raw files a source was read from, with size and sha256."""
    return pd.DataFrame(
        [
            {"file": f, "bytes": v.get("bytes"), "sha256": v.get("sha256")}
            for f, v in (info.get("files") or {}).items()
        ]
    )


def tables(snap: Snapshot) -> pd.DataFrame:
    """Every published table with what one row is (the contract's grain), rows and sources."""
    return pd.DataFrame(
        [
            {
                "table": t,
                "one row is": TABLES[t].grain if t in TABLES else "",
                "rows": i.get("rows"),
                "sources": ", ".join(i.get("sources", [])),
            }
            for t, i in sorted(snap.manifest.tables.items())
        ]
    )
