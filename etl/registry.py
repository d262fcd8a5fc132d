"""The source registry: every source the ETL knows, in refresh order (seed first)."""

from __future__ import annotations

from etl.sources import aijobs, bls_oews, indeed, indeed_wages, onet, prices, seed
from etl.sources.base import Source

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        seed.SOURCE,
        aijobs.SOURCE,
        indeed.SOURCE,
        indeed_wages.SOURCE,
        prices.SOURCE,
        onet.SOURCE,
        bls_oews.SOURCE,
    )
}


def get(name: str) -> Source:
    """The source registered as `name`, or a KeyError listing the known names."""
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(SOURCES)}") from None
