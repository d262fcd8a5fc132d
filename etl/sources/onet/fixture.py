"""The onet fixture: the five tab-separated O*NET text files.

Clean hand-made raw files in which every row maps and passes the contract: `raw()` gives
them by file name. A unit test appends the faulty rows it needs.
"""

from __future__ import annotations


def tsv(*rows: str) -> bytes:
    """Tab-separated text with CRLF line ends, as O*NET ships it."""
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def onet_education_row(
    code: str, category: str, value: str, suppress: str = "N", n: str = "20"
) -> str:
    """One row of the Education, Training, and Experience file for scale RL."""
    source = "Occupational Expert" if n == "n/a" else "Incumbent"
    return "\t".join(
        [code, "2.D.1", "Required Level of Education", "RL", category, value, n, "0"]
        + ["n/a", "n/a", suppress, "07/2019" if n == "n/a" else "08/2023", source]
    )


ONET_OCCUPATIONS = tsv(
    "O*NET-SOC Code\tTitle\tDescription",
    "15-2041.00\tStatisticians\tDevelop or apply mathematical or statistical theory.",
    "15-2051.00\tData Scientists\tDevelop and implement a set of techniques.",
    "11-1011.00\tChief Executives\tDetermine and formulate policies.",
)
ONET_TECHNOLOGY = tsv(
    "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand",
    "15-2051.00\tPython\t43232403\tObject or component oriented development software\tY\tY",
    "15-2051.00\tSAS\t43232402\tAnalytical or scientific software\tY\tN",
    "15-2041.00\tR\t43232403\tObject or component oriented development software\tN\tN",
)
ONET_EDUCATION = tsv(
    "O*NET-SOC Code\tElement ID\tElement Name\tScale ID\tCategory\tData Value\tN\t"
    "Standard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tDate\tDomain Source",
    onet_education_row("15-2041.00", "1", "10.00"),
    onet_education_row("15-2041.00", "2", "60.50"),
    onet_education_row("15-2041.00", "3", "29.50", suppress="Y"),
    onet_education_row("11-1011.00", "1", "100.00", suppress="n/a", n="n/a"),
    # another scale (Related Work Experience): counted, not part of `education`
    "15-2041.00\t3.A.1\tRelated Work Experience\tRW\t1\t50.00\t20\t0\tn/a\tn/a\tN\t08/2023\t"
    "Incumbent",
)
ONET_CATEGORIES = tsv(
    "Element ID\tElement Name\tScale ID\tCategory\tCategory Description",
    "2.D.1\tRequired Level of Education\tRL\t1\tLess than a High School Diploma",
    "2.D.1\tRequired Level of Education\tRL\t2\t"
    "High School Diploma - or the equivalent (for example, GED)",
    "2.D.1\tRequired Level of Education\tRL\t3\tMaster's Degree",
    "3.A.1\tRelated Work Experience\tRW\t1\tNone",
)
ONET_JOB_ZONES = tsv(
    "O*NET-SOC Code\tJob Zone\tDate\tDomain Source",
    "15-2041.00\t5\t08/2023\tAnalyst",
    "15-2051.00\t5\t08/2023\tAnalyst",
)


def raw() -> dict[str, bytes]:
    return {
        "Occupation Data.txt": ONET_OCCUPATIONS,
        "Technology Skills.txt": ONET_TECHNOLOGY,
        "Education, Training, and Experience.txt": ONET_EDUCATION,
        "Education, Training, and Experience Categories.txt": ONET_CATEGORIES,
        "Job Zones.txt": ONET_JOB_ZONES,
    }
