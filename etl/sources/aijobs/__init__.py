"""aijobs.net salary reports; the job family rules and mappings are the CSV files here.

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.aijobs.source import SOURCE

__all__ = ["SOURCE"]
