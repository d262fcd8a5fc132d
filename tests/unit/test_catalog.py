"""The catalog (etl/catalog.py) is the one reader of what the ETL publishes: the layout, the
manifest, the contract and the country codes, for the ETL and the dashboard alike."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from etl import catalog
from tests.conftest import REPO_ROOT

CATALOG = REPO_ROOT / "etl" / "catalog.py"
# The catalog's storage back end for s3:// roots (it reads and writes the pointer manifest
# there); the catalog is its only caller outside the ETL's own publish command.
OBJECT_STORE = REPO_ROOT / "etl" / "objectstore.py"
CODE = sorted(
    p
    for folder in ("etl", "dashboard")
    for p in (REPO_ROOT / folder).rglob("*.py")
    if p not in (CATALOG, OBJECT_STORE) and "__pycache__" not in p.parts
)
# json.loads outside the catalog, each for something that is not a manifest
OTHER_JSON = {
    REPO_ROOT / "dashboard" / "export.py": "an export's own provenance in its Parquet metadata",
}


def _manifest_paths(tree: ast.AST) -> list[str]:
    """String literals that name the manifest file as a path (not prose that mentions it)."""
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[\w./{}-]*manifest\.json", node.value)
    ]


def _json_reads(tree: ast.AST) -> list[int]:
    """Lines that call json.load / json.loads."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("load", "loads")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "json"
    ]


@pytest.mark.parametrize("path", CODE, ids=[str(p.relative_to(REPO_ROOT)) for p in CODE])
def test_the_manifest_is_parsed_only_in_the_catalog(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(REPO_ROOT)
    assert not _manifest_paths(tree), f"{where} names manifest.json: use etl.catalog"
    if path not in OTHER_JSON:
        assert not _json_reads(tree), f"{where} parses JSON: the manifest is read by etl.catalog"


def test_the_rule_sees_what_it_forbids() -> None:
    tree = ast.parse('import json\nm = json.loads(open(root / "processed/manifest.json").read())')
    assert _manifest_paths(tree) == ["processed/manifest.json"] and _json_reads(tree) == [2]
    for prose in ("written to data/processed/manifest.json per table", "the manifest.json says"):
        assert not _manifest_paths(ast.parse(f"doc = {prose!r}"))


def test_layout_paths(tmp_path: Path) -> None:
    assert catalog.processed_dir(tmp_path) == tmp_path / "processed"
    assert catalog.processed_dir("s3://bucket/jobs") == "s3://bucket/jobs/processed"
    assert catalog.versions_dir(tmp_path) == tmp_path / ".versions"
    assert catalog.manifest_path("s3://b/processed") == "s3://b/processed/manifest.json"
    assert catalog.current_version(tmp_path) is None
    version = tmp_path / ".versions" / "v1"
    version.mkdir(parents=True)
    (tmp_path / "processed").symlink_to(version)
    assert catalog.current_version(tmp_path) == version.resolve()


def test_a_manifest_round_trips_with_its_accessors(tmp_path: Path) -> None:
    assert catalog.read_manifest(tmp_path) is None  # nothing published
    catalog.write_manifest(
        tmp_path,
        {
            "version": "v1",
            "refreshed_at": "2026-01-01T00:00:00+00:00",
            "tables": {
                "salaries": {"rows": 3, "sources": ["aijobs"], "file": "salaries"},
                "ethics": {"rows": 2, "sources": ["seed"]},
            },
            "sources": {"seed": {"status": "ok"}},
        },
    )
    (tmp_path / "salaries").mkdir()
    manifest = catalog.read_manifest(tmp_path)
    assert manifest is not None and manifest.version == "v1"
    assert manifest.rows("salaries") == 3 and manifest.rows("skills") == 0
    assert manifest.table_sources("ethics") == ["seed"] and manifest.has("ethics")
    assert (manifest.file("salaries"), manifest.file("ethics")) == ("salaries", "ethics.parquet")
    assert manifest.sources == {"seed": {"status": "ok"}}
    assert manifest.get("refreshed_at") == manifest.refreshed_at  # still the JSON object
    assert catalog.missing_files(tmp_path, manifest) == ["ethics.parquet", "salaries"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"tables": {', "is not valid JSON (truncated or damaged?): "),
        ("[1, 2]", "is not a manifest: it has no `tables` object"),
        ('{"tables": []}', "is not a manifest: it has no `tables` object"),
        (b"\xff\xfe{", "is not valid JSON (truncated or damaged?): "),
    ],
)
def test_a_damaged_manifest_is_named_in_one_line(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(catalog.ManifestError) as raised:
        catalog.read_manifest(tmp_path)
    assert str(raised.value).startswith(f"{path} {message}")
    assert "\n" not in str(raised.value)


def test_the_dashboard_and_the_etl_share_the_one_error_type() -> None:
    from dashboard.data import core

    assert core.DataError is catalog.ManifestError
