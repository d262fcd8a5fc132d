"""Browser-test harness shared by tests/e2e and bench/loadtest.py.

It builds data directories with the ETL, runs `streamlit run dashboard/app.py` on a free loopback
port, launches Debian's Chromium through Playwright (never a downloaded browser) and knows how to
tell when a Streamlit page has finished rendering, whether it shows an error, and what its main
chart currently draws. Nothing here depends on pytest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
MIRROR = ROOT.parent / "shared" / "datasets"
APP = ROOT / "dashboard" / "app.py"
CHROMIUM = Path(os.environ.get("JOBMARKET_CHROMIUM", "/usr/bin/chromium"))
REAL_SOURCES = ("aijobs", "indeed", "onet")
# Headless flags from the issue; the profile directory is a fresh temporary one per browser.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1440, "height": 1000}

# --------------------------------------------------------------------------------------------
# Data directories


def registered_sources(python: str = sys.executable) -> set[str]:
    """Names `python -m etl sources` lists (lines look like `name: title`)."""
    out = subprocess.run(
        [python, "-m", "etl", "sources"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line.split(":", 1)[0] for line in out.splitlines() if line and not line[0].isspace()}


def real_data_unavailable() -> str | None:
    """Why the full real refresh cannot be built here, or None when it can."""
    if not MIRROR.is_dir():
        return f"the datasets mirror {MIRROR} is absent (real-data browser tests need it)"
    missing = sorted(set(REAL_SOURCES) - registered_sources())
    if missing:
        return f"the ETL does not register the real source(s) {', '.join(missing)} yet"
    return None


def build_data_dir(kind: str, target: Path) -> Path:
    """Publish a data version into `target`: `seed` only, or `real` (full refresh from MIRROR)."""
    cmd = [sys.executable, "-m", "etl", "refresh"]
    if kind == "seed":
        cmd += ["seed"]
    elif kind == "real":
        cmd += ["--mirror", str(MIRROR)]
    else:
        raise ValueError(f"unknown data kind {kind!r}")
    env = {k: v for k, v in os.environ.items() if k != "JOBMARKET_MIRROR"}
    done = subprocess.run(
        [*cmd, "--data-dir", str(target)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0 or not (target / "processed" / "manifest.json").is_file():
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return target


# --------------------------------------------------------------------------------------------
# The Streamlit server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    """`streamlit run dashboard/app.py` on 127.0.0.1:<free port> with JOBMARKET_DATA_DIR set."""

    data_dir: Path
    log_path: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    pythonpath_first: Path | None = None
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 90) -> StreamlitServer:
        self.port = self.port or free_port()
        env = {**os.environ, "JOBMARKET_DATA_DIR": str(self.data_dir), **self.env_extra}
        env.pop("JOBMARKET_MIRROR", None)
        # Like `make run`: `python -m streamlit` from the repository root, nothing else on the
        # path, except a directory with a sitecustomize.py when a test breaks the app on purpose.
        if self.pythonpath_first is not None:
            paths = [str(self.pythonpath_first), env.get("PYTHONPATH", "")]
            env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer /_stcore/health in {timeout}s:\n{self.log()}")

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


BREAK_ENV = "JOBMARKET_E2E_BREAK"
# Written as sitecustomize.py into a directory put first on the server's PYTHONPATH: when the
# module named in $JOBMARKET_E2E_BREAK ("package.module:function") is imported, the function is
# replaced by one that raises. The dashboard needs no test hook for this.
SITECUSTOMIZE = """
import importlib.abc
import importlib.util
import os
import sys

_TARGET = os.environ.get("JOBMARKET_E2E_BREAK", "")
_MODULE, _, _FUNCTION = _TARGET.partition(":")


class _BreakOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != _MODULE:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_break(module):
            exec_module(module)
            getattr(module, _FUNCTION)  # fail loudly if the function does not exist

            def broken(*args, **kwargs):
                raise RuntimeError(_TARGET + " was broken on purpose by the e2e tests")

            setattr(module, _FUNCTION, broken)

        spec.loader.exec_module = exec_and_break
        return spec


