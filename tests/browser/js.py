"""The JavaScript the harness evaluates in a page: run counter, idle and error checks, charts."""

from __future__ import annotations

# Installed with context.add_init_script: counts finished script runs (transitions of stApp's
# data-test-script-state into "notRunning"), so a caller can wait for "the rerun my click caused
# has finished" instead of sleeping. A busy page delivers several attribute changes in one
# observer callback, so every record's value is replayed, not only the current one.
INIT_SCRIPT = """
(() => {
  const ATTR = 'data-test-script-state';
  window.__st = {runs: 0, lastState: null, errors: [], quiet: null};
  // "ResizeObserver loop completed with undelivered notifications" is the browser saying a
  // resize callback changed layout again within one frame (a data grid or chart settling, more
  // often on a loaded machine); the spec reports it as an error event, but nothing failed.
  window.addEventListener('error', e => {
    const text = String(e.message || e);
    if (!text.startsWith('ResizeObserver loop')) window.__st.errors.push(text);
  });
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

# Evaluated with polling="raf": true once the page has been idle, with the same count of finished
# runs, for `frames` rendered frames in a row (so a rerun that follows at once, e.g. st.rerun,
# is waited for too). `token` is new per wait, so an earlier wait's count does not carry over.
SETTLED_JS = (
    "([token, frames]) => { const st = window.__st; if (!st) return false;"
    " if (!(" + IDLE_JS.strip() + ")()) { st.quiet = null; return false; }"
    " if (!st.quiet || st.quiet.token !== token || st.quiet.runs !== st.runs)"
    " st.quiet = {token: token, runs: st.runs, frames: 0};"
    " return ++st.quiet.frames >= frames; }"
)

RUNS_JS = "() => (window.__st ? window.__st.runs : 0)"
RUNS_ABOVE_JS = "(runs) => !!window.__st && window.__st.runs > runs"

# Everything that counts as a broken page; also Streamlit's "Page not found" dialog (it then
# runs the default page instead, at "/").
ERRORS_JS = """
() => {
  const out = [];
  const sel = '[data-testid="stException"], .stException, [data-testid="stAlertContentError"]';
  for (const el of document.querySelectorAll(sel)) {
    if (el.parentElement && el.parentElement.closest(sel)) continue;
    const text = (el.innerText || el.textContent || '').trim();
    out.push(text.slice(0, 800) || el.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll('[data-testid="stDialog"]')) {
    const text = (el.innerText || '').trim();
    if (/page not found/i.test(text)) out.push('dialog: ' + text.slice(0, 300));
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
# points, and the data as JSON, so "the chart changed" and "the same figure" are checkable.
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
  const plain = v => (v && typeof v === 'object' && ArrayBuffer.isView(v)) ? Array.from(v) : v;
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

# True once the main chart is drawn with data different from `old` (the previous `raw`).
CHART_CHANGED_JS = (
    "([key, old]) => { const c = (" + CHART_JS.strip() + ")(key); "
    "return !!c && c.drawn && c.data !== old; }"
)

# True when the main area shows a drawn dataframe or table.
TABLE_JS = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
  .filter(t => !t.closest('[data-testid="stSidebar"]'))
  .some(t => t.offsetParent && t.getBoundingClientRect().height > 30)
"""

# How many country shapes the world maps of the page draw (Plotly choropleths).
MAP_PATHS_JS = "() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length"

# The sidebar navigation: [URL path without the leading "/", title] per link.
NAV_JS = """
() => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')].map(a => [
  new URL(a.href).pathname.replace(/^\\/+/, ''),
  (a.innerText || '').trim().split('\\n').pop().trim(),
])
"""

# The page at `path` shows its st.title `heading` (the previous page's title is gone).
ON_PAGE_JS = """
([path, heading]) => location.pathname.replace(/\\/+$/, '') === ('/' + path).replace(/\\/+$/, '')
  && [...document.querySelectorAll('[data-testid="stMain"] h1')]
       .some(h => h.innerText.trim() === heading)
"""

# The height the page needs to show everything (Streamlit scrolls inside its main container).
CONTENT_HEIGHT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const side = document.querySelector('[data-testid="stSidebarContent"]');
  return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0);
}
"""

# Ready for a screenshot: idle, fonts loaded, the main area shown whole (no scrolling left, unless
# the window is already `maxHeight` tall), and every visible chart laid out at its own width.
SHOT_READY_JS = (
    "(maxHeight) => { if (!(" + IDLE_JS.strip() + ")()) return false;"
    " if (document.fonts && document.fonts.status !== 'loaded') return false;"
    " const main = document.querySelector('[data-testid=\"stMain\"]');"
    " if (main && main.scrollHeight > main.clientHeight + 1"
    " && window.innerHeight < maxHeight) return false;"
    " return [...document.querySelectorAll('.js-plotly-plot')].filter(g => g.offsetParent)"
    ".every(g => g._fullLayout"
    " && Math.abs(g._fullLayout.width - g.getBoundingClientRect().width) < 2); }"
)

# True once the page is idle and every visible chart has been laid out for its container's
# current width (after the window was resized).
REFLOWED_JS = (
    "() => { if (!(" + IDLE_JS.strip() + ")()) return false;"
    " return [...document.querySelectorAll('.js-plotly-plot')].filter(g => g.offsetParent)"
    ".every(g => g._fullLayout"
    " && Math.abs(g._fullLayout.width - g.getBoundingClientRect().width) < 2); }"
)

# What a timeout message shows of the page.
STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    runs: window.__st ? window.__st.runs : null,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    running_icon: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'),
    url: location.href,
  };
}
"""
