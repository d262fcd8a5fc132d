"""Minimal page until the full dashboard lands: the processed tables and their row counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "data" / "processed" / "manifest.json"

st.set_page_config(page_title="Job-market salary & skills", layout="wide")
st.title("Job-market salary & skills dashboard")
if not MANIFEST.exists():
    with st.spinner("Building data/processed from the embedded seed tables..."):
        subprocess.run([sys.executable, "-m", "etl", "refresh", "seed"], cwd=ROOT, check=True)
manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
st.caption(f"Data version {manifest['version']}, refreshed {manifest['refreshed_at']}")
st.dataframe(
    [
        {"table": name, "rows": info["rows"], "sources": ", ".join(info["sources"])}
        for name, info in sorted(manifest["tables"].items())
    ],
    hide_index=True,
)
