"""The Indeed files below the country and the AI Tracker: their raw files and row mapping.

`regional_openings`: the postings index by US state, Canadian province and UK region or nation,
each region coded from pycountry's ISO 3166-2 subdivisions (`ca` -> `US-CA`, `on` -> `CA-ON`),
the UK's regions by name through `regions_gb.csv` (England's regions have no ISO code: GB-ENG-xx).
`ai_postings_share`: the share of postings that mention AI, by country. source.py reads them
with the rest of the source (date order, as-of dates, sorting).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pycountry

from etl import countries
from etl.schemas import REGION_CODE
from etl.sources.base import RawFile, RawFiles, Reasons, read_table

JOBS_BASE = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker/master"
AI_BASE = "https://raw.githubusercontent.com/hiring-lab/ai-tracker/main"
INDEX = "indeed_job_postings_index"


@dataclass(frozen=True)
class RegionalFile:
    """One country's regional file: its path in the repository and the column naming a region."""

    country: str
    repo_path: str
    column: str

    @property
    def name(self) -> str:
        return self.repo_path.rsplit("/", 1)[-1]

    @property
    def columns(self) -> tuple[str, ...]:
        return ("date", self.column, INDEX)


REGIONAL = (
    RegionalFile("US", "US/state_job_postings_us.csv", "state"),
    RegionalFile("CA", "CA/provincial_postings_ca.csv", "province"),
    RegionalFile("GB", "GB/regional_gb.csv", "region"),
)
AI_FILE = "AI_posting.csv"
AI_COLUMNS = ("date", "jobcountry", "AI_share_postings")

GB_FILE = Path(__file__).with_name("regions_gb.csv")
_GB_TEXT = GB_FILE.read_text(encoding="utf-8")
GB_SHA256 = hashlib.sha256(_GB_TEXT.encode("utf-8")).hexdigest()


def raw_files() -> list[RawFile]:
    """The three regional files (mirror: indeed-job-postings/) and the AI Tracker file (mirror:
    indeed-ai-tracker/), always read whatever the country settings."""
    out = [
        RawFile(
            name=f.name,
            url=f"{JOBS_BASE}/{f.repo_path}",
            mirror_path=f"indeed-job-postings/{f.name}",
            required_columns=f.columns,
        )
        for f in REGIONAL
    ]
    out.append(
        RawFile(
            name=AI_FILE,
            url=f"{AI_BASE}/{AI_FILE}",
            mirror_path=f"indeed-ai-tracker/{AI_FILE}",
            required_columns=AI_COLUMNS,
        )
    )
    return out


def _folded(name: str) -> str:
    """A region name as matched: case and runs of white space ignored."""
    return " ".join(name.split()).casefold()


def parse_gb_regions(text: str) -> dict[str, tuple[str, str]]:
    """regions_gb.csv (comment lines start with #): folded Indeed name -> (code, display name).
    A nation's code must be a pycountry subdivision of GB; an English region's GB-ENG-xx."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    out: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(csv.DictReader(lines), start=2):
        name, code, shown = (row.get(k, "").strip() for k in ("name", "region", "region_name"))
        english = re.fullmatch(r"GB-ENG-[A-Z]{2}", code) is not None
        iso = pycountry.subdivisions.get(code=code) is not None and code.count("-") == 1
        if not name or not shown or not re.fullmatch(REGION_CODE, code) or not (english or iso):
            raise ValueError(
                f"regions_gb.csv row {number}: needs a name, an ISO 3166-2:GB or "
                f"GB-ENG-xx code and a display name: {row}"
            )
        if _folded(name) in out:
            raise ValueError(f"regions_gb.csv row {number}: {name!r} is listed twice")
        out[_folded(name)] = (code, shown)
    return out


GB_REGIONS = parse_gb_regions(_GB_TEXT)


@cache
def subdivisions(country: str) -> dict[str, str]:
    """The top-level ISO 3166-2 subdivisions of `country` (pycountry): code -> display name,
    without pycountry's qualifiers (`Virgin Islands, U.S.` -> `Virgin Islands`, `Wales [Cymru
    GB-CYM]` -> `Wales`)."""
    found = pycountry.subdivisions.get(country_code=country) or []
    return {
        s.code: re.sub(r"\s*\[.*\]$", "", s.name).split(",")[0].strip()
        for s in found
        if s.parent_code is None
    }


WHAT = {"US": "US state code", "CA": "Canadian province or territory code"}


def _map_regions(frame: pd.DataFrame, spec: RegionalFile) -> tuple[pd.Series, pd.Series, Reasons]:
    """Each row's region code and display name (null where none), and why a row has none.
    US and Canadian codes are read in any case (Indeed writes `ca`, ISO `CA`: the same state)."""
    raw = frame[spec.column]
    reasons = Reasons(frame.index)
    empty = raw == ""
    reasons.add(empty, "region: missing")
    if spec.country == "GB":
        found = raw.map(lambda v: GB_REGIONS.get(_folded(v)))
        code, shown = found.str[0], found.str[1]
        unknown = code.isna() & ~empty
        reasons.add_each(
            unknown,
            "region: ",
            raw,
            " is not a UK region or nation listed in regions_gb.csv",
            show=countries.shown,
        )
        return code, shown, reasons
    known = subdivisions(spec.country)
    code = (spec.country + "-" + raw.str.upper()).where(~empty)
    shown = code.map(known)
    unknown = shown.isna() & ~empty
    reasons.add_each(
        unknown,
        "region: ",
        raw,
        f" is not a {WHAT[spec.country]} (ISO 3166-2:{spec.country})",
        show=countries.shown,
    )
    return code.where(~unknown), shown, reasons


def read_regional(raw: RawFiles, spec: RegionalFile) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One regional file -> (rows for regional_openings with `_when`, rejected rows with `file`
    and `reason`, rows read)."""
    frame = read_table(raw, spec.name, spec.columns, select=True)
    code, shown, reasons = _map_regions(frame, spec)
    table = pd.DataFrame(
        {
            "source": "indeed",
            "country": spec.country,
            "region": code,
            "region_name": shown,
            "date": frame["date"],
            "value": frame[INDEX],
        }
    )
    good, bad = reasons.split(table)
    rejected = frame.loc[bad.index].assign(file=spec.name, reason=bad["reason"])
    good = good.assign(_when=pd.to_datetime(good["date"], errors="coerce"))
    return good, rejected.reset_index(drop=True), len(frame)


def read_ai(raw: RawFiles) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """AI_posting.csv -> (rows for ai_postings_share with `_when`, rejected rows, rows read).
    Country codes are upper-case ISO 3166-1 alpha-2 as published (like the aggregate files, a
    lower-case `us` is set aside, not guessed)."""
    frame = read_table(raw, AI_FILE, AI_COLUMNS, select=True)
    reasons = Reasons(frame.index)
    code = frame["jobcountry"]
    iso = code.map(lambda c: c.isupper() and countries.iso3(c) is not None)
    reasons.add_each(
        ~iso, "country: ", code, " is not an ISO 3166-1 alpha-2 code", show=countries.shown
    )
    table = pd.DataFrame(
        {
            "source": "indeed",
            "country": code,
            "date": frame["date"],
            "share_pct": frame["AI_share_postings"],
        }
    )
    good, bad = reasons.split(table)
    rejected = frame.loc[bad.index].assign(file=AI_FILE, reason=bad["reason"])
    good = good.assign(_when=pd.to_datetime(good["date"], errors="coerce"))
    return good, rejected.reset_index(drop=True), len(frame)
