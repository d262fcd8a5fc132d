"""Words and numbers for people: money, counts, percent, index values, country names."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from etl.catalog import countries

# How the contract's coded values read on screen.
LABELS = {
    "remote": {"0": "On-site (0% remote)", "50": "Hybrid (50%)", "100": "Remote (100%)"},
    "size": {"S": "Small (<50)", "M": "Medium (50–250)", "L": "Large (>250)"},
    "posting": {"total": "All postings", "new": "New postings"},
    "adjust": {"sa": "Seasonally adjusted", "nsa": "Not adjusted"},
    "country_of": {"residence": "Employee residence", "company": "Company location"},
}
INDEX_AXIS = "Postings index (1 Feb 2020 = 100)"
USD_AXIS = "Salary (USD per year)"
TOP_CODE = 239_200.0  # BLS OEWS's annual top code (footnote 5): no higher wage is published


def missing(value: object) -> bool:
    """True for None, NaN and pd.NA."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


_MARKDOWN = str.maketrans({c: f"\\{c}" for c in "\\`*_[]~$<>|#"})
# A word joiner (U+2060, invisible, no line break) inside `http://`, `www.` and `a@b` keeps
# Streamlit's Markdown from turning a bare address into a link; escaping does not.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(?=://)|(?<=\bwww)(?=\.)|(?<=\w)(?=@\w)")
_JOINER = "\u2060"


def md(text: object) -> str:
    """Escape text for Streamlit Markdown: `O*NET` must not turn italic, `$` must not start
    maths, and a value from a URL must not become a link."""
    return _AUTOLINK.sub(_JOINER, str(text).translate(_MARKDOWN))


def html_text(text: object) -> str:
    """Escape text for the app's own HTML: tags and entities inert, bare addresses unlinked."""
    text = html.escape(str(text)).replace("[", "&#91;").replace("]", "&#93;")
    return _AUTOLINK.sub(_JOINER, text)


def pay_unit(money: str, basis: Mapping[str, int | None], *, short: bool = False) -> str:
    """The unit a salary figure is in: `USD`, `2024 US dollars`, `international dollars`;
    short, for a metric's label: `USD`, `2024 USD`, `Int$`."""
    if money == "real":
        return f"{basis.get('real_year')} {'USD' if short else 'US dollars'}"
    if money == "ppp":
        return "Int$" if short else "international dollars"
    return "USD"


def svg(text: object) -> str:
    """Escape text for a plotly label or hover text, which draw `<a href>`, `<b>`, `<i>` and
    entities: a value from a file reads as it is, never as a link or a tag."""
    return html.escape(str(text), quote=False)


def usd(value: float | None, *, short: bool = False) -> str:
    """`$135,000`, or `$135k` / `$1.2M` when short; an en dash when there is no value."""
    if missing(value):
        return "–"
    value = float(value)
    if short:
        if abs(value) >= 1_000_000:
            return f"${value / 1_000_000:.1f}M"
        if abs(value) >= 1_000:
            return f"${value / 1_000:.0f}k"
        return f"${value:.0f}"
    return f"${value:,.0f}"


def wage(value: float | None, top_coded: bool = False, *, short: bool = False) -> str:
    """An OEWS annual wage: `$112,590`, or `≥ $239,200` where BLS publishes only its top code
    (the column holds that floor, never a made-up figure)."""
    text = usd(value, short=short)
    return f"≥ {text}" if top_coded and value == TOP_CODE else text


def month(as_of: str) -> str:
    """`May 2025` for an as-of date `2025-05`; the text as given if it is not a month."""
    try:
        return pd.Timestamp(f"{as_of[:7]}-01").strftime("%B %Y")
    except (ValueError, TypeError):
        return str(as_of)


def count(value: float | None) -> str:
    """An integer with thousands separators."""
    return "–" if missing(value) else f"{int(round(float(value))):,}"


def index_value(value: float | None) -> str:
    """A postings index value, one decimal."""
    return "–" if missing(value) else f"{float(value):,.1f}"


def pct(value: float | None) -> str:
    """A whole percent, `42%`."""
    return "–" if missing(value) else f"{float(value):,.0f}%"


def ordinal(value: float) -> str:
    """`1st`, `2nd`, `63rd`, `11th`: a percentile as people say it (rounded)."""
    n = int(round(float(value)))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 row`, `2 rows`, `1,234 reports`."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def wrap(text: str, width: int = 20) -> str:
    """Break a long label into lines of about `width` characters for axis ticks."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def iso3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 for an alpha-2 code (None for aggregates such as EA)."""
    return countries.iso3(code)


def country_name(code: str) -> str:
    """The country's common name (`Euro area` for EA), or the code itself when unknown."""
    return countries.name(code) or code


def country_label(code: str) -> str:
    """`Germany (DE)`, as the country filter lists it."""
    return f"{country_name(code)} ({code})"


def extremes(
    names: Sequence[object], values: Sequence[float], *, what: str, show: Callable[[float], str]
) -> str:
    """One sentence naming the highest and lowest of `values`: a chart's text alternative, as
    Markdown (the names are text from the data, escaped)."""
    # Chart labels may carry plotly line breaks; words do not.
    pairs = [
        (md(str(n).replace("<br>", " ")), float(v))
        for n, v in zip(names, values, strict=True)
        if not missing(v)
    ]
    if not pairs:
        return f"No {what} to show."
    if len(pairs) == 1:
        return f"{what[0].upper()}{what[1:]}: {pairs[0][0]}, {show(pairs[0][1])}."
    top = max(pairs, key=lambda p: p[1])
    bottom = min(pairs, key=lambda p: p[1])
    return (
        f"{what[0].upper()}{what[1:]} is highest for {top[0]} ({show(top[1])}) and lowest for "
        f"{bottom[0]} ({show(bottom[1])}), across {len(pairs)} groups shown."
    )


def series_summary(
    frame: pd.DataFrame,
    by: str | list[str],
    *,
    what: str,
    show: Callable[[float], str] = index_value,
) -> str:
    """`On 14 Aug 2026, <what> was highest for A (147.9) and lowest for B (68.9).`: the last
    value of each line of a date/value series, as a chart's text alternative."""
    if frame.empty:
        return f"No {what} to show."
    keys = [by] if isinstance(by, str) else list(by)
    last = frame.sort_values("date").groupby(keys).tail(1)
    day = pd.Timestamp(last["date"].max())
    names = [
        " · ".join(country_name(v) if k == "country" else str(v) for k, v in zip(keys, row))
        for row in last[keys].itertuples(index=False)
    ]
    sentence = extremes(names, list(last["value"]), what=what, show=show)
    return f"Latest values (to {day:%d %b %Y}): {sentence[0].lower()}{sentence[1:]}"
