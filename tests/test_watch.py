"""``lmets-docs watch``: each change built again as ``build`` builds it, warm, losing nothing.

The command runs for real (``python -m lmets_docs watch``, WeasyPrint, python-docx, espeak-ng);
its output is read line by line while the test edits the sources under it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmets_docs import watch
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE
from tests.library import variant
from tests.test_i18n import catalogue, entry

LEAFLET = "leptomeningeal-metastases"
STEP_S = 60.0
"""The longest a build (or the first, warming) may take on a loaded machine."""


class Watching:
    """A running ``lmets-docs watch``: its lines of output as they come, and a way to stop it."""

    def __init__(self, *args: str | Path, cwd: Path) -> None:
        command = [sys.executable, "-m", "lmets_docs", "watch", "--interval", "0.1",
                   "--today", BEFORE_DUE.isoformat(), *map(str, args)]
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout as lines:
            for line in lines:
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, text: str, timeout: float = STEP_S) -> list[str]:
        """Return the lines said up to the first one holding ``text``; fail if none comes."""
        said: list[str] = []
        for line in self._lines(timeout):
            said.append(line)
            if text in line:
                return said
        pytest.fail(f"no line with {text!r} came; said:\n" + "\n".join(self.seen))

    def quiet_for(self, seconds: float) -> list[str]:
        """Return what is said in the next ``seconds`` (nothing, if all is still)."""
        return list(self._lines(seconds))

    def _lines(self, seconds: float) -> Iterator[str]:
        """Yield each line said within ``seconds``, until the command's output ends."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return
            if line is None:
                return
            self.seen.append(line)
            yield line

    def stop(self, number: int = signal.SIGINT) -> tuple[int, list[str]]:
        """Press Ctrl-C (SIGINT to the command and its builds, as a terminal sends it), or
        send another signal; return its exit status and its last lines."""
        os.killpg(self.process.pid, number)
        status = self.process.wait(timeout=STEP_S)
        rest: list[str] = []
        while (line := self.lines.get(timeout=STEP_S)) is not None:
            rest.append(line)
        return status, rest

    def kill(self) -> None:
        """End the command if a failed test left it running."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.reader.join(timeout=STEP_S)


def until_true(look: Callable[[], list[psutil.Process]]) -> list[psutil.Process]:
    """Return what ``look`` returns once it is not empty; fail if it stays empty."""
    deadline = time.monotonic() + STEP_S
    while not (found := look()):
        if time.monotonic() > deadline:
            pytest.fail("no such process came")
        time.sleep(0.01)
    return found


def files(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` by its path there, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def outputs(out: Path) -> dict[str, bytes]:
    """Return the formats' files of the seed's English build (not the manifest's build time)."""
    folder = out / LEAFLET / "en-GB"
    return {name: data for name, data in files(folder).items() if name != "manifest.json"}


def build(source: Path, out: Path, *formats: str) -> None:
    """Build ``source`` into ``out`` with ``lmets-docs build``, as the watch is given it."""
    subprocess.run([sys.executable, "-m", "lmets_docs", "-q", "build", str(source), "--tts",
                    "espeak", "--today", BEFORE_DUE.isoformat(), "--out", str(out), *formats],
                   check=True, capture_output=True, timeout=STEP_S)


def edit(source: Path, words: str) -> None:
    """Change one paragraph of the leaflet."""
    path = source / "en-GB.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("relieve symptoms.", f"relieve symptoms. {words}", 1),
                    encoding="utf-8")


def docx_text(folder: Path) -> str:
    """Return the text of the one DOCX in a built leaflet language's folder."""
    from docx import Document  # noqa: PLC0415

    (path,) = folder.glob("*.docx")
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


@pytest.fixture
def running() -> Iterator[list[Watching]]:
    """Collect the commands a test starts, and end any it leaves running."""
    started: list[Watching] = []
    yield started
    for each in started:
        each.kill()


THREE = ("--format", "pdf", "--format", "docx", "--format", "audio")


def test_an_edit_is_built_again_exactly_as_build_builds_it(
    leaflet_dir: Path, tmp_path: Path, running: list[Watching]
) -> None:
    out = tmp_path / "watched"
    watching = Watching(leaflet_dir, "--tts", "espeak", *THREE, "--out", out, cwd=tmp_path)
    running.append(watching)
    first = watching.until("done in")
    assert f"built {out / LEAFLET / 'en-GB'}" in first
    edit(leaflet_dir, "It may also help you feel better.")
    assert watching.until("changed:") == [f"changed: {leaflet_dir / 'en-GB.md'}"]
    edit(leaflet_dir, "Ask your nurse.")  # while that edit is being built
    assert "3 written, 0 up to date" in watching.until("done in")
    again = watching.until("done in")  # built again, or found built with the second edit
    assert f"changed: {leaflet_dir / 'en-GB.md'}" in again
    status, rest = watching.stop()
    assert (status, rest[-1:]) == (0, ["stopped watching"])
    assert not [line for line in watching.seen + rest if "Traceback" in line]

    build(leaflet_dir, tmp_path / "built", *THREE)
    watched, built = outputs(out), outputs(tmp_path / "built")
    assert {name for name in watched if name.endswith((".pdf", ".docx", ".mp3"))}
    assert watched == built


