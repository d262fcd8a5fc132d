"""Formatting for people: money, counts, percent, plural, country names, Markdown escaping."""

from __future__ import annotations

import math

import pytest

from dashboard import fmt


@pytest.mark.parametrize(
    ("value", "short", "text"),
    [
        (135_000, False, "$135,000"),
        (135_000, True, "$135k"),
        (1_250_000, True, "$1.2M"),
        (999.4, True, "$999"),
        (None, False, "–"),
        (math.nan, True, "–"),
    ],
)
def test_usd(value, short, text):
    assert fmt.usd(value, short=short) == text


def test_number_formats():
    assert fmt.count(74301) == "74,301"
    assert fmt.count(None) == "–"
    assert fmt.index_value(104.345) == "104.3"
    assert fmt.pct(45) == "45%"


def test_country_helpers():
    assert fmt.iso3("GB") == "GBR"
    assert fmt.iso3("EA") is None
    assert fmt.country_name("EA") == "Euro area"
    assert fmt.country_name("US") == "United States"
    assert fmt.country_name("XX") == "XX"  # unknown codes stay readable as themselves
    assert fmt.country_label("DE") == "Germany (DE)"
    assert fmt.wrap("Computer and Information Research Scientists", 20).count("<br>") == 2


def test_plural():
    assert fmt.plural(1, "row") == "1 row"
    assert fmt.plural(2, "row") == "2 rows"
    assert fmt.plural(1234, "report") == "1,234 reports"
    assert fmt.plural(0, "country", "countries") == "0 countries"


def test_country_names_are_the_etl_ones():
    from etl import countries

    for code in ("US", "GB", "EA", "KR", "TW"):
        assert fmt.country_name(code) == countries.name(code)


def test_markdown_escape():
    assert fmt.md("O*NET") == "O\\*NET"
    assert fmt.md("$107k–$200k") == "\\$107k–\\$200k"
    # no link can be injected, nor a bare address become one (a word joiner breaks the autolink)
    assert fmt.md("[x](http://e)") == "\\[x\\](http\u2060://e)"
    assert fmt.md("see www.e.org or a@e.org") == "see www\u2060.e.org or a\u2060@e.org"
    assert fmt.md("HTTPS://E.ORG") == "HTTPS\u2060://E.ORG"
    assert fmt.html_text("<a href='x'>[y](z)</a>") == (
        "&lt;a href=&#x27;x&#x27;&gt;&#91;y&#93;(z)&lt;/a&gt;"
    )
    assert fmt.md("Analysts (15-2051.01)") == "Analysts (15-2051.01)"
