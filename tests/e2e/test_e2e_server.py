"""Tests that need a server of their own: a deep link as the very first request of a fresh
server, and a server whose data layer is broken on purpose, which the page check must report
(so a broken page can never pass the browser tests)."""

from __future__ import annotations

import pytest

from tests.browser import APP_TITLE, NAV_TITLES, PAGES, breaking_env, check_page, page_spec

pytestmark = pytest.mark.e2e
OPENINGS = page_spec("openings")
SALARIES = page_spec("salaries")


# Regression: with the page files in dashboard/pages/, Streamlit also auto-loaded them as a legacy
# multipage app and served a fresh server's first deep link without the router.
def test_a_deep_link_as_first_request_of_a_fresh_server_runs_the_router(
    server_factory, seed_data_dir, new_context, run
) -> None:
    server = server_factory(seed_data_dir, "fresh")
    page = run(new_context().new_page())
    report = run(check_page(page, SALARIES.url(server.url), main=None, nav=NAV_TITLES))
    assert report.ok, report.problems
    assert report.title == APP_TITLE


def test_every_page_check_fails_when_the_data_layer_raises(
    server_factory, seed_data_dir, new_context, run, tmp_path
) -> None:
    pythonpath, env = breaking_env(tmp_path / "site", "dashboard.data:current")
    server = server_factory(seed_data_dir, "broken", env_extra=env, pythonpath_first=pythonpath)
    page = run(new_context().new_page())
    for spec in PAGES:
        report = run(check_page(page, spec.url(server.url), main=spec.main["seed"]))
        assert not report.ok, f"{spec.title}: a broken data layer went unnoticed"
        # the app's own config: a visitor sees that it failed, never the message or a path
        said = " ".join(report.problems)
        assert "This app has encountered an error" in said, report.problems
        assert "broken on purpose" not in said and "Traceback" not in said, report.problems


def test_the_page_check_pins_a_broken_query_to_its_page(
    server_factory, seed_data_dir, new_context, run, tmp_path
) -> None:
    # Only the openings query raises: Job openings must fail, Salaries must still pass.
    pythonpath, env = breaking_env(tmp_path / "site", "dashboard.data:openings_latest")
    # for this check only: the full error in the page, to pin which query broke
    env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"
    server = server_factory(
        seed_data_dir, "broken-openings", env_extra=env, pythonpath_first=pythonpath
    )
    page = run(new_context().new_page())
    broken = run(check_page(page, OPENINGS.url(server.url), main=OPENINGS.main["seed"]))
    assert any("broken on purpose" in p for p in broken.problems), broken.problems
    healthy = run(check_page(page, SALARIES.url(server.url), main=SALARIES.main["seed"]))
    assert healthy.ok, healthy.problems