if _MODULE and _FUNCTION:
    sys.meta_path.insert(0, _BreakOnImport())
"""


def breaking_env(directory: Path, target: str) -> tuple[Path, dict[str, str]]:
    """(PYTHONPATH directory, env) that make `target` ("module:function") raise in the server."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return directory, {BREAK_ENV: target}


class RssSampler:
    """Samples, in a thread, the RSS of a process tree (`peak_mib` is the maximum of the sum)
    and the CPU time of named process trees (`cpu_seconds`, from entering to leaving; processes
    that exit meanwhile keep what they used up to their last sample)."""

    def __init__(self, pid: int, cpu: dict[str, int] | None = None, interval: float = 0.2):
        import psutil

        self._psutil = psutil
        self.pid = pid
        self.cpu_roots = dict(cpu or {})
        self.interval = interval
        self.peak_bytes = 0
        self.samples = 0
        self._base: dict[str, dict[int, float]] = {name: {} for name in self.cpu_roots}
        self._last: dict[str, dict[int, float]] = {name: {} for name in self.cpu_roots}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self, pid: int) -> list:
        try:
            root = self._psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except self._psutil.Error:
            return []

    def sample(self) -> int:
        total = 0
        for proc in self._tree(self.pid):
            with contextlib.suppress(self._psutil.Error):
                total += proc.memory_info().rss
        for name, root in self.cpu_roots.items():
            for proc in self._tree(root):
                with contextlib.suppress(self._psutil.Error):
                    times = proc.cpu_times()
                    self._last[name][proc.pid] = times.user + times.system
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self.sample())
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self.sample()
        self._base = {name: dict(last) for name, last in self._last.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak_bytes = max(self.peak_bytes, self.sample())

    @property
    def peak_mib(self) -> float:
        return self.peak_bytes / 2**20

    @property
    def cpu_seconds(self) -> dict[str, float]:
        return {
            name: sum(t - self._base[name].get(pid, 0.0) for pid, t in last.items())
            for name, last in self._last.items()
        }


# --------------------------------------------------------------------------------------------
# Chromium


def chromium_unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (`apt-get install chromium`; .ci/run does it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (requirements-dev.txt)"
    return None


def launch_options() -> dict[str, Any]:
    """Keyword arguments for `chromium.launch_persistent_context(user_data_dir, **options)`."""
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
        "viewport": VIEWPORT,
        "accept_downloads": True,
    }


def context_options() -> dict[str, Any]:
    """Keyword arguments for `browser.new_context(**options)`: one isolated user."""
    return {"viewport": VIEWPORT, "accept_downloads": True}


@contextlib.contextmanager
def user_data_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="jobmarket-chromium-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Page state, as JavaScript evaluated in the page (same strings for the sync and async API)

# Installed with context.add_init_script: counts finished script runs (transitions of stApp's
# data-test-script-state into "notRunning"), so a caller can wait for "the rerun my click caused
# has finished" instead of sleeping. A busy page delivers several attribute changes in one
# observer callback, so every record's value is replayed, not only the current one.
INIT_SCRIPT = """
(() => {
  const ATTR = 'data-test-script-state';
  window.__st = {runs: 0, lastState: null, errors: []};
  window.addEventListener('error', e => window.__st.errors.push(String(e.message || e)));
  const step = (value) => {
    if (value === window.__st.lastState) return;
    if (value === 'notRunning' && window.__st.lastState !== null) window.__st.runs += 1;
    window.__st.lastState = value;
  };
  new MutationObserver((records) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const changes = records.filter(r => r.type === 'attributes' && r.target === app);
    // The value each change set is the old value of the next one; the last set the current.
    changes.forEach((r, i) => { if (i > 0) step(r.oldValue); });
    step(app ? app.getAttribute(ATTR) : null);
  }).observe(document, {
    subtree: true, childList: true, attributes: true, attributeOldValue: true,
    attributeFilter: [ATTR],
  });
})();
"""

# True when the script is not running, the connection is up, no element is stale or a skeleton,
# and every visible Plotly chart has finished drawing.
IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const conn = app.getAttribute('data-test-connection-state');
  if (conn && !/connected/i.test(conn)) return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
  if (document.querySelector('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"]'))
    return false;
  if (document.querySelector('[data-testid="stElementContainer"][data-stale="true"]'))
    return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.offsetParent) continue;
    const gd = chart.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg')) return false;
  }
  return true;
}
"""

RUNS_JS = "() => (window.__st ? window.__st.runs : 0)"

# Everything that counts as a broken page.
ERRORS_JS = """
() => {
  const out = [];
  const sel = '[data-testid="stException"], .stException, [data-testid="stAlertContentError"]';
  for (const el of document.querySelectorAll(sel)) {
    if (el.parentElement && el.parentElement.closest(sel)) continue;
    const text = (el.innerText || el.textContent || '').trim();
    out.push(text.slice(0, 800) || el.outerHTML.slice(0, 200));
  }
  const body = document.body ? document.body.innerText : '';
  const at = body.indexOf('Traceback');
  if (at >= 0 && out.length === 0)
    out.push('page text contains "Traceback": ' + body.slice(at, at + 400));
  for (const e of (window.__st ? window.__st.errors : [])) out.push('JavaScript error: ' + e);
  return out;
}
"""

# What the main chart (the first visible Plotly chart in the main area) draws: trace count,
# points, and a digest of the data, so "the chart changed" and "the same figure" are checkable.
CHART_JS = """
(key) => {
  // key: the dashboard's chart key (ui.chart gives the plotly element the Streamlit key
  // chart_<key>, hence the class st-key-chart_<key>), or null for the page's first chart.
  const scope = key ? `.st-key-chart_${key} [data-testid="stPlotlyChart"], `
    + `[data-testid="stPlotlyChart"].st-key-chart_${key}` : '[data-testid="stPlotlyChart"]';
  const charts = [...document.querySelectorAll(scope)]
    .filter(c => c.offsetParent && !c.closest('[data-testid="stSidebar"]'));
  const chart = charts[0];
  if (!chart) return null;
  const gd = chart.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullLayout) return {drawn: false, count: charts.length};
  const keys = ['type', 'name', 'x', 'y', 'z', 'values', 'labels', 'locations', 'text',
                'lat', 'lon', 'ids', 'parents', 'customdata', 'base', 'q1', 'median', 'q3',
                'lowerfence', 'upperfence'];
  const plain = v => {
    if (v && typeof v === 'object' && ArrayBuffer.isView(v)) return Array.from(v);
    if (v && typeof v === 'object' && v.bdata !== undefined) return v;
    return v;
  };
  const traces = (gd.data || []).map(t => {
    const o = {};
    for (const k of keys) if (t[k] !== undefined) o[k] = plain(t[k]);
    return o;
  });
  let points = 0;
  for (const t of gd.data || []) {
    for (const k of ['x', 'y', 'values', 'z', 'locations', 'lat', 'q1']) {
      const v = t[k];
      if (v && v.length !== undefined) { points = Math.max(points, v.length); }
      else if (v && v.bdata) { points = Math.max(points, 1); }
    }
  }
  const box = gd.getBoundingClientRect();
  const title = (gd._fullLayout.title && gd._fullLayout.title.text) || '';
  return {
    drawn: !!gd.querySelector('.main-svg') && box.width > 50 && box.height > 50,
    count: charts.length,
    traces: traces.length,
    points: points,
    title: title,
    data: JSON.stringify(traces),
  };
}
"""


# True when the main area shows a drawn dataframe or table.
TABLE_JS = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
  .filter(t => !t.closest('[data-testid="stSidebar"]'))
  .some(t => t.offsetParent && t.getBoundingClientRect().height > 30)
"""


