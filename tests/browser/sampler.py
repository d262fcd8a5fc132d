"""Memory and CPU of process trees, sampled in a thread while the load test runs."""

from __future__ import annotations

import contextlib
import threading


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
