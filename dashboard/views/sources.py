"""Data & sources: every source's licence, attribution, as-of, rows, quarantine; how to refresh."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ui
from dashboard.data import manifest

snap = ui.start("sources").snap
COUNT = st.column_config.NumberColumn(format="localized")

# The version only: where the files lie on the server is no visitor's business.
st.markdown(
    f"Data version **{snap.version}**, last refresh **{manifest.refreshed_at(snap)} UTC**, "
    f"read with the **{data.engine()}** engine."
)
st.subheader("Sources at a glance")
st.dataframe(manifest.source_summary(snap), key="sources_table", width="stretch")

for name, info in snap.sources.items():
    st.subheader(f"{name}: {info.get('title', '')}")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            f"- **URL**: {info.get('url')}\n"
            f"- **Licence**: {ui.md(info.get('licence'))} ({info.get('licence_url')})\n"
            f"- **Attribution**: {ui.md(info.get('attribution'))}\n"
            f"- **As of**: {ui.md(manifest.as_of(info))}"
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
        reasons = manifest.quarantine_reasons(info)
        published = manifest.rows_published(info)
        st.markdown(
            f"**Rows read**: {info.get('rows_in') or 0:,} · **quarantined**: "
            f"{quarantine.get('rows', 0):,}" + (" (no reasons to report)" if reasons.empty else "")
        )
        for frame, part, column in (
            (reasons, "reasons", "rows"),
            (published, "rows", "rows published"),
        ):
            if not frame.empty:
                st.dataframe(
                    frame,
                    hide_index=True,
                    key=f"source_{part}_{name}",
                    column_config={column: COUNT},
                )
    unmapped = info.get("unmapped_job_titles") or {}
    if unmapped:
        # The lists below are drawn when opened: a page of fourteen hidden grids loaded slowly.
        with ui.on_demand(
            f"Job titles not mapped to a job family (counted as Other): "
            f"{unmapped.get('rows', 0):,} rows, {unmapped.get('distinct', 0):,} distinct titles",
            f"unmapped_{name}",
        ) as box:
            top = manifest.unmapped_titles(info) if box.open else None
            if top is not None and not top.empty:
                st.dataframe(
                    top,
                    hide_index=True,
                    key=f"source_unmapped_{name}",
                    column_config={"rows": COUNT},
                )
    files = manifest.raw_files(info)
    if not files.empty:
        with ui.on_demand(f"Raw files and checksums ({len(files)})", f"files_{name}") as box:
            if box.open:
                st.dataframe(
                    files,
                    hide_index=True,
                    key=f"source_files_{name}",
                    column_config={"bytes": COUNT},
                )

st.subheader("Tables")
tables = manifest.tables(snap)
st.dataframe(
    tables,
    hide_index=True,
    key="sources_tables",
    height=35 * (len(tables) + 1) + 3,
    column_config={"rows": COUNT, "one row is": st.column_config.TextColumn(width="large")},
)

st.subheader("How to refresh")
st.markdown(
    "Refreshing is done by the ETL, outside the dashboard; the dashboard picks up the new "
    "version on its next rerun (a refresh swaps `data/processed` atomically)."
)
st.code(ui.refresh_commands(), language="bash")
