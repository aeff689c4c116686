"""A progress bar for long runs, on stderr, only when stderr is a terminal.

Two ways to use it:
- `progress_bar(label, unit, enabled)` gives a `(done, total)` callback (or None) to pass down, as
  `audit` does for its commits;
- `showing(kind, label, unit, enabled, delay)` makes a bar the current one for a block of code, and
  code deep inside reports with `step(kind, done, total)` without a parameter threaded through every
  call (loading a large schema set reports `step("files", ...)`); a step of another kind than the
  current bar's is ignored, so an audit's bar is never taken over by the files of one commit.

The bar redraws at most ten times a second, appears only after `delay` seconds (a quick run shows
nothing), shows the rate and the time left once they can be estimated, and erases itself when the run
ends, so nothing of it stays on the screen or reaches redirected output. COMPATLINT_PROGRESS_DELAY
overrides every delay (seconds; the tests set 0).
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, TextIO

ProgressCallback = Callable[[int, int], None]


def wanted(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """A bar only on an interactive stderr, never under --quiet/--no-progress or TERM=dumb."""
    stream = stream if stream is not None else sys.stderr
    if quiet or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressBar:
    """`bar(done, total)`; `bar.close()` erases it (called by itself when done reaches total)."""

    WIDTH = 28
    INTERVAL = 0.1

    def __init__(self, label: str, unit: str, stream: TextIO | None = None, clock=time.monotonic, delay: float = 0.0):
        self.label, self.unit = label, unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.delay = delay
        self.last_draw = -1.0
        self.shown = False

    def line(self, done: int, total: int, now: float) -> str:
        fraction = done / total if total else 1.0
        filled = int(self.WIDTH * fraction)
        bar = "█" * filled + ("▌" if filled < self.WIDTH and self.WIDTH * fraction - filled >= 0.5 else "")
        bar = bar.ljust(self.WIDTH, "·")
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        text = f"{self.label} {bar} {done}/{total} {self.unit}"
        if done and elapsed >= 0.5:
            text += f" · {rate:.1f}/s"
            if done < total:
                text += f" · {_duration((total - done) / rate)} left"
        return text

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done >= total:
            self.close()
            return
        if (now - self.last_draw < self.INTERVAL and done) or now - self.started < self.delay:
            return
        self.last_draw = now
        self.stream.write("\r\033[K" + self.line(done, total, now))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def _delay(default: float) -> float:
    try:
        return float(os.environ["COMPATLINT_PROGRESS_DELAY"])
    except (KeyError, ValueError):
        return default


def progress_bar(label: str, unit: str, enabled: bool, delay: float = 0.0) -> ProgressBar | None:
    return ProgressBar(label, unit, delay=_delay(delay)) if enabled else None


_CURRENT: ContextVar[tuple[str, ProgressBar] | None] = ContextVar("compatlint_progress", default=None)


@contextmanager
def showing(kind: str, label: str, unit: str, enabled: bool, delay: float = 0.5) -> Iterator[None]:
    bar = progress_bar(label, unit, enabled, delay)
    token = _CURRENT.set((kind, bar) if bar else None)
    try:
        yield
    finally:
        _CURRENT.reset(token)
        if bar:
            bar.close()


def step(kind: str, done: int, total: int) -> None:
    current = _CURRENT.get()
    if current is not None and current[0] == kind:
        current[1](done, total)
