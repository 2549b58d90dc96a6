"""A writer process imports its writer and checker with the cycle collector paused, and checks
a format with what its writer left out of the collector's walks, as the child that checks a
PDF's rules aside does (``collector``, ``build.early.prepare``, ``build.run``, ``check.aside``)."""

from __future__ import annotations

import gc
import importlib
import os
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, cast

import docx
import pytest

from lmets_docs import collector, formats
from lmets_docs.build import early, run
from lmets_docs.check import aside
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE


def frozen(thing: object) -> bool:
    """Tell whether a tracked object sits in the permanent generation (no generation holds it)."""
    return gc.is_tracked(thing) and not any(
        any(o is thing for o in gc.get_objects(generation=g)) for g in range(3))


@pytest.mark.parametrize("name", ["pdf", "docx"])
def test_a_format_is_checked_with_what_its_writer_left_frozen(
        seed_leaflet: Leaflet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        name: str) -> None:
    left: list[object] = []  # alive before the check, as the writer's objects are
    during: dict[str, Any] = {}
    real = run.check_one

    def check_one(*args: Any) -> Any:
        during.update(frozen=frozen(left), threshold=gc.get_threshold()[0])
        return real(*args)

    monkeypatch.setattr(run, "check_one", check_one)
    before = gc.get_threshold(), gc.get_freeze_count()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    options = BuildOptions(out=tmp_path / "out", templates=None, today=BEFORE_DUE,
                           formats=(name,))
    produced = run.produce(name, seed_leaflet, tmp, tmp_path / "out", "key", options)
    # The real check read the file back, and found it sound.
    assert [f.code for f in produced.findings if f.severity.value == "error"] == []
    assert [p.name for p in produced.checked] == [produced.entry.files[name]]
    assert during == {"frozen": True, "threshold": collector.FIRST_GENERATION}
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    assert not frozen(left)


def test_the_child_checking_aside_leaves_what_it_inherits_frozen(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside, "worth_forking", lambda: True)
    made: list[object] = []  # this process's, inherited by the child
    with aside.started(lambda: (os.getpid(), frozen(made))) as result:
        pid, was_frozen = result()
    assert pid != os.getpid()  # the child answered
    assert was_frozen
    assert not frozen(made)  # here, nothing changed


def test_a_writer_is_imported_with_the_collector_paused(
        seed_leaflet: Leaflet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A DOCX writer process's first task imports python-docx: each full collection meanwhile
    # walked the whole heap it was forked with (one per build, measured).
    collecting: list[bool] = []
    real = formats.load

    def load(name: str) -> Any:
        collecting.append(gc.isenabled())
        return real(name)

    monkeypatch.setattr(formats, "load", load)
    options = BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE, formats=("docx",))
    result = run.write_one("docx", seed_leaflet, tmp_path, options)
    document = docx.Document(str(tmp_path / result.files["docx"]))
    assert any(seed_leaflet.title in p.text for p in document.paragraphs)
    assert collecting == [False]
    assert gc.isenabled()


def test_the_early_process_imports_with_the_collector_paused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    imported: dict[str, bool] = {}
    real = importlib.import_module

    def import_module(name: str) -> Any:
        imported[name] = gc.isenabled()
        return real(name)

    monkeypatch.setattr(importlib, "import_module", import_module)  # as ``early`` calls it
    early.prepare("docx")
    row = formats.FORMATS["docx"]
    assert imported == dict.fromkeys([row.writer, row.checker, *early.JOB_MODULES], False)
    assert gc.isenabled()


def test_a_freeze_made_before_outlives_the_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """A watch freezes its warmed heap for good: a format's check must not thaw it."""
    monkeypatch.setattr(collector._Pause, "settled", False)  # restored after: this is pytest's
    collector.settle()  # as ``watch.warm`` ends
    try:
        before = gc.get_freeze_count()
        with collector.fewer_collections():
            made: list[list[int]] = [[] for _ in range(1000)]
        assert gc.get_freeze_count() == before  # neither thawed nor added to
        assert not frozen(made)
    finally:
        gc.unfreeze()


class Cycle:
    """What a task leaves behind that only the cycle collector frees."""

    def __init__(self) -> None:
        self.itself = self


LEFT: list[weakref.ref[Cycle]] = []


def leave_a_cycle() -> int:
    """A first task, in a writer process: leave a cycle, with nothing else collecting it."""
    gc.disable()
    LEFT.append(weakref.ref(Cycle()))
    return gc.get_freeze_count()


def look_back() -> tuple[bool, int, int, int]:
    """The next task: is the cycle alive; what is frozen, before and after a print's pause."""
    gc.enable()
    frozen_before = gc.get_freeze_count()
    with collector.fewer_collections():
        during = gc.get_threshold()[0]
    return LEFT[0]() is not None, frozen_before, during, gc.get_freeze_count()


