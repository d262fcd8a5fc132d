"""The embedded seed tables (data/seed/), transcribed by hand from a public article.

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.seed.source import SOURCE

__all__ = ["SOURCE"]
