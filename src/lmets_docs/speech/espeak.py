"""espeak-ng, the offline engine: each piece of text said as ``espeak-ng --stdout`` says it.

Pieces are said by libespeak-ng in a server process that forks a child per piece
(``espeak_lib``: the same bytes, without starting the program each time); when the library
cannot be loaded, by one ``espeak-ng`` process per piece. The text goes in on stdin (never
as an argument, so a leading "-" cannot be read as an option) in UTF-8. espeak-ng's ``-s``
is a nominal rate: its own pauses at commas and full stops make real speech slower, so the
values below were chosen by measuring what the narration actually says per minute (about
155 normal, 125 slow; see benchmarks/).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lmets_docs.errors import NarrationError
from lmets_docs.options import SpeechRate
from lmets_docs.speech import espeak_lib

log = logging.getLogger(__name__)

EXECUTABLE = "espeak-ng"
SPEED: dict[SpeechRate, int] = {"normal": 165, "slow": 132}
"""espeak-ng's ``-s`` for each speaking rate."""
SLOW_FACTOR = 0.75
"""How much slower phone numbers are said than the rest."""
SAMPLE_RATE = 22050
TIMEOUT_S = 120
INSTALL_HINT = "install it with 'apt-get install espeak-ng'"


@dataclass
class Espeak:
    """espeak-ng with one voice at one speaking rate."""

    voice: str
    version: str
    speed: int
    name: str = "espeak"
    sample_rate: int = SAMPLE_RATE
    audio_format: str = "wav"
    workers: int = 2
    online: bool = False
    label: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = f"espeak-ng {self.version} ({self.voice})"

    def about(self) -> dict[str, str]:
        """Return the voice and the terms it comes under, for the manifest and the tags."""
        return {"voice": f"espeak-ng {self.voice}", "voice_licence": "GPL-3.0-or-later",
                "voice_training": "none: formant synthesis from phoneme rules, no recordings",
                "voice_source": "Debian package espeak-ng"}

    def words_per_minute(self, slow: bool) -> int:
        """Return the ``-s`` value for ordinary text, or for text said slowly."""
        return round(self.speed * SLOW_FACTOR) if slow else self.speed

    def fingerprint(self, slow: bool) -> str:
        """Return the engine, version, voice and rate: what besides the text decides the audio."""
        return f"{self.label} -s {self.words_per_minute(slow)}"

    def command(self, slow: bool) -> list[str]:
        """Return the espeak-ng command line that reads stdin and writes WAV to stdout."""
        return [EXECUTABLE, "-v", self.voice, "-s", str(self.words_per_minute(slow)),
                "-b", "1", "--stdin", "--stdout"]

    def synthesize(self, text: str, slow: bool = False) -> bytes:
        """Return ``text`` spoken as WAV bytes; raise NarrationError if espeak-ng fails."""
        audio = _synthesize(self.voice, self.words_per_minute(slow), text)
        if audio is None:
            proc = _run(self.command(slow), text, f"speaking {_excerpt(text)}")
            audio, problem = proc.stdout, _stderr(proc)
        else:
            problem = "libespeak-ng said nothing"
        if not audio.startswith(b"RIFF"):
            raise NarrationError(f"espeak-ng gave no WAV audio for {_excerpt(text)} ({problem})")
        return audio


def create(lang: str, rate: SpeechRate, voice: Path | None = None) -> Espeak:
    """Return espeak-ng for a language (BCP 47) at a speaking rate; NarrationError if it can't.

    ``voice`` (a Piper voice) does not apply: espeak-ng's voice is chosen by the language.
    """
    return Espeak(voice=voice_for(lang), version=version(), speed=SPEED[rate])


def offer(lang: str, rate: SpeechRate, voice: Path | None, auto: bool) -> Espeak:
    """Return espeak-ng for the language; it needs nothing but itself (``auto`` changes nothing)."""
    return create(lang, rate, voice)


Program = tuple[str, int, int, int, int, int, str]
"""The espeak-ng that answers: its path, device, inode, size, modification and change times
(ns), and ``ESPEAK_DATA_PATH``. An upgrade replaces the program (a new inode and change
time), so a new one is asked again."""


def program() -> Program:
    """Return which espeak-ng runs now (``Program``); NarrationError if it is not installed.

    Its version and voice list are kept per process by this (``version``, ``voices``): a
    watch asks once, as it warms (``warm``), and every build it forks uses the answers while
    the same program is installed, instead of starting it twice each time.
    """
    path = shutil.which(EXECUTABLE)
    if path is None:
        raise NarrationError(f"espeak-ng is not installed, so nothing can be narrated offline; "
                             f"{INSTALL_HINT}")
    found = os.stat(path)
    return (path, found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns,
            found.st_ctime_ns, os.environ.get("ESPEAK_DATA_PATH", ""))


def version() -> str:
    """Return espeak-ng's version (``1.51``); NarrationError if it is not installed."""
    return _version(program())


@cache
def _version(which: Program) -> str:
    out = _run([which[0], "--version"], "", "asking its version").stdout.decode(errors="replace")
    # "eSpeak NG text-to-speech: 1.51  Data at: ..."
    words = out.split(":", 1)[-1].split()
    return words[0] if words else "unknown"


def voice_for(lang: str) -> str:
    """Return the espeak-ng voice for a language: ``en-GB`` → ``en-gb``, else the base language."""
    tag = lang.lower()
    known = voices()
    for candidate in dict.fromkeys([tag, tag.split("-")[0]]):
        if candidate in known:
            return candidate
    raise NarrationError(f"espeak-ng has no voice for {lang}; see 'espeak-ng --voices' for "
                         "the languages it can speak")


def voices() -> frozenset[str]:
    """Return the language names espeak-ng has a voice for (``en-gb``, ``en``, ``cy`` …)."""
    return _voices(program())


@cache
def _voices(which: Program) -> frozenset[str]:
    _version(which)
    listing = _run([which[0], "--voices"], "", "listing its voices").stdout.decode()
    names: set[str] = set()
    for line in listing.splitlines()[1:]:
        columns = line.split()
        if len(columns) > 1:
            names.add(columns[1].lower())
        names.update(alias.lower() for alias in _ALIAS.findall(line))
    return frozenset(names)


def warm(langs: Iterable[str]) -> None:
    """Ask espeak-ng its version and the voice of each language now, saying nothing (``watch``:
    its builds, forked from it, then ask nothing while the same espeak-ng is installed)."""
    with contextlib.suppress(NarrationError):
        version()
        for lang in langs:
            with contextlib.suppress(NarrationError):
                voice_for(lang)


_ALIAS = re.compile(r"\((\S+) \d+\)")
"""An "other language" a voice also speaks, with its priority: ``(en 2)``."""


def _synthesize(voice: str, wpm: int, text: str) -> bytes | None:
    """Return ``text`` said by libespeak-ng (``espeak_lib``); None when it cannot be used."""
    return espeak_lib.speak(voice, wpm, text)


def _run(command: list[str], text: str, doing: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(command, input=text.encode(), capture_output=True,
                              timeout=TIMEOUT_S, check=True)
    except FileNotFoundError as exc:
        raise NarrationError(f"espeak-ng is not installed; {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise NarrationError(f"espeak-ng took more than {TIMEOUT_S} s {doing}; is the "
                             "machine overloaded?") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip() or f"exit status {exc.returncode}"
        raise NarrationError(f"espeak-ng failed {doing}: {detail}") from exc


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode(errors="replace").strip() or "no message"


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")
