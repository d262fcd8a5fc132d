"""Every registered source keeps the contract: its tables, its fixture's output and its docs."""

from __future__ import annotations

import pytest

from etl import registry
from etl.arrow_rules import validate_table
from etl.schemas import TABLES
from etl.sources.base import Source, check_raw
from tests.conftest import REPO_ROOT
from tests.fixtures.sources import fixture_names, fixture_raw, fixture_settings

SOURCES = list(registry.SOURCES)


@pytest.fixture(params=SOURCES)
def source(request: pytest.FixtureRequest) -> Source:
    return registry.SOURCES[request.param]


def test_every_registered_source_has_a_fixture() -> None:
    missing = [name for name in SOURCES if name not in fixture_names()]
    assert not missing, f"no etl/sources/<name>/fixture.py for the sources {missing}"
    unknown = [name for name in fixture_names() if name not in registry.SOURCES]
    assert not unknown, f"fixtures for sources that are not registered: {unknown}"


def test_declared_tables_are_contract_tables(source: Source) -> None:
    assert source.tables, f"{source.name} declares no table"
    unknown = [t for t in source.tables if t not in TABLES]
    assert not unknown, f"{source.name} declares tables outside the contract: {unknown}"
    assert len(set(source.tables)) == len(source.tables)


def test_the_fixture_is_the_set_of_files_the_source_asks_for(source: Source) -> None:
    raw = fixture_raw(source.name)  # raises, naming the source, when it has no fixture
    files = {f.name: f for f in source.files(fixture_settings(source.name))}
    assert set(raw) == set(files)
    for name, spec in files.items():
        check_raw(raw[name], spec)  # what extract would accept from a download or a mirror


def test_normalize_gives_exactly_the_declared_tables_and_they_validate(source: Source) -> None:
    norm = source.normalize(fixture_raw(source.name), fixture_settings(source.name))
    assert sorted(norm.tables) == sorted(source.tables)
    assert not norm.rejected, f"{source.name} rejected rows of its clean fixture"
    for table, frame in norm.tables.items():
        assert len(frame), f"{source.name}: {table} is empty"
        sources = frame["source"].to_pylist() if hasattr(frame, "num_rows") else frame["source"]
        assert set(sources) == {source.name}
        good, bad = validate_table(table, frame)
        assert bad.empty, f"{source.name}: {table} rows rejected: {bad['reason'].tolist()}"
        assert len(good) == len(frame)


def test_its_readme_describes_the_source(source: Source) -> None:
    readme = REPO_ROOT / "etl" / "sources" / source.name / "README.md"
    assert readme.is_file(), f"etl/sources/{source.name}/README.md is missing"
    text = " ".join(readme.read_text(encoding="utf-8").split())  # line breaks folded
    assert text.startswith(f"# `{source.name}`: "), f"{readme} must start '# `{source.name}`: ...'"
    assert source.licence in text, f"the {source.name} README does not give its licence"
    missing = [t for t in source.tables if f"`{t}`" not in text]
    assert not missing, f"the {source.name} README does not name the tables {missing}"
    assert f"tests/data/bad/{source.name}/" in text, "the README names its bad-input corpus"
