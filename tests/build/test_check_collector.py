"""A format is checked with what its writer left out of the cycle collector's walks, and so is
the child that checks a PDF's rules aside (``collector``, ``check.aside``)."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import pytest

from lmets_docs import collector
from lmets_docs.build import run
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
