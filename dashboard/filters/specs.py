"""Every filter of the dashboard, its label, URL parameter(s), help and default, in one list."""

from __future__ import annotations

from dashboard.data import (
    AI_COUNTRIES,
    DEDUPE_DEFAULT,
    DEFAULT_REGIONS,
    DEFAULT_SECTORS,
    DEFAULT_TECHNOLOGIES,
    GROWTH_COUNTRIES,
    MOST_TECHNOLOGIES,
    WAGE_SECTORS,
)
from dashboard.filters.kinds import (
    Choice,
    DateRange,
    Multi,
    Number,
    Pick,
    Spec,
    Toggle,
    YearRange,
)

DEFAULT_OCCUPATIONS = ("15-2051.00", "15-1252.00", "15-1221.00", "15-2051.01")
DEFAULT_SOC = "15-2051"  # Data Scientists: the official occupation the Occupations page opens on
SEGMENTS = ("a", "b")
# Compare two segments opens on one level in two countries that both have salary reports and
# a postings index (A and B each filter on their own).
SEGMENT_DEFAULTS = {"a": {"country": ("US",)}, "b": {"country": ("GB",)}}
SEGMENT_LEVEL = ("Senior",)
# Streamlit's own URL parameters, never ours to judge.
RESERVED = ("embed", "embed_options")
WORK_YEAR_HELP = "Default: the latest work year the data covers completely."
YEAR_DOC = (
    "the latest work year the salary snapshot covers completely (2024 in the 2025-01-19 "
    "snapshot); salaries rose over the years, so pooling them mixes old and new pay. Years the "
    "snapshot covers only in part are marked *partial* wherever they are drawn. The full range "
    "is `year_from=2020&year_to=2025`"
)


def segment_specs(side: str) -> tuple[Spec, ...]:
    """Segment `side`'s filters on the Compare page: its own copy of each salary filter
    (`a_country` takes the values of `residence`), so A and B are set independently."""
    own = SEGMENT_DEFAULTS.get(side, {})
    return (
        Multi(
            f"{side}_country",
            "Country",
            (f"{side}_country",),
            "Where the employee lives, or where the company is when *Salary country means* "
            "(above the segments) says company location. Empty = all countries.",
            like="residence",
            wanted=own.get("country", ()),
            doc_values="as `country`, several allowed",
            doc_default="`US` and `GB`",
        ),
        Multi(
            f"{side}_level",
            "Experience level",
            (f"{side}_level",),
            "Empty = all levels.",
            like="level",
            wanted=SEGMENT_LEVEL,
            doc_values="as `level`",
            doc_default="`Senior` for both",
        ),
        Multi(
            f"{side}_family",
            "Job family",
            (f"{side}_family",),
            "Derived from the job title. Empty = all families.",
            like="family",
            doc_values="as `family`",
        ),
        YearRange(
            f"{side}_years",
            "Work year",
            (f"{side}_year_from", f"{side}_year_to"),
            WORK_YEAR_HELP,
            like="years",
            doc_values="as `year_from`, `year_to`",
            doc_default="the latest complete work year",
        ),
        Multi(
            f"{side}_remote",
            "Remote ratio",
            (f"{side}_remote",),
            "Empty = any remote ratio.",
            like="remote",
            doc_values="as `remote`",
            doc_default="any",
        ),
        Pick(
            f"{side}_sector",
            f"Sector of {side.upper()}'s openings line",
            (f"{side}_sector",),
            "Openings only: the sector's postings index in the segment's country. Empty = "
            "all postings.",
            like="sector",
            doc_values="as `sector`, one value",
            doc_default="none (the country's index of all postings)",
        ),
    )


