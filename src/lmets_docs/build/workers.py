"""The writer processes of a build: forked early, each importing its share of the writers.

A writer's imports are heavy (WeasyPrint, python-docx, numpy). So the build forks its writer
processes as soon as it knows it has work to do, before it loads and validates the sources,
and the process that will probably run the first task (the narration, the build's longest)
imports that writer and its checker while the build's own process reads the sources
(``shares``). Importing early is only a head start: a process still imports, when
its task comes, whatever it lacks, and a writer that cannot be imported fails its task with
the usual message, as it would have without the head start.

The processes are forked before this process starts any thread (forking a process that has
threads can copy a lock some thread holds, and deadlock the child).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event as EventType
from typing import Any, TypeVar

from lmets_docs import formats
from lmets_docs.options import BuildOptions

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_TASK_WAIT_S = 10.0
"""The longest the other processes wait for the first task to be taken (then go on)."""
_taken: EventType | None = None
"""In a writer process: set once some process has taken a task (``preload``)."""
CHECKING = "lmets_docs.check"
"""The package every format's check goes through (``run.check_one``)."""


class Workers:
    """A pool of writer processes, forked now; each imports its share of ``shares``."""

    def __init__(self, count: int, shares: Sequence[Sequence[str]]) -> None:
        context = multiprocessing.get_context("fork")
        turn: Synchronized[int] = context.Value("i", 0)
        self.count = count
        self.taken = context.Event()
        self.pool = ProcessPoolExecutor(
            count, mp_context=context, initializer=preload,
            initargs=(tuple(map(tuple, shares)) or ((),), turn, self.taken))
        self.pool.submit(int)  # forks every process now (fork: all at the first submit)

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        """Run ``fn(*args)`` in a free process."""
        return self.pool.submit(_task, fn, *args)

    def close(self, *, wait: bool = True) -> None:
        """Stop the processes: after their tasks, or (``wait=False``) at once, work unused."""
        self.taken.set()  # no process waits any longer for a first task
        if not wait:  # the pool has no public way to stop a process busy importing
            for process in dict(getattr(self.pool, "_processes", None) or {}).values():
                with contextlib.suppress(OSError, ValueError):
                    process.terminate()
        self.pool.shutdown(cancel_futures=not wait)


def preload(shares: tuple[tuple[str, ...], ...], turn: Synchronized[int],
            taken: EventType) -> None:
    """Import the next share of modules (in a new writer process); never fail.

    The process that takes the first share imports it at once; the others wait until a
    task has been taken (by it: it is the only one free), so that the first task goes to
    the process that imported its writer (the queue of tasks is first come, first served).
    A module that cannot be imported is left for its task to import again: the task then
    fails with the writer's usual message.
    """
    global _taken  # noqa: PLW0603 (this process's one pool)
    _taken = taken
    with turn.get_lock():
        mine = turn.value
        turn.value += 1
    if mine:
        taken.wait(FIRST_TASK_WAIT_S)
    for module in shares[min(mine, len(shares) - 1)]:
        try:
            importlib.import_module(module)
        except Exception:  # the task imports it again and reports it as usual
            log.debug("preloading %s failed", module, exc_info=True)


def _task(fn: Callable[..., T], *args: Any) -> T:
    """Run one task in a writer process, letting the others take tasks too from now on."""
    if _taken is not None:
        _taken.set()
    return fn(*args)


def shares(names: Sequence[str], count: int, options: BuildOptions) -> list[list[str]]:
    """Return the modules each of ``count`` processes imports ahead, the first task's first.

    The first task (the narration, when there is one: it is the longest) is the build's
    critical path: one process imports its modules alone, while this process reads the
    sources. With a narration, the other processes import nothing ahead: on two cores they
    would slow both (a third process), and their own tasks have time to spare. Without one,
    they import the other formats'.
    """
    slow = [n for n in names if formats.FORMATS[n].slow]
    first = slow or list(names[:1])
    rest = [] if slow else [n for n in names if n not in first]
    return [modules(first, options)] + [modules(rest, options) if rest else []] * (count - 1)


def modules(names: Sequence[str], options: BuildOptions) -> list[str]:
    """Return the modules the tasks of these formats import: writers, and checkers if checking."""
    found = [formats.FORMATS[n].writer for n in names]
    if options.check:
        found += [CHECKING, *(c for n in names if (c := formats.FORMATS[n].checker))]
    return found


def start_early(names: Sequence[str], tasks: int, options: BuildOptions) -> Workers | None:
    """Fork the writer processes before the sources are loaded, if a build will want them.

    ``tasks`` is the most writers the build can run (formats times leaflets). None when the
    build will run its writers in this process (``--jobs 1``, or a single format), or when a
    thread is already running (it would be unsafe to fork).
    """
    count = min(options.jobs, tasks)
    if options.jobs <= 1 or len(names) <= 1 or count <= 1:
        return None
    if threading.active_count() > 1:
        return None
    return Workers(count, shares(names, count, options))