def test_bad_input_is_said_the_outputs_stay_and_the_watch_goes_on(
    leaflet_dir: Path, tmp_path: Path, running: list[Watching]
) -> None:
    out = tmp_path / "output"
    two = ("--format", "pdf", "--format", "docx")
    watching = Watching(leaflet_dir, "--tts", "espeak", *two, "--out", out, cwd=tmp_path)
    running.append(watching)
    watching.until("done in")
    good = files(out)
    yaml = leaflet_dir / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text + "\nfacts: [unclosed\n", encoding="utf-8")
    said = watching.until("; watching")
    assert any(line.startswith(f"{yaml}:") for line in said), said
    assert any("nothing was written" in line for line in said), said
    assert said[-1].startswith("not built (") and "done" not in said[-1], said
    assert files(out) == good  # the last good outputs, byte for byte
    yaml.write_text(text, encoding="utf-8")
    edit(leaflet_dir, "Ask your nurse.")
    assert "2 written, 0 up to date" in watching.until("done in")
    status, rest = watching.stop(signal.SIGTERM)
    assert (status, rest[-1:]) == (0, ["stopped watching"])
    assert not [line for line in watching.seen + rest if "Traceback" in line]


def test_in_a_library_an_edit_is_built_past_a_colleague_s_broken_leaflet(
    tmp_path: Path, running: list[Watching]
) -> None:
    content, out = tmp_path / "content", tmp_path / "output"
    mine, theirs = (variant(content, name, number) for number, name in ((1, "mine"),
                                                                        (2, "theirs")))
    watching = Watching(content, "--tts", "espeak", "--format", "docx", "--out", out,
                        cwd=tmp_path)
    running.append(watching)
    assert watching.until("; watching")[-1].endswith("watching 2 leaflets (Ctrl-C stops)")
    yaml = theirs / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "\nfacts: [unclosed\n",
                    encoding="utf-8")
    watching.until("; watching")
    edit(mine, "Ask your nurse.")
    said = watching.until("; watching")
    assert f"built {out / 'mine' / 'en-GB'}" in said, said
    assert f"not built {theirs} (en-GB): a problem in its content (above); its previous " \
        "outputs, if any, are kept" in said, said
    assert said[-1].startswith("built the others in ") and "done" not in said[-1], said
    assert f"not built: {theirs} (en-GB)" in said[-1]
    assert "Ask your nurse." in docx_text(out / "mine" / "en-GB")


def test_a_save_that_leaves_the_file_empty_a_while_is_built_without_a_false_error(
    leaflet_dir: Path, tmp_path: Path, running: list[Watching]
) -> None:
    """A save in place on a loaded machine: truncated, then written 0.4 s later."""
    out = tmp_path / "output"
    watching = Watching(leaflet_dir, "--tts", "espeak", "--format", "docx", "--out", out,
                        cwd=tmp_path)
    running.append(watching)
    watching.until("done in")
    path = leaflet_dir / "en-GB.md"
    text = path.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as saving:  # truncated at once
        saving.flush()
        time.sleep(8 * watch.SETTLE_S)
        saving.write(text.replace("relieve symptoms.", "relieve symptoms. Ask your nurse.", 1))
    said = watching.until("; watching")
    assert not [line for line in said if "empty" in line], said
    assert any("1 written, 0 up to date" in line for line in said), said
    assert said[-1].startswith("done in"), said
    assert "Ask your nurse." in docx_text(out / LEAFLET / "en-GB")
    assert watching.stop(signal.SIGTERM) == (0, ["stopped watching"])


def test_a_build_killed_midway_loses_nothing_and_the_watch_goes_on(
    leaflet_dir: Path, tmp_path: Path, running: list[Watching]
) -> None:
    out = tmp_path / "output"
    watching = Watching(leaflet_dir, "--tts", "espeak", *THREE, "--out", out, cwd=tmp_path)
    running.append(watching)
    watching.until("done in")
    good = files(out / LEAFLET)  # (the build's stamp, not an output, is forgotten at its start)
    watcher = psutil.Process(watching.process.pid)
    ending = {child.pid for child in watcher.children()}  # the first build's, if not yet ended
    edit(leaflet_dir, "Ask your nurse.")
    # Once the save has settled: a build held while it settled, with the PDF's process it
    # forked early, would be ended at its gate anyway by a second write of the save.
    watching.until("changed:")

    def writing() -> list[psutil.Process]:
        """The build forked for the change, once its writers have started (not the
        espeak-ng server lent to it, nor the last build's, ending)."""
        for child in watcher.children():
            with contextlib.suppress(psutil.NoSuchProcess):
                if (child.pid not in ending and "espeak_server" not in " ".join(child.cmdline())
                        and child.children()):
                    return [child]
        return []

    until_true(writing)[0].kill()
    said = watching.until("; watching")
    assert "Error: the build was killed (signal 9); the last good outputs are kept" in said
    assert said[-1].startswith("not built (") and "done" not in said[-1], said
    assert files(out / LEAFLET) == good
    edit(leaflet_dir, "Ask your doctor.")
    assert "3 written, 0 up to date" in watching.until("done in")
    assert watching.stop(signal.SIGHUP) == (0, ["stopped watching"])  # the terminal closed
    build(leaflet_dir, tmp_path / "built", *THREE)
    assert outputs(out) == outputs(tmp_path / "built")


