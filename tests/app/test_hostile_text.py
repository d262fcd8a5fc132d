"""Text from a source file is text on every page: HTML, Markdown links and bare URLs in every
free-text column are drawn as they read, never as a link or a tag (captions, notices, headings,
metrics, chart labels and hover text)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import compare_blocks, data, filters, ui
from dashboard.pages import PAGES
from tests.app.conftest import render
from tests.fixtures.dashboard_fixture import build_full

pytestmark = pytest.mark.app

# No comma (a URL list splits on commas): each value of a free-text column gets this tail.
PAYLOAD = (
    ' <a href="http://evil.example/a">A</a> <b>B</b> <img src=x onerror=alert(1)>'
    " [C](http://evil.example/c) www.evil.example/d https://evil.example/e mail@evil.example"
)
MARK = "evil.example"


def poisoned(text: str) -> str:
    return f"{text}{PAYLOAD}"


# Each page opened on the poisoned values, so that what it draws carries the payload.
FAMILY = poisoned("Data Scientist")
PARAMS: dict[str, dict[str, Any]] = {
    "overview": {"family": FAMILY},
    "salaries": {"family": FAMILY, "year_from": "2023", "year_to": "2025"},
    "offer": {"role": FAMILY, "amount": "150000"},
    "compare": {
        "a_family": FAMILY,
        "b_family": FAMILY,
        "a_sector": poisoned("Software Development"),
        "b_sector": poisoned("Mathematics"),
    },
    "demand": {"role": FAMILY},
    "industries": {"sector": [poisoned("Software Development"), poisoned("Mathematics")]},
}

# Markdown that Streamlit would turn into a link or a tag: an unescaped `[..](`, a raw `<tag`,
# a bare URL or address without the word joiner that fmt.md puts in.
# The app's own links go to its own pages (`](?…` or `](/…`), and its own HTML (an escaped
# headline) is a <div>.
UNSAFE_MARKDOWN = re.compile(
    r"(?<!\\)\[[^\]]*(?<!\\)\]\((?![?/])|(?<!\\)<(?!/?div\b)[a-zA-Z/!]|(?<!\u2060)://"
    r"|\bwww(?!\u2060)\.|\w(?<!\u2060)@\w"
)
OWN_LINK = re.compile(r"\]\([?/][^)]*\)")  # the target of a link to the app's own page
# Plotly draws <a href>, <b>, <i>, <span>, … in any label: a data string must reach it escaped.
UNSAFE_SVG = re.compile(r"<(?!br>|/?b>|/?sub>|/?extra>)[a-zA-Z/]")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full(tmp_path_factory.mktemp("hostile-data"), text=poisoned)


def texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, Markdown source) of everything a page writes as Markdown."""
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title"):
        for element in at.get(kind):
            yield kind, element.proto.body
    for kind in ("header", "subheader"):
        for element in at.get(kind):
            yield kind, element.proto.body
    for element in at.get("metric"):
        yield "metric", f"{element.proto.label} {element.proto.body}"
    for element in at.get("expandable"):
        yield "expander", element.proto.expandable.label
    for element in at.get("tab"):
        yield "tab", element.label
    for element in at.table:  # st.table draws its cells and headers as Markdown
        frame = element.value
        for text in [*map(str, frame.columns), *frame.astype(str).to_numpy().ravel()]:
            yield "table", text


def figure_strings(at: AppTest) -> Iterator[str]:
    """Every string in every plotly figure of the page."""

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for element in at.get("plotly_chart"):
        yield from walk(json.loads(element.proto.spec))


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_text_from_a_file_is_never_a_link_or_a_tag(monkeypatch, hostile_dir, page):
    at = render(monkeypatch, hostile_dir, page, PARAMS.get(page))
    assert not at.exception, [e.message for e in at.exception]
    seen, unsafe = 0, []
    for kind, text in texts(at):
        if MARK in text:
            seen += 1
            found = UNSAFE_MARKDOWN.search(OWN_LINK.sub("](?)", text))
            if found:
                unsafe.append(f"{kind} would draw {found.group()!r}: {text[:300]!r}")
    for text in figure_strings(at):
        if MARK in text:
            seen += 1
            found = UNSAFE_SVG.search(text)
            if found:
                unsafe.append(f"a chart would draw {found.group()!r}: {text[:300]!r}")
    assert not unsafe, f"{page}: " + "\n".join(unsafe)
    # The payload did reach the pages that draw free text (the check is not vacuous).
    if page in PARAMS:
        assert seen, f"{page}: no poisoned text was drawn; the URL parameters missed"


def test_a_missing_sector_is_named_as_text_in_the_compare_notice(monkeypatch, hostile_dir):
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(hostile_dir))
    snap = data.current()
    options = filters.options_for(snap)
    sector = poisoned("Nursing")  # no such index for the country
    ctx = ui.PageContext(snap, {"a_country": ("US",), "a_sector": sector}, options)
    country, why = compare_blocks.line_of(ctx, "a")
    assert country is None and why.startswith("United States has no Indeed index for Nursing")
    assert UNSAFE_MARKDOWN.search(why) is None, why
