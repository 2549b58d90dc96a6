"""Build again whenever a source changes (``lmets-docs watch``): an author's edit, seen in seconds.

Warm: the writers, their checkers and their libraries (WeasyPrint, python-docx, the audio
stack) are imported here once (``warm``), and frozen out of the garbage collector's sight
(``gc.freeze``, made for processes that fork). Each build forks its writer processes from this
one, so they start with all of that loaded instead of importing it again, and an edit costs
what the writers do, not what starting Python and importing them costs.

Each build runs in its own process, forked from the watching one (``in_own_process``): it
starts from the same warm state every time, and nothing one build learns (the templates,
catalogues and voices it read, which are cached per process) can outlive it into the next.

Polled, not notified: leaflets are often kept on a clinic's shared drive (SMB, NFS), where
the kernel's change notifications do not arrive; a look at every file's size and time every
``interval`` seconds does (``Sources``), and it needs no thread: the writer processes a build
forks must be forked from a process running one thread (``build.run``). An edit is built once
the files have stopped changing for ``SETTLE_S`` (an editor's save can be several writes, a
copied folder many: a build of half of them would only be built again), and a build
started for a change that altered nothing (an editor's backup file) finds its stamp fresh and
writes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from lmets_docs import formats
from lmets_docs.options import BuildOptions

log = logging.getLogger(__name__)

BUILD_MODULES = (
    "lmets_docs.build.early", "lmets_docs.build.finish", "lmets_docs.build.plan",
    "lmets_docs.source", "email_validator", "PIL.Image", "lxml.etree",
)
"""What a build imports before its writers start (loading; the rarer sources' libraries)."""

SETTLE_S = 0.05
"""How long the files must stay as they are before a change is built."""

Snapshot = dict[str, tuple[int, int]]
"""Each file's path and (size, modification time in nanoseconds)."""


def warm(options: BuildOptions) -> None:
    """Import what the build's writers and checkers need, then keep it out of the collector."""
    from lmets_docs.build.early import prepare  # noqa: PLC0415 (its JOB_MODULES, too)

    for module in BUILD_MODULES:
        importlib.import_module(module)
    for name in formats.with_needs(options.formats or formats.available()):
        prepare(name)
    gc.collect()
    gc.freeze()


class Sources:
    """The files a build reads, looked at by their sizes and times: the leaflets, the templates.

    Hidden files and folders (an editor's swap files, ``.git``) and the output folder (which
    the build itself writes) are not looked at. A folder linked in twice (or into itself) is
    looked into once.
    """

    def __init__(self, roots: Iterable[Path], skip: Iterable[Path]) -> None:
        self.roots = [Path(root) for root in roots]
        self.skip = {os.path.realpath(path) for path in skip}

    def snapshot(self) -> Snapshot:
        """Return every file's size and time now (a missing root is left out)."""
        seen: Snapshot = {}
        visited = set(self.skip)
        for root in self.roots:
            self._walk(str(root), seen, visited)
        return seen

    def _walk(self, folder: str, seen: Snapshot, visited: set[str]) -> None:
        real = os.path.realpath(folder)
        if real in visited:
            return
        visited.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone, or not a folder: what the build says about it is enough
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    self._walk(entry.path, seen, visited)
                else:
                    stat = entry.stat()
                    seen[entry.path] = (stat.st_size, stat.st_mtime_ns)
            except OSError:  # removed meanwhile: the next look sees it gone
                continue


def changes(sources: Sources, interval: float) -> Iterator[list[str]]:
    """Yield at once (the first build), then each time the files change and settle.

    Each yield gives the files added, changed or removed since the last one.
    """
    seen = sources.snapshot()
    yield []
    while True:
        time.sleep(interval)
        now = sources.snapshot()
        if now == seen:
            continue
        while (settled := _after(SETTLE_S, sources)) != now:
            now = settled
        yield changed(seen, now)
        seen = now


def _after(seconds: float, sources: Sources) -> Snapshot:
    time.sleep(seconds)
    return sources.snapshot()


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Return the files added, changed or removed between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys()
                  if before.get(path) != after.get(path))


def shown(path: str) -> str:
    """Return a file's name as it can be printed (bytes that are not UTF-8 as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def in_own_process(run: Callable[[], object]) -> int:
    """Run ``run`` in a process forked from this one; return its exit status once it ends.

    0 when ``run`` returned; else what killed it (minus the signal's number) or 1 if it raised.
    """
    process = multiprocessing.get_context("fork").Process(target=_quietly,
                                                          args=(run, os.getpid()))
    process.start()
    process.join()
    return process.exitcode or 0


def _quietly(run: Callable[[], object], watcher: int) -> None:
    """Run ``run``, ended with ``watcher``; on Ctrl-C (which the watcher says) end quietly."""
    from lmets_docs.build.lifeline import tie_to_parent  # noqa: PLC0415 (small)

    tie_to_parent(watcher)
    with contextlib.suppress(KeyboardInterrupt):
        run()
