"""Indeed Hiring Lab Job Postings Index by country and by occupational sector.

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.indeed.source import SOURCE

__all__ = ["SOURCE"]
