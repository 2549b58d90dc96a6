"""Chapters made into tracks on threads while the narration is spoken (``writers.audio.chapters``).

Real espeak-ng and lameenc, real files read back. The tracks finish in whatever order the
threads take; what is written must not depend on it: the same bytes as one chapter at a
time after all is spoken (``--jobs 1``). A chapter that fails fails the build cleanly.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lmets_docs.build import build
from lmets_docs.cli import cli
from lmets_docs.errors import BuildError, NarrationError
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.speech import espeak
from lmets_docs.writers.audio import chapters, mp3
from lmets_docs.writers.audio.narrate import Narrator
from lmets_docs.writers.audio.script import Chapter
from tests.conftest import BEFORE_DUE, DATA

SHORT = DATA / "short-leaflet"


@dataclasses.dataclass
class Events:
    """When each piece was spoken and each chapter's track began and ended (monotonic s)."""

    spoken: list[float] = dataclasses.field(default_factory=list)
    began: dict[str, float] = dataclasses.field(default_factory=dict)
    ended: list[str] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


def _options(tmp: Path, name: str, jobs: int) -> BuildOptions:
    return BuildOptions(out=tmp / name, formats=("audio",), tts="espeak", jobs=jobs,
                        today=BEFORE_DUE, templates=None, cache_dir=tmp / f"{name}-cache")


def _files(out: Path) -> dict[str, bytes]:
    """Return every file of the built leaflet language (manifest aside: it has a date)."""
    folder = out / "short-leaflet" / "en-GB"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def _details(out: Path) -> dict[str, Any]:
    return read_manifest(out / "short-leaflet" / "en-GB").artifacts["audio"].details


def _watched(monkeypatch: pytest.MonkeyPatch, *slow: str) -> Events:
    """Record speaking and making tracks; the chapters ``slow`` take 0.5 s longer to encode."""
    events = Events()
    speak, encoded = espeak._synthesize, chapters.encoded

    def spoken(voice: str, wpm: int, text: str) -> Any:
        audio = speak(voice, wpm, text)
        with events.lock:
            events.spoken.append(time.monotonic())
        return audio

    def made(chapter: Chapter, narrator: Narrator) -> bytes:
        with events.lock:
            events.began[chapter.slug] = time.monotonic()
        if chapter.slug in slow:
            time.sleep(0.5)
        mp3 = encoded(chapter, narrator)
        with events.lock:
            events.ended.append(chapter.slug)
        return mp3

    monkeypatch.setattr(espeak, "_synthesize", spoken)
    monkeypatch.setattr(chapters, "encoded", made)
    return events


def test_tracks_made_out_of_order_while_speaking_are_written_as_one_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build([SHORT], _options(tmp_path, "serial", jobs=1))
    events = _watched(monkeypatch, "chemotherapy")
    build([SHORT], _options(tmp_path, "threads", jobs=2))
    order = [c["file"].split("-", 1)[1].removesuffix(".mp3")
             for c in _details(tmp_path / "serial")["chapters"]]
    assert order == ["introduction", "chemotherapy", "help-and-support", "closing"]
    # The threads did finish out of order, and began before the narration was all said
    assert events.ended != order and sorted(events.ended) == sorted(order)
    assert min(events.began.values()) < max(events.spoken)
    # the opening, which says how long the whole lasts, only once it was.
    assert events.began["introduction"] > max(events.spoken)
    # Yet every byte is the same: each MP3 (tracks, narration, tags, chapters), the
    # transcript, the playlist and the timings; and every figure in the manifest.
    serial, threads = _files(tmp_path / "serial"), _files(tmp_path / "threads")
    assert sum(name.endswith(".mp3") for name in serial) == len(order) + 1
    assert {"audio/transcript.txt", "audio/timings.json", "audio/playlist.m3u8"} <= set(serial)
    assert threads == serial
    assert _details(tmp_path / "threads") == _details(tmp_path / "serial")


