"""Screenshots of every dashboard page in headless Chromium (Debian's), for a person to look at.

Usage (from the project root):
    python tests/e2e/screenshots.py [--data-dir DIR] [--label NAME] [--dark] [--query "a=1&b=2"]

Starts `streamlit run dashboard/app.py` on a free local port with JOBMARKET_DATA_DIR=DIR, opens
each page, waits until the script has finished and the charts are drawn, and writes
tests/e2e/screenshots/<label>-<page>.png (the folder is git-ignored). Never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ("", "openings", "salaries", "skills", "industries", "education", "sources")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, data_dir: str | None, dark: bool) -> subprocess.Popen:
    env = dict(os.environ)
    if data_dir:
        env["JOBMARKET_DATA_DIR"] = data_dir
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.enableStaticServing=true",
        f"--theme.base={'dark' if dark else 'light'}",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def wait_rendered(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )
    # Plotly draws after the script finishes: wait until every chart has its SVG.
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".every(p => p.querySelector('.main-svg'))",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(1500)


def shoot(port: int, label: str, query: str, width: int = 1400) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": width, "height": 1000},
        )
        page = context.new_page()
        for name in PAGES:
            url = f"http://127.0.0.1:{port}/{name}" + (f"?{query}" if query else "")
            page.set_viewport_size({"width": width, "height": 1000})
            page.goto(url)
            wait_rendered(page)
            height = page.evaluate(
                "() => Math.max(...Array.from(document.querySelectorAll("
                '\'[data-testid="stMain"], [data-testid="stMainBlockContainer"]\'))'
                ".map(e => e.scrollHeight), 1000)"
            )
            page.set_viewport_size({"width": width, "height": min(int(height) + 80, 16000)})
            page.wait_for_timeout(1200)
            path = OUT / f"{label}-{name or 'overview'}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
            print(path.relative_to(ROOT), flush=True)
        context.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--label", default="seed")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--query", default="")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.data_dir, args.dark)
    try:
        shoot(port, args.label + ("-dark" if args.dark else ""), args.query, args.width)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