@dataclass(frozen=True)
class Chart:
    """The main chart as drawn: `digest` changes exactly when its plotted data changes."""

    drawn: bool
    count: int
    traces: int
    points: int
    title: str
    digest: str
    raw: str = field(default="", repr=False, compare=False)

    @classmethod
    def from_js(cls, raw: dict[str, Any] | None) -> Chart | None:
        if raw is None:
            return None
        data = raw.get("data", "")
        return cls(
            drawn=bool(raw.get("drawn")),
            count=int(raw.get("count", 0)),
            traces=int(raw.get("traces", 0)),
            points=int(raw.get("points", 0)),
            title=str(raw.get("title", "")),
            digest=hashlib.sha1(data.encode()).hexdigest()[:16] if data else "",
            raw=data,
        )


# True once the main chart is drawn with data different from `old` (the previous `raw`).
CHART_CHANGED_JS = (
    "([key, old]) => { const c = (" + CHART_JS.strip() + ")(key); "
    "return !!c && c.drawn && c.data !== old; }"
)


def query_params(url: str) -> dict[str, list[str]]:
    return {k: v for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


# --------------------------------------------------------------------------------------------
# What the dashboard has: pages, their main element, a sidebar filter change that must redraw
# the main chart, and the exports. Widget keys are `flt_<filter>` (Streamlit adds the CSS class
# `st-key-<key>`), export buttons `export_<name>_<csv|xlsx|parquet>` (docs/dashboard.md).

EXPORT_FORMATS = ("csv", "xlsx", "parquet")


@dataclass(frozen=True)
class Change:
    """Set one sidebar filter through its widget; the URL then carries `param=value`."""

    filter: str  # filters.SPECS name; the widget key is flt_<filter>
    kind: str  # multi | radio | segmented | toggle
    label: str  # the option as the widget shows it
    param: str
    value: str
    chart: str | None = None  # ui.chart key of the chart that must change (None: the first)

    @property
    def key(self) -> str:
        return f"flt_{self.filter}"


@dataclass(frozen=True)
class PageSpec:
    path: str  # URL path ("" = the default page)
    title: str  # as in the navigation
    heading: str  # the page's st.title
    main: dict[str, str]  # data kind -> "chart" | "table": what the page must draw first
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)

    def url(self, base: str, query: str = "") -> str:
        return f"{base}/{self.path}" + (f"?{query}" if query else "")

    @property
    def slug(self) -> str:
        return self.path or "overview"


