"""`make run`'s first step on a fresh clone: the data is built once (real when a source is
reachable, the seed tables when none is), reused later, and every page then says which sources
are missing and the one command that loads them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, fallback
from etl import catalog

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


def make_data(data_dir: Path, mirror: Path, stamp: Path) -> str:
    """`make data` on `data_dir` with this interpreter (the stamp stands for an installed
    virtualenv, so make installs nothing)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed (.ci/run installs it)")
    done = subprocess.run(
        ["make", "-s", "data", f"DATA_DIR={data_dir}", f"MIRROR={mirror}"]
        + [f"PY={sys.executable}", f"RUNTIME_STAMP={stamp}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A first run whose mirror holds no file (as offline: every source fails), then a second."""
    base = tmp_path_factory.mktemp("first-run")
    (base / "mirror").mkdir()
    stamp = base / "installed"
    stamp.touch()
    first = make_data(base / "data", base / "mirror", stamp)
    second = make_data(base / "data", base / "mirror", stamp)
    return base / "data", first, second


def test_first_run_falls_back_to_the_seed_and_a_later_run_reuses_it(unreachable) -> None:
    data_dir, first, second = unreachable
    assert "First run: building the data from the local mirror" in first
    assert "Some sources failed" in first
    manifest = json.loads((data_dir / "processed" / "manifest.json").read_text())
    assert manifest["sources"]["seed"]["status"] == "ok"
    assert manifest["sources"]["aijobs"]["status"] == "failed"
    assert {"openings", "salary_levels", "skills"} <= set(manifest["tables"])
    version = manifest["version"]
    assert "Using the data already in" in second and "First run" not in second
    again = json.loads((data_dir / "processed" / "manifest.json").read_text())
    assert again["version"] == version, "a later make run must not rebuild the data"


def _warnings(monkeypatch: pytest.MonkeyPatch, data_dir: Path, page: str | None) -> list[str]:
    monkeypatch.setenv("JOBMARKET_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return [w.value for w in at.warning]


@pytest.mark.parametrize("page", [None, "views/salaries.py"])
def test_every_page_says_which_sources_are_missing_and_how_to_load_them(
    unreachable, monkeypatch, page
) -> None:
    data_dir, _first, _second = unreachable
    banner = [w for w in _warnings(monkeypatch, data_dir, page) if "could not reach" in w]
    assert len(banner) == 1, banner
    shown = banner[0].replace("\\_", "_")  # the Markdown source escapes underscores
    for name in ("aijobs", "indeed", "onet", "bls_oews", "prices", "indeed_wages"):
        assert name in shown
    assert "`make refresh`" in banner[0]


def test_a_seed_only_refresh_on_purpose_shows_no_banner(seed_root, monkeypatch) -> None:
    assert not [w for w in _warnings(monkeypatch, seed_root, None) if "could not reach" in w]


def test_a_source_that_failed_but_kept_its_data_is_not_missing() -> None:
    manifest = catalog.Manifest(
        {
            "version": "v1",
            "tables": {
                "salaries": {"file": "salaries.parquet", "rows": 9, "sources": ["aijobs"]},
                "skills": {"file": "skills.parquet", "rows": 3, "sources": ["seed"]},
            },
            "sources": {
                "seed": {"status": "ok"},
                # its refresh failed today, but yesterday's rows are still published
                "aijobs": {"status": "failed", "last_error": "download failed: timeout"},
                "onet": {"status": "failed", "last_error": "download failed: offline"},
                "indeed": {"status": "ok"},
            },
        }
    )
    snap = data.Snapshot(directory=Path("/nowhere"), manifest=manifest)
    assert fallback.missing_sources(snap) == {"onet": "download failed: offline"}
