"""A damaged manifest stops every page with one readable message, not a traceback."""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.app


@pytest.mark.parametrize("damage", ['{"tables": {"salaries": ', "[1, 2, 3]"])
def test_a_damaged_manifest_is_a_message_with_the_way_out(make_app, seed_dir, tmp_path, damage):
    data = tmp_path / "data"
    shutil.copytree(seed_dir, data, symlinks=True)  # `processed` links relatively: a true copy
    (data / "processed" / "manifest.json").write_text(damage, encoding="utf-8")
    at = make_app(data, "salaries")
    assert not at.exception
    text = " ".join(e.value for e in at.error)
    assert "The published data cannot be read:" in text
    assert "manifest.json" in text and "python -m etl refresh" in text
    assert not at.title  # the page stops before drawing anything
