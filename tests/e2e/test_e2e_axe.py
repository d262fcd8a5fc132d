"""Every registered page, on seed and on real data, has no serious or critical WCAG 2 A/AA
violation that axe-core finds (colour contrast, names, roles), checked on the page as the
browser tests load it once (`loaded`, tests/e2e/conftest.py).

axe-core comes pinned with the `axe-playwright-python` package (requirements-dev.txt): nothing
is fetched when the tests run.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe

from tests.browser import PAGES

pytestmark = pytest.mark.e2e
IDS = [p.path for p in PAGES]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
AXE = Axe()


def describe(violation: dict[str, Any]) -> list[str]:
    """One line per offending element: the rule, its impact, where, and for a contrast failure
    the colours and ratio axe measured."""
    lines = []
    for node in violation["nodes"]:
        found = ""
        for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
            data = check.get("data") or {}
            if isinstance(data, dict) and "contrastRatio" in data:
                found = (
                    f" {data.get('fgColor')} on {data.get('bgColor')}: {data.get('contrastRatio')}"
                    f":1, {data.get('expectedContrastRatio')} needed"
                )
        lines.append(f"{violation['id']} ({violation['impact']}) {node['target']}{found}")
    return lines


@pytest.mark.parametrize("spec", PAGES, ids=IDS)
def test_page_has_no_serious_accessibility_violation(app_server, loaded, run, spec) -> None:
    page, _report = loaded.get(spec)
    results = run(
        AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": []})
    )
    bad = [v for v in results.response["violations"] if v["impact"] in FAILING]
    found = [line for v in bad for line in describe(v)]
    assert not found, f"{app_server.kind} data, /{spec.url_path}:\n" + "\n".join(found)