APP_TITLE = "Job market: salaries & skills"  # st.set_page_config(page_title=...) in app.py
GERMANY = Change("country", "multi", "Germany (DE)", "country", "DE")
STATISTICIANS = Change(
    "occupation", "multi", "Statisticians (15-2041.00)", "occupation", "15-2041.00"
)
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "",
        "Overview",
        "Job market for ML, data & software roles",
        main={"seed": "chart", "real": "chart"},
        changes={"real": (GERMANY,)},
    ),
    PageSpec(
        "openings",
        "Job openings",
        "Job openings",
        main={"seed": "chart", "real": "chart"},
        changes={
            "seed": (GERMANY,),
            "real": (
                GERMANY,
                Change("posting", "segmented", "New postings", "posting", "new", "openings_series"),
            ),
        },
    ),
    PageSpec(
        "salaries",
        "Salaries",
        "Salaries",
        main={"seed": "chart", "real": "chart"},
        changes={"real": (Change("level", "multi", "Senior", "level", "Senior"),)},
    ),
    PageSpec(
        "skills",
        "Skills",
        "Skills",
        main={"seed": "table", "real": "chart"},
        changes={
            "real": (
                Change(
                    "occupation", "multi", "Statisticians (15-2041.00)", "occupation", "15-2041.00"
                ),
            )
        },
    ),
    PageSpec(
        "industries",
        "Industries & sectors",
        "Industries & sectors",
        main={"seed": "chart", "real": "chart"},
        changes={"real": (GERMANY,)},
    ),
    PageSpec(
        "education",
        "Education & careers",
        "Education & careers",
        main={"seed": "chart", "real": "chart"},
        changes={
            "real": (
                Change(
                    "occupation", "multi", "Statisticians (15-2041.00)", "occupation", "15-2041.00"
                ),
            )
        },
    ),
    PageSpec(
        "sources", "Data & sources", "Data & sources", main={"seed": "table", "real": "table"}
    ),
)

NAV_TITLES = [p.title for p in PAGES]
