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
def shown(value: object) -> str:
    """A value as an error quotes it: its repr, then the code points of its characters when
    any is not ASCII (`'UЅ' (U+0055 U+0405)`: a Cyrillic Ѕ that reads as S)."""
    text = repr(value)
    if isinstance(value, str) and not value.isascii():
        text += " (" + " ".join(f"U+{ord(c):04X}" for c in value) + ")"
    return text


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


# UN M49 sub-regions (Latin America and the Caribbean as one), ISO alpha-2 members: the "region"
# an offer check widens a thin country group to.
REGIONS = {
    "Northern America": "BM CA GL PM US",
    "Latin America and the Caribbean": (
        "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GT GY HN HT JM KN "
        "KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI"
    ),
    "Northern Europe": "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ",
    "Western Europe": "AT BE CH DE FR LI LU MC NL",
    "Southern Europe": "AD AL BA CY ES GI GR HR IT ME MK MT PT RS SI SM VA XK",
    "Eastern Europe": "BG BY CZ HU MD PL RO RU SK UA",
    "Western Asia": "AE AM AZ BH GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    "Central Asia": "KG KZ TJ TM UZ",
    "Southern Asia": "AF BD BT IN IR LK MV NP PK",
    "Eastern Asia": "CN HK JP KP KR MN MO TW",
    "South-eastern Asia": "BN ID KH LA MM MY PH SG TH TL VN",
    "Northern Africa": "DZ EG EH LY MA SD TN",
    "Sub-Saharan Africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW "
        "MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW"
    ),
    "Oceania": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
}
_REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes.split()}


def region(code: str) -> str | None:
    """The UN M49 sub-region of an ISO alpha-2 country code (`DE` -> `Western Europe`)."""
    return _REGION_OF.get(code.upper())


def region_members(name: str) -> tuple[str, ...]:
    """The ISO alpha-2 codes of a region named by `region`."""
    return tuple(REGIONS.get(name, "").split())
