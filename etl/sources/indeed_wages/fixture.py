"""The indeed_wages fixture: two countries (one the euro area) and two US sectors.

Clean hand-made raw files in which every row maps and passes the contract: `raw()` gives them
by file name. The first two months of a series have no 3-month average (`NA`), as published. A
unit test appends the faulty rows it needs.
"""

from __future__ import annotations

WAGES_COUNTRY_HEADER = (
    "jobcountry,country,month,n_obs,posted_wage_growth_yoy,posted_wage_growth_yoy_3moavg\n"
)
WAGES_BY_COUNTRY = (
    WAGES_COUNTRY_HEADER
    + "US,United States,Dec-19,120000,0.031,NA\n"
    + "US,United States,Jan-20,110000,0.032,NA\n"
    + "US,United States,Feb-20,105000,0.036,0.033\n"
    + "EA,Euro Area,Dec-19,50000,0.02,NA\n"
    + "EA,Euro Area,Jan-20,48000,0.021,NA\n"
    + "EA,Euro Area,Feb-20,47000,-0.005,0.012\n"
).encode()
WAGES_SECTOR_HEADER = (
    "jobcountry,country,sector,month,n_obs,posted_wage_growth_yoy,posted_wage_growth_yoy_3moavg\n"
)
WAGES_BY_SECTOR = (
    WAGES_SECTOR_HEADER
    + "US,United States,Software Development,Dec-19,9000,0.04,NA\n"
    + "US,United States,Software Development,Jan-20,8800,0.05,NA\n"
    + "US,United States,Software Development,Feb-20,8700,0.06,0.05\n"
    + "US,United States,Mathematics,Dec-19,700,0.02,NA\n"
    + "US,United States,Mathematics,Jan-20,650,0.025,NA\n"
    + "US,United States,Mathematics,Feb-20,640,0.03,0.025\n"
).encode()


def raw() -> dict[str, bytes]:
    return {
        "posted-wage-growth-by-country.csv": WAGES_BY_COUNTRY,
        "posted-wage-growth-by-sector.csv": WAGES_BY_SECTOR,
    }
