"""The speech engine contract, and the registry of engines by name.

An engine is bound to one language, voice and speaking rate when it is created; it turns a
piece of text into encoded audio (WAV or MP3 bytes) and says what decides that audio, so
that the narration cache can key on it. Engine modules are imported only when used, so an
offline build never imports gTTS.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from lmets_docs.options import SpeechRate


class Engine(Protocol):
    """A text-to-speech engine bound to one language, voice and rate."""

    name: str
    """The registry name: ``espeak``, ``gtts`` or ``piper``."""
    label: str
    """What the manifest names: ``espeak-ng 1.51 (en-gb)``."""
    sample_rate: int
    """The sample rate to decode the engine's audio at (and to narrate at)."""
    audio_format: str
    """What ``synthesize`` returns: ``wav`` or ``mp3`` (also the cache files' suffix)."""
    workers: int
    """How many pieces of text it may synthesize at once."""
    online: bool
    """Whether it sends the text over the network (``--tts auto`` says so when it is chosen)."""

    def about(self) -> dict[str, str]:
        """Return the voice, its licence and its training data (manifest and ID3 tags)."""
        ...

    def fingerprint(self, slow: bool) -> str:
        """Return everything besides the text that decides the audio: engine, voice, rate."""
        ...

    def synthesize(self, text: str, slow: bool = False) -> bytes:
        """Return ``text`` spoken (``slow``: more slowly, for phone numbers) as encoded audio."""
        ...


ENGINES: Mapping[str, str] = MappingProxyType({
    "gtts": "lmets_docs.speech.gtts",
    "piper": "lmets_docs.speech.piper",
    "espeak": "lmets_docs.speech.espeak",
})
"""Engine name → module. Each module has ``create(lang, rate, voice=None) -> Engine`` (what
a plain engine) and ``offer(lang, rate, voice, auto) -> Engine`` (what ``--tts NAME`` and
``--tts auto`` use: NarrationError saying why the engine cannot narrate here and now)."""

AUTO_ORDER: tuple[str, ...] = ("gtts", "piper", "espeak")
"""What ``--tts auto`` tries, best voice first: the first engine that can narrate does."""


def create(name: str, lang: str, rate: SpeechRate, voice: Path | None = None) -> Engine:
    """Create the engine called ``name`` for a language (BCP 47) and speaking rate."""
    module = importlib.import_module(ENGINES[name])
    engine: Engine = module.create(lang, rate, voice)
    return engine


def offer(name: str, lang: str, rate: SpeechRate, voice: Path | None = None,
          auto: bool = False) -> Engine:
    """Return the engine ``name`` if it can narrate now; NarrationError saying why not.

    ``auto``: the engine is being tried by ``--tts auto`` rather than asked for by name.
    """
    module = importlib.import_module(ENGINES[name])
    engine: Engine = module.offer(lang, rate, voice, auto)
    return engine
