"""The aijobs fixture: a salaries.csv of a few reports.

Clean hand-made raw files in which every row maps and passes the contract: `raw()` gives
them by file name. A unit test appends the faulty rows it needs.
"""

from __future__ import annotations

AIJOBS_HEADER = (
    "work_year,experience_level,employment_type,job_title,salary,salary_currency,salary_in_usd,"
    "employee_residence,remote_ratio,company_location,company_size\n"
)
AIJOBS_ROWS = [
    "2024,SE,FT,Machine Learning Engineer,200000,USD,200000,US,0,US,M",
    "2024,SE,FT,Machine Learning Engineer,200000,USD,200000,US,0,US,M",  # exact duplicate
    "2024,SE,FT,Machine Learning Engineer,200000,USD,200000,US,0,US,M",  # and another
    "2023,EN,PT,Data Analyst,40000,EUR,43000,DE,50,DE,S",
    "2025,MI,CT,Data Scientist,90000,GBP,114000,GB,100,IE,L",
    "2022,EX,FL,Head of Data,300000,USD,300000,CA,100,US,M",
    "2024,MI,FT,Engineer,120000,USD,120000,US,0,US,M",  # generic title: Other by an explicit rule
    "2024,MI,FT,Underwater Basket Weaver,50000,USD,50000,US,0,US,M",  # no rule matches: Other
]


def aijobs_csv(rows: list[str]) -> bytes:
    """A salaries.csv with the source's header and these rows."""
    return (AIJOBS_HEADER + "\n".join(rows) + "\n").encode()


def raw() -> dict[str, bytes]:
    return {"salaries.csv": aijobs_csv(AIJOBS_ROWS)}
