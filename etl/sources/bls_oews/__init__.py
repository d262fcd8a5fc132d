"""BLS OEWS: official employment and wage percentiles (reader.py streams the data file).

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.bls_oews.source import SOURCE

__all__ = ["SOURCE"]
