"""Pay in comparable units: US dollars of one year (CPI-U) or international dollars (PPP)."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from dashboard.data.core import cached, run, table

MONEY = ("usd", "real", "ppp")  # as reported (US dollars), CPI-U adjusted, PPP


@cached(max_entries=16)
def money_basis(key: str) -> dict[str, Any]:
    """What each unit rests on: `real_year` (the latest complete year of CPI-U, the dollars a
    `real` figure is in) and `ppp_year` (the latest year any country has a PPP factor); None
    when the prices are not loaded."""
    annual = table(key, "cpi_annual")
    ppp = table(key, "ppp")
    real_year = ppp_year = None
    if annual is not None:
        frame = run(annual.aggregate(year=annual.year.max()))
        real_year = (
            None if frame.empty or pd.isna(frame.loc[0, "year"]) else int(frame.loc[0, "year"])
        )
    if ppp is not None:
        frame = run(ppp.aggregate(year=ppp.year.max()))
        ppp_year = (
            None if frame.empty or pd.isna(frame.loc[0, "year"]) else int(frame.loc[0, "year"])
        )
    return {"real_year": real_year, "ppp_year": ppp_year}


@cached(max_entries=16)
def cpi_factors(key: str) -> pd.DataFrame:
    """Per work year of the salary reports: `factor`, the CPI-U annual average of the base year
    (the latest complete one) over that of the work year; 1 for a work year after the base
    year (already in its dollars, as near as the index says)."""
    annual = table(key, "cpi_annual")
    salaries = table(key, "salaries")
    if annual is None or salaries is None:
        return pd.DataFrame({"work_year": pd.Series(dtype="int64"), "factor": []})
    index = run(annual.select("year", "index")).set_index("year")["index"]
    years = run(salaries.select("work_year").distinct())["work_year"].dropna().astype(int)
    base = float(index.loc[index.index.max()])
    factors = [base / float(index.loc[y]) if y in index.index else 1.0 for y in years]
    return pd.DataFrame({"work_year": years.to_numpy(dtype="int64"), "factor": factors})


@cached(max_entries=16)
def lcu_per_usd(key: str) -> dict[tuple[str, int], float]:
    """(currency, work year) -> local currency per US dollar, as the salary file's own reports
    convert it: the median of salary ÷ salary_usd over the reports paid in that currency. One
    read per data version, shared by the reports' conversion and the offer's."""
    t = table(key, "salaries")
    if t is None:
        return {}
    frame = run(t.select("salary_currency", "work_year", "salary", "salary_usd"))
    paid = frame.loc[(frame["salary"] > 0) & (frame["salary_usd"] > 0)]
    ratio = (paid["salary"] / paid["salary_usd"]).rename("rate")
    rates = pd.concat([paid[["salary_currency", "work_year"]], ratio], axis=1)
    medians = rates.groupby(["salary_currency", "work_year"])["rate"].median()
    return {(str(c), int(y)): float(r) for (c, y), r in medians.items()}


def _nearest(rates: dict[tuple[str, int], float], currency: str, year: int) -> float | None:
    """The rate of `currency` in `year`, else in the nearest year with one (earlier on a tie)."""
    years = sorted((y for c, y in rates if c == currency), key=lambda y: (abs(y - year), y))
    return rates[(currency, years[0])] if years else None


@cached(max_entries=16)
def ppp_factors(key: str) -> pd.DataFrame:
    """Per (employee_residence, work_year, salary_currency) of the salary reports: the report in
    international dollars is `salary × f_local + salary_usd × f_usd`. Paid in the residence
    country's own currency: its amount ÷ that country's PPP factor (f_local). Paid in another
    currency: its USD amount brought to the residence currency at the rate the file implies for
    that year (f_usd). `ppp_year` is the PPP year used (the latest one for later work years);
    groups with no PPP factor, or no rate for their currency, are not listed."""
    columns = ["employee_residence", "work_year", "salary_currency", "f_local", "f_usd"]
    empty = pd.DataFrame(columns=[*columns, "ppp_year"])
    ppp, salaries = table(key, "ppp"), table(key, "salaries")
    if ppp is None or salaries is None:
        return empty
    factors = run(ppp.select("country", "year", "lcu_per_intl_dollar", "currency"))
    rates = lcu_per_usd(key)
    groups = run(salaries.select(*columns[:3]).distinct())
    by_country = {c: f.sort_values("year") for c, f in factors.groupby("country")}
    rows = []
    for country, year, paid_in in groups.itertuples(index=False):
        own = by_country.get(country)
        if own is None or own.empty:
            continue
        usable = own.loc[own["year"] <= year]
        row = (usable if len(usable) else own).iloc[-1]
        ppp_value, currency = float(row["lcu_per_intl_dollar"]), str(row["currency"])
        if paid_in == currency:
            f_local, f_usd = 1.0 / ppp_value, 0.0
        else:
            rate = 1.0 if currency == "USD" else _nearest(rates, currency, int(year))
            if rate is None:
                continue
            f_local, f_usd = 0.0, rate / ppp_value
        rows.append((country, int(year), paid_in, f_local, f_usd, int(row["year"])))
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=[*columns, "ppp_year"])
    return out.astype({"work_year": "int64", "ppp_year": "int64", "f_local": "float64"})


def convert(key: str, t: Any, money: str) -> Any:
    """The salary rows `t` (an Ibis expression) with `pay`: salary_usd as reported, in US dollars
    of the CPI base year, or in international dollars (rows with no PPP factor left out)."""
    if money == "usd":
        return t.mutate(pay=t.salary_usd.cast("float64"))
    if money == "real":
        factors = ibis.memtable(cpi_factors(key))
        joined = t.left_join(factors, "work_year")
        joined = joined.drop(*[c for c in joined.columns if c.endswith("_right")])
        return joined.mutate(pay=joined.salary_usd * joined.factor.fill_null(1.0)).drop("factor")
    if money == "ppp":
        factors = ibis.memtable(ppp_factors(key).drop(columns=["ppp_year"]))
        keys = ["employee_residence", "work_year", "salary_currency"]
        joined = t.join(factors, keys)
        pay = joined.salary * joined.f_local + joined.salary_usd * joined.f_usd
        return joined.mutate(pay=pay).drop("f_local", "f_usd")
    raise ValueError(f"unknown money unit {money!r}; known: {', '.join(MONEY)}")


@cached(max_entries=64)
def conversion_words(key: str, money: str, countries: tuple[str, ...] = ()) -> str:
    """The factors a unit used, for an export's About: CPI-U factors per work year, or the PPP
    factor and year of each residence country (of `countries`, or all)."""
    if money == "real":
        factors = cpi_factors(key).sort_values("work_year")
        year = money_basis(key)["real_year"]
        parts = [f"{int(y)} ×{f:.4f}" for y, f in zip(factors["work_year"], factors["factor"])]
        return f"CPI-U annual average of {year} ÷ that of the work year: " + ", ".join(parts)
    if money == "ppp":
        used = ppp_factors(key)
        if countries:
            used = used.loc[used["employee_residence"].isin(countries)]
        ppp = table(key, "ppp")
        if ppp is None or used.empty:
            return "no PPP factor applies"
        factors = run(ppp.select("country", "year", "lcu_per_intl_dollar", "currency"))
        pairs = used[["employee_residence", "ppp_year"]].drop_duplicates()
        rows = factors.merge(
            pairs, left_on=["country", "year"], right_on=["employee_residence", "ppp_year"]
        ).sort_values(["country", "year"])
        parts = [
            f"{r.country} {r.year} {r.lcu_per_intl_dollar:.6g} {r.currency}"
            for r in rows.itertuples(index=False)
        ]
        return "PPP factor (local currency per international dollar), year used: " + "; ".join(
            parts
        )
    return "as reported"


def offer_pay(
    key: str,
    money: str,
    usd: float | None,
    amount: float | None,
    currency: str,
    country: str | None,
    year: int | None,
) -> float | None:
    """An offer in `money`'s unit, converted as a report of that country and year would be:
    `usd` (its USD value) scaled by CPI-U, or `amount` in international dollars (through the
    country's currency at the file's own rate when paid in another one). None: no factor."""
    if usd is None or money == "usd":
        return usd
    if money == "real":
        factors = cpi_factors(key).set_index("work_year")["factor"]
        return usd * float(factors.get(year, 1.0)) if year is not None else usd
    if country is None or year is None:
        return None
    ppp = table(key, "ppp")
    if ppp is None:
        return None
    own = run(ppp.filter(ppp.country == country).select("year", "lcu_per_intl_dollar", "currency"))
    if own.empty:
        return None
    own = own.sort_values("year")
    usable = own.loc[own["year"] <= year]
    row = (usable if len(usable) else own).iloc[-1]
    if currency == row["currency"] and amount is not None:
        return amount / float(row["lcu_per_intl_dollar"])
    if row["currency"] == "USD":
        return usd / float(row["lcu_per_intl_dollar"])
    rate = _nearest(lcu_per_usd(key), str(row["currency"]), int(year))
    return None if rate is None else usd * rate / float(row["lcu_per_intl_dollar"])
