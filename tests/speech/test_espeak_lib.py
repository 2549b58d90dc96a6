"""espeak-ng in one process forking a child per piece: the same bytes as the program, faster.

Every piece the seed's narration says (at both rates, the phone number slowly), and a few
awkward ones, are said both ways: by the ``espeak-ng`` program, one process per piece, and
by the fork server; the WAV bytes must be identical. A library that cannot be loaded, or a
server that dies, falls back to the program.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lmets_docs.options import BuildOptions
from lmets_docs.speech import espeak, espeak_lib
from lmets_docs.writers.audio.narrate import Narrator
from lmets_docs.writers.audio.script import build_script
from tests.conftest import BEFORE_DUE, DATA

AWKWARD = ["-v is not an option here", "0 8 0 8, 8 0 0, 4 0 4 0.", " ", "!", "",
           "Naïve café — “quoted” words; 3½ mg.", "Bore da. Sut mae?"]


def program(voice: str, wpm: int, text: str) -> bytes:
    """Return what one ``espeak-ng`` process writes for ``text``, as the engine runs it."""
    return subprocess.run([espeak.EXECUTABLE, "-v", voice, "-s", str(wpm), "-b", "1", "--stdin",
                           "--stdout"], input=text.encode(), capture_output=True,
                          check=True).stdout


def seed_pieces(seed: Path) -> list[tuple[int, str]]:
    """Return (words per minute, engine text) of every piece of the seed's narration."""
    from lmets_docs.source import load_leaflet  # noqa: PLC0415

    engine = espeak.create("en-GB", "normal")
    script = build_script(load_leaflet(seed, "en-GB"), BEFORE_DUE, 300.0)
    return [(engine.words_per_minute(s.slow), s.speech) for s in script.segments()]


def test_every_piece_is_byte_identical_to_the_program(tmp_path: Path) -> None:
    from tests.conftest import SEED  # noqa: PLC0415

    pieces = seed_pieces(SEED) + [(rate, text) for text in AWKWARD for rate in (165, 124)]
    # Said in an order unlike the program's (each piece once per process): reversed.
    served = {(wpm, text): espeak_lib.speak("en-gb", wpm, text) for wpm, text in pieces[::-1]}
    assert len(pieces) > 50
    for wpm, text in pieces:
        assert served[(wpm, text)] == program("en-gb", wpm, text), text


def test_another_voice_chosen_by_language_is_identical_too() -> None:
    for text in ("Bore da. Sut mae?", "Rhif ffôn: 0 8 0 8."):
        assert espeak_lib.speak("cy", 150, text) == program("cy", 150, text)


