"""Indeed Hiring Lab Wage Tracker: year-on-year growth of advertised pay, by country and US sector.

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.indeed_wages.source import SOURCE

__all__ = ["SOURCE"]