def test_a_writer_process_frees_what_its_task_left_and_freezes_what_lives_on() -> None:
    """Between its tasks a writer process collects what the last one left, then freezes what
    lives on (its imports), which no collection walks again: without it a process writing a
    library's leaflets one after another grew from 180 to 330 MB RSS over 16 (session 31)."""
    worker = early.WriterProcess()
    submit = cast("Callable[..., Future[Any]]", worker.submit)  # any task, not only a format
    try:
        frozen_at_first = submit(leave_a_cycle).result(timeout=60)
        alive, frozen, during, frozen_after = submit(look_back).result(timeout=60)
    finally:
        worker.close()
    assert frozen_at_first > 0  # the imports it was forked with, frozen before its first task
    assert not alive
    assert frozen >= frozen_at_first
    assert during == collector.FIRST_GENERATION
    assert frozen_after == frozen  # a print's pause thaws nothing that lives on
    assert gc.get_freeze_count() == 0  # here, nothing changed


COLLECTED: list[int] = []
"""The generations ``gc.collect`` was asked for, in a writer process (``collect`` below)."""


def collected_so_far() -> list[int]:
    """A task: the full collections this writer process has made so far."""
    return list(COLLECTED)


def test_a_writer_process_freezes_what_it_was_forked_with_without_a_collection(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Before its first task nothing of a task is there to free: a full collection walked the
    heap it was forked with (and its imports) for a few hundred objects, 0.03-0.08 s of CPU in
    each writer process, the early PDF process's on a PDF + DOCX build's critical path. It
    freezes that heap without one; after a task it collects as before."""
    real = gc.collect

    def collect(generation: int = 2) -> int:
        COLLECTED.append(generation)
        return real(generation)

    monkeypatch.setattr(gc, "collect", collect)  # the writer process inherits it
    monkeypatch.setattr(early, "prepare", lambda name: None)  # its format's imports: none here
    worker = early.EarlyStart("pdf")
    submit = cast("Callable[..., Future[Any]]", worker.submit)
    try:
        before_first = submit(collected_so_far).result(timeout=60)
        frozen_at_first = submit(leave_a_cycle).result(timeout=60)
        after_two = submit(collected_so_far).result(timeout=60)
    finally:
        worker.close()
    assert before_first == []
    assert frozen_at_first > 0  # what it was forked with, frozen all the same
    assert after_two == [2, 2]  # a full collection after each task
    assert COLLECTED == []  # here, none


KEPT: list[list[int]] = []


def write_counting(leaflet: Leaflet, folder: Path) -> tuple[int, bool]:
    """A task, in a settled writer process: write and check a real DOCX, counting the calls of
    ``gc.get_freeze_count`` meanwhile; and whether what the task before left alive (frozen by
    the settle after it) is still frozen once this one's pauses are over."""
    calls = [0]
    real = gc.get_freeze_count

    def counted() -> int:
        calls[0] += 1
        return real()

    gc.get_freeze_count = counted  # (this process is a writer process: nothing to restore)
    KEPT.append([])  # alive until the next task
    options = BuildOptions(out=folder / "out", templates=None, today=BEFORE_DUE,
                           formats=("docx",))
    (folder / "tmp").mkdir()
    produced = run.produce("docx", leaflet, folder / "tmp", folder / "out", "key", options)
    assert [f.code for f in produced.findings if f.severity.value == "error"] == []
    return calls[0], frozen(KEPT[0])


def test_a_settled_writer_process_never_counts_its_frozen_heap(
        seed_leaflet: Leaflet, tmp_path: Path) -> None:
    """Counting the frozen objects (``gc.get_freeze_count``) walks every one of them in Python
    3.11: 5-15 ms in a settled writer process, two or three times per task, about 1 s of CPU
    over a library of 16 leaflets at ``--jobs 2`` (session 32). The pauses of a task (the
    writer's import, the check) know from ``collector`` that the heap is frozen for good."""
    worker = early.WriterProcess()
    submit = cast("Callable[..., Future[Any]]", worker.submit)
    try:
        (tmp_path / "1").mkdir()
        (tmp_path / "2").mkdir()
        first = submit(write_counting, seed_leaflet, tmp_path / "1").result(timeout=120)
        second = submit(write_counting, seed_leaflet, tmp_path / "2").result(timeout=120)
    finally:
        worker.close()
    assert first[0] == 0  # the writer's import and its check asked nothing
    assert second == (0, True)  # nor later; what lived on stayed frozen through the pauses
    assert not KEPT  # (that was the writer process's)
