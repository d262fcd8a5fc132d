"""The indeed fixture: two countries' index files, one sector file and the examples; the three
regional files (US states, Canadian provinces, UK regions) and the AI Tracker file.

Clean hand-made raw files in which every row maps and passes the contract: `raw()` gives
them by file name, `SETTINGS` the settings they are meant for. A unit test appends the faulty
rows it needs.
"""

from __future__ import annotations

INDEED_COUNTRIES = ("US", "EA")
INDEED_SECTOR_COUNTRIES = ("US",)
INDEED_AGGREGATE_HEADER = (
    "date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"
)
INDEED_US = (
    INDEED_AGGREGATE_HEADER
    + "2020-02-01,US,100,100,total postings\n"
    + "2020-02-02,US,100.5,99.25,total postings\n"
    + "2020-02-01,US,100,100,new postings\n"
    + "2020-02-02,US,98.1,97,new postings\n"
).encode()
# not in date order, like the real NL and GB files
INDEED_EA = (
    INDEED_AGGREGATE_HEADER
    + "2020-02-03,EA,101,102,total postings\n"
    + "2020-02-01,EA,100,100,total postings\n"
    + "2020-02-02,EA,100.2,100.4,total postings\n"
).encode()
INDEED_SECTOR_US = (
    b"date,jobcountry,indeed_job_postings_index,variable,display_name\n"
    b"2020-02-01,US,100,total postings,Software Development\n"
    b"2020-02-02,US,101.5,total postings,Software Development\n"
    b"2020-02-01,US,100,total postings,Mathematics\n"
)
INDEED_EXAMPLES = (
    b'sector,job_titles\nMathematics,"analyst, data scientist"\n'
    b'Software Development,"software engineer, full stack developer"\n'
)

# As published: lower-case state and province codes, UK regions and nations by name; the US file
# not in date order.
INDEED_STATES_US = (
    b"date,state,indeed_job_postings_index\n"
    b"2020-02-01,ca,100\n"
    b"2020-02-02,ca,101.25\n"
    b"2020-02-02,ny,98.5\n"
    b"2020-02-01,ny,100\n"
    b"2020-02-01,dc,100\n"
)
INDEED_PROVINCES_CA = (
    b"date,province,indeed_job_postings_index\n"
    b"2020-02-01,on,100\n"
    b"2020-02-02,on,99.5\n"
    b"2020-02-01,qc,100\n"
)
INDEED_REGIONS_GB = (
    b"date,region,indeed_job_postings_index\n"
    b"2020-02-01,East Midlands,100\n"
    b"2020-02-01,Yorkshire & the Humber,100\n"
    b"2020-02-01,Scotland,100\n"
    b"2020-02-02,Scotland,102\n"
)
INDEED_AI = (
    b"date,jobcountry,AI_share_postings\n"
    b"2019-01-01,US,2.5\n"
    b"2019-01-02,US,2.75\n"
    b"2019-01-01,GB,1.8\n"
    b"2019-01-02,GB,1.9\n"
)

# Settings the fixture is meant for (the files the source asks for depend on them).
SETTINGS = {
    "indeed_countries": INDEED_COUNTRIES,
    "indeed_sector_countries": INDEED_SECTOR_COUNTRIES,
}


def raw() -> dict[str, bytes]:
    return {
        "aggregate_job_postings_US.csv": INDEED_US,
        "aggregate_job_postings_EA.csv": INDEED_EA,
        "job_postings_by_sector_US.csv": INDEED_SECTOR_US,
        "sector-job-title-examples.csv": INDEED_EXAMPLES,
        "state_job_postings_us.csv": INDEED_STATES_US,
        "provincial_postings_ca.csv": INDEED_PROVINCES_CA,
        "regional_gb.csv": INDEED_REGIONS_GB,
        "AI_posting.csv": INDEED_AI,
    }
