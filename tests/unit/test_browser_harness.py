"""The browser harness (tests/browser) without a browser: page specs match the page registry,
the default page's address, and the direction of imports (the tests own the harness: bench may
import tests.browser and nothing else of the tests; the harness never imports bench)."""

from __future__ import annotations

import ast

from dashboard import pages as registry
from tests.browser import DESKTOP, PAGES, PHONE, page_spec, screenshot_path, unmatched
from tests.conftest import REPO_ROOT


def test_every_registered_page_has_a_spec_and_every_spec_a_page() -> None:
    missing, unknown = unmatched()
    assert not missing, f"add a PageSpec in tests/browser/spec.py for the page(s) {missing}"
    assert not unknown, f"tests/browser/spec.py has specs of no registered page: {unknown}"
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


def imported(path) -> list[str]:
    """The modules a Python file imports (absolute names)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):  # `from a.b import c`: a.b.c (c may be a module)
            names += [f"{node.module or ''}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return names


# The tests' harnesses bench may borrow: the browser's, and the local S3 server's.
HARNESSES = ("tests.browser", "tests.scale.s3_server")


def test_bench_imports_only_the_harnesses_of_the_tests() -> None:
    for path in sorted((REPO_ROOT / "bench").rglob("*.py")):
        for name in imported(path):
            if name.split(".")[0] == "tests":
                assert name.startswith(HARNESSES), f"{path} imports {name}"


def test_the_harnesses_never_import_bench_or_pytest() -> None:
    files = [*(REPO_ROOT / "tests" / "browser").rglob("*.py")]
    files.append(REPO_ROOT / "tests" / "scale" / "s3_server.py")
    for path in sorted(files):
        for name in imported(path):
            assert name.split(".")[0] not in ("bench", "pytest"), f"{path} imports {name}"
