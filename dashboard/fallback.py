"""The banner every page shows when public sources could not be loaded and the seed stands in."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt

FIX_COMMAND = "make refresh"


def missing_sources(snap: data.Snapshot) -> dict[str, str]:
    """Per source whose last refresh failed and that has no table in the published version,
    its error: the pages that need it fall back to the seed tables (or say they have nothing).
    A source that failed but kept its earlier data is not missing (Data & sources says how
    old it is)."""
    with_data = {name for table in snap.manifest.tables for name in snap.table_sources(table)}
    return {
        name: str(info.get("last_error") or "unknown error")
        for name, info in sorted(snap.sources.items())
        if info.get("status") == "failed" and name not in with_data
    }


def banner(snap: data.Snapshot) -> None:
    """Say which sources are missing and the one command that loads them; nothing when every
    source that was tried is loaded (a seed-only refresh on purpose shows no banner). Drawn by
    ui.start from the snapshot the page reads (no second read of the manifest)."""
    missing = missing_sources(snap)
    if not missing:
        return
    names = ", ".join(fmt.md(name) for name in missing)
    st.warning(
        f"**Part of the public data could not be loaded.** The last refresh could not reach: "
        f"{names}. The pages that need these sources show the seed article's tables in their "
        f"place, or say they have nothing to show. To load them, run `{FIX_COMMAND}` from the "
        "project root (it reads the local mirror ../shared/datasets when there is one, else "
        "downloads the public files), then reload this page.",
        icon="⚠️",
    )
    with st.expander("What failed"):
        st.code("\n".join(f"{name}: {error}" for name, error in missing.items()), language=None)
