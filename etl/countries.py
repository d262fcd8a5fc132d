"""Country codes and names, one implementation for the ETL and the dashboard (pycountry)."""

from __future__ import annotations

from functools import cache

import pycountry

# Codes the sources use that are not ISO 3166-1 countries (Indeed's euro area).
AGGREGATES = {"EA": "Euro area"}


# ISO alpha-2 codes of Europe (UN geoscheme, plus Cyprus and Turkey): a map of these only
# is drawn on a map of Europe.
EUROPE = frozenset(
    (
        "AD",
        "AL",
        "AT",
        "BA",
        "BE",
        "BG",
        "BY",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FO",
        "FR",
        "GB",
        "GG",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IM",
        "IS",
        "IT",
        "JE",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MD",
        "ME",
        "MK",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "RS",
        "RU",
        "SE",
        "SI",
        "SK",
        "SM",
        "TR",
        "UA",
        "VA",
        "XK",
    )
)


@cache
def name(code: str) -> str | None:
    """Display name of an ISO alpha-2 code or a known aggregate (EA); None when unknown."""
    if code in AGGREGATES:
        return AGGREGATES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


@cache
def iso3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 for an alpha-2 code (None for aggregates such as EA)."""
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def code_of(printed: str) -> str | None:
    """ISO alpha-2 for a country name as printed (pycountry's names, then its fuzzy search)."""
    try:
        return pycountry.countries.lookup(printed).alpha_2
    except LookupError:
        try:
            return pycountry.countries.search_fuzzy(printed)[0].alpha_2
        except LookupError:
            return None


@cache
def us_state(name: str) -> str | None:
    """The ISO 3166-2:US code of a state or territory named as BLS names it (`California` ->
    `US-CA`, `Virgin Islands` -> `US-VI`), or None."""
    wanted = name.strip().lower()
    states = pycountry.subdivisions.get(country_code="US")
    # pycountry qualifies a few names ("Virgin Islands, U.S."); BLS uses the plain one.
    for matches in (
        lambda s: s.name.lower() == wanted,
        lambda s: s.name.lower().split(",")[0] == wanted,
    ):
        found = [s.code for s in states if matches(s)]
        if found:
            return found[0]
    return None
