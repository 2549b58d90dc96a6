"""Run one piece of a check in a forked child on an idle core, while this process goes on.

A build checks the PDF last, as a rule alone: its DOCX was written and checked long before, and
the second core idles. The PDF's rules (its tags read with pikepdf, every character's size and
box with pdfium) need nothing from its text and facts, so ``check_artifact`` has them checked
in a child forked for it while this process reads the text (pdftotext, pikepdf) and checks the
facts; what comes back is the findings, a few bytes. A fork costs about 5 ms of CPU in each
process, so it is done only where a core is idle now (``build.early.idle_cores``), and never
while another thread runs (a lock a thread holds would stay held in the child). Where the
child cannot give its answer (killed, out of memory, an error), the piece runs here, as it
would have anyway, so an error is raised here with its usual words. The child leaves the
objects it inherits out of the cycle collector's walks (``collector.settle_forked``: frozen
for good, which the collector then knows, so no pause in the work thaws them): it ends in a
moment and frees none of them, and each walk touched every one of them (a build's PDF process
holds what WeasyPrint left), copying the pages they are on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from lmets_docs import collector
from lmets_docs.build.lifeline import tie_to_parent

log = logging.getLogger(__name__)
T = TypeVar("T")


@contextlib.contextmanager
def started(work: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Start ``work`` in a forked child if it is worth it; the function yielded returns its result.

    Its result comes from the child, or from ``work`` run here. The child is ended and waited
    for on the way out, whatever happens.
    """
    if not worth_forking():
        yield work
        return
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the result, and end without cleaning up
        os.close(read_end)
        _serve(work, write_end, parent)
    os.close(write_end)
    child = _Child(pid, read_end)
    try:
        yield lambda: child.result(work)
    finally:
        child.end()


def worth_forking() -> bool:
    """Say whether a core is idle now and this process runs one thread only."""
    from lmets_docs.build.early import idle_cores  # noqa: PLC0415 (the standard library only)

    return threading.active_count() == 1 and idle_cores() >= 1


def _serve(work: Callable[[], object], write_end: int, parent: int) -> None:
    """In the child: write ``work``'s pickled result to the pipe, and exit at once.

    The child ends with its parent (``build.lifeline``), should that be killed meanwhile.
    """
    code = 1
    try:
        tie_to_parent(parent)
        collector.settle_forked()  # the parent's objects: never freed here, so never walked
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


class _Child:
    """A forked child working on one piece, and the pipe it answers through."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid, self.read_end = pid, read_end
        self.status: int | None = None

    def result(self, work: Callable[[], T]) -> T:
        """Return the child's result; run ``work`` here if it ended without one."""
        with os.fdopen(self.read_end, "rb") as pipe:
            self.read_end = -1
            data = pipe.read()
        _, self.status = os.waitpid(self.pid, 0)
        if self.status == 0 and data:
            found: T = pickle.loads(data)
            return found
        log.debug("the child checking aside ended without a result (status %s)", self.status)
        return work()

    def end(self) -> None:
        """Kill the child if it still works, wait for it, and close the pipe."""
        if self.read_end >= 0:
            os.close(self.read_end)
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
