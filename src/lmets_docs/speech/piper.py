"""Piper, the natural offline voice: a neural (VITS) voice run on the CPU with ONNX Runtime.

``piper-tts`` turns text into phonemes with its own copy of espeak-ng's rules and speaks
them with the voice model; nothing is downloaded at run time (see ``voices`` for where a
voice comes from). Piper's ``length_scale`` stretches speech: the values below give about
the same words per minute as espeak-ng's settings (see benchmarks/bench_voice.py). The model
is loaded once per process and shared by every piece of text.
"""

from __future__ import annotations

import io
import logging
import threading
import wave
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from lmets_docs.errors import NarrationError
from lmets_docs.options import SpeechRate
from lmets_docs.speech import voice_files, voices
from lmets_docs.speech.voices import Voice

log = logging.getLogger(__name__)

LENGTH_SCALE: dict[SpeechRate, float] = {"normal": 1.07, "slow": 1.34}
"""Piper's ``length_scale`` per rate: joe at 1.0 spoke 169 words a minute where espeak-ng
speaks 158 (benchmarks/bench_voice.py); 1.07 brings it to about the same, slow is 1.25 x that."""
SLOW_FACTOR = 1 / 0.75
"""How much longer phone numbers take than the rest (as espeak-ng's 0.75 of the speed)."""
INSTALL_HINT = ("install Piper with 'pip install lmets-docs[piper]' (scripts/setup does), "
                "and a voice: see the README, 'Choosing and installing a voice'")
VOICE_HINT = "install one: see the README, 'Choosing and installing a voice'"


@dataclass
class Piper:
    """Piper with one voice at one speaking rate."""

    voice: Voice
    length_scale: float
    name: str = "piper"
    audio_format: str = "wav"
    workers: int = 1
    online: bool = False
    """ONNX Runtime already spreads one piece over the cores."""
    sample_rate: int = field(init=False)
    label: str = field(init=False)

    def __post_init__(self) -> None:
        self.sample_rate = self.voice.sample_rate
        self.label = f"Piper {version()} ({self.voice.name})"

    def about(self) -> dict[str, str]:
        """Return the voice, its licence and its training data, for the manifest and tags."""
        return self.voice.about()

    def scale(self, slow: bool) -> float:
        """Return the ``length_scale`` for ordinary text, or for text said slowly."""
        return round(self.length_scale * (SLOW_FACTOR if slow else 1.0), 3)

    def fingerprint(self, slow: bool) -> str:
        """Return the engine, voice model (by hash) and rate: what decides the audio."""
        return f"{self.label} sha256={voices.sha256(self.voice.model)} x{self.scale(slow)}"

    def synthesize(self, text: str, slow: bool = False) -> bytes:
        """Return ``text`` spoken as WAV bytes; raise NarrationError if Piper fails."""
        model = loaded(self.voice.model, self.voice.config)
        try:
            samples = _speak(model, text, self.scale(slow))
        except Exception as exc:  # ONNX Runtime raises its own, untyped errors
            raise NarrationError(f"Piper failed speaking {text[:40]!r} with {self.voice.name}: "
                                 f"{exc}") from exc
        if samples.size == 0:
            raise NarrationError(f"Piper gave no audio for {text[:40]!r}")
        return wav_bytes(samples, self.sample_rate)


_LOCK = threading.Lock()


def _speak(model: Any, text: str, length_scale: float) -> np.ndarray[Any, np.dtype[np.int16]]:
    from piper import SynthesisConfig  # noqa: PLC0415 (an optional extra)

    config = SynthesisConfig(length_scale=length_scale)
    with _LOCK:  # one model, one inference at a time
        chunks = [chunk.audio_int16_array for chunk in model.synthesize(text, config)]
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def wav_bytes(samples: np.ndarray[Any, np.dtype[np.int16]], rate: int) -> bytes:
    """Return 16-bit mono samples as a WAV file's bytes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


@cache
def loaded(model: Path, config: Path) -> Any:
    """Return the Piper voice loaded from its files (once per process)."""
    try:
        from piper import PiperVoice  # noqa: PLC0415 (an optional extra)
    except ImportError as exc:
        raise NarrationError(f"--tts piper: Piper is not installed; {INSTALL_HINT}") from exc
    try:
        return PiperVoice.load(model, config_path=config)
    except Exception as exc:  # ONNX Runtime: a damaged or foreign model file
        raise NarrationError(f"{model}: cannot load the Piper voice ({exc})") from exc


@cache
def version() -> str:
    """Return piper-tts' version; NarrationError if it is not installed."""
    try:
        return metadata.version("piper-tts")
    except metadata.PackageNotFoundError as exc:
        raise NarrationError(f"--tts piper: Piper is not installed; {INSTALL_HINT}") from exc


def offer(lang: str, rate: SpeechRate, voice: Path | None, auto: bool) -> Piper:
    """Return Piper with a voice for ``lang``; ``auto`` wants one of the leaflet's own region."""
    return create(lang, rate, voice, exact=auto)


def create(lang: str, rate: SpeechRate, voice: Path | None = None, exact: bool = False) -> Piper:
    """Return Piper with the voice for ``lang``; NarrationError if there is none.

    ``exact``: only a voice of the leaflet's own region (what ``--tts auto`` wants; an
    ``en-GB`` leaflet is read in an American accent only when asked for).
    """
    version()
    found = voices.installed(voice)
    chosen = voices.for_language(lang, found, exact)
    if chosen is None:
        where = f"in {voice}" if voice else f"in {voice_files.PROJECT_VOICES}/ or any package"
        fallback = voices.for_language(lang, found, exact=False) if exact else None
        hint = (f"only {fallback.name} ({fallback.lang}), which --tts piper would use"
                if fallback else VOICE_HINT)
        raise NarrationError(f"no Piper voice for {lang} {where}; {hint}")
    if chosen.lang.lower() != lang.lower():
        log.warning("Piper has no %s voice; reading with %s (%s)", lang, chosen.name, chosen.lang)
    return Piper(chosen, LENGTH_SCALE[rate])
