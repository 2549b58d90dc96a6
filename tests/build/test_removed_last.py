"""The old outputs a swap puts aside go after the build has said what it did (``removed_last``).

A build in a ``removed_last`` block (the command line's, each watched build) swaps the new
folder in, says so, and only then removes the old one; killed in between, it leaves the old
folder under its temporary name, which no reader follows (``check`` passes) and the next
build removes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lmets_docs import watch
from lmets_docs.build import build, install
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE

LEAFLET = "leptomeningeal-metastases"


def _docx(options: BuildOptions) -> BuildOptions:
    return dataclasses.replace(options, formats=("docx",), jobs=1)


def _edit(leaflet_dir: Path, turn: int) -> None:
    text = leaflet_dir / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "The aim of treatment", f"The aim of treatment ({turn})", 1), encoding="utf-8")


def _source_hash(folder: Path) -> str:
    return str(json.loads((folder / "manifest.json").read_bytes())["source_hash"])


def _aside(out: Path) -> list[Path]:
    return sorted(p for p in (out / LEAFLET).iterdir() if p.name.startswith((".tmp-", ".old-")))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _check(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lmets_docs", "check", str(out), "--today",
                           BEFORE_DUE.isoformat()], capture_output=True, text=True, check=False)


def test_the_old_folder_is_removed_when_the_block_ends_not_at_the_swap(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    options = _docx(options)
    folder = options.out / LEAFLET / "en-GB"
    build([leaflet_dir], options)
    before = _files(folder)
    checked = _check(options.out)
    _edit(leaflet_dir, 1)
    with install.removed_last():
        build([leaflet_dir], options)
        (aside,) = _aside(options.out)
        assert _files(aside) == before  # the old outputs, whole, under a hidden name
        assert _source_hash(folder) != _source_hash(aside)
        assert _check(options.out).stdout == checked.stdout  # the hidden folder is not read
    assert _aside(options.out) == []
    _edit(leaflet_dir, 2)
    build([leaflet_dir], options)  # outside a block: removed at the swap, as always
    assert _aside(options.out) == []


KILLED = """
import os, signal, sys
from pathlib import Path
from lmets_docs.build import build, install
from lmets_docs.options import BuildOptions
import datetime as dt
options = BuildOptions(out=Path(sys.argv[2]), formats=("docx",), jobs=1, tts="espeak",
                       today=dt.date(2022, 6, 1), templates=None, cache_dir=Path(sys.argv[3]))
with install.removed_last():
    build([Path(sys.argv[1])], options)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_build_killed_before_removing_the_old_folder_leaves_it_to_the_next_build(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    options = _docx(options)
    folder = options.out / LEAFLET / "en-GB"
    build([leaflet_dir], options)
    _edit(leaflet_dir, 1)
    killed = subprocess.run([sys.executable, "-c", KILLED, str(leaflet_dir), str(options.out),
                             str(options.cache_dir)], capture_output=True, text=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(_aside(options.out)) == 1
    new = _files(folder)
    assert _check(options.out).returncode == 0
    _edit(leaflet_dir, 2)
    build([leaflet_dir], options)
    assert _aside(options.out) == [] and _files(folder) != new


def test_a_watched_build_is_done_before_its_process_removes_the_old_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watcher says "done" as soon as the build has run; the removal waits for nothing."""
    old, gate, log = tmp_path / "old", tmp_path / "gate", tmp_path / "log"
    old.mkdir()
    real = install.remove

    def slow_remove(folder: Path, now: bool = False) -> None:  # in the build's process
        if now:
            deadline = time.monotonic() + 10
            while not gate.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            log.write_text(f"removed {'after' if gate.exists() else 'without'} the watcher's "
                           "go-ahead", encoding="utf-8")
        real(folder, now)

    monkeypatch.setattr(install, "remove", slow_remove)
    assert watch.in_own_process(lambda: install.remove(old)) == 0
    gate.touch()  # only now may the build's process remove the folder
    watch.reap()
    assert log.read_text(encoding="utf-8") == "removed after the watcher's go-ahead"
    assert not old.exists()


@pytest.mark.parametrize(("run", "status"), [
    ("raise", 1), ("kill", -signal.SIGKILL), ("exit", 3)])
def test_a_watched_build_that_dies_or_raises_still_says_so(run: str, status: int) -> None:
    def die() -> None:
        if run == "raise":
            raise RuntimeError("a bug")
        if run == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        sys.exit(3)

    assert watch.in_own_process(die) == status


def test_a_ctrl_c_after_done_still_lets_the_old_outputs_go_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """The Ctrl-C that stops the watch may come while the build's process removes the old
    outputs: the removal ends, and the process ends without a traceback."""
    old, gate = tmp_path / "old", tmp_path / "gate"
    old.mkdir()
    real = install.remove

    def slow_remove(folder: Path, now: bool = False) -> None:  # in the build's process
        deadline = time.monotonic() + 10
        while now and not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        real(folder, now)

    monkeypatch.setattr(install, "remove", slow_remove)
    assert watch.in_own_process(lambda: install.remove(old)) == 0
    ending = watch._ENDING[-1]
    assert ending.pid is not None
    os.kill(ending.pid, signal.SIGINT)
    time.sleep(0.2)  # the signal is taken (or ignored) before the removal may go on
    gate.touch()
    watch.reap()
    assert ending.exitcode == 0
    assert not old.exists()
    assert "Traceback" not in capfd.readouterr().err


def test_the_writer_processes_are_waited_for_when_the_block_ends(
    options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's writer processes end while its caller says what it did: the last one, the
    narration's, waits for its espeak-ng servers to end (a watched edit's "done" waited too)."""
    from lmets_docs.build.early import WriterProcess  # noqa: PLC0415

    said: list[str] = []
    join = WriterProcess.join

    def joined(process: WriterProcess) -> None:
        join(process)
        said.append(f"ended {process._process.exitcode}")

    monkeypatch.setattr(WriterProcess, "join", joined)
    two = dataclasses.replace(options, formats=("docx", "audio"), jobs=2)
    minimal = Path(__file__).resolve().parent.parent / "data" / "minimal"
    with install.removed_last():
        report = build([minimal], two)
        said.append("built")
    said.append("block ended")
    again = build([minimal], dataclasses.replace(two, out=options.out / "again"))  # no block

    assert said == ["built", "ended 0", "ended 0", "block ended", "ended 0", "ended 0"]
    for done in (report, again):
        assert sorted(Path(name).name for name in done.written) == ["audio", "docx"]
        assert not [f for f in done.findings if f.severity.value == "error"]
        (folder,) = done.folders
        assert (folder / "manifest.json").is_file()
        assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_the_early_writer_process_is_waited_for_when_the_block_ends_too(
    options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF's process forked before loading (``build.early``: a build without narration,
    a core idle) is waited for as the others are."""
    from lmets_docs.build import early  # noqa: PLC0415

    said: list[str] = []
    join = early.WriterProcess.join

    def joined(process: early.WriterProcess) -> None:
        join(process)
        said.append(f"ended {type(process).__name__} {process._process.exitcode}")

    monkeypatch.setattr(early.WriterProcess, "join", joined)
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
    minimal = Path(__file__).resolve().parent.parent / "data" / "minimal"
    with install.removed_last():
        report = build([minimal], dataclasses.replace(options, formats=("pdf", "docx"), jobs=2))
        said.append("built")

    assert said == ["built", "ended WriterProcess 0", "ended EarlyStart 0"]
    assert sorted(Path(name).name for name in report.written) == ["docx", "pdf"]
    assert not [f for f in report.findings if f.severity.value == "error"]
