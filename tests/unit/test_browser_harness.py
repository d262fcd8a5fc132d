"""The browser harness (bench/browser) without a browser: page specs match the page registry,
the default page's address, and the direction of imports (tests use bench, never the reverse)."""

from __future__ import annotations

import ast

from bench.browser import DESKTOP, PAGES, PHONE, page_spec, screenshot_path, unmatched
from dashboard import pages as registry
from tests.conftest import REPO_ROOT


def test_every_registered_page_has_a_spec_and_every_spec_a_page() -> None:
    missing, unknown = unmatched()
    assert not missing, f"add a PageSpec in bench/browser/spec.py for the page(s) {missing}"
    assert not unknown, f"bench/browser/spec.py has specs of no registered page: {unknown}"
    assert [p.path for p in PAGES] == [p.path for p in registry.PAGES]
    assert all(set(p.main) == {"seed", "real"} for p in PAGES)


def test_the_default_page_is_served_at_the_root_and_the_others_at_their_path() -> None:
    assert PAGES[0].url_path == ""
    assert PAGES[0].url("http://host") == "http://host/"
    assert (
        page_spec("salaries").url("http://host", "level=Senior")
        == "http://host/salaries?level=Senior"
    )
    assert [p.title for p in PAGES] == [p.title for p in registry.PAGES]


def test_screenshots_are_named_by_data_page_and_width(tmp_path) -> None:
    assert screenshot_path(tmp_path, "seed", "skills", PHONE).name == "seed-skills-390.png"
    assert screenshot_path(tmp_path, "real", "overview", DESKTOP).name == "real-overview-1400.png"


def test_bench_never_imports_the_tests() -> None:
    for path in sorted((REPO_ROOT / "bench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n.split(".")[0] == "tests" for n in names), f"{path} imports tests"
