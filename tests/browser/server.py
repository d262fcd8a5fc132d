"""Data directories for the browser runs and `streamlit run dashboard/app.py` on a free port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIRROR = ROOT.parent / "shared" / "datasets"
APP = ROOT / "dashboard" / "app.py"
REAL_SOURCES = ("aijobs", "indeed", "onet")


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


def resolve_data(choice: str, scratch: Path) -> tuple[Path, str]:
    """(data dir, kind) for a `--data` option: auto (real when the mirror is usable), seed, real
    (both built under `scratch`), or an existing data directory (its manifest tells the kind)."""
    if choice not in ("auto", "seed", "real"):
        path = Path(choice).resolve()
        manifest = path / "processed" / "manifest.json"
        if not manifest.is_file():
            raise SystemExit(f"{manifest} does not exist")
        sources = json.loads(manifest.read_text(encoding="utf-8")).get("sources", {})
        return path, "real" if len(sources) > 1 else "seed"
    if choice == "auto":
        reason = real_data_unavailable()
        if reason:
            print(f"using seed data: {reason}")
        choice = "seed" if reason else "real"
    elif choice == "real" and (reason := real_data_unavailable()):
        raise SystemExit(reason)
    print(f"building {choice} data in {scratch} ...", flush=True)
    return build_data_dir(choice, scratch / choice), choice


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    """`streamlit run dashboard/app.py` on 127.0.0.1:<free port> with JOBMARKET_DATA_DIR set.
    `options` are more `--name value` pairs for streamlit (e.g. {"theme.base": "dark"})."""

    data_dir: Path
    log_path: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    pythonpath_first: Path | None = None
    options: dict[str, str] = field(default_factory=dict)
    kind: str = ""  # which data it serves (seed, real, fixture), for the tests' ids and names
    app: Path = APP  # the script served: the dashboard, or the benchmark's bare one-chart app
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
        options = {
            "server.port": str(self.port),
            "server.address": "127.0.0.1",
            "server.headless": "true",
            "browser.gatherUsageStats": "false",
            "server.fileWatcherType": "none",
            **self.options,
        }
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.app)]
        cmd += [arg for name, value in options.items() for arg in (f"--{name}", value)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float) -> None:
        """Poll /_stcore/health until it answers "ok" (or the process exits, or time is up)."""
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
            time.sleep(0.2)  # poll interval; the condition is the health answer above
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