def test_its_own_outputs_and_hidden_files_start_no_build_but_a_template_does(
    tmp_path: Path, leaflet_dir: Path, running: list[Watching]
) -> None:
    content = leaflet_dir.parent
    out = content / "output"  # inside the watched folder: the build's own writes
    templates = tmp_path / "house"
    house = catalogue(templates / "locale", "en", entry("References", "Further reading"))
    watching = Watching(content, "--tts", "espeak", "--format", "docx", "--jobs", "1",
                        "--templates", templates, "--out", out, cwd=tmp_path)
    running.append(watching)
    watching.until("done in")
    (leaflet_dir / ".en-GB.md.swp").write_text("an editor's swap file", encoding="utf-8")
    assert watching.quiet_for(1.5) == []
    docx = out / LEAFLET / "en-GB"
    assert b"Further reading" in _docx_text(docx)
    # A build runs in its own process: the catalogue it read is not remembered by the next.
    house.write_text(house.read_text(encoding="utf-8").replace("Further reading",
                                                               "Read more"), encoding="utf-8")
    said = watching.until("done in")
    assert f"changed: {house}" in said
    assert b"Read more" in _docx_text(docx)
    # A file whose name is not UTF-8 is named as it can be printed, and the watch goes on.
    os.close(os.open(os.fsencode(leaflet_dir) + b"/notes-\xff.txt", os.O_CREAT | os.O_WRONLY))
    said = watching.until("done in")
    assert f"changed: {leaflet_dir}/notes-\ufffd.txt" in said
    status, rest = watching.stop()
    assert status == 0
    assert not [line for line in watching.seen + rest if "Traceback" in line]


def _docx_text(folder: Path) -> bytes:
    import zipfile  # noqa: PLC0415

    (docx,) = folder.glob("*.docx")
    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml")


def test_a_look_sees_files_added_changed_and_removed_but_not_hidden_or_skipped(
    tmp_path: Path,
) -> None:
    (tmp_path / "leaflet").mkdir()
    (tmp_path / "leaflet" / "en-GB.md").write_text("one", encoding="utf-8")
    (tmp_path / "leaflet" / ".git").mkdir()
    (tmp_path / "leaflet" / ".git" / "index").write_text("x", encoding="utf-8")
    (tmp_path / "leaflet" / "out").mkdir()
    (tmp_path / "leaflet" / "out" / "a.pdf").write_text("x", encoding="utf-8")
    sources = watch.Sources([tmp_path / "leaflet", tmp_path / "missing"],
                            skip=[tmp_path / "leaflet" / "out"])
    before = sources.snapshot()
    assert list(before) == [str(tmp_path / "leaflet" / "en-GB.md")]
    (tmp_path / "leaflet" / "en-GB.md").write_text("two!", encoding="utf-8")
    (tmp_path / "leaflet" / "cy.md").write_text("un", encoding="utf-8")
    (tmp_path / "leaflet" / "out" / "a.pdf").write_text("changed", encoding="utf-8")
    after = sources.snapshot()
    assert watch.changed(before, after) == sorted(str(tmp_path / "leaflet" / name)
                                                  for name in ("cy.md", "en-GB.md"))
    (tmp_path / "leaflet" / "cy.md").unlink()
    assert watch.changed(after, sources.snapshot()) == [str(tmp_path / "leaflet" / "cy.md")]


def _saved_slowly(monkeypatch: pytest.MonkeyPatch, path: Path, writes: list[str | None]
                  ) -> None:
    """Make each of the watch's waits write the next of ``writes`` to ``path`` (None: no
    write), as a slow save does; ``writes`` is used up as the waits come."""

    def wait(seconds: float) -> None:
        if (text := writes.pop(0)) is not None:
            path.write_text(text, encoding="utf-8")

    monkeypatch.setattr(time, "sleep", wait)
    monkeypatch.setattr(watch.Wake, "wait", lambda _self, seconds: time.sleep(seconds))


def test_changes_come_once_the_files_settle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "en-GB.md"
    path.write_text("one", encoding="utf-8")
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=0.05)
    assert next(seen) == []  # the first build, at once
    writes = ["two", "two and", "two and three", None, None]  # one per wait: a slow save
    _saved_slowly(monkeypatch, path, writes)
    assert next(seen) == [str(path)]
    assert writes == [None]  # the save was over (one still look) before the change came


