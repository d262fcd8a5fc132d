"""O*NET technology skills and required education by occupation.

source.py: its files and `normalize`; README.md: its quirks; fixture.py: its hand-made
clean raw files (tests/fixtures/sources.py gathers them)."""

from etl.sources.onet.source import SOURCE

__all__ = ["SOURCE"]
