"""The seed fixture: the repository's own hand-transcribed tables in data/seed/."""

from __future__ import annotations

from etl import config
from etl.sources.seed.source import FILES


def raw() -> dict[str, bytes]:
    return {name: (config.SEED_DIR / name).read_bytes() for name in FILES}
