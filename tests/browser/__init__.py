"""The browser harness of the tests (tests/e2e), which bench/loadtest.py borrows (nothing here
needs pytest, and nothing here imports bench: bench may import the tests' harness, never the
reverse).

- `server`: data directories (seed, real refresh from ../shared/datasets) and `streamlit run`
  on a free loopback port; `faults`: break one dashboard function in a server on purpose.
- `chromium`: the one launcher of Debian's Chromium (JOBMARKET_CHROMIUM, default
  /usr/bin/chromium) with a fresh profile; never a downloaded browser.
- `page`: open a page, wait for Streamlit on conditions (no sleeps), inspect errors and charts,
  screenshots; `actions`: filter changes and downloads; `js`: the JavaScript they evaluate.
- `spec`: what the tests expect of each page of the registry dashboard/pages.py.
- `sampler`: memory and CPU of the server and the browsers during the load test.
- `screenshots`: `python -m tests.browser.screenshots`, every page at desktop and phone width.
"""

from tests.browser.actions import apply_change, download, reset_filters
from tests.browser.chromium import (
    DESKTOP,
    PHONE,
    chromium_unavailable,
    launch,
)
from tests.browser.faults import breaking_env
from tests.browser.page import (
    TIMEOUTS,
    Chart,
    PageReport,
    check_at_width,
    check_page,
    errors,
    goto,
    main_chart,
    nav_links,
    open_context,
    screenshot_path,
    settle,
    switch_page,
    world_map_paths,
)
from tests.browser.sampler import RssSampler
from tests.browser.server import (
    MIRROR,
    ROOT,
    StreamlitServer,
    build_data_dir,
    real_data_unavailable,
    resolve_data,
)
from tests.browser.spec import (
    APP_TITLE,
    EXPORT_FORMATS,
    NAV_TITLES,
    PAGES,
    SPECS,
    Change,
    PageSpec,
    page_spec,
    query_params,
    unmatched,
)

__all__ = [
    "APP_TITLE",
    "DESKTOP",
    "EXPORT_FORMATS",
    "MIRROR",
    "NAV_TITLES",
    "PAGES",
    "PHONE",
    "ROOT",
    "SPECS",
    "TIMEOUTS",
    "Change",
    "Chart",
    "PageReport",
    "PageSpec",
    "RssSampler",
    "StreamlitServer",
    "apply_change",
    "breaking_env",
    "build_data_dir",
    "check_at_width",
    "check_page",
    "chromium_unavailable",
    "download",
    "errors",
    "goto",
    "launch",
    "main_chart",
    "nav_links",
    "open_context",
    "query_params",
    "real_data_unavailable",
    "reset_filters",
    "resolve_data",
    "screenshot_path",
    "settle",
    "page_spec",
    "switch_page",
    "unmatched",
    "world_map_paths",
]
