"""The browser benchmark's verdicts: each of issue 25's targets met or missed by its worst page."""

from __future__ import annotations

from bench import browser


def _result(cold: float, warm: list[float | None], change: list[float | None]) -> dict:
    bare = {"cold_s": 1.0, "warm_s": 1.0, "change_s": 0.5}
    pages = []
    for i, (w, c) in enumerate(zip(warm, change, strict=True)):
        pages.append(
            {
                "page": f"p{i}",
                "warm_s": w,
                "warm_ratio": w,
                "change": "level = Senior" if c else None,
                "change_s": c,
                "change_ratio": round(c / 0.5, 2) if c else None,
            }
        )
    return {"bare": bare, "cold": {"app_s": cold, "ratio": cold}, "pages": pages}


def test_every_target_met_when_the_worst_page_is_within_it() -> None:
    result = _result(1.4, [1.2, 1.5], [0.9, None])
    verdicts = browser.verdicts(result)
    assert [met for _target, met, _detail in verdicts] == [True, True, True, True]
    assert "met  filter change <= 2.0 x on every page: worst p0 1.8 x" in browser.table(result)


def test_the_worst_page_names_each_missed_target() -> None:
    result = _result(2.4, [1.1, 3.0], [1.2, 0.6])
    verdicts = {target: (met, detail) for target, met, detail in browser.verdicts(result)}
    assert verdicts["cold first page <= 1.5 x"] == (False, "2.4 x")
    assert verdicts["warm page load <= 1.5 x on every page"] == (False, "worst p1 3.0 x")
    assert verdicts["filter change <= 2.0 x on every page"] == (False, "worst p0 2.4 x")
    assert verdicts["filter change <= 1.0 s (idle machine)"] == (False, "worst p0 1.2 s")


def test_a_page_that_failed_is_a_missed_target_not_a_lost_run() -> None:
    result = _result(1.2, [1.2], [0.7])
    result["pages"].append({"page": "occupations", "error": "Locator.wait_for: Timeout"})
    verdicts = browser.verdicts(result)
    assert ("every page measured", False, "failed: occupations") in verdicts
    assert "occupations   FAILED: Locator.wait_for: Timeout" in browser.table(result)
