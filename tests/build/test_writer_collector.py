"""A writer process imports its writer and checker with the cycle collector paused, and checks
a format with what its writer left out of the collector's walks, as the child that checks a
PDF's rules aside does (``collector``, ``build.early.prepare``, ``build.run``, ``check.aside``)."""

from __future__ import annotations

import gc
import importlib
import os
from pathlib import Path
from typing import Any

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


def test_a_freeze_made_before_outlives_the_pause() -> None:
    """A watch freezes its warmed heap for good: a format's check must not thaw it."""
    gc.collect()
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with collector.fewer_collections():
            made: list[list[int]] = [[] for _ in range(1000)]
        assert gc.get_freeze_count() == before  # neither thawed nor added to
        assert not frozen(made)
    finally:
        gc.unfreeze()
