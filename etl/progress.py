"""Refresh progress: a rich bar per source on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO

_ACTIVE: ContextVar[Progress | None] = ContextVar("refresh_progress", default=None)


@contextmanager
def active(progress: Progress) -> Iterator[Progress]:
    """Make `progress` the one sources report big reads to while a refresh runs."""
    token = _ACTIVE.set(progress)
    try:
        yield progress
    finally:
        _ACTIVE.reset(token)


def bytes_reporter(source: str, file: str) -> Callable[[int, int], None]:
    """A `(done, total)` callback for a source reading a big file; a no-op outside a refresh."""
    progress = _ACTIVE.get()
    if progress is None:
        return lambda _done, _total: None
    return lambda done, total: progress.read(source, file, done, total)


class Progress:
    """What a refresh tells the person running it. On a terminal (and not `quiet`) each source
    gets a bar that moves per file fetched and per step; elsewhere (CI logs, pipes, `--quiet`)
    the same events are plain lines, and `quiet` keeps only warnings and failures."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        fancy: bool | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.fancy = (self.stream.isatty() and not quiet) if fancy is None else fancy
        self._log = log
        self._bars: Any = None
        self._tasks: dict[str, Any] = {}
        self._started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self._quarters: dict[str, int] = {}
        if self.fancy:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import (
                Progress as Bars,
            )

            self._bars = Bars(
                TextColumn("{task.fields[source]:<7}"),
                BarColumn(bar_width=24),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream),
            )
            self._bars.start()

    def log(self, message: str, *, important: bool = False) -> None:
        """A line of the refresh log; `important` lines (failures) show even when quiet."""
        if self.quiet and not important:
            return
        if self._log is not None:
            self._log(message)
        elif self._bars is not None:
            self._bars.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=self.stream, flush=True)

    def start(self, source: str, steps: int) -> None:
        """A source begins: `steps` = its files plus normalizing and validating."""
        self._started[source] = time.monotonic()
        if self._bars is not None:
            self._tasks[source] = self._bars.add_task("starting", total=steps, source=source)

    def advance(self, source: str, what: str, steps: int = 1) -> None:
        """`steps` steps of `source` are done; `what` says what was done or comes next."""
        if self._bars is not None and source in self._tasks:
            self._bars.update(self._tasks[source], advance=steps, description=what)

    def read(self, source: str, file: str, done: int, total: int) -> None:
        """`done` of `total` bytes of `file` read: the bar's text shows size, rate, time left;
        plain output gets a line at each quarter."""
        key = f"{source}:{file}"
        started = self._started.setdefault(key, time.monotonic())
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        text = (
            f"{file}: {done / 1e6:,.0f} of {total / 1e6:,.0f} MB, {rate / 1e6:,.0f} MB/s, "
            f"{left:,.0f} s left"
        )
        if self._bars is not None and source in self._tasks:
            self._bars.update(self._tasks[source], description=text)
            return
        quarter = int(4 * done / total) if total else 4
        if quarter > self._quarters.get(key, 0):
            self._quarters[key] = quarter
            self.log(f"[{source}] {text}")

    def finish(self, source: str, status: str) -> float:
        """`source` ended with `status`; returns its elapsed seconds."""
        seconds = time.monotonic() - self._started.get(source, time.monotonic())
        self.seconds[source] = seconds
        if self._bars is not None and source in self._tasks:
            task = self._tasks[source]
            total = self._bars.tasks[task].total or 0
            self._bars.update(task, completed=total, description=status)
        return seconds

    def close(self) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None