def test_the_engine_uses_the_server_not_a_process_per_piece(
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    real = espeak._run

    def spy(command: list[str], text: str, doing: str) -> subprocess.CompletedProcess[bytes]:
        started.append(command)
        return real(command, text, doing)

    monkeypatch.setattr(espeak, "_run", spy)
    engine = espeak.create("en-GB", "normal")
    audio = [engine.synthesize(f"Piece number {n}.") for n in range(5)]
    assert started == [] and all(a.startswith(b"RIFF") for a in audio)


def test_a_library_that_cannot_load_falls_back_to_the_program(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(espeak_lib, "_broken", set())
    monkeypatch.setattr(espeak_lib, "_idle", {})
    monkeypatch.setattr(espeak_lib, "LIBRARY", "libespeak-ng-missing.so.9")
    text = "The CSF is a clear fluid."
    with caplog.at_level(logging.INFO, logger="lmets_docs"):
        assert espeak_lib.speak("en-gb", 165, text) is None
    assert "libespeak-ng-missing.so.9" in caplog.text
    assert espeak.create("en-GB", "normal").synthesize(text) == program("en-gb", 165, text)


def test_a_server_killed_midway_falls_back_and_the_narration_goes_on(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(espeak_lib, "_broken", set())
    monkeypatch.setattr(espeak_lib, "_idle", {})
    assert espeak_lib.speak("en-gb", 165, "Start it.") is not None
    for server in espeak_lib._idle["en-gb"]:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
    engine = espeak.create("en-GB", "normal")
    assert engine.synthesize("After the server died.") == program("en-gb", 165,
                                                                   "After the server died.")
    assert "en-gb" in espeak_lib._broken
    # A narration through the fallback still says every piece.
    from lmets_docs.source import load_leaflet  # noqa: PLC0415
    from lmets_docs.speech.cache import SpeechCache  # noqa: PLC0415

    leaflet = load_leaflet(DATA / "short-leaflet", "en-GB")
    options = BuildOptions(out=tmp_path, tts="espeak", today=dt.date(2022, 6, 1),
                           templates=None, cache_dir=tmp_path / "cache")
    narrator = Narrator(engine, SpeechCache(options.cache / "speech"))
    script = build_script(leaflet, options.today, 60.0)
    narrator.prepare(script.chapters)
    assert narrator.synthesized == len({narrator.key(s) for s in script.segments()})


def test_the_server_is_lean_so_that_a_fork_costs_little() -> None:
    """The server runs as the engine starts it, importing no site, package, logging or threads.

    Those modules' fork handlers would run in every child (and a larger process costs more
    to fork): measured, the lean server forks for about a third of the old one's cost.
    """
    assert espeak_lib.SERVER.endswith("espeak_server.py")
    probe = ("import runpy, sys; runpy.run_path(sys.argv[1]); "
             "print(' '.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-I", "-S", "-c", probe, espeak_lib.SERVER],
                            capture_output=True, text=True, check=True).stdout.split()
    assert "ctypes" in loaded
    heavy = [m for m in loaded if m.split(".")[0] in
             {"site", "lmets_docs", "logging", "threading", "subprocess", "numpy"}]
    assert heavy == []


def _speak_and_end(pids: multiprocessing.SimpleQueue[int]) -> None:
    assert espeak_lib.speak("en-gb", 165, "One piece.") is not None
    pids.put(espeak_lib._idle["en-gb"][0].process.pid)


def test_a_writer_process_waits_for_its_servers_as_it_ends() -> None:
    """A multiprocessing child ends with os._exit: its servers must not outlive it, orphaned
    (reaped by init, their CPU and their pieces' in no account of the build's). This process
    is made their subreaper for the test: an orphan would come back to it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        pytest.skip("cannot become a subreaper here")
    try:
        context = multiprocessing.get_context("fork")
        pids: multiprocessing.SimpleQueue[int] = context.SimpleQueue()
        child = context.Process(target=_speak_and_end, args=(pids,))
        child.start()
        server = pids.get()
        child.join(timeout=60)
        assert child.exitcode == 0
        time.sleep(0.3)  # an orphaned server would have seen its input close by now
        with pytest.raises(ChildProcessError):  # not ours to reap: the writer waited for it
            os.waitpid(server, os.WNOHANG)
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


PR_SET_CHILD_SUBREAPER = 36


def _speak_with(said: multiprocessing.Queue[tuple[int, bytes]]) -> None:
    audio = espeak_lib.speak("en-gb", 165, "Ask your nurse.")
    assert audio is not None
    said.put((espeak_lib._idle["en-gb"][0].process.pid, audio))


def test_a_lent_server_is_adopted_by_one_process_forked_from_its_lender() -> None:
    """A watch starts each build's espeak-ng server before forking it: the first process
    that speaks with the voice takes it, another starts its own; the pieces are the same."""
    context = multiprocessing.get_context("fork")
    said: multiprocessing.Queue[tuple[int, bytes]] = context.Queue()
    let_go = espeak_lib.lend(["en-gb"])
    lent = espeak_lib._lent["en-gb"][0].process.pid
    try:
        first = context.Process(target=_speak_with, args=(said,))
        first.start()
        used = [said.get(timeout=30)]  # the first to speak, alone: no race for the claim
        second = context.Process(target=_speak_with, args=(said,))
        second.start()
        used.append(said.get(timeout=30))
    finally:
        let_go()
    for child in (first, second):
        child.join(timeout=30)
        assert child.exitcode == 0
    assert [pid for pid, _ in used] == [lent, used[1][0]] and used[1][0] != lent
    assert used[0][1] == used[1][1] == program("en-gb", 165, "Ask your nurse.")
    assert espeak_lib._lent == {}
    espeak_lib.reap_lent()  # its users have ended: so has it
    with pytest.raises(ChildProcessError):
        os.waitpid(lent, os.WNOHANG)


def test_an_edit_s_narration_speaks_with_the_server_its_build_started_before_its_writers(
    leaflet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build lends a server per narrated voice before it forks its writer processes:
    an edit's one piece is said by it, none is started on the narration's way."""
    from lmets_docs.build import build  # noqa: PLC0415
    from lmets_docs.watch import reap, run_in_own_process  # noqa: PLC0415

    options = BuildOptions(out=tmp_path / "out", tts="espeak", formats=("audio", "docx"),
                           today=BEFORE_DUE)
    started = tmp_path / "servers"
    start = espeak_lib.Server.__init__

    def noted(server: espeak_lib.Server, voice: str, ready: bool = True) -> None:
        if ready:  # started on the way, not lent (``lend`` starts them unready)
            with started.open("a", encoding="utf-8") as note:
                note.write(f"{voice}\n")
        start(server, voice, ready)

    monkeypatch.setattr(espeak_lib.Server, "__init__", noted)

    def built() -> None:
        build([leaflet_dir], options)

    assert run_in_own_process(built) == (0, None)
    reap()
    assert started.read_text(encoding="utf-8") == "en-gb\n"  # the second thread's own
    started.unlink()
    path = leaflet_dir / "en-GB.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "relieve symptoms.", "relieve symptoms. Ask your nurse.", 1), encoding="utf-8")
    assert run_in_own_process(built) == (0, None)
    reap()
    assert not started.exists()  # the edit's piece: said by the server lent to it
