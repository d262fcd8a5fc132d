"""The bls_oews fixture: BLS's OEWS time-series flat files (tab-separated, CRLF, padded).

Clean hand-made raw files in which every row maps and passes the contract: `raw()` gives
them by file name. A unit test appends the faulty rows it needs.
"""

from __future__ import annotations


def tsv(*rows: str) -> bytes:
    """Tab-separated text with CRLF line ends, as BLS ships it."""
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


OEWS_DATATYPES = [f"{i:02d}" for i in range(1, 18)]


def oews_series(areatype: str, area: str, industry: str, occupation: str, values: list) -> list:
    """The 17 datatype lines of one area x industry x occupation, as BLS pads them. A value is a
    number, or ('-', footnote codes)."""
    lines = []
    for datatype, value in zip(OEWS_DATATYPES, values, strict=True):
        text, notes = value if isinstance(value, tuple) else (value, "")
        series = f"OEU{areatype}{area}{industry}{occupation}{datatype}"
        lines.append(f"{series:<30}\t2025\tA01\t{text:>12}\t{notes}")
    return lines


# employment, emp RSE, hourly mean, annual mean, wage RSE, hourly p10-p90, annual p10-p90,
# per 1,000 jobs, location quotient
OEWS_DS_US = [245900, 1.9, 60.96, 126800, 0.8, 29.89, 40.45, 54.81, 74.67, 94.09]
OEWS_DS_US += [62170, 84130, 114010, 155320, 195690, 1.57, 1.0]
OEWS_SWDEV_US = [1656880, 0.9, 73.91, 153720, 0.5, 40.34, 52.45, 69.50, 88.85]
OEWS_SWDEV_US += [("-", "5"), 83910, 109090, 144570, 184810, ("-", "5"), 10.59, 1.0]
OEWS_DS_CA = [41410, 4.4, 76.47, 159050, 1.6, 37.47, 50.64, 70.41, 94.96, 112.84]
OEWS_DS_CA += [77940, 105330, 146450, 197510, 234700, 2.25, 1.43]
OEWS_ALL_US = [154432000, 0.1, 33.69, 70070, 0.1, 15.23, 18.06, 24.08, 38.05, 55.94]
OEWS_ALL_US += [31680, 37560, 50090, 79140, 116360, 1000.0, 1.0]
OEWS_TUTOR_SF = [("-", "8"), ("-", "8"), 26.11, ("-", "4"), 3.1, 17.48, 19.91, 23.98, 29.88]
OEWS_TUTOR_SF += [37.24, ("-", "4"), ("-", "4"), ("-", "4"), ("-", "4"), ("-", "4"), 0.42, 0.8]

OEWS_DATA = tsv(
    f"{'series_id':<30}\tyear\tperiod\t{'value':>12}\tfootnote_codes",
    *oews_series("N", "0000000", "000000", "000000", OEWS_ALL_US),
    *oews_series("N", "0000000", "000000", "152051", OEWS_DS_US),
    *oews_series("N", "0000000", "000000", "151252", OEWS_SWDEV_US),
    *oews_series("S", "0600000", "000000", "152051", OEWS_DS_CA),
    *oews_series("M", "0041860", "000000", "253041", OEWS_TUTOR_SF),
)
OEWS_AREA = tsv(
    "state_code\tarea_code\tareatype_code\tarea_name",
    "00\t0000000\tN\tNational",
    "06\t0600000\tS\tCalifornia",
    "06\t0041860\tM\tSan Francisco-Oakland-Fremont, CA",
)
OEWS_OCCUPATION = tsv(
    "occupation_code\toccupation_name\tdisplay_level\tselectable\tsort_sequence",
    "000000\tAll Occupations\t0\tT\t1",
    "151252\tSoftware Developers\t3\tT\t2",
    "152051\tData Scientists\t3\tT\t3",
    "253041\tTutors\t3\tT\t4",
)
OEWS_INDUSTRY = tsv(
    "industry_code\tindustry_name\tdisplay_level\tselectable\tsort_sequence",
    "000000\tCross-Industry, Private, Federal, State, and Local\t0\tT\t1",
    "11--12\tSector 11 - Agriculture, Forestry, Fishing and Hunting\t1\tT\t2",
)
OEWS_DATATYPE = tsv(
    "datatype_code\tdatatype_name",
    *(f"{code}\tdatatype {code}" for code in OEWS_DATATYPES),
)
OEWS_FOOTNOTE = tsv(
    "footnote_code\tfootnote_text",
    "4\tWages for some occupations that do not generally work year-round are reported as hourly.",
    "5\tThis wage is equal to or greater than $115.00 per hour or $239,200 per year.",
    "8\tEstimate not released.",
)
OEWS_RELEASE = tsv("release_date\tdescription", "2025A01\tMay 2025")


def oews_raw(data: bytes = OEWS_DATA) -> dict[str, bytes]:
    return {
        "oe.data.0.Current": data,
        "oe.area": OEWS_AREA,
        "oe.occupation": OEWS_OCCUPATION,
        "oe.industry": OEWS_INDUSTRY,
        "oe.datatype": OEWS_DATATYPE,
        "oe.footnote": OEWS_FOOTNOTE,
        "oe.release": OEWS_RELEASE,
    }


def raw() -> dict[str, bytes]:
    return oews_raw()


# The dashboard fixture's OEWS: the rows above plus a major group, Data Scientists in a metro
# area (p90 top-coded) and in one NAICS sector and one industry group.
OEWS_CM_US = [5200000, 0.4, 55.0, 114400, 0.3, 22.0, 33.0, 50.0, 70.0, 90.0]
OEWS_CM_US += [45760, 68640, 104000, 145600, 187200, 33.7, 1.0]
OEWS_DS_SF = [6000, 5.0, 90.0, 187200, 2.0, 45.0, 65.0, 85.0, 110.0, ("-", "5")]
OEWS_DS_SF += [93600, 135200, 176800, 228800, ("-", "5"), 3.5, 2.2]
OEWS_DS_PRO = [70000, 3.0, 65.0, 135200, 1.0, 31.0, 43.0, 58.0, 79.0, 99.0]
OEWS_DS_PRO += [64480, 89440, 120640, 164320, 205920, ("-", ""), ("-", "")]
OEWS_DS_CSD = [27000, 4.0, 66.0, 137280, 1.2, 32.0, 44.0, 59.0, 80.0, 100.0]
OEWS_DS_CSD += [66560, 91520, 122720, 166400, 208000, ("-", ""), ("-", "")]
OEWS_DASHBOARD_DATA = OEWS_DATA + tsv(
    *oews_series("N", "0000000", "000000", "150000", OEWS_CM_US),
    *oews_series("M", "0041860", "000000", "152051", OEWS_DS_SF),
    *oews_series("N", "0000000", "54--55", "152051", OEWS_DS_PRO),
    *oews_series("N", "0000000", "541500", "152051", OEWS_DS_CSD),
)


def oews_dashboard_raw() -> dict[str, bytes]:
    """`oews_raw` with the dashboard fixture's extra rows and the lookups they need."""
    raw = oews_raw(OEWS_DASHBOARD_DATA)
    raw["oe.occupation"] += tsv("150000\tComputer and Mathematical Occupations\t0\tT\t5")
    raw["oe.industry"] += tsv(
        "54--55\tSector 54 - Professional, Scientific, and Technical Services\t1\tT\t3",
        "541500\tComputer Systems Design and Related Services\t4\tT\t4",
    )
    return raw