def test_the_opening_goes_before_the_chapters_still_waiting_for_a_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The two sections hold both threads until all is said: the closing, spoken since, is
    # still waiting for one when the opening is started. The opening goes first.
    events = _watched(monkeypatch, "chemotherapy", "help-and-support")
    build([SHORT], _options(tmp_path, "threads", jobs=2))
    assert events.began["chemotherapy"] < max(events.spoken)
    assert events.began["help-and-support"] < max(events.spoken)
    assert events.began["introduction"] < events.began["closing"]


def test_with_one_job_no_track_is_made_while_the_narration_is_spoken(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = _watched(monkeypatch)
    build([SHORT], _options(tmp_path, "one", jobs=1))
    assert min(events.began.values()) > max(events.spoken)
    assert events.ended == ["introduction", "chemotherapy", "help-and-support", "closing"]


# --- faults in a chapter's task ----------------------------------------------------------------


def _fails_once(after: int, error: Exception) -> Callable[..., Any]:
    """Return a stand-in for lameenc's encoding that fails on call ``after`` + 1 (any thread)."""
    calls = iter(range(1_000_000))
    lock = threading.Lock()
    real = mp3.encode

    def encode(pcm: bytes, rate: int) -> bytes:
        with lock:
            number = next(calls)
        if number == after:
            raise error
        return real(pcm, rate)

    return encode


def _cli_build(source: Path, out: Path) -> Any:
    return CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(source), "--format", "audio", "--tts", "espeak", "--jobs", "2",
        "--out", str(out), "--templates", str(source / "none"), "--today",
        BEFORE_DUE.isoformat()])


FAULTS = {
    "NarrationError": (NarrationError("lameenc could not encode (injected)"),
                       "audio: lameenc could not encode (injected)"),
    "a bug": (ZeroDivisionError("injected"),
              "audio: internal error: ZeroDivisionError: injected"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("after", [0, 2])
def test_a_chapter_that_fails_fails_the_build_and_keeps_the_last_outputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, after: int) -> None:
    source = tmp_path / "short-leaflet"
    source.mkdir()
    for path in SHORT.iterdir():
        (source / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert _cli_build(source, out).exit_code == 0
    before = _files(out)
    manifest = (out / "short-leaflet" / "en-GB" / "manifest.json").read_bytes()

    text = source / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("usually", "often"),
                    encoding="utf-8")
    shutil.rmtree(out / ".cache" / "tracks")  # every chapter is encoded again
    error, said = FAULTS[fault]
    # The first chapter encoded fails (while the others are still being spoken), or the third.
    monkeypatch.setattr(chapters, "encode", _fails_once(after, error))
    result = _cli_build(source, out)
    assert result.exit_code == 1, result.output
    assert said in result.stderr and "Traceback" not in result.stderr
    assert _files(out) == before
    assert (out / "short-leaflet" / "en-GB" / "manifest.json").read_bytes() == manifest
    assert not list((out / "short-leaflet").glob(".tmp-*"))
    # No thread is left making tracks once the build has given up.
    assert not [t for t in threading.enumerate() if t.name.startswith("track")]


def test_speech_that_fails_while_tracks_are_made_fails_the_build_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    events = _watched(monkeypatch)
    speak = espeak._synthesize  # the watched one

    def fails_last(voice: str, wpm: int, text: str) -> Any:
        if "end of the recording" in text:
            time.sleep(0.3)  # the other chapters' tracks are being made meanwhile
            raise NarrationError("espeak-ng fell over (injected)")
        return speak(voice, wpm, text)

    monkeypatch.setattr(espeak, "_synthesize", fails_last)
    monkeypatch.setattr(logging.getLogger("lmets_docs"), "propagate", True)
    with pytest.raises(BuildError, match="espeak-ng fell over"):
        build([SHORT], _options(tmp_path, "out", jobs=2))
    assert events.began, "no track was being made when the speech failed"
    assert not [t for t in threading.enumerate() if t.name.startswith("track")]
    assert not (tmp_path / "out" / "short-leaflet" / "en-GB").exists()
