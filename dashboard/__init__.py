"""Streamlit dashboard over data/processed (read-only)."""
