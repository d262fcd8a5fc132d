"""The `aijobs` source: aijobs.net salary reports (CC0 1.0), one row per report -> `salaries`.

Exact duplicate rows are kept (the source counts each as a separate report) and flagged in the
extra column `exact_duplicate`; their number goes to the manifest as `duplicates_kept`. The job
family of a title comes from the ordered rules in `job_families.csv` (data, not code).
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pycountry

from etl import countries
from etl.config import Settings
from etl.schemas import reason_counts
from etl.sources.base import Normalized, RawFile, RawFiles, Reasons, Source, SourceError, read_table

NAME = "aijobs"
FILE = "salaries.csv"
URL = "https://aijobs.net/salaries/download/salaries.csv"
SNAPSHOT_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
COLUMNS = (
    "work_year",
    "experience_level",
    "employment_type",
    "job_title",
    "salary",
    "salary_currency",
    "salary_in_usd",
    "employee_residence",
    "remote_ratio",
    "company_location",
    "company_size",
)
LEVELS = {"EN": "Entry", "MI": "Mid", "SE": "Senior", "EX": "Executive"}
EMPLOYMENT = {"FT": "Full-time", "PT": "Part-time", "CT": "Contract", "FL": "Freelance"}
OTHER = "Other"
# A job title longer than this is set aside: real titles run to about 40 characters, and the
# family rules (regular expressions) must not be handed megabytes.
MAX_TITLE = 200
TOP_UNMAPPED = 20

FAMILIES_FILE = Path(__file__).with_name("job_families.csv")
_FAMILIES_TEXT = FAMILIES_FILE.read_text(encoding="utf-8")
FAMILIES_SHA256 = hashlib.sha256(_FAMILIES_TEXT.encode("utf-8")).hexdigest()

COUNTRIES = {c.alpha_2: c.name for c in pycountry.countries}
CURRENCIES = {c.alpha_3 for c in pycountry.currencies}


@dataclass(frozen=True)
class FamilyRule:
    """One row of job_families.csv: a case-insensitive regex searched in the title -> family."""

    pattern: re.Pattern[str]
    family: str


def parse_family_rules(text: str) -> list[FamilyRule]:
    """The ordered rules of a job_families.csv text (comment lines start with #)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rules = []
    for number, row in enumerate(csv.DictReader(lines), start=2):
        pattern, family = (row.get("pattern") or "").strip(), (row.get("family") or "").strip()
        if not pattern or not family:
            raise ValueError(f"job families rule {number}: needs a pattern and a family: {row}")
        try:
            rules.append(FamilyRule(re.compile(pattern, re.IGNORECASE), family))
        except re.error as exc:
            raise ValueError(f"job families rule {number}: bad pattern {pattern!r}: {exc}") from exc
    return rules


FAMILY_RULES = parse_family_rules(_FAMILIES_TEXT)

SOC_FILE = Path(__file__).with_name("family_soc.csv")
_SOC_TEXT = SOC_FILE.read_text(encoding="utf-8")
SOC_SHA256 = hashlib.sha256(_SOC_TEXT.encode("utf-8")).hexdigest()
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")
FITS = ("closest", "alternative")


def parse_family_soc(text: str, known: set[str]) -> pd.DataFrame:
    """The job family -> SOC occupation rows of a family_soc.csv text, checked: a family named
    in the rules (`known`), a 7-character SOC code, a fit of closest/alternative, no repeats."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = []
    for number, row in enumerate(csv.DictReader(lines), start=2):
        family, code = (row.get("job_family") or "").strip(), (row.get("occupation_code") or "")
        fit, code = (row.get("fit") or "").strip(), code.strip()
        problem = (
            f"job family {family!r} is not in job_families.csv"
            if family not in known
            else f"occupation_code {code!r} is not a SOC code like 15-2051"
            if not SOC_CODE.match(code)
            else f"fit {fit!r} is not one of {', '.join(FITS)}"
            if fit not in FITS
            else ""
        )
        if problem:
            raise ValueError(f"family_soc.csv row {number}: {problem}")
        rows.append((family, code, fit, (row.get("note") or "").strip()))
    frame = pd.DataFrame(rows, columns=["job_family", "occupation_code", "fit", "note"])
    repeated = frame.duplicated(["job_family", "occupation_code"])
    if repeated.any():
        first = frame.loc[repeated].iloc[0]
        raise ValueError(
            f"family_soc.csv: {first['job_family']} -> {first['occupation_code']} is listed twice"
        )
    return frame


FAMILY_SOC = parse_family_soc(_SOC_TEXT, {r.family for r in FAMILY_RULES})

SECTORS_FILE = Path(__file__).with_name("family_sectors.csv")
_SECTORS_TEXT = SECTORS_FILE.read_text(encoding="utf-8")
SECTORS_SHA256 = hashlib.sha256(_SECTORS_TEXT.encode("utf-8")).hexdigest()


def parse_family_sectors(text: str, known: set[str]) -> pd.DataFrame:
    """The job family -> Indeed sector rows of a family_sectors.csv text, checked: a family
    named in the rules (`known`), a sector name, one sector per family."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = []
    for number, row in enumerate(csv.DictReader(lines), start=2):
        family = (row.get("job_family") or "").strip()
        sector = (row.get("sector") or "").strip()
        problem = (
            f"job family {family!r} is not in job_families.csv"
            if family not in known
            else "sector is empty"
            if not sector
            else ""
        )
        if problem:
            raise ValueError(f"family_sectors.csv row {number}: {problem}")
        rows.append((family, sector, (row.get("note") or "").strip()))
    frame = pd.DataFrame(rows, columns=["job_family", "sector", "note"])
    repeated = frame.duplicated("job_family")
    if repeated.any():
        family = frame.loc[repeated, "job_family"].iloc[0]
        raise ValueError(f"family_sectors.csv: {family} has more than one sector")
    return frame


FAMILY_SECTORS = parse_family_sectors(_SECTORS_TEXT, {r.family for r in FAMILY_RULES})


def family_of(title: str, rules: list[FamilyRule] = FAMILY_RULES) -> tuple[str, bool]:
    """(family, matched): the first matching rule's family, or (Other, False) if none matches."""
    for rule in rules:
        if rule.pattern.search(title):
            return rule.family, True
    return OTHER, False


def families(titles: pd.Series, rules: list[FamilyRule] = FAMILY_RULES) -> pd.Series:
    """Job family of every title (computed once per distinct title)."""
    lookup = {t: family_of(t, rules)[0] for t in titles.unique()}
    return titles.map(lookup)


def other_bucket(titles: pd.Series, family: pd.Series, top: int = TOP_UNMAPPED) -> dict:
    """Size of the Other bucket: rows, distinct titles, the most frequent titles."""
    other = titles[family == OTHER]
    counts = other.value_counts()
    no_rule = sum(n for t, n in counts.items() if not family_of(t)[1])
    return {
        "rows": int(len(other)),
        "distinct": int(counts.size),
        "rows_no_rule_matched": int(no_rule),
        "top": {str(t): int(n) for t, n in counts.head(top).items()},
    }


def files(settings: Settings) -> list[RawFile]:
    return [
        RawFile(
            name=FILE,
            url=URL,
            mirror_path=settings.aijobs_file,
            required_columns=COLUMNS,
        )
    ]


def snapshot_date(settings: Settings) -> str | None:
    """The date of the snapshot a mirror holds, from its file name (`salaries-2025-01-19.csv`);
    None for a download, which is a snapshot of the refresh day."""
    if settings.mirror is None:
        return None
    found = SNAPSHOT_DATE.search(Path(settings.aijobs_file).name)
    if not found:
        return None
    try:
        return date.fromisoformat(found.group(0)).isoformat()
    except ValueError:
        return None


def _reasons(frame: pd.DataFrame, snapshot: date) -> Reasons:
    """Why each row cannot be mapped ('' when it can): unknown codes, non-ISO countries, a work
    year after the snapshot was taken."""
    reasons = Reasons(frame.index)
    title = frame["job_title"].astype("string")
    reasons.add(title.str.len() > MAX_TITLE, f"job_title: longer than {MAX_TITLE} characters")
    year = pd.to_numeric(frame["work_year"], errors="coerce")
    reasons.add(
        year > snapshot.year,
        f"work_year: after the snapshot's date ({snapshot.isoformat()})",
    )
    level, kind = frame["experience_level"], frame["employment_type"]
    reasons.add_each(~level.isin(list(LEVELS)), "experience_level: unknown code ", level)
    reasons.add_each(~kind.isin(list(EMPLOYMENT)), "employment_type: unknown code ", kind)
    for column in ("employee_residence", "company_location"):
        code = frame[column]
        reasons.add_each(
            ~code.isin(list(COUNTRIES)),
            f"{column}: ",
            code,
            " is not an ISO 3166-1 alpha-2 code",
            show=countries.shown,  # 'UЅ' (U+0055 U+0405): a look-alike letter is named
        )
    currency = frame["salary_currency"]
    reasons.add_each(
        ~currency.isin(list(CURRENCIES)),
        "salary_currency: ",
        currency,
        " is not an ISO 4217 code",
        show=countries.shown,
    )
    return reasons


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: salaries.csv bytes -> `salaries` (codes mapped, job family derived, dups kept)."""
    frame = read_table(raw, FILE, COLUMNS, select=True)
    duplicate = frame.duplicated(keep="first")
    taken = snapshot_date(settings)
    # a download is a snapshot of the refresh day
    if frame.empty:
        raise SourceError(f"{FILE}: the file has a header but no rows")
    good, rejected = _reasons(frame, date.fromisoformat(taken) if taken else date.today()).split(
        frame
    )
    if good.empty:
        why = "; ".join(f"{k} ({v:,})" for k, v in reason_counts([rejected]).items())
        raise SourceError(f"{FILE}: every one of the {len(frame):,} rows was set aside: {why}")
    family = families(good["job_title"])
    table = pd.DataFrame(
        {
            "source": NAME,
            "work_year": good["work_year"],
            "experience_level": good["experience_level"].map(LEVELS),
            "employment_type": good["employment_type"].map(EMPLOYMENT),
            "job_title": good["job_title"],
            "job_family": family,
            "salary": good["salary"],
            "salary_currency": good["salary_currency"],
            "salary_usd": good["salary_in_usd"],
            "employee_residence": good["employee_residence"],
            "company_country": good["company_location"],
            "remote_ratio": good["remote_ratio"],
            "company_size": good["company_size"],
            # extras for the dashboard
            "exact_duplicate": duplicate[good.index].astype(bool),
            "employee_residence_name": good["employee_residence"].map(COUNTRIES),
            "company_country_name": good["company_location"].map(COUNTRIES),
        }
    ).reset_index(drop=True)
    years = pd.to_numeric(table["work_year"], errors="coerce")
    if years.notna().sum() == 0:
        raise SourceError(f"{FILE}: no row has a readable work_year")
    counts = family.value_counts()
    snapshot = snapshot_date(settings)
    first, last = int(years.min()), int(years.max())
    stats = {
        "rows_in": int(len(frame)),
        # The snapshot's date, not a work year: 2025 in a January 2025 snapshot is a few weeks.
        "as_of": snapshot,
        "as_of_is_retrieval_date": snapshot is None,
        "as_of_note": (
            f"snapshot file dated {snapshot}" if snapshot else "downloaded on the refresh date"
        )
        + f"; work years {first}–{last}",
        "work_years": [first, last],
        "duplicates_kept": int(table["exact_duplicate"].sum()),
        "duplicates_note": (
            "exact duplicate rows are kept: the source counts each as a separate salary report; "
            "salaries.exact_duplicate is true for every repeat after the first"
        ),
        "job_families": {str(k): int(v) for k, v in counts.items()},
        "job_family_rules": {
            "file": "etl/sources/aijobs/job_families.csv",
            "sha256": FAMILIES_SHA256,
        },
        "family_occupations": {"file": "etl/sources/aijobs/family_soc.csv", "sha256": SOC_SHA256},
        "family_sectors": {
            "file": "etl/sources/aijobs/family_sectors.csv",
            "sha256": SECTORS_SHA256,
        },
        "unmapped_job_titles": other_bucket(good["job_title"], family),
    }
    return Normalized(
        tables={
            "salaries": table,
            "family_occupations": FAMILY_SOC.assign(source=NAME),
            "family_sectors": FAMILY_SECTORS.assign(source=NAME),
        },
        rejected={"salaries": rejected.reset_index(drop=True)} if len(rejected) else {},
        stats=stats,
    )


SOURCE = Source(
    name=NAME,
    title="aijobs.net salaries: salary reports for AI, ML and data roles",
    homepage=URL,
    licence="CC0 1.0 (public domain dedication)",
    licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
    attribution="aijobs.net salaries",
    tables=("salaries", "family_occupations", "family_sectors"),
    files=files,
    normalize=normalize,
    # The job family rules and the two mappings are data normalize depends on: a change to
    # any of them re-normalizes.
    version=f"1+rules.{FAMILIES_SHA256[:12]}+soc.{SOC_SHA256[:12]}+sectors.{SECTORS_SHA256[:12]}",
)


def main(argv: list[str]) -> int:
    """`python -m etl.sources.aijobs FILE`: job families and the Other bucket of a salaries CSV."""
    if len(argv) != 1:
        print("usage: python -m etl.sources.aijobs SALARIES_CSV", file=sys.stderr)
        return 2
    path = Path(argv[0])
    titles = read_table({path.name: path}, path.name, ("job_title",))["job_title"]
    family = families(titles)
    print(family.value_counts().to_string())
    bucket = other_bucket(titles, family, top=50)
    print(f"\nOther: {bucket['rows']} rows, {bucket['distinct']} distinct titles")
    for title, n in bucket["top"].items():
        print(f"  {n:>6}  {title}")
    return 0