def test_a_save_that_empties_the_file_first_is_built_once_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saving in place truncates, then writes: under load the file can stay empty
    for longer than the settle. Built then, the build would say "file is empty"."""
    path = tmp_path / "en-GB.md"
    path.write_text("one", encoding="utf-8")
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=0.05)
    assert next(seen) == []
    writes = ["", None, None, None, "two", None, None]  # empty for three still looks
    _saved_slowly(monkeypatch, path, writes)
    assert next(seen) == [str(path)]
    assert writes == [None]  # built once the write came and settled, not before
    assert path.read_text(encoding="utf-8") == "two"


def test_a_file_left_empty_is_built_as_it_stands_once_the_wait_is_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "en-GB.md"
    path.write_text("one", encoding="utf-8")
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=0.05)
    assert next(seen) == []
    writes: list[str | None] = ["", *[None] * (watch.SETTLE_MAX + 5)]
    _saved_slowly(monkeypatch, path, writes)
    assert next(seen) == [str(path)]  # the user emptied it: the build says so
    assert len(writes) == 5  # every one of the settle's waits was waited, and no more


def test_only_a_file_that_has_just_become_empty_is_waited_for() -> None:
    before: watch.Snapshot = {"a": (3, 1, 1, 1), "b": (0, 1, 1, 2), "c": (5, 1, 1, 3)}
    after: watch.Snapshot = {"a": (0, 2, 2, 1), "b": (0, 2, 2, 2), "c": (6, 2, 2, 3),
                             "d": (0, 2, 2, 4)}
    assert watch.emptied(before, after) == ["a", "d"]  # "b" was empty already


class Told:
    """What a watch's ``Ahead`` is told, with the file's text at that moment."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.told: list[tuple[str, str]] = []

    def start(self) -> None:
        self.told.append(("start", self.path.read_text(encoding="utf-8")))

    def stop(self) -> None:
        self.told.append(("stop", self.path.read_text(encoding="utf-8")))


def test_a_change_starts_its_build_at_once_and_stops_it_if_the_files_change_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "en-GB.md"
    path.write_text("one", encoding="utf-8")
    told = Told(path)
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=0.05,
                         ahead=told)  # type: ignore[arg-type]
    assert next(seen) == []
    assert told.told == []  # the first build is not held: nothing to settle
    writes = ["two", None, "three", "three and", "three and four", None,  # one per wait
              "5", "6", "7", "8", "9", None]
    _saved_slowly(monkeypatch, path, writes)
    assert next(seen) == [str(path)]
    assert told.told == [("start", "two")]  # at once, before the look that found it settled
    assert next(seen) == [str(path)]
    assert told.told[1:] == [("start", "three"), ("stop", "three and"),  # ahead of each write
                             ("start", "three and"), ("stop", "three and four"),
                             ("start", "three and four")]  # which read it as it settled
    told.told.clear()
    assert next(seen) == [str(path)]
    assert told.told == [("start", "5"), ("stop", "6"), ("start", "6"), ("stop", "7"),
                         ("start", "7"), ("stop", "8"), ("start", "8"), ("stop", "9")]
    assert writes == []  # no more builds ahead after AHEAD_MAX: one is forked once settled


def _held_build(folder: Path, options: BuildOptions) -> watch.Ahead:
    """Return a watch's ``Ahead`` for real builds of ``folder``, as ``lmets-docs watch`` makes."""
    from lmets_docs.cli import _watched_build  # noqa: PLC0415

    return watch.Ahead(lambda gate: functools.partial(
        _in_context, functools.partial(_watched_build, [folder], options, gate)))


def _in_context(run: Callable[[], object]) -> object:
    """Run ``run`` as the command line does, inside its click context."""
    import click  # noqa: PLC0415

    from lmets_docs import cli  # noqa: PLC0415

    with click.Context(cli.watch):
        return run()


