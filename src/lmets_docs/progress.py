"""The command line's progress display for long batches: leaflets done, and time left.

Drawn on stderr by the CLI only (the build reports through a callback and never prints), and
only when both stdout and stderr are terminals: a log file or a pipe gets no progress lines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def wanted(streams: tuple[TextIO, ...] = ()) -> bool:
    """Say whether to draw progress: every stream (default stdout and stderr) is a terminal."""
    return all(stream.isatty() for stream in streams or (sys.stdout, sys.stderr))


class ProgressLine:
    """One line, redrawn in place: ``leaflets 3/16 (19 %), about 1 min 40 s left``."""

    def __init__(
        self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.start: float | None = None
        self.first_done = 0

    def __call__(self, done: int, total: int) -> None:
        """Draw the line for ``done`` of ``total`` leaflet languages; end it when all are done."""
        now = self.clock()
        if self.start is None:  # what was done before the first report cost no time here
            self.start, self.first_done = now, done
        text = line(done, total, estimate(now - self.start, done - self.first_done,
                                          total - done))
        end = "\n" if done >= total else ""
        self.stream.write(f"\r\x1b[K{text}{end}")
        self.stream.flush()


def estimate(elapsed: float, done: int, left: int) -> float | None:
    """Return the seconds left at the pace so far, or None before anything was done."""
    if left == 0:
        return 0.0
    return elapsed / done * left if done > 0 else None


def line(done: int, total: int, left_s: float | None) -> str:
    """Return the progress text."""
    percent = 100 * done // total if total else 100
    text = f"leaflets {done}/{total} ({percent} %)"
    if done >= total:
        return f"{text}, done"
    return f"{text}, about {duration(left_s)} left" if left_s is not None else text


def duration(seconds: float | None) -> str:
    """Return a rough duration: ``40 s``, ``3 min 20 s``, ``2 h 5 min``."""
    whole = round(seconds or 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
