"""The dashboard's house rules: who may import what, and one page registry read everywhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard import pages
from tests.conftest import REPO_ROOT

DASHBOARD = REPO_ROOT / "dashboard"
VIEWS = sorted((DASHBOARD / "views").glob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module (and `module.name`) a file imports, at any depth."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("view", VIEWS, ids=[v.stem for v in VIEWS])
def test_views_are_layout_only(view: Path) -> None:
    used = imports(view)
    assert not {"pandas", "numpy", "ibis", "duckdb", "subprocess"} & used, used
    text = view.read_text(encoding="utf-8")
    assert "python -m etl" not in text, "refresh commands are written out in data.core only"
    for reshaping in (
        "groupby",
        "pivot",
        "read_parquet",
        ".loc[",
        ".assign(",
        ".merge(",
        "nlargest",
    ):
        assert reshaping not in text, f"{view.name} reshapes data ({reshaping}): do it in data/"


FILTERS = sorted((DASHBOARD / "filters").glob("*.py"))


def test_filters_use_one_query_and_no_charts() -> None:
    used = set().union(*(imports(path) for path in FILTERS))
    assert "dashboard.charts" not in used and "dashboard.ui" not in used
    data_names = {m.rsplit(".", 1)[1] for m in used if m.startswith("dashboard.data.")}
    functions = {n for n in data_names if n[0].islower()}
    assert functions == {"filter_options"}, functions


def test_only_the_widgets_file_of_filters_imports_streamlit() -> None:
    importers = {p.name for p in FILTERS if any(m.startswith("streamlit") for m in imports(p))}
    assert importers == {"widgets.py"}, importers


def test_only_the_query_module_builds_a_salary_query() -> None:
    builders = {
        path.relative_to(DASHBOARD).as_posix()
        for path in DASHBOARD.rglob("*.py")
        if re.search(r"\bSalaryQuery\(", path.read_text(encoding="utf-8"))
    }
    assert builders == {"filters/query.py"}, builders


def test_one_name_for_counting_identical_reports_once() -> None:
    # `dedupe` from the URL to the query; the published columns keep the contract's names.
    for path in DASHBOARD.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bdistinct\s*[=:]|\.distinct\b(?!\()", text), path.name


def test_charts_draw_only() -> None:
    used = imports(DASHBOARD / "charts.py")
    assert not {m for m in used if m.startswith(("streamlit", "dashboard.data", "ibis"))}


def test_data_layer_uses_streamlit_only_to_cache() -> None:
    for path in (DASHBOARD / "data").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "core.py":
            assert text.count("import streamlit") == 1 and "st.cache_data(" in text
            assert not re.findall(r"\bst\.(?!cache_data\()", text)
        else:
            assert "streamlit" not in text, path.name


def test_registry_matches_the_views_on_disk() -> None:
    registered = {DASHBOARD / p.file for p in pages.PAGES}
    assert registered == set(VIEWS)
    assert len({p.path for p in pages.PAGES}) == len(pages.PAGES)
    for page in pages.PAGES:
        text = (DASHBOARD / page.file).read_text(encoding="utf-8")
        assert f'ui.start("{page.path}"' in text, f"{page.file} must start with its registry path"


def test_docs_name_every_page() -> None:
    doc = (REPO_ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    for page in pages.PAGES:
        url = "/" if page is pages.PAGES[0] else f"/{page.path}"
        assert f"| {page.title} | `{url}` |" in doc, f"docs/dashboard.md lacks page {page.title}"


def test_overview_links_every_other_page_from_the_registry() -> None:
    text = (DASHBOARD / "views" / "overview.py").read_text(encoding="utf-8")
    assert "pages.PAGES[1:]" in text and "views/" not in text


def test_the_dashboard_reads_the_etl_only_through_its_catalog() -> None:
    for path in DASHBOARD.rglob("*.py"):
        etl = {m for m in imports(path) if m == "etl" or m.startswith("etl.")}
        assert etl <= {"etl", "etl.catalog"} | {m for m in etl if m.startswith("etl.catalog.")}, (
            f"{path.name} imports {sorted(etl)}: go through etl.catalog"
        )


def test_every_registered_page_says_which_charts_it_draws_on_each_kind_of_data() -> None:
    from tests.app.test_pages import FULL_CHARTS, SEED_CHARTS
    from tests.app.test_real_refresh import REAL_CHARTS

    registered = {p.path for p in pages.PAGES}
    for name, listed, where in (
        ("SEED_CHARTS", SEED_CHARTS, "tests/app/test_pages.py"),
        ("FULL_CHARTS", FULL_CHARTS, "tests/app/test_pages.py"),
        ("REAL_CHARTS", REAL_CHARTS, "tests/app/test_real_refresh.py"),
    ):
        missing = sorted(registered - set(listed))
        assert not missing, f"{where}: {name} lacks the page(s) {missing}"
