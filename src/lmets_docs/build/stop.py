"""Stop a build on SIGTERM or SIGHUP as Ctrl-C stops it: cleanly, and saying so.

Killed outright, a build leaves its temporary folders (the next one removes them) and says
nothing. Taken as a Ctrl-C (``Stopped``, a KeyboardInterrupt), the build removes them, and
the command line says what was kept. The writer processes, which a Ctrl-C at the terminal
reaches too but a SIGTERM sent to the build alone does not, are ended first.
"""

from __future__ import annotations

import multiprocessing
import signal


class Stopped(KeyboardInterrupt):
    """The build was asked to stop by a signal other than Ctrl-C's."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number

    @property
    def name(self) -> str:
        """Return the signal's name (SIGTERM)."""
        return signal.Signals(self.number).name


def stop_on_signals() -> None:
    """Take SIGTERM and SIGHUP as a Ctrl-C (``Stopped``) from now on, in this process."""
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop)


def _stop(number: int, frame: object) -> None:
    for child in multiprocessing.active_children():
        child.terminate()
    raise Stopped(number)
