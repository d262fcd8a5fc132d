"""A sidebar filter change redraws the main chart and is written to the URL; opening that URL in
a new browser context (another user, no shared session) restores the same filters and figure."""

from __future__ import annotations

import pytest

from tests.browser import PAGES, apply_change, errors, goto, main_chart, query_params

pytestmark = pytest.mark.e2e

CASES = [
    pytest.param(kind, spec, change, id=f"{kind}-{spec.path}-{change.filter}")
    for spec in PAGES
    for kind, changes in spec.changes.items()
    for change in changes
]


@pytest.mark.parametrize(("app_server", "spec", "change"), CASES, indirect=["app_server"])
def test_filter_change_updates_chart_and_url_and_the_url_restores_it(
    app_server, new_context, run, spec, change
) -> None:
    page = run(new_context().new_page())
    run(goto(page, spec.url(app_server.url)))
    before = run(main_chart(page, change.chart))
    assert before is not None and before.drawn, (
        f"no main chart before the change: {before} {change}"
    )
    assert change.value not in query_params(page.url).get(change.param, [])

    seconds = run(apply_change(page, change))

    after = run(main_chart(page, change.chart))
    assert after is not None and after.drawn and after.points > 0
    assert after.digest != before.digest, "the main chart did not change"
    assert run(errors(page)) == []
    url = page.url
    assert change.value in query_params(url).get(change.param, []), url
    assert seconds < 30

    # The same URL in a fresh context: same filters in the widget, same URL, same figure.
    other = run(new_context().new_page())
    run(goto(other, url))
    assert run(errors(other)) == []
    restored = run(main_chart(other, change.chart))
    assert restored is not None and restored.digest == after.digest, "figure not restored"
    assert query_params(other.url) == query_params(url)
    widget = other.locator(f".st-key-{change.key}")
    if change.kind == "multi":
        chosen = run(widget.locator('[data-testid="stMultiSelectTagsContainer"]').inner_text())
        assert change.label in chosen, chosen
    elif change.kind == "segmented":
        pressed = widget.locator("button[aria-pressed=true], button[aria-checked=true]")
        assert change.label in " ".join(run(pressed.all_inner_texts()))
    elif change.kind == "radio":
        assert run(widget.locator("input:checked").count()) >= 1
    elif change.kind == "toggle":  # switched on (`1`) or off (`0`, a default-on switch)
        checked = run(widget.locator("input:checked").count()) >= 1
        assert checked == (change.value == "1"), (change.value, checked)
