"""The prices fixture: PPP factors of five countries and US CPI-U for two years and a quarter.

Clean hand-made raw files in which every row maps and passes the contract: `raw()` gives them
by file name. Panama has two legal tenders (PAB and USD: the balboa is its own); 2020 and 2021
have their 12 months, 2022 only its first three (a year in progress: no annual mean yet). A unit
test appends the faulty rows it needs.
"""

from __future__ import annotations

PPP_HEADER = "Country,Country ID,Year,PPP\n"
PPP_GDP = (
    PPP_HEADER
    + '"United Kingdom",GB,2021,0.689\n'
    + '"United Kingdom",GB,2020,0.7\n'
    + '"Germany",DE,2021,0.74\n'
    + '"India",IN,2021,23.1\n'
    + '"United States",US,2021,1\n'
    + '"Panama",PA,2021,0.45\n'
).encode()
CPI_HEADER = "Date,Index,Inflation\n"
CPI_MONTHS_2020 = (
    257.971,
    258.678,
    258.115,
    256.389,
    256.394,
    257.797,
    259.101,
    259.918,
    260.28,
    260.388,
    260.229,
    260.474,
)
CPI_MONTHS_2021 = (
    261.582,
    263.014,
    264.877,
    267.054,
    269.195,
    271.696,
    273.003,
    273.567,
    274.31,
    276.589,
    277.948,
    278.802,
)
CPI_US = (
    CPI_HEADER
    + "".join(f"2020-{m:02d}-01,{v},\n" for m, v in enumerate(CPI_MONTHS_2020, start=1))
    + "".join(f"2021-{m:02d}-01,{v},\n" for m, v in enumerate(CPI_MONTHS_2021, start=1))
    + "2022-01-01,281.148,0.84\n"
    + "2022-02-01,283.716,0.91\n"
    + "2022-03-01,287.504,1.34\n"
).encode()


def raw() -> dict[str, bytes]:
    return {"ppp-gdp.csv": PPP_GDP, "cpiai.csv": CPI_US}
