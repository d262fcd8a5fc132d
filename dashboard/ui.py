"""Shared page pieces: data check, provenance captions, chart + table blocks, export buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, export

REFRESH_HELP = f"""
Seed data only (no download): `{data.SEED_COMMAND}`

All sources from the local mirror: `python -m etl refresh --mirror ../shared/datasets`

All sources from the internet: `python -m etl refresh` (or `make refresh`)
"""


md = charts.md


def plotly_config() -> dict[str, Any]:
    """Plotly options; maps read the world outline from the app's static folder when served."""
    config: dict[str, Any] = {"displaylogo": False, "responsive": True}
    # Plotly fetches world topojson from a CDN by default; serving our copy keeps maps working
    # offline and behind firewalls (static serving is switched on in .streamlit/config.toml).
    if st.get_option("server.enableStaticServing"):
        config["topojsonURL"] = "app/static/"
    return config


def require_snapshot() -> data.Snapshot:
    """The current data version; if there is none, build the seed data, or say how to."""
    snap = data.current()
    if snap is not None:
        return snap
    with st.spinner(f"No processed data in {data.processed_dir()}: building it from the seed…"):
        ok, output = data.build_seed()
    snap = data.current() if ok else None
    if snap is None:
        st.error(
            f"There is no processed data in `{data.processed_dir()}` and building it from the "
            f"seed tables failed. Run this from the project root:\n\n"
            f"```\n{data.SEED_COMMAND}\n```"
        )
        if output:
            with st.expander("Output of the seed refresh"):
                st.code(output[-4000:])
        st.stop()
    st.toast("Built the dashboard data from the embedded seed tables.")
    return snap


def sources_of(frame: pd.DataFrame, fallback: Iterable[str] = ()) -> list[str]:
    """The sources of the rows actually shown (a chart of Indeed rows does not cite the seed)."""
    if "source" in frame and len(frame):
        return sorted(frame["source"].dropna().unique().tolist())
    return list(fallback)


def source_entries(snap: data.Snapshot, names: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        info = dict(snap.sources.get(name, {}))
        info["name"] = name
        out.append(info)
    return out


def as_of(info: Mapping[str, Any]) -> str:
    return str(info.get("as_of") or info.get("as_of_note") or "undated")


def provenance(snap: data.Snapshot, names: Iterable[str]) -> str:
    """`Source: … · licence … · as of …` for a caption (CC BY needs the attribution shown)."""
    parts = []
    for info in source_entries(snap, names):
        refreshed = str(info.get("refreshed_at") or "")[:10]
        parts.append(
            md(
                f"Source: {info.get('title', info['name'])} · Licence: {info.get('licence', '?')}"
                f" · As of: {as_of(info)} · Refreshed: {refreshed or '?'} · "
                f"Attribution: {info.get('attribution', '')}"
            )
        )
    return "  \n".join(parts) if parts else "Source: none loaded"


@st.cache_data(show_spinner=False, max_entries=128)
def figure(builder: str, *args: Any, **kwargs: Any) -> go.Figure:
    """`charts.<builder>(*args, **kwargs)`, cached: building a figure of thousands of points
    costs more than the cached query behind it, and reruns should feel instant."""
    return getattr(charts, builder)(*args, **kwargs)


def chart(
    fig: go.Figure,
    table: pd.DataFrame,
    *,
    key: str,
    snap: data.Snapshot,
    sources: Iterable[str],
    note: str = "",
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """A figure, its provenance caption, and the numbers behind it as a table."""
    st.plotly_chart(fig, key=f"chart_{key}", config=plotly_config(), width="stretch")
    caption = provenance(snap, sources)
    st.caption(f"{note}  \n{caption}" if note else caption)
    with st.expander("Numbers behind this chart", key=f"numbers_{key}"):
        st.dataframe(
            table, hide_index=True, key=f"table_{key}", column_config=dict(column_config or {})
        )


def export_buttons(
    rows: Callable[[], pd.DataFrame],
    *,
    key: str,
    title: str,
    table: str,
    snap: data.Snapshot,
    sources: Iterable[str],
    filters: Mapping[str, str],
    count: int | None = None,
) -> None:
    """CSV / Excel / Parquet of exactly the filtered rows; files are built only when clicked."""
    about = export.About(
        title=title,
        table=table,
        sources=tuple(source_entries(snap, sources)),
        filters=dict(filters),
        data_version=snap.version,
        refreshed_at=str(snap.manifest.get("refreshed_at", "")),
    )
    label = f" ({count:,} rows)" if count is not None else ""
    st.markdown(f"**Export the filtered rows{label}**")
    cols = st.columns(len(export.FORMATS))
    for col, (kind, (name, mime)) in zip(cols, export.FORMATS.items(), strict=True):
        with col:
            st.download_button(
                name,
                data=lambda kind=kind: export.render(kind, rows(), about),
                file_name=f"{key}.{kind}",
                mime=mime,
                key=f"export_{key}_{kind}",
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
            )
    st.caption(
        "CSV is UTF-8; Excel adds an *About* sheet and Parquet carries the same sources, "
        "licences, filters and as-of dates in its metadata."
    )


def usd_columns(*names: str) -> dict[str, Any]:
    return {n: st.column_config.NumberColumn(n, format="dollar") for n in names}


def stats_table(shown: pd.DataFrame, hidden: pd.DataFrame, group: str, label: str) -> pd.DataFrame:
    """Per-group stats for a 'numbers' table: rounded dollars, n and a flag; groups with n < 10
    keep their n but no percentiles (hidden means hidden in the table too)."""
    pcts = ["p10", "p25", "p50", "p75", "p90"]
    out = pd.concat(
        [
            shown.assign(flag=shown["low_n"].map({True: "n < 30", False: ""})),
            hidden.assign(flag="hidden: n < 10", **{p: float("nan") for p in pcts}),
        ],
        ignore_index=True,
    ).drop(columns=["low_n"])
    out[pcts] = out[pcts].astype(float).round(0)
    return out.rename(columns={group: label, "p50": "median"})
