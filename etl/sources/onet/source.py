"""The `onet` source: the O*NET 29.2 Database (CC BY 4.0), tab-separated text files.

Technology Skills + Occupation Data -> `skills` (one technology per occupation, with the Hot
Technology / In Demand flags). Education, Training, and Experience, scale RL (required level of
education), + its Categories -> `education` (% of respondents per education level and occupation).
Occupation Data + Job Zones -> the extra table `occupations` (which occupations have skills and
education rows, so the dashboard can say when an occupation has no data).

In production the files are members of the database's text zip; a mirror holds them as files.
"""

from __future__ import annotations

import codecs
import csv

import pandas as pd

from etl.config import Settings
from etl.sources.base import (
    Normalized,
    Raw,
    RawFile,
    RawFiles,
    Reasons,
    Source,
    SourceError,
    chunks,
    head,
    read_table,
)

NAME = "onet"
RELEASE = "29.2"
RELEASE_MONTH = "2025-02"
ZIP_URL = f"https://www.onetcenter.org/dl_files/database/db_{RELEASE.replace('.', '_')}_text.zip"
HOMEPAGE = "https://www.onetcenter.org/database.html"
MIRROR_DIR = "onet"
CODE = "O*NET-SOC Code"

OCCUPATIONS = "Occupation Data.txt"
TECHNOLOGY = "Technology Skills.txt"
EDUCATION = "Education, Training, and Experience.txt"
CATEGORIES = "Education, Training, and Experience Categories.txt"
JOB_ZONES = "Job Zones.txt"

FILES: dict[str, tuple[str, ...]] = {
    OCCUPATIONS: (CODE, "Title", "Description"),
    TECHNOLOGY: (
        CODE,
        "Example",
        "Commodity Code",
        "Commodity Title",
        "Hot Technology",
        "In Demand",
    ),
    EDUCATION: (CODE, "Scale ID", "Category", "Data Value", "N", "Recommend Suppress", "Date"),
    CATEGORIES: ("Scale ID", "Category", "Category Description"),
    JOB_ZONES: (CODE, "Job Zone"),
}
EDUCATION_SCALE = "RL"  # Required Level of Education: % of respondents per category
FLAGS = {"Y": True, "N": False}


def files(settings: Settings) -> list[RawFile]:
    return [
        RawFile(
            name=name,
            url=ZIP_URL,
            mirror_path=f"{MIRROR_DIR}/{name}",
            required_columns=columns,
            separator="\t",
            zip_member=name,
        )
        for name, columns in FILES.items()
    ]


def encoding_of(data: Raw) -> str:
    """The text encoding of an O*NET file: UTF-8 when it decodes as such, else Windows-1252.

    The files of 29.2 are plain ASCII; older releases shipped non-ASCII characters (e.g. in
    occupation descriptions) in other encodings, so do not assume UTF-8. A file is decoded a
    chunk at a time, never held whole.
    """
    if head(data, 3) == b"\xef\xbb\xbf":
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        if _decodes(data, encoding):
            return encoding
    return "latin-1"


