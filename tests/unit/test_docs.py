"""The documentation stays true to the code: contract, Make targets and README commands."""

from __future__ import annotations

import re
import subprocess

from etl import contract_doc
from etl.schemas import TABLES
from tests.conftest import REPO_ROOT


def test_data_contract_doc_is_generated_from_the_schemas() -> None:
    doc = (REPO_ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert doc == contract_doc.render(), "run: python -m etl contract > docs/data-contract.md"
    for name, schema in TABLES.items():
        assert f"## `{name}`" in doc
        for column in schema.column_names:
            assert f"| `{column}` |" in doc


def test_make_help_lists_every_target_with_a_description() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z0-9-]*):", makefile, flags=re.M)
    helped = re.findall(r"^([a-z][a-z0-9-]*):.*## ", makefile, flags=re.M)
    assert set(targets) == set(helped)
    out = subprocess.run(["make", "help"], cwd=REPO_ROOT, capture_output=True, text=True).stdout
    for target in targets:
        assert f"make {target} " in out


def test_readme_gives_the_two_commands_and_names_every_source() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    from etl import registry

    for name in registry.SOURCES:
        assert f"`{name}`" in readme, f"README does not describe source {name}"


def test_the_dashboard_module_map_is_written_once_and_names_every_module() -> None:
    doc = (REPO_ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    layout = doc.split("## Layout", 1)[1].split("\n## ", 1)[0]
    for folder in ("", "data", "filters"):
        for module in sorted((REPO_ROOT / "dashboard" / folder).glob("*.py")):
            if module.stem not in ("__init__", "__main__"):
                assert f"{module.stem}.py" in layout, (
                    f"docs/dashboard.md's Layout lacks dashboard/{folder}/{module.name}"
                )
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    assert "docs/dashboard.md" in readme and "salary_blocks.py" not in readme, (
        "README's layout points to docs/dashboard.md rather than repeating the module map"
    )


def test_readme_names_every_make_target() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^([a-z][a-z0-9-]*):.*## ", makefile, flags=re.M):
        if target not in ("help", "data", "lint", "format", "clean", "status", "sources"):
            assert f"make {target}" in readme, f"README does not mention make {target}"


def test_every_registered_source_has_a_folder_readme_linked_from_docs_sources() -> None:
    from etl import registry

    overview = (REPO_ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for name in registry.SOURCES:
        folder = REPO_ROOT / "etl" / "sources" / name
        assert (folder / "README.md").is_file(), f"etl/sources/{name}/ has no README.md"
        assert (folder / "__init__.py").is_file() and (folder / "source.py").is_file()
        assert f"(../etl/sources/{name}/README.md)" in overview, f"docs/sources.md lacks {name}"
