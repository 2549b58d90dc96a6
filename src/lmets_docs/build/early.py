"""Start a writer process before the sources are loaded, when a core would otherwise idle.

A build without narration (``--format pdf --format docx``) spends its first half second in
this process alone: importing pydantic and the rest of what a job is made of, then loading
and validating the leaflets. Its longest writer, the PDF's, then spends a third of a second
importing WeasyPrint. Here one writer process is forked after those imports and before the
loading, and imports the longest writer (and its checker) while this process loads; the first
task of that format then goes to it (``run._Schedule``) and starts at once. The other writer
processes are forked after loading, as without this.

Forked after the imports, not at the very start: the process then shares them (copy on
write) instead of importing pydantic and the rest again (0.2 s more of CPU, measured). Only
where a core is idle: a narrated build of short sources keeps both cores busy from its start
(the narration is started first and takes longest), and forking early there was measured to
cost CPU for no gain in time; long sources (``LONG_SOURCES``: a library) load for as long as
the PDF's import, and start it early too; so does a watched edit's build, which loads while
the watch waits for the files to settle, forked from a process that has imported every
writer already (the early process imports nothing; the edit's writers start one fork
sooner). On a machine busy with other work, forking early
costs CPU for nothing as well (``idle_cores``). Each writer process allocates from one malloc
arena (``one_malloc_arena``), and imports with the garbage collector paused
(``collector.no_collections``). This module imports only the standard library, ``formats``,
``options``, ``collector`` and ``build.lifeline``.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lmets_docs import collector, formats
from lmets_docs.build.lifeline import tie_writer
from lmets_docs.options import BuildOptions

if TYPE_CHECKING:
    from lmets_docs.build.plan import Produced

JOB_MODULES = ("lmets_docs.build.run", "lmets_docs.check")
"""What a task needs besides its writer and checker (the first, already shared by fork)."""
LONG_SOURCES = 20_000
"""Bytes of leaflet text (``*.md``) from which a narrated build starts a process early.