def _decodes(data: Raw, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in chunks(data):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read(raw: RawFiles, name: str) -> tuple[pd.DataFrame, str]:
    """One O*NET file as trimmed strings, and the encoding it was decoded with."""
    encoding = encoding_of(raw.get(name, b""))
    frame = read_table(
        raw, name, FILES[name], separator="\t", quoting=csv.QUOTE_NONE, encoding=encoding
    )
    return frame, encoding


def _skills(tech: pd.DataFrame, titles: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    reasons = Reasons(tech.index)
    for raw_name, name in (("Hot Technology", "hot_technology"), ("In Demand", "in_demand")):
        reasons.add_each(
            ~tech[raw_name].isin(list(FLAGS)), f"{name}: expected Y or N, got ", tech[raw_name]
        )
    good, bad = reasons.split(tech)
    table = pd.DataFrame(
        {
            "source": NAME,
            "skill": good["Example"],
            "category": good["Commodity Title"].mask(good["Commodity Title"] == ""),
            "occupation_code": good[CODE],
            "occupation": good[CODE].map(titles),
            "importance": None,
            "hot_technology": good["Hot Technology"].map(FLAGS).astype("boolean"),
            "in_demand": good["In Demand"].map(FLAGS).astype("boolean"),
            "commodity_code": good["Commodity Code"],
        }
    ).reset_index(drop=True)
    return table, bad.reset_index(drop=True)


def short_level(description: str) -> str:
    """The heading of an O*NET education category ('Bachelor's Degree', 'Post-Secondary
    Certificate'), without the explanation after ' - '."""
    return description.split(" - ", 1)[0].strip()


def _education(
    edu: pd.DataFrame, categories: pd.DataFrame, titles: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rl = edu.loc[edu["Scale ID"] == EDUCATION_SCALE]
    cats = categories.loc[categories["Scale ID"] == EDUCATION_SCALE]
    if cats.empty:
        raise SourceError(f"{CATEGORIES}: no categories for scale {EDUCATION_SCALE}")
    described = dict(zip(cats["Category"], cats["Category Description"], strict=True))
    reasons = Reasons(rl.index)
    reasons.add_each(
        ~rl[CODE].isin(list(titles)), "occupation: code ", rl[CODE], f" is not in {OCCUPATIONS}"
    )
    reasons.add_each(
        ~rl["Category"].isin(list(described)),
        "education_level: category ",
        rl["Category"],
        " is not described",
    )
    good, bad = reasons.split(rl)
    detail = good["Category"].map(described)
    suppress = good["Recommend Suppress"].map(FLAGS)  # 'n/a' (expert-rated rows) stays null
    table = pd.DataFrame(
        {
            "source": NAME,
            "occupation_code": good[CODE],
            "occupation": good[CODE].map(titles),
            "education_level": detail.map(short_level),
            "share_pct": good["Data Value"],
            "level_order": good["Category"],
            "education_level_detail": detail,
            "n_respondents": pd.to_numeric(good["N"], errors="coerce").astype("Int64"),
            "recommend_suppress": suppress.astype("boolean"),
            "data_date": good["Date"].str.replace(r"^(\d{2})/(\d{4})$", r"\2-\1", regex=True),
        }
    ).reset_index(drop=True)
    return table, bad.reset_index(drop=True)


def normalize(raw: RawFiles, settings: Settings) -> Normalized:
    """Pure: the O*NET text files -> `skills`, `education`, `occupations`."""
    read = {name: _read(raw, name) for name in FILES}
    frames = {name: frame for name, (frame, _) in read.items()}
    occ = frames[OCCUPATIONS]
    repeated = occ.loc[occ[CODE].duplicated(), CODE]
    if len(repeated):
        raise SourceError(f"{OCCUPATIONS}: occupation codes repeated: {sorted(set(repeated))[:5]}")
    titles = dict(zip(occ[CODE], occ["Title"], strict=True))
    skills, bad_skills = _skills(frames[TECHNOLOGY], titles)
    education, bad_education = _education(frames[EDUCATION], frames[CATEGORIES], titles)
    zones = frames[JOB_ZONES].drop_duplicates(CODE).set_index(CODE)["Job Zone"]
    with_skills = set(skills["occupation_code"])
    with_education = set(education["occupation_code"])
    occupations = pd.DataFrame(
        {
            "source": NAME,
            "occupation_code": occ[CODE],
            "occupation": occ["Title"],
            "description": occ["Description"].mask(occ["Description"] == ""),
            "job_zone": occ[CODE].map(zones),
            "has_skills": occ[CODE].isin(with_skills),
            "has_education": occ[CODE].isin(with_education),
        }
    )
    rejected = {}
    if len(bad_skills):
        rejected["skills"] = bad_skills
    if len(bad_education):
        rejected["education"] = bad_education
    no_title = skills["occupation"].isna()
    stats = {
        "rows_in": int(sum(len(f) for f in frames.values())),
        "as_of": f"{RELEASE} ({RELEASE_MONTH})",
        "as_of_note": f"O*NET database release {RELEASE}, published {RELEASE_MONTH}",
        "encodings": {name: enc for name, (_, enc) in read.items()},
        "education_scale": f"{EDUCATION_SCALE} (Required Level of Education)",
        "education_rows_other_scales": int(
            (frames[EDUCATION]["Scale ID"] != EDUCATION_SCALE).sum()
        ),
        "occupations": int(len(occ)),
        "occupations_with_skills": len(with_skills),
        "occupations_with_education": len(with_education),
        "occupations_with_skills_but_no_education": len(with_skills - with_education),
        "skills_without_occupation_title": int(no_title.sum()),
    }
    return Normalized(
        tables={"skills": skills, "education": education, "occupations": occupations},
        rejected=rejected,
        stats=stats,
    )


SOURCE = Source(
    name=NAME,
    title=f"O*NET {RELEASE} Database (technology skills, education, job zones)",
    homepage=HOMEPAGE,
    licence="CC BY 4.0",
    licence_url="https://www.onetcenter.org/license_db.html",
    attribution=(
        f"O*NET {RELEASE} Database by the U.S. Department of Labor, Employment and Training "
        "Administration (USDOL/ETA). Used under the CC BY 4.0 license."
    ),
    tables=("skills", "education", "occupations"),
    files=files,
    normalize=normalize,
    version=1,
    max_mb=300,  # the whole O*NET text database comes as one zip archive
)
