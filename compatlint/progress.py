"""A progress bar for long runs, on stderr, only when stderr is a terminal.

`progress_bar(label, enabled)` gives a `(done, total)` callback or None; any long run (an audit's
commits, a large schema set's files, a rehearsal's statements) reports through it. The bar redraws at
most ten times a second, shows the rate and the time left once that can be estimated, and erases itself
when the run ends, so nothing of it stays in a terminal's scroll-back or reaches redirected output.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, TextIO

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

    def __init__(self, label: str, unit: str, stream: TextIO | None = None, clock=time.monotonic):
        self.label, self.unit = label, unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
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
        if now - self.last_draw < self.INTERVAL and done:
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


def progress_bar(label: str, unit: str, enabled: bool) -> ProgressBar | None:
    return ProgressBar(label, unit) if enabled else None