def _buttons(name: str, label: str, help: str, values: tuple[str, ...]) -> Multi:
    """A short list drawn as buttons, its first value chosen by default."""
    listed = ", ".join(f"`{v}`" for v in values)
    return Multi(name, label, (name,), help, wanted=values[:1], segmented=True, doc_values=listed)


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Multi(
            "country",
            "Country",
            ("country",),
            "Empty = all countries.",
            doc_values="ISO 3166-1 alpha-2 codes present in the data (`EA` = euro area)",
        ),
        Choice(
            "country_of",
            "Salary country means",
            ("country_of",),
            "Which country of a salary report the country filter uses.",
            doc_values="`residence` (employee residence), `company` (company location); on "
            "Salaries, the Overview, the Offer check (its `residence` country) and Compare (both "
            "segments)",
            doc_default="`residence`",
        ),
        YearRange(
            "years",
            "Work year",
            ("year_from", "year_to"),
            "Default: the latest work year the data covers completely. Salaries rose over the "
            "years, so pooling them mixes old and new pay.",
            doc_values="years within the data",
            doc_default=YEAR_DOC,
        ),
        DateRange(
            "dates",
            "Dates",
            ("start", "end"),
            doc_values="ISO dates `YYYY-MM-DD` within the postings index",
            doc_default="the full range",
        ),
        Multi(
            "level",
            "Experience level",
            ("level",),
            "Empty = all levels.",
            doc_values="`Entry`, `Mid`, `Senior`, `Director`, `Executive`",
        ),
        Multi(
            "family",
            "Job family",
            ("family",),
            "Derived from the job title.",
            doc_values="the job families in the data",
        ),
        Multi(
            "employment",
            "Employment type",
            ("employment",),
            doc_values="`Full-time`, `Part-time`, `Contract`, `Freelance`",
        ),
        Multi("remote", "Remote ratio", ("remote",), doc_values="`0`, `50`, `100`"),
        Multi(
            "size",
            "Company size",
            ("size",),
            "Employees, as aijobs.net defines it.",
            doc_values="`S`, `M`, `L`",
        ),
        Multi(
            "sector",
            "Sector",
            ("sector",),
            "Indeed occupational sectors.",
            wanted=DEFAULT_SECTORS,
            doc_values="Indeed occupational sector names, e.g. `Software Development`",
        ),
        Multi(
            "occupation",
            "Occupation",
            ("occupation",),
            "O*NET occupations.",
            wanted=DEFAULT_OCCUPATIONS,
            doc_values="O\\*NET-SOC codes, e.g. `15-2051.00`",
        ),
        Pick(
            "soc",
            "Occupation (official)",
            ("soc",),
            "The ~830 detailed occupations BLS OEWS publishes, grouped by major group: type "
            "part of a title to search.",
            wanted=DEFAULT_SOC,
            doc_values="SOC 2018 codes BLS OEWS publishes, e.g. `15-1252`",
            doc_default="`15-2051` (Data Scientists)",
        ),
        Multi(
            "compare",
            "Compare with",
            ("compare",),
            "Up to three more occupations, drawn beside the chosen one.",
            needs="soc",
            most=3,
            doc_values="up to three SOC codes (more are dropped with a notice)",
            doc_default="none",
        ),
        Pick(
            "state",
            "US state",
            ("state",),
            "Adds the state's wages beside the national ones and limits the metro areas to "
            "those in the state. Empty = the whole US.",
            doc_values="ISO 3166-2:US codes, e.g. `US-CA`",
            doc_default="none (the whole US)",
        ),
        Choice(
            "map_measure",
            "Map shows",
            ("map",),
            doc_values="`annual_median`, `employment`, `employment_per_1000`, `location_quotient`",
            doc_default="`annual_median`",
        ),
        # The offer check: one value each (None = any), and the amount itself.
        Pick(
            "role",
            "Job family",
            ("role",),
            "Derived from the job title.",
            wanted="Data Scientist",
            doc_values="as `family`, one value",
        ),
        Pick(
            "seniority",
            "Experience level",
            ("seniority",),
            wanted="Senior",
            doc_values="as `level`, one value",
        ),
        Pick(
            "residence",
            "Country",
            ("residence",),
            "Where the employee lives, as aijobs.net reports it; on the Offer check, where the "
            "company is when *Salary country means* says company location.",
            wanted="US",
            doc_values="ISO 3166-1 alpha-2 codes of salary reports' residences (on the Offer "
            "check with `country_of=company`: the company's country)",
        ),
        Pick(
            "contract",
            "Employment type",
            ("contract",),
            wanted="Full-time",
            doc_values="as `employment`, one value",
        ),
        Pick(
            "work",
            "Remote ratio",
            ("work",),
            "Empty = any remote ratio.",
            doc_values="as `remote`, one value",
        ),
        Pick(
            "company",
            "Company size",
            ("company",),
            "Empty = any company size.",
            doc_values="as `size`, one value",
        ),
        Pick(
            "year",
            "Work year",
            ("year",),
            "The year the salary is paid.",
            latest_year=True,
            doc_values="a work year within the data",
            doc_default="the latest complete work year",
        ),
        Pick(
            "currency",
            "Currency",
            ("currency",),
            "Converted to USD at the rate the reports paid in that currency imply.",
            wanted="USD",
            doc_values="ISO 4217 codes salary reports were paid in",
        ),
        Pick(
            "official",
            "Occupation (official wages)",
            ("official",),
            "For a US offer: the BLS OEWS occupation to place the amount in. Empty = the job "
            "family's closest occupation (see the mapping on the Salaries page).",
            like="soc",
            empty="The job family's closest",
            doc_values="as `soc`, one value",
            doc_default="none (the job family's closest occupation)",
        ),
        Pick(
            "us_state",
            "US state (official wages)",
            ("us_state",),
            "For a US offer: adds the state's official wage percentiles (BLS OEWS) beside the "
            "national ones. Empty = national only.",
            empty="National only",
            doc_values="ISO 3166-2:US codes",
            doc_default="none (national only)",
        ),
        Number(
            "amount",
            "Annual amount",
            ("amount",),
            "Gross annual pay in the chosen currency, e.g. 150000.",
            needs="years",
            doc_values="a number ≥ 0, e.g. `150000` (`150,000` is read too)",
            doc_default="none",
        ),
        Choice(
            "metro_rank",
            "Rank metro areas by",
            ("metros",),
            doc_values="`annual_median`, `employment`",
            doc_default="`annual_median`",
        ),
        _buttons("posting", "Postings", "All postings or new ones only.", ("total", "new")),
        _buttons("adjust", "Adjustment", "Seasonal adjustment of the index.", ("sa", "nsa")),
        Toggle(
            "hot_only",
            "Hot technologies only",
            ("hot_only",),
            needs="occupation",
            doc_values="`1` / `0`",
        ),
        Choice(
            "money",
            "Pay shown in",
            ("money",),
            "As reported: the US dollars of each report's own year. US dollars of one year: "
            "each report scaled by the US consumer price index (CPI-U), a US price index. "
            "International dollars: what the pay buys where the person lives (World Bank PPP "
            "factors); reports without a factor for their country are left out and counted.",
            doc_values="`usd` (as reported), `real` (US dollars of the latest complete CPI-U "
            "year), `ppp` (international dollars)",
            doc_default="`usd`",
        ),
        Toggle(
            "dedupe",
            "Count identical reports once",
            ("dedupe",),
            "On by default. About half of the aijobs.net rows repeat another row field for "
            "field; the source has no report id, so a re-submitted report cannot be told from "
            "two people with the same pay. Counting them once keeps a repeated report from "
            "weighing double. Switch off to count every row as the source publishes it.",
            needs="years",
            on=DEDUPE_DEFAULT,
            doc_values="`1` / `0` (every salary view)",
            doc_default="`1`: about half of the aijobs.net rows repeat another row field for "
            "field and the source has no report id, so a re-submission cannot be told from two "
            "people with the same pay; counting them once keeps one report from weighing "
            "double. The Salaries page says how many rows the switch removes",
        ),
        Multi(
            "wage_country",
            "Countries",
            ("wage_country",),
            "Pay growth: the countries Indeed's wage tracker covers (EA = euro area). Empty = "
            "all of them.",
            wanted=GROWTH_COUNTRIES,
            doc_values="ISO 3166-1 alpha-2 codes of the wage tracker (`EA` = euro area)",
            doc_default="`US`, `GB`, `DE`",
        ),
        Multi(
            "wage_sector",
            "US sectors",
            ("wage_sector",),
            "Pay growth: the US occupational sectors Indeed tracks advertised pay for. Empty = "
            "all of them.",
            wanted=WAGE_SECTORS,
            doc_values="Indeed occupational sector names with a wage series, e.g. `Management`",
            doc_default="the tech sectors of `sector` that have a wage series, else "
            "`Management` (Indeed tracks no tech sector's pay in 2026)",
        ),
        # Openings below the country (Job openings page, beside the charts they steer).
        Pick(
            "region_country",
            "Regions of",
            ("region_country",),
            "The countries Indeed publishes a postings index for below the country: US "
            "states, Canadian provinces, UK regions and nations.",
            wanted="US",
            doc_values="`US`, `CA`, `GB`",
            doc_default="`US`",
        ),
        Choice(
            "region_measure",
            "Colour shows",
            ("region_map",),
            doc_values="`value` (the latest index), `change` (its change over 12 months, in "
            "index points)",
            doc_default="`value`",
        ),
        Choice(
            "where_view",
            "Show",
            ("where",),
            doc_values="`chart` (median wage against the postings change), `wage` (a map of "
            "the median wage), `change` (a map of the postings change)",
            doc_default="`chart`",
        ),
        Multi(
            "regions",
            "Regions drawn as lines",
            ("region",),
            "Only the regions of the country chosen above are drawn; with none of its "
            "regions chosen, a few defaults are.",
            wanted=tuple(r for r in DEFAULT_REGIONS if r.startswith("US-")),
            doc_values="ISO 3166-2 codes (`US-CA`, `CA-ON`, `GB-SCT`), or `GB-ENG-xx` for "
            "England's regions (`GB-ENG-LN` = London)",
            doc_default="`US-CA`, `US-NY`, `US-TX`, `US-WA`; a country none of whose regions "
            "is chosen draws a few defaults (`CA-ON`, `CA-QC`, `CA-BC`, `CA-AB`; "
            "`GB-ENG-LN` and the three nations)",
        ),
        Multi(
            "ai_country",
            "AI share: countries",
            ("ai_country",),
            "Skills: the countries Indeed's AI tracker covers. Empty = all of them.",
            wanted=AI_COUNTRIES,
            doc_values="ISO 3166-1 alpha-2 codes of the AI tracker",
            doc_default="`US`, `GB`, `CA`, `DE`",
        ),
        # Skills that pay: technologies set against the official wages of the occupations
        # that list them.
        Multi(
            "technology",
            "Technologies",
            ("tech",),
            "Up to four O*NET technologies, side by side: type part of a name to search.",
            wanted=DEFAULT_TECHNOLOGIES,
            most=MOST_TECHNOLOGIES,
            doc_values="O\\*NET technology names as published, e.g. `Python` (up to four)",
            doc_default="`Python`, `Microsoft Excel`, `Apache Spark`, `Tableau`",
        ),
        Toggle(
            "pay_hot",
            "Only occupations listing it as hot",
            ("tech_hot",),
            "Count an occupation only where O*NET marks the technology as hot (often named in "
            "its job postings).",
            needs="technology",
            doc_values="`1` / `0`",
        ),
        Pick(
            "pay_group",
            "Occupations of one major group",
            ("soc_group",),
            "Only occupations of one SOC major group, e.g. 15 Computer and Mathematical. "
            "Empty = every occupation.",
            empty="Every occupation",
            doc_values="SOC major group codes, two digits, e.g. `15`",
            doc_default="none (every occupation)",
        ),
        *(spec for side in SEGMENTS for spec in segment_specs(side)),
    )
}
PARAMS = {p: s.name for s in SPECS.values() for p in s.params}
# The filters of a salary figure, in sidebar order (Salaries and the Overview's salary card).
SALARY_FILTERS = (
    "country",
    "country_of",
    "years",
    "level",
    "family",
    "employment",
    "remote",
    "size",
    "money",
    "dedupe",
)
# The offer check's one-value picks and amount, in the order the page draws them.
OFFER_FILTERS = (
    *("amount", "currency", "role", "seniority", "residence", "country_of", "contract", "work"),
    *("company", "year", "official", "us_state", "money", "dedupe"),
)


def segment_names(side: str) -> tuple[str, ...]:
    """The filter names of segment `side`, in the order the page draws them."""
    return tuple(spec.name for spec in segment_specs(side))
