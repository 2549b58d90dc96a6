"""Spare the cyclic garbage collector's work while WeasyPrint is imported, while it prints,
and while a written format is checked (``build.run.produce``).

Laying a page out makes hundreds of thousands of small objects (boxes, styles, text runs), so
Python's collector runs often, and each full collection walks every object of the process,
the imports' included: 12-17 % of the pdf writer's CPU time, measured with ``gc.callbacks``
(0.07 s of 0.40 s on the seed, 0.18 s of 1.41 s on a leaflet 8 times as long). Meanwhile,
the objects alive before are frozen (``gc.freeze``: they are not walked, and live on anyway)
and a collection waits for 10,000 new objects rather than 700; after, all is as it was. The
collector still runs (10 collections instead of 176 on the long leaflet, about 4 MB more at the
peak), so a very long leaflet's garbage cycles are still freed.

A format is then read back and checked in the same process, which still holds what the writer
left (WeasyPrint's boxes and styles, not yet collected): every full collection walked them
again, and the child that checks the PDF's rules aside (``check.aside``), forked from that
process, walked them too (copying each page of memory it touched). The check runs under
``fewer_collections`` as well, which the child inherits: measured on the 8x leaflet (session
29, in-build, load 6), the PDF's text and facts 0.26 -> 0.17 s of CPU, its rules aside 0.36 ->
0.25 s, the DOCX's check 0.10 -> 0.09 s.

A process whose heap was frozen for good before (``watch.warm``: the processes a watch forks
must not walk, nor copy, its warmed heap) is left so: an unfreeze would thaw that too, and a
freeze never undone would keep what the pause made; there the pause only collects less often.

Importing WeasyPrint and the writer's other libraries makes about 78,000 objects (modules,
classes, functions) that live as long as the process, and the collector walked them again and
again while they were made: 136 collections, 0.03-0.05 s of the import's 0.30 s (15 %), while
fewer than 700 objects of the import turn out to be garbage. So they are imported with the
collector paused, and then moved at once to the oldest generation (``gc.freeze`` and
``gc.unfreeze``), where only a full collection looks at them, as it would after enough young
collections anyway; nothing stays frozen.

A writer process does the same for the writer and checker it imports (``build.run.write_one``,
``build.early.prepare``): the DOCX's process, forked from the build's after loading, made a
full collection of that whole heap while importing python-docx (8x leaflet, in-build, load
7: its writer's import 0.10-0.13 -> 0.05-0.07 s of CPU; the early PDF process's 35
collections while importing its checker, 5-30 ms).

Between its tasks a writer process settles (``settle``, from ``build.early``): a full
collection frees what the last task left, then everything still alive (its imports, the
caches its writers keep) is frozen for good, so that no later collection walks it, and a print
then has nothing more to freeze (``fewer_collections`` only raises the threshold). Without
it the garbage of each PDF (WeasyPrint's styles and boxes, 14,000 objects) waited for a full
collection that came ever later as the heap grew: a process writing 16 leaflets one after
another grew from 160 to 330 MB resident, 200 MB with a settle after each task (which costs
0-5 ms, 50 ms the first, session 31). A watch freezes its warmed heap the same way. Before
its first task a writer process only freezes (``settle(collect=False)``): a collection there
walked the heap it was forked with for nothing (30-80 ms, session 32).

The child that checks a PDF's rules aside freezes what it inherits the same way
(``settle_forked``), so that a lazy import in its work does not thaw it.

Whether this process's heap is frozen for good is kept here (``_Pause.settled``), never asked
of ``gc.get_freeze_count()``: in Python 3.11 that counts the frozen objects one by one, a walk
of the whole heap once a process has settled (5-15 ms; a writer process asked it two or three
times per task: about 1 s of CPU over a library of 16 leaflets at ``--jobs 2``, which
``--jobs 1``, whose heap is never frozen, did not pay; session 32).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FIRST_GENERATION = 10_000
"""New objects between two collections of the youngest generation while printing."""


class _Pause:
    """How many prints and imports are under way in this process, and the state from before."""

    lock = threading.Lock()
    depth = 0
    threshold: tuple[int, ...] = ()
    importing = 0
    enabled = True
    settled = False
    """Whether ``settle`` has frozen what lives on in this process (a writer process, a
    watch), for good: inherited by the processes forked from it, as the freeze is."""
    froze = False
    """Whether the pause froze what was alive: not where something was frozen for good before
    it (a watch's warmed heap, a settled writer process): an unfreeze would thaw that too,
    and a freeze never undone would keep a long watch's garbage for good."""


@contextmanager
def no_collections() -> Iterator[None]:
    """Import meanwhile without the collector, then age what was made (thread-safe, nestable)."""
    with _Pause.lock:
        if _Pause.importing == 0:
            _Pause.enabled = gc.isenabled()
            gc.disable()
        _Pause.importing += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.importing -= 1
            if _Pause.importing == 0:
                _age()
                if _Pause.enabled:
                    gc.enable()


def _age() -> None:
    """Move every object to the oldest generation, unless a print has frozen some meanwhile."""
    if _Pause.depth == 0 and not _Pause.settled:
        gc.freeze()
        gc.unfreeze()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Freeze the objects alive now and collect less often, meanwhile (thread-safe, nestable)."""
    with _Pause.lock:
        if _Pause.depth == 0:
            _Pause.threshold = gc.get_threshold()
            _Pause.froze = not _Pause.settled
            if _Pause.froze:
                gc.freeze()
            gc.set_threshold(FIRST_GENERATION, *_Pause.threshold[1:])
        _Pause.depth += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.depth -= 1
            if _Pause.depth == 0:
                gc.set_threshold(*_Pause.threshold)
                if _Pause.froze:
                    gc.unfreeze()


def settle(collect: bool = True) -> None:
    """Free what the last task left, then freeze what lives on for good (between a writer's
    tasks; a watch, once warm).

    ``collect=False``: freeze only, before a writer process's first task. No task has left
    anything yet: what the process was forked with is its parent's (garbage there is the
    parent's to free), and its imports, made under ``no_collections``, leave almost none. A
    full collection there walked the whole heap to free 18-333 objects, 0.03-0.06 s of CPU in
    each writer process of a build (session 32, the seed: the early PDF process's 0.05-0.08 s
    lay on a PDF + DOCX build's critical path); those few stay frozen (a few kB).
    """
    with _Pause.lock:
        if _Pause.depth or _Pause.importing:
            return
        if collect:
            gc.collect()
        gc.freeze()
        _Pause.settled = True


def settle_forked() -> None:
    """Freeze what a forked child inherits, for good (``check.aside``'s child: it ends in a
    moment and frees none of it, so no collection there need walk it, nor copy its pages).

    Unlike ``settle`` it freezes inside a pause too: the child never leaves the pauses it was
    forked in (it ends with ``os._exit``), and from now on none of them, nor any it enters,
    thaws the freeze: a ``no_collections`` in its work (a lazy import) ages nothing
    (``_Pause.settled``), and the pause it was forked in no longer unfreezes (``froze``).
    """
    with _Pause.lock:
        gc.freeze()
        _Pause.settled = True
        _Pause.froze = False

