"""In Chromium, text from a source file never becomes a link, an image or a tag: every page is
opened on data whose every free-text value carries HTML, a Markdown link and bare addresses."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.app.test_hostile_text import MARK, PARAMS, poisoned
from tests.browser import PAGES, StreamlitServer, goto
from tests.e2e.conftest import new_server
from tests.fixtures.dashboard_fixture import build_full

# Anything the payload could have become: a link to it, its image, its bold text.
PLANTED_JS = f"""() => {{
  const app = document.querySelector('[data-testid="stApp"]');
  // The app's own links carry the filters (so the payload, URL-encoded) in their query: a
  // planted link is one that leads to the payload's host, or mails it.
  const target = a => a.getAttribute('href') || a.getAttribute('xlink:href') || '';
  const planted = a => {{
    const href = target(a);
    if (href.startsWith('mailto:')) return href.includes('{MARK}');
    try {{ return new URL(href, location.href).hostname.endsWith('{MARK}'); }}
    catch (e) {{ return false; }}
  }};
  const links = [...app.querySelectorAll('a')].filter(planted).map(a => a.outerHTML.slice(0, 120));
  const images = [...app.querySelectorAll('img[src="x"], image[href="x"]')].length;
  const text = app.innerText;
  return {{links, images, drawn: text.includes('{MARK}')}};
}}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    data_dir = build_full(tmp_path_factory.mktemp("e2e-hostile") / "data", text=poisoned)
    with new_server(tmp_path_factory, data_dir, "hostile", kind="fixture") as server:
        yield server


def test_no_page_draws_text_from_a_file_as_a_link_or_a_tag(hostile_server, new_context, run):
    page = run(new_context().new_page())
    drawn = []
    for spec in PAGES:
        query = urlencode(PARAMS.get(spec.path, {}), doseq=True)
        run(goto(page, spec.url(hostile_server.url, query)))
        found = run(page.evaluate(PLANTED_JS))
        assert not found["links"], f"{spec.title}: data drawn as a link: {found['links']}"
        assert not found["images"], f"{spec.title}: data drawn as an image"
        if found["drawn"]:
            drawn.append(spec.path)
    # The check is not vacuous: the pages opened on poisoned values show them, as text.
    assert set(PARAMS) <= set(drawn), f"poisoned text not shown on {set(PARAMS) - set(drawn)}"
