"""Data & sources: every source's licence, attribution, as-of, rows, quarantine; how to refresh."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data, filters, ui

snap = ui.require_snapshot()
st.title("Data & sources")
filters.sidebar(snap, ())
manifest = snap.manifest


def _top(value: Any) -> pd.DataFrame:
    """`top` lists come as {title: rows} or [{...}] or [[title, rows]]: show any as a table."""
    if isinstance(value, dict):
        return pd.DataFrame({"job_title": list(value), "rows": list(value.values())})
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return pd.DataFrame(value)
    if isinstance(value, list) and value:
        return pd.DataFrame(value, columns=["job_title", "rows"][: len(value[0])])
    return pd.DataFrame()


st.markdown(
    f"Data version **{snap.version}**, last refresh **"
    f"{str(manifest.get('refreshed_at', '?'))[:19].replace('T', ' ')} UTC**, read from "
    f"`{data.processed_dir()}` with the **{data.engine()}** engine."
)

COUNT = st.column_config.NumberColumn(format="localized")
summary = {}
for name, info in snap.sources.items():
    quarantine = info.get("quarantined") or {}
    unmapped = info.get("unmapped_job_titles") or {}
    summary[name] = {
        "licence": info.get("licence"),
        "as of": ui.as_of(info),
        "refreshed (UTC)": str(info.get("refreshed_at") or "")[:19].replace("T", " "),
        "status": info.get("status"),
        "rows in": f"{info.get('rows_in') or 0:,}",
        "rows out": f"{sum((info.get('rows_out') or {}).values()):,}",
        "quarantined rows": f"{quarantine.get('rows', 0):,}",
        "duplicates kept": "–"
        if info.get("duplicates_kept") is None
        else f"{info['duplicates_kept']:,}",
        "unmapped job titles (rows)": "–" if not unmapped else f"{unmapped.get('rows', 0):,}",
    }
st.subheader("Sources at a glance")
# One column per source: a handful of sources, many fields, so it reads best transposed.
st.dataframe(pd.DataFrame(summary), key="sources_table", width="stretch")

for name, info in snap.sources.items():
    st.subheader(f"{name}: {info.get('title', '')}")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            f"- **URL**: {info.get('url')}\n"
            f"- **Licence**: {ui.md(info.get('licence'))} ({info.get('licence_url')})\n"
            f"- **Attribution**: {ui.md(info.get('attribution'))}\n"
            f"- **As of**: {ui.md(ui.as_of(info))}"
            + (f" ({ui.md(info['as_of_note'])})" if info.get("as_of_note") else "")
            + f"\n- **Refreshed**: {ui.md(info.get('refreshed_at'))} from "
            f"{ui.md(info.get('origin', '?'))} · **status**: {ui.md(info.get('status'))}"
        )
        if info.get("last_error"):
            st.error(f"Last error ({info.get('last_error_at')}): {ui.md(info['last_error'])}")
        if info.get("duplicates_kept") is not None:
            st.markdown(
                f"**Exact duplicate rows kept**: {info['duplicates_kept']:,}. "
                + ui.md(
                    info.get("duplicates_note")
                    or "The source counts each as a separate salary report."
                )
            )
    with right:
        quarantine = info.get("quarantined") or {}
        reasons = quarantine.get("reasons") or {}
        rows_out = info.get("rows_out") or {}
        st.markdown(
            f"**Rows read**: {info.get('rows_in') or 0:,} · **quarantined**: "
            f"{quarantine.get('rows', 0):,}" + ("" if reasons else " (no reasons to report)")
        )
        if reasons:
            st.dataframe(
                pd.DataFrame({"reason": list(reasons), "rows": list(reasons.values())}),
                hide_index=True,
                key=f"source_reasons_{name}",
                column_config={"rows": COUNT},
            )
        if rows_out:
            st.dataframe(
                pd.DataFrame({"table": list(rows_out), "rows published": list(rows_out.values())}),
                hide_index=True,
                key=f"source_rows_{name}",
                column_config={"rows published": COUNT},
            )
    unmapped = info.get("unmapped_job_titles") or {}
    if unmapped:
        with st.expander(
            f"Job titles not mapped to a job family (counted as Other): "
            f"{unmapped.get('rows', 0):,} rows, {unmapped.get('distinct', 0):,} distinct titles",
            key=f"source_unmapped_box_{name}",
        ):
            top = _top(unmapped.get("top"))
            if not top.empty:
                st.dataframe(
                    top,
                    hide_index=True,
                    key=f"source_unmapped_{name}",
                    column_config={"rows": COUNT},
                )
    files = info.get("files") or {}
    if files:
        with st.expander(f"Raw files and checksums ({len(files)})", key=f"source_files_box_{name}"):
            st.dataframe(
                pd.DataFrame(
                    [
                        {"file": f, "bytes": v.get("bytes"), "sha256": v.get("sha256")}
                        for f, v in files.items()
                    ]
                ),
                hide_index=True,
                key=f"source_files_{name}",
                column_config={"bytes": COUNT},
            )

st.subheader("Tables")
st.dataframe(
    pd.DataFrame(
        [
            {"table": t, "rows": i.get("rows"), "sources": ", ".join(i.get("sources", []))}
            for t, i in sorted(manifest.get("tables", {}).items())
        ]
    ),
    hide_index=True,
    key="sources_tables",
    height=35 * (len(manifest.get("tables", {})) + 1) + 3,
    column_config={"rows": st.column_config.NumberColumn(format="localized")},
)

st.subheader("How to refresh")
st.markdown(
    "Refreshing is done by the ETL, outside the dashboard; the dashboard picks up the new "
    "version on its next rerun (a refresh swaps `data/processed` atomically)."
)
st.code(
    "python -m etl refresh seed                               # seed tables only, no download\n"
    "python -m etl refresh --mirror ../shared/datasets        # every source from a local mirror\n"
    "python -m etl refresh                                    # every source from the internet\n"
    "python -m etl status                                     # what is loaded, as-of dates",
    language="bash",
)