Loading sources of that size takes 0.1-0.2 s here (the seed is 4 kB, and loads in 0.05 s;
a library of 16 such leaflets in 0.35 s; one leaflet 8 times the seed's length, 35 kB, in
0.19 s): the early process then imports the PDF's writer (0.37 s of CPU) while this one loads,
and starts the PDF, or a library's first ones, as the loading ends. With shorter sources a
narrated build gains nothing: its narration, started first, is the longest task; and the
early process fills its own copy of the caches this one fills while loading (0.1 s of CPU).
"""


class WriterProcess:
    """One writer process, given one task at a time (``run.run_writers``), which ends as soon
    as it is told that no task is left for it (``release``).

    A process and a pipe, not a ``ProcessPoolExecutor``: an executor runs threads in this
    process, and the other writer processes must not be forked while a thread runs here (a
    lock a thread holds stays held in the child; Python 3.12 warns); and an executor's
    processes end together, at its shutdown, where each of these ends once its own tasks are
    done. The thread that hands a task over and waits for its result starts with the task,
    after every fork. ``name``: the format whose modules it imports first ("": none).
    """

    def __init__(self, name: str = "") -> None:
        context = multiprocessing.get_context("fork")
        self.name = name
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve,
                                        args=(child, self._conn, name, os.getpid()),
                                        daemon=True)
        self._process.start()
        child.close()
        self._exchanging: threading.Thread | None = None

    def submit(self, fn: Callable[..., Produced], *args: Any) -> Future[Produced]:
        """Hand a task to the process (one at a time); its result or error comes in the future."""
        future: Future[Produced] = Future()
        exchanging = threading.Thread(target=self._exchange, args=(fn, args, future),
                                      daemon=True)
        exchanging.start()
        self._exchanging = exchanging  # once started (a Ctrl-C may come between)
        return future

    def _exchange(self, fn: Callable[..., Produced], args: tuple[Any, ...],
                  future: Future[Produced]) -> None:
        try:
            self._conn.send((fn, args))
            done, value = self._conn.recv()
        except (OSError, EOFError) as exc:  # the process died (killed, out of memory …)
            future.set_exception(BrokenProcessPool(
                f"the writer process ended without finishing its task ({exc or 'killed'})"))
            return
        if done:
            future.set_result(value)
        else:
            future.set_exception(value)

    def release(self) -> None:
        """Let the process end as soon as its task (if any) is done: none is left for it.

        It then ends while the build installs what it wrote; ``close`` waits for it.
        """
        with contextlib.suppress(OSError):
            self._conn.send(None)

    def close(self, wait: bool = True) -> None:
        """Stop the process once its task (if any) is done; ``wait``: until it has ended (else
        ``join`` waits for that, later: ``run.run_writers``).

        A task still running (the build stops early: a full disk at an install) is answered
        first: the thread waiting for its answer reads it whole before the word to stop is
        written (never beside the task's own) and the pipe is closed (a pipe closed under
        that thread was read as ``None`` between an answer's header and its body). The pipe
        is closed before the process is waited for: a process that was never told to stop
        (the word could not be written: a full disk makes every write fail, a pipe's too)
        then reads its end instead, and stops. (The processes forked after it hold a copy of
        this end: ``run.run_writers`` closes them first, in the reverse order of their forks.)
        """
        if self._exchanging is not None:
            self._exchanging.join()  # the answer (or the process's end), before the word
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._conn.close()
        if wait:
            self._process.join()

    def join(self) -> None:
        """Wait until the process has ended (after ``close``)."""
        self._process.join()


class EarlyStart(WriterProcess):
    """The writer process forked before loading, importing what one format needs meanwhile."""


def start(options: BuildOptions, paths: Iterable[Path] = (), held: bool = False
          ) -> EarlyStart | None:
    """Fork a writer process now if the build will leave a core idle, else return None.

    That is: more than one process allowed, two formats or more named, a core free now
    (``idle_cores``), and either no slow format (the narration) among them, or time to gain
    (``_time_to_gain``), or a build ``held`` after loading (a watch's edit, ``watch.Ahead``:
    its sources load while the files settle, a core idle, and its writer processes, forked
    from the warm watch, import nothing; forked then, the PDF's starts as soon as the files
    have settled, not after the forks). (A build of one format writes it in its own
    process, forking none.) The process prepares for the first format in the table that is
    not slow and reuses no other's files: the PDF.
    """
    names = formats.with_needs(options.formats or formats.available())
    if options.jobs <= 1 or len(names) < 2:
        return None
    if (any(formats.FORMATS[n].slow for n in names) and not held
            and not _time_to_gain(options, paths)):
        return None
    if idle_cores() < 1:
        return None
    order = list(formats.FORMATS)
    return EarlyStart(min(names, key=lambda n: (formats.FORMATS[n].slow, bool(formats.needs(n)),
                                                order.index(n))))


def _time_to_gain(options: BuildOptions, paths: Iterable[Path]) -> bool:
    """Say whether a narrated build gains from the PDF's process started early.

    Its sources must be long enough (``LONG_SOURCES``) that loading them lasts about as long
    as the import that process is forked for, and the narration must not be the whole
    build's length: several leaflet texts (a library: many PDFs to print while the
    narrations run) or a speech cache already there (an edit: most of the narration is
    read, not spoken). One long leaflet narrated from nothing is narrated for longer than
    all the rest takes: there the early process would only cost CPU and memory (measured on
    the 8x leaflet: 75 MB more over the build's processes, no time gained).
    """
    sizes = source_sizes(paths)
    if sum(sizes) < LONG_SOURCES:
        return False
    return len(sizes) > 1 or _has_files(options.cache)


def _has_files(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return False


def source_sizes(paths: Iterable[Path]) -> list[int]:
    """Return the size of each leaflet text under ``paths`` (a leaflet folder or a folder of
    them), without reading them: how long loading them will take, roughly."""
    sizes = []
    for path in paths:
        for text in itertools.chain(path.glob("*.md"), path.glob("*/*.md")):
            with contextlib.suppress(OSError):
                sizes.append(text.stat().st_size)
    return sizes


def idle_cores() -> float:
    """Return how many of this process's cores the rest of the machine leaves idle now.

    On a machine kept busy by other work, the early process only takes turns with this one
    on the same cores, and what it does twice (its own copy of the caches this process fills
    while loading, about 0.1 s of CPU) makes the build slower, not faster. "Now" is Linux's
    count of runnable threads this instant (``/proc/loadavg``, this one less); the load
    average (a minute's) where that cannot be read. The minute's average would also count
    this user's own builds just before, one after another as a Makefile runs them.
    """
    return len(os.sched_getaffinity(0)) - _busy()


def _busy() -> float:
    try:
        with open("/proc/loadavg", encoding="ascii") as loadavg:
            runnable = loadavg.read().split()[3].split("/")[0]
        return max(0, int(runnable) - 1)
    except (OSError, IndexError, ValueError):
        return os.getloadavg()[0]


def _serve(conn: Connection, other_end: Connection, name: str, build: int) -> None:
    """In a writer process: prepare for ``name`` (if any), then run each task handed over.

    It ends without a word when the build's process is gone (killed) or interrupted (Ctrl-C):
    that process says what happened, or its user saw it. (The build's end of the pipe, copied
    here by the fork, is closed first: else this process would hold it open and never see the
    build's process go.)
    After each task it settles (``collector.settle``): it frees what the task left and
    freezes what lives on; before its first, it only freezes what it was forked with and
    imported (there is nothing of a task to free).
    """
    other_end.close()
    tie_writer(build)  # killed outright, the build takes this process along; Ctrl-C ends it
    one_malloc_arena()
    with contextlib.suppress(EOFError, OSError, KeyboardInterrupt):
        if name:
            prepare(name)
        collector.settle(collect=False)  # no task has left anything to free yet
        while (task := conn.recv()) is not None:
            _run(conn, *task)
            del task
            collector.settle()


def _run(conn: Connection, fn: Callable[..., Produced], args: tuple[Any, ...]) -> None:
    """Run one task and send back its result, or its error as a writer process would."""
    try:
        result: tuple[bool, Any] = (True, fn(*args))
    except Exception as exc:  # the task's failure, reported as a writer process reports it
        result = (False, exc)
    try:
        conn.send(result)
    except OSError:  # the build's process is gone
        raise
    except Exception as exc:  # an error that cannot be pickled: say what it was
        conn.send((False, RuntimeError(f"{result[1]!r} (not sent back: {exc})")))


M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter: how many malloc arenas the process's threads may share."""


def one_malloc_arena() -> None:
    """Let every thread of this process allocate from one malloc arena (glibc only).

    glibc gives each new thread that allocates an arena of its own (up to 8 per core): a
    writer's threads (a narration's pieces, its tracks encoded and measured) each leave their
    own arena holding freed memory the next task cannot use. Measured on a batch of 16
    leaflets at ``--jobs 2`` (session 28, ``bench_batch``'s sampled build, load 9): the two
    writer processes 179 and 169 MB PSS at the batch's peak, 131 and 127 MB with one arena;
    the tree's PSS summed 405 -> 314 MB, its CPU 15.40 -> 15.29 s (the threads spend their
    time in lameenc, numpy and espeak-ng, not waiting for malloc's lock). Elsewhere nothing.
    """
    try:
        os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):  # not glibc
        return
    import ctypes  # noqa: PLC0415 (in the writer process: the build's own has no use for it)

    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(M_ARENA_MAX, 1)


def prepare(name: str) -> None:
    """Import what a task of format ``name`` needs: its writer, its checker, the job's classes.

    A module that fails to import is left alone: the task imports it again, and fails as usual.
    """
    row = formats.FORMATS[name]
    with collector.no_collections():  # the collector would walk this build's heap again and again
        for module in (row.writer, row.checker, *JOB_MODULES):
            if module:
                with contextlib.suppress(Exception):
                    importlib.import_module(module)
