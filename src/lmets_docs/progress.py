"""Report progress without drawing it: writers log each step, only the command line draws.

A writer (in the build's process or in a worker) calls ``step``: it is an INFO log record on
the ``lmets_docs.progress`` logger that carries a ``Step``. Off a terminal it is a plain log
line (shown with ``-v``); on a terminal the command line's handler draws a bar from it
instead. Nothing here writes to a stream.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

LOGGER = "lmets_docs.progress"
log = logging.getLogger(LOGGER)


@dataclass(frozen=True)
class Step:
    """How far a long task is: what it is (the bar's label), units done, units in all."""

    label: str
    done: int
    total: int


def step(progress: Step, message: str, *args: object) -> None:
    """Report one step of a long task: a log line, or a bar the command line draws."""
    log.info(message, *args, extra={"progress": progress})


def leaflets(done: int, total: int) -> None:
    """Report how many leaflet languages of a build are made (a library's bar, with its ETA)."""
    step(Step("leaflets", done, total), "leaflets: %d of %d made", done, total)