def _at_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Have a build forked from here say when it reaches its gate; return how to wait for it."""
    mark = tmp_path / "at-gate"
    wait = watch.Gate.wait

    def marked(gate: watch.Gate) -> None:
        mark.touch()
        wait(gate)

    monkeypatch.setattr(watch.Gate, "wait", marked)

    def reached() -> None:
        deadline = time.monotonic() + STEP_S
        while not mark.exists():
            assert time.monotonic() < deadline, "the build never reached its gate"
            time.sleep(0.01)
        mark.unlink()

    return reached


def test_an_edit_s_build_loads_while_the_files_settle_and_writes_nothing_before_its_gate(
    leaflet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    options = BuildOptions(out=out, tts="espeak", formats=("docx",), today=BEFORE_DUE)
    reached = _at_gate(tmp_path, monkeypatch)
    ahead = _held_build(leaflet_dir, options)
    ahead.start()  # as the watch does when it sees a change
    try:
        reached()
        assert not out.exists() or files(out) == {}  # nothing planned or written yet
        edit(leaflet_dir, "Ask your nurse.")  # after it loaded (a watch would shut its gate)
    finally:
        assert ahead.run() == (0, [])  # its gate opened: it builds what it loaded
    assert "Ask your nurse." not in docx_text(out / LEAFLET / "en-GB")
    watch.reap()
    assert ahead.run() == (0, [])  # none held: one forked now, its gate open, reads them now
    assert "Ask your nurse." in docx_text(out / LEAFLET / "en-GB")
    watch.reap()


def test_a_build_whose_files_change_again_before_they_settle_ends_at_its_gate_without_a_word(
    leaflet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from lmets_docs import launch  # noqa: PLC0415

    logger = logging.getLogger("lmets_docs")
    for name, value in (("handlers", []), ("level", logger.level),
                        ("propagate", logger.propagate)):
        monkeypatch.setattr(logger, name, value)  # restored after the test
    launch.setup_logging(1, False)  # as the command line: steps and warnings on stderr
    out = tmp_path / "out"
    options = BuildOptions(out=out, tts="espeak", formats=("docx",), today=BEFORE_DUE)
    reached = _at_gate(tmp_path, monkeypatch)
    yaml = leaflet_dir / "leaflet.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text + "\nfacts: [unclosed\n", encoding="utf-8")  # half saved
    ahead = _held_build(leaflet_dir, options)
    ahead.start()
    try:
        reached()
        capfd.readouterr()
    finally:
        ahead.stop()  # the save went on: the files changed again
    assert capfd.readouterr() == ("", "")  # not its problem, nor anything it did
    assert not out.exists() or files(out) == {}
    yaml.write_text(text, encoding="utf-8")  # the save is over, and settled
    assert ahead.run() == (0, [])
    said = capfd.readouterr()
    assert f"built {out / LEAFLET / 'en-GB'}" in said.out
    assert "docx" in said.err and "yaml" not in said.err  # its steps, and no old problem
    watch.reap()


def _servers_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Note each espeak-ng server started from here or a process forked from here: who
    started it ("watch": this process; "build": another) and how ("lent": for another process
    to take, "own": on the narration's way). Return what reads and forgets the notes."""
    from lmets_docs.speech import espeak_lib  # noqa: PLC0415

    notes = tmp_path / "servers"
    watcher = os.getpid()
    start = espeak_lib.Server.__init__

    def noted(server: espeak_lib.Server, voice: str, ready: bool = True) -> None:
        who = "watch" if os.getpid() == watcher else "build"
        with notes.open("a", encoding="utf-8") as note:
            note.write(f"{who} {'own' if ready else 'lent'} {voice}\n")
        start(server, voice, ready)

    monkeypatch.setattr(espeak_lib.Server, "__init__", noted)

    def read() -> list[str]:
        said = notes.read_text(encoding="utf-8").splitlines() if notes.exists() else []
        notes.unlink(missing_ok=True)
        return said

    return read


