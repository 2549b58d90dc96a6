"""Stop a build on Ctrl-C, SIGTERM or SIGHUP: cleanly, and saying so.

Killed outright, a build leaves its temporary folders (the next one removes them) and says
nothing. Taken as a Ctrl-C (``Stopped``, a KeyboardInterrupt), the build removes them, and
the command line says what was kept. The writer processes, which a Ctrl-C at the terminal
reaches too but a SIGTERM sent to the build alone does not, are ended first.

A writer run in the build's own process may be inside a library that catches every
exception, ``Stopped`` too: WeasyPrint drawing an SVG catches ``BaseException``, logs
"Failed to render SVG image" and goes on. So the stop is also kept (``requested``), and the
writer asks after such a library returns (``raise_if_stopped``). Ctrl-C (SIGINT) is kept so
as well: Python's own handler would only raise a KeyboardInterrupt, which WeasyPrint
swallows, and the build would go on drawing to fail on the missing picture. A build that
ignores SIGINT (started in the background by a script) goes on ignoring it.
"""

from __future__ import annotations

import multiprocessing
import signal


class Stopped(KeyboardInterrupt):
    """The build was asked to stop by a signal (SIGINT: Ctrl-C)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number

    @property
    def name(self) -> str:
        """Return the signal's name (SIGTERM), or "Ctrl-C" for SIGINT."""
        return "Ctrl-C" if self.number == signal.SIGINT else signal.Signals(self.number).name


def stop_on_signals() -> None:
    """Take SIGTERM and SIGHUP as a Ctrl-C (``Stopped``) from now on, in this process, and
    keep a Ctrl-C as they are kept, unless SIGINT is ignored."""
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _stop)


_requested: list[int] = []


def requested() -> int | None:
    """Return the signal that asked this process to stop, if one did."""
    return _requested[0] if _requested else None


def raise_if_stopped() -> None:
    """Raise ``Stopped`` if a signal asked to stop and something swallowed its exception."""
    number = requested()
    if number is not None:
        raise Stopped(number)


def _stop(number: int, frame: object) -> None:
    _requested.append(number)
    for child in multiprocessing.active_children():
        child.terminate()
    raise Stopped(number)
