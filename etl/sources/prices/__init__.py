"""Prices: World Bank PPP conversion factors (GDP) by country and year, and US CPI-U by month.

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.prices.source import SOURCE

__all__ = ["SOURCE"]
