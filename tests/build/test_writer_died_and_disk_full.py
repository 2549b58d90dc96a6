"""A writer process that dies and a full disk in one build: each said once, in words true
whichever comes first (the dead process's line points at what it can: its own message above,
the disk's line by its words, never "above" for a disk said once at the error's start).

The faults: a real build (DOCX and PDF, in writer processes forked from it) whose writer of
one leaflet ends the process at once (``os._exit``, as the out-of-memory killer's SIGKILL
leaves it: no message), and every file opened for writing under another leaflet's output
folder fails with ENOSPC (``test_disk_full_said_once``).
"""

from __future__ import annotations

import builtins
import io
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from lmets_docs.build import run as build_run
from tests.build.test_disk_full_said_once import _files, _full_under
from tests.check.test_library import NEW, OLD, build, make_library

FORMATS = ("--format", "docx", "--format", "pdf", "--jobs", "2")
DIED = ("not written: a writer process ended abruptly while this was written or waiting (a "
        "message it left as it ended, a crash's, is above this error; a full disk is said "
        "once, as 'not written: the disk is full'; a process killed for want of memory leaves "
        "none)")


@pytest.mark.parametrize(("dies", "full"), [("a", "b"), ("b", "a")],
                         ids=["a-dies-b-full", "a-full-b-dies"])
def test_a_dead_writer_and_a_full_disk_are_each_said_truly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dies: str, full: str) -> None:
    content, out = make_library(tmp_path), tmp_path / "out"
    first = build(content, out, *FORMATS)
    assert first.exit_code == 0, first.output + first.stderr
    before = {name: _files(out / name) for name in ("a", "b")}  # c may be refreshed
    shared = content / "contacts.yaml"  # a and b name it: both are written again
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    real = build_run.write_one

    def dying(name: str, leaflet: Any, *args: Any, **kwargs: Any) -> Any:
        if leaflet.id == dies and multiprocessing.parent_process() is not None:
            os._exit(1)
        return real(name, leaflet, *args, **kwargs)

    monkeypatch.setattr(build_run, "write_one", dying)
    monkeypatch.setattr(builtins, "open", _full_under((out / full).absolute(), builtins.open))
    monkeypatch.setattr(io, "open", _full_under((out / full).absolute(), io.open))
    broken = build(content, out, *FORMATS)
    monkeypatch.undo()
    assert broken.exit_code == 1
    lines = broken.stderr.splitlines()
    disk = [n for n, line in enumerate(lines) if "the disk is full (" in line]
    # the disk met before the dead process broke the writers' pool: said once, first; met
    # after it (the pool broken first), never met: each of the leaflet's formats was taken
    # down by the dead process
    assert disk == [0] if full == "a" else disk in ([], [0]), lines
    assert broken.stderr.count("the disk is full (") == len(disk)
    assert not disk or lines[0].startswith("Error: not written: the disk is full (")
    died = [line for line in lines if "ended abruptly" in line]
    assert any(line.removeprefix("Error: ").startswith(f"{dies} (en-GB) ") for line in died)
    assert all(line.endswith(f": {DIED}") for line in died), died
    assert "above: a full disk" not in broken.stderr
    assert lines[-2:] == [f"{name} (en-GB): not updated; the previous outputs are kept"
                          for name in ("a", "b")], lines
    assert "Traceback" not in broken.stderr
    assert {name: _files(out / name) for name in ("a", "b")} == before  # byte for byte
    assert not list(out.rglob(".tmp-*"))