def test_an_edit_s_narration_takes_the_server_the_watch_started_as_the_change_was_seen(
    leaflet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watch lends an espeak-ng server as it forks an edit's build, so that it loads while
    the files settle; one no build took (its build stopped at its gate) serves the next; the
    narration is the one a build alone makes; no server outlives its users, or the watch."""
    from lmets_docs.build import early  # noqa: PLC0415
    from lmets_docs.speech import espeak_lib  # noqa: PLC0415

    out = tmp_path / "out"
    options = BuildOptions(out=out, tts="espeak", formats=("audio", "docx"), today=BEFORE_DUE)
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)  # as on an idle machine
    started = _servers_started(tmp_path, monkeypatch)
    ahead = _held_build(leaflet_dir, options)
    ahead.voices = ["en-gb"]
    try:
        assert ahead.run() == (0, [])  # the first build: not held, nothing lent by the watch
        watch.reap()
        assert "build lent en-gb" in started()  # as ``build`` does
        edit(leaflet_dir, "Ask your nurse.")
        monkeypatch.setattr(early, "idle_cores", lambda: 0.0)  # a machine busy meanwhile
        ahead.start()
        assert espeak_lib._lent == {}  # no core to load it on: the build lends its own
        ahead.stop()
        monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
        ahead.start()  # the change seen: a server lent, then the build forked
        ((lent, _claim),) = espeak_lib._lent.values()
        ahead.stop()  # the files changed again: its build ended at its gate, untaken
        assert espeak_lib._lent["en-gb"][0] is lent and lent.process.poll() is None
        ahead.start()  # the next build is lent the same one
        assert ahead.run() == (0, [])
        watch.reap()
        assert started() == ["watch lent en-gb"]  # once; the narration's piece said by it
        assert espeak_lib._lent == {}  # taken, let go of, ended and waited for
        with pytest.raises(ChildProcessError):
            os.waitpid(lent.process.pid, os.WNOHANG)
        build(leaflet_dir, tmp_path / "built", "--format", "audio", "--format", "docx")
        assert "Ask your nurse." in docx_text(out / LEAFLET / "en-GB")
        assert outputs(out) == outputs(tmp_path / "built")
        edit(leaflet_dir, "Ask your doctor.")
        ahead.start()
        ((kept, _claim),) = espeak_lib._lent.values()
    finally:
        ahead.close()  # the watch ends: the server kept for the next build too
    assert espeak_lib._lent == {}
    with pytest.raises(ChildProcessError):
        os.waitpid(kept.process.pid, os.WNOHANG)


def test_a_gate_holds_back_what_the_build_logs_until_it_opens(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: heard.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("lmets_docs")
    monkeypatch.setattr(logger, "handlers", [handler])
    say = logging.getLogger("lmets_docs.build").warning
    gate = watch.Gate()
    with gate.holding():
        say("loaded, with a warning")
        assert heard == []
        gate.open()
        gate.wait()
        assert heard == ["loaded, with a warning"]
        say("written")
        gate.wait()  # once open, open
    assert heard == ["loaded, with a warning", "written"]
    shut = watch.Gate()
    with pytest.raises(watch.Unsettled), shut.holding():
        say("half saved")
        shut.shut()
        shut.wait()
    assert heard == ["loaded, with a warning", "written"]
    assert logger.handlers == [handler]


def test_a_build_killed_at_its_gate_is_told_killed_and_the_watch_goes_on() -> None:
    """Killed while the files settled (with the writer it forked early: no reader is left
    on the gate's pipe), the build's end is said from its exit status, not a broken pipe."""

    def held(gate: watch.Gate) -> Callable[[], object]:
        def run() -> object:
            gate.wait()
            return []
        return run

    ahead = watch.Ahead(held)
    ahead.start()
    assert ahead.held is not None
    started = ahead.held[1]
    assert started.process.pid is not None
    os.kill(started.process.pid, signal.SIGKILL)
    started.process.join()
    assert ahead.run() == (-signal.SIGKILL, None)
    assert ahead.run() == (0, [])  # the next change's build, forked anew
    watch.reap()


def test_a_folder_linked_into_itself_is_looked_into_once(tmp_path: Path) -> None:
    (tmp_path / "leaflet" / "images").mkdir(parents=True)
    (tmp_path / "leaflet" / "images" / "a.png").write_bytes(b"x")
    (tmp_path / "leaflet" / "images" / "again").symlink_to(tmp_path / "leaflet")
    (tmp_path / "leaflet" / "gone").symlink_to(tmp_path / "nowhere")
    assert list(watch.Sources([tmp_path / "leaflet"], skip=[]).snapshot()) == [
        str(tmp_path / "leaflet" / "images" / "a.png")]


def test_a_name_that_is_not_utf8_is_shown_with_a_replacement_character() -> None:
    assert watch.shown(os.fsdecode(b"/content/notes-\xff.md")) == "/content/notes-\ufffd.md"
    assert watch.shown("/content/cy.md") == "/content/cy.md"


NAMES = st.sampled_from(["a.md", "b.yaml", ".swp", "img", ".git", "x y.md", "ü.md"])
OPS = st.lists(st.tuples(st.sampled_from(["write", "remove", "mkdir"]),
                         st.lists(NAMES, min_size=1, max_size=3)), max_size=25)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_fuzz_each_change_is_seen_exactly_and_nothing_else(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, list[str]]]
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    sources = watch.Sources([root], skip=[root / "img" / "out"])
    clock = iter(range(10**9, 2 * 10**9))
    for op, parts in ops:
        path = root.joinpath(*parts)
        before = sources.snapshot()
        touched = _apply(op, path, next(clock))
        seen = not any(part.startswith(".") for part in parts) and not path.is_relative_to(
            root / "img" / "out")
        assert watch.changed(before, sources.snapshot()) == (
            [str(path)] if touched and seen else [])


def _apply(op: str, path: Path, stamp: int) -> bool:
    """Do one operation to the tree; return True if it added, changed or removed a file."""
    try:
        if op == "mkdir":
            path.mkdir(parents=True)
            return False
        if op == "remove":
            path.unlink()
            return True
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * (stamp % 7))
        os.utime(path, ns=(stamp, stamp))
        return True
    except (FileExistsError, FileNotFoundError, IsADirectoryError, NotADirectoryError,
            PermissionError):
        return False


def test_warming_takes_no_harm_from_names_that_are_not_languages_or_folders_that_are_not_leaflets(
    leaflet_dir: Path, tmp_path: Path
) -> None:
    for name in ("zz.md", "en_GB.md", "-.md", "i-klingon.md"):
        (leaflet_dir / name).write_text("# Nothing\n", encoding="utf-8")
    options = BuildOptions(out=tmp_path / "out", formats=("docx",))
    # In a process of its own: warming freezes the collector's view of everything imported.
    assert watch.in_own_process(lambda: watch.warm(options, [leaflet_dir, tmp_path / "no"])) == 0
    assert watch.in_own_process(lambda: watch.warm(options, [leaflet_dir])) == 0


def test_a_build_forked_from_a_warm_watch_builds_no_pattern_of_the_scans_again(
    leaflet_dir: Path, tmp_path: Path
) -> None:
    """The scans' patterns and words (dates, numbers in words, hours, extension words) come
    from CLDR and the package alone: built as the watch warms, never by its builds' loading."""
    from lmets_docs import scan, scan_dates, scan_hours, scan_times, scan_words  # noqa: PLC0415
    from lmets_docs.build.library import load_library  # noqa: PLC0415
    from lmets_docs.source import factcheck  # noqa: PLC0415

    built = (scan._extension_pattern, scan_dates._patterns, scan_hours._patterns,
             scan_hours._cued, scan_times._spelled_time, scan_times._minute_words,
             scan_words.number_words, factcheck.number_words_of)

    def misses() -> list[int]:
        return [made.cache_info().misses for made in built]

    def loaded_after(options: BuildOptions) -> list[int]:
        watch.warm(options, [leaflet_dir])

        def build() -> list[int]:
            before = misses()
            (leaflet,) = load_library([leaflet_dir], None).leaflets  # the seed's every scan
            assert leaflet.lang == "en-GB"
            return [after - first for after, first in zip(misses(), before, strict=True)]

        status, made = watch.run_in_own_process(build)
        assert status == 0 and isinstance(made, list)
        return made

    options = BuildOptions(out=tmp_path / "out", formats=("docx",))
    assert watch.run_in_own_process(lambda: loaded_after(options)) == (0, [0] * len(built))


def test_a_narrating_watch_asks_espeak_as_it_warms_and_its_builds_ask_nothing(
    leaflet_dir: Path, tmp_path: Path
) -> None:
    from lmets_docs.speech import espeak  # noqa: PLC0415

    def built_after(options: BuildOptions) -> list[list[str]]:
        """Warm as a watch does, then narrate's engine made in a build forked from it."""
        espeak._version.cache_clear()
        espeak._voices.cache_clear()
        watch.warm(options, [leaflet_dir])
        asked: list[list[str]] = []

        def spy(command: list[str], text: str, doing: str) -> subprocess.CompletedProcess[bytes]:
            asked.append(command)
            return subprocess.run(command, input=text.encode(), capture_output=True, check=True)

        espeak._run = spy  # (this process is the test's own, forked: nothing to restore)

        def build() -> list[list[str]]:
            assert espeak.create("en-GB", "normal").voice == "en-gb"
            return asked

        status, said = watch.run_in_own_process(build)
        assert status == 0 and isinstance(said, list)
        return said

    narrating = BuildOptions(out=tmp_path / "out", tts="espeak", formats=("audio",))
    assert watch.run_in_own_process(lambda: built_after(narrating)) == (0, [])
    # A watch that narrates nothing asks espeak-ng nothing as it warms: its builds would.
    printing = BuildOptions(out=tmp_path / "out", tts="espeak", formats=("pdf",))
    status, asked = watch.run_in_own_process(lambda: built_after(printing))
    assert status == 0 and isinstance(asked, list)
    assert [command[1] for command in asked] == ["--version", "--voices"]


def test_a_file_that_never_stops_changing_is_built_as_it_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "build.log"  # a log kept, wrongly, among the sources
    log.write_text("", encoding="utf-8")
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=0.01)
    assert next(seen) == []
    stop = threading.Event()

    def keep_writing() -> None:
        with log.open("a", encoding="utf-8") as out:
            while not stop.is_set():
                out.write("x")
                out.flush()
                time.sleep(0.002)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        start = time.monotonic()
        assert next(seen) == [str(log)]
        assert time.monotonic() - start < 2 * watch.SETTLE_S * watch.SETTLE_MAX
    finally:
        stop.set()
        writer.join()


def test_a_save_within_the_clock_tick_of_the_last_is_seen_by_its_contents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system whose clock did not tick between two saves of the same length (FAT,
    some shares: two seconds), and whose inode numbers say nothing: only the contents tell."""
    path = tmp_path / "en-GB.md"
    path.write_text("teh cat", encoding="utf-8")
    frozen = os.stat(path)
    real_stat = os.stat

    def coarse(name: str) -> object:
        now = real_stat(name)
        return type("Stat", (), {"st_size": now.st_size, "st_mtime_ns": frozen.st_mtime_ns,
                                 "st_ctime_ns": frozen.st_ctime_ns, "st_ino": 1})

    monkeypatch.setattr(watch, "_stat", coarse)
    monkeypatch.setattr(watch, "RACY_S", 0.2)
    sources = watch.Sources([tmp_path], skip=[])
    first = sources.snapshot()  # racy: changed just now
    time.sleep(0.3)
    path.write_text("the cat", encoding="utf-8")
    second = sources.snapshot(first)  # no longer racy, but the first look was
    assert watch.changed(first, second) == [str(path)]
    assert watch.changed(second, sources.snapshot(second)) == []


def _after_a_while(action: Callable[[], object], seconds: float = 0.3) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


def _next_within(seen: Iterator[list[str]], seconds: float) -> list[str]:
    start = time.monotonic()
    found = next(seen)
    assert time.monotonic() - start < seconds, f"seen only after {time.monotonic() - start} s"
    return found


def test_a_save_is_seen_at_once_not_at_the_next_look(tmp_path: Path) -> None:
    """The kernel says the folder changed: the watch looks then, not a whole interval later;
    also in a folder made after the watch began."""
    path = tmp_path / "en-GB.md"
    path.write_text("one", encoding="utf-8")
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=30)
    assert next(seen) == []
    _after_a_while(lambda: path.write_text("two", encoding="utf-8"))
    assert _next_within(seen, 5) == [str(path)]
    later = tmp_path / "pictures" / "new"
    later.mkdir(parents=True)  # a folder alone changes nothing to build, but is watched then
    _after_a_while(lambda: (later / "map.svg").write_text("<svg/>", encoding="utf-8"), 1)
    assert _next_within(seen, 5) == [str(later / "map.svg")]
    _after_a_while(lambda: (later / "map.svg").write_text("<svg></svg>", encoding="utf-8"))
    assert _next_within(seen, 5) == [str(later / "map.svg")]


@pytest.mark.parametrize("why", ["no inotify", "no watches left"])
def test_without_change_notices_the_looks_still_see_every_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    import errno  # noqa: PLC0415

    import inotify_simple  # noqa: PLC0415

    def refuse(*args: object) -> object:
        raise OSError(errno.ENOSPC if why == "no watches left" else errno.ENOSYS, why)

    monkeypatch.setattr(inotify_simple.INotify, "add_watch" if why == "no watches left"
                        else "__init__", refuse)
    path = tmp_path / "en-GB.md"
    path.write_text("one", encoding="utf-8")
    seen = watch.changes(watch.Sources([tmp_path], skip=[]), interval=1.5)
    assert next(seen) == []
    start = time.monotonic()
    _after_a_while(lambda: path.write_text("two", encoding="utf-8"), 0.1)
    assert _next_within(seen, 5) == [str(path)]
    assert time.monotonic() - start > 1.4  # at the next look, a whole interval on


def test_a_folder_removed_and_made_again_is_watched_anew_even_with_the_same_inode(
    tmp_path: Path,
) -> None:
    """ext4 and tmpfs give a new folder the inode number the old one freed: the kernel's
    word that the old watch is gone (IGNORED), not the number, says to watch it again."""
    for attempt in range(10):  # another process may take the freed number first: try anew
        root = tmp_path / str(attempt)
        folder = root / "pictures"
        folder.mkdir(parents=True)
        (folder / "map.svg").write_text("<svg/>", encoding="utf-8")
        seen = watch.changes(watch.Sources([root], skip=[]), interval=30)
        assert next(seen) == []
        _after_a_while((folder / "map.svg").unlink)
        assert _next_within(seen, 5) == [str(folder / "map.svg")]
        number = folder.stat().st_ino
        folder.rmdir()
        folder.mkdir()
        if folder.stat().st_ino == number:
            break
    else:
        pytest.skip("the file system never gave the freed inode number again (a busy machine)")
    _after_a_while(lambda: (folder / "map.svg").write_text("<svg></svg>", encoding="utf-8"), 1)
    assert _next_within(seen, 5) == [str(folder / "map.svg")]


def test_a_voice_put_into_the_voice_folder_is_heard_in_the_next_build(
    tmp_path: Path, running: list[Watching]
) -> None:
    """The voice folder is a source of the narration: a British voice put beside the American
    one reads the British leaflet at once, without anything else changing."""
    from lmets_docs.manifest import read_manifest  # noqa: PLC0415
    from lmets_docs.speech import voices  # noqa: PLC0415
    from tests.speech.test_piper import JOE, SHORT, british_voice  # noqa: PLC0415

    folder = tmp_path / "house-voices"
    folder.mkdir()
    (joe,) = [v for v in voices.packaged() if v.name == JOE]
    for file in (joe.model, joe.config):
        (folder / file.name).symlink_to(file)
    out = tmp_path / "out"
    watching = Watching(SHORT, "--tts", "piper", "--voice", folder, "--format", "audio",
                        "--jobs", "1", "--out", out, cwd=tmp_path)
    running.append(watching)
    watching.until("done in")

    def engine() -> str:
        return read_manifest(out / SHORT.name / "en-GB").artifacts["audio"].engines["tts"]

    assert engine().endswith(f"({JOE})")
    british_voice(tmp_path / "staging")
    for file in (tmp_path / "staging").iterdir():
        if file.name != "MODEL_CARD":
            file.rename(folder / file.name)
    said = watching.until("done in")
    assert f"changed: {folder / 'en_GB-test-medium.onnx'}" in " ".join(said)
    assert engine().endswith("(en_GB-test-medium)")
    status, rest = watching.stop()
    assert status == 0
    assert not [line for line in watching.seen + rest if "Traceback" in line]
