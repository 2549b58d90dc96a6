"""The helpline is really said more slowly: measured in the built narration's decoded audio.

A leaflet is narrated with the real espeak-ng; each piece of the MP3s is cut out where the
timing map says it is heard, and its speaking rate measured as phonemes per second of voiced
sound (frames louder than -40 dBFS, so the pauses at the commas do not count), the phonemes
being espeak-ng's own (``-x``) for the piece's text. The number must be said markedly slower
than the prose of its own chapter, and slower than the same engine says the same digits at
the narration's normal rate. With the slow reading switched off (``Segment.slow`` ignored, or
the engine's slow rate equal to its normal one) both tests fail: measured on the minimal
leaflet, the number's rate is 0.58-0.62 of its chapter's prose with the feature and
0.80-0.86 without, and it takes 1.37 times as long as at the normal rate with the feature
and 1.00 without.
"""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lmets_docs.build import build
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.text import formatter
from lmets_docs.writers.audio.script import as_printed, printed_forms
from lmets_docs.writers.audio.timing import Clip, read_timings
from tests.conftest import BEFORE_DUE, DATA

LEAFLET = DATA / "minimal"
SILENCE_DBFS = -40.0
FRAME_S = 0.01
SLOWER_THAN_PROSE = 0.72
"""The number's rate over the median of its chapter's prose: 0.58-0.62 (0.80-0.86 if not slow)."""
LONGER_THAN_NORMAL = 1.2
"""How much longer the number takes than at the normal rate: 1.37 measured (1/0.75 set)."""


@dataclasses.dataclass(frozen=True)
class Piece:
    """One clip of the narration as heard: its text, phonemes and voiced seconds."""

    text: str
    phonemes: int
    voiced_s: float

    @property
    def rate(self) -> float:
        """Return the phonemes said per second of voiced sound."""
        return self.phonemes / self.voiced_s


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Narrate the minimal leaflet with espeak-ng; return its language folder."""
    root = tmp_path_factory.mktemp("slow")
    build([LEAFLET], BuildOptions(out=root / "output", formats=("audio",), tts="espeak",
                                  jobs=2, today=BEFORE_DUE, templates=None,
                                  cache_dir=root / "cache"))
    return root / "output" / "minimal-leaflet" / "en-GB"


def decoded(audio: Path | bytes, rate: int) -> np.ndarray:
    """Return audio (an MP3 file, or WAV bytes) decoded by ffmpeg to mono samples at ``rate``."""
    source, data = (str(audio), None) if isinstance(audio, Path) else ("-", audio)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", source, "-f", "s16le", "-ac", "1",
                          "-ar", str(rate), "-"], input=data, capture_output=True,
                         check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def voiced_seconds(samples: np.ndarray, rate: int) -> float:
    """Return how long the samples are louder than ``SILENCE_DBFS``, in 10 ms frames."""
    size = int(rate * FRAME_S)
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    rms = np.sqrt((frames**2).mean(axis=1))
    return float((rms > 10 ** (SILENCE_DBFS / 20)).sum() * FRAME_S)


def phonemes(text: str, voice: str) -> int:
    """Return how many phonemes espeak-ng says for ``text`` (its ``-x`` output, counted)."""
    out = subprocess.run(["espeak-ng", "-q", "-x", "--sep=_", "-v", voice, text],
                         capture_output=True, text=True, check=True).stdout
    return sum(1 for token in out.replace("_", " ").split() if token.strip("'\",%=-;"))


def pieces(folder: Path, voice: str) -> list[list[Piece]]:
    """Return every clip of every track of a narration, measured from its decoded MP3."""
    timings = read_timings(folder / "audio" / "timings.json")
    out = []
    for track in timings.tracks:
        samples = decoded(folder / track.file, timings.rate)
        out.append([_piece(clip, samples, timings.rate, voice) for clip in track.clips])
    return out


def _piece(clip: Clip, samples: np.ndarray, rate: int, voice: str) -> Piece:
    said = as_printed(clip.text, AS_SAID)  # the captions' text, as the voice was given it
    return Piece(said, phonemes(said, voice),
                 voiced_seconds(samples[clip.begin : clip.end], rate))


AS_SAID = [(printed, said) for said, printed
           in printed_forms(formatter(load_leaflet(LEAFLET, "en-GB")))]
"""The number and hours as the captions write them, and as said."""


def engine_voice(folder: Path) -> str:
    """Return the espeak-ng voice the manifest says narrated the build (``en-gb``)."""
    voice = str(read_manifest(folder).artifacts["audio"].details["voice"]["voice"])
    assert voice.startswith("espeak-ng "), voice
    return voice.removeprefix("espeak-ng ")


def spoken_number() -> str:
    """Return the helpline number as the narration says it: ``0 2 0, 7 9 4 6, 0 0 0 0``."""
    return formatter(load_leaflet(LEAFLET, "en-GB")).spoken("helpline.phone")


def test_the_helpline_is_said_slower_than_the_prose_around_it(narrated: Path) -> None:
    voice, number = engine_voice(narrated), spoken_number()
    checked = 0
    for track in pieces(narrated, voice):
        prose = [p.rate for p in track if number not in p.text and p.phonemes >= 15]
        for piece in (p for p in track if p.text.startswith(number)):
            ratio = piece.rate / statistics.median(prose)
            assert ratio < SLOWER_THAN_PROSE, (piece, ratio, prose)
            checked += 1
    assert checked == 3  # in the opening, the first section's text and the closing


def test_the_helpline_takes_longer_than_at_the_normal_rate(narrated: Path) -> None:
    voice, number = engine_voice(narrated), spoken_number()
    heard = [p for track in pieces(narrated, voice) for p in track if p.text.startswith(number)]
    engine = espeak.create("en-GB", "normal")
    normal = voiced_seconds(decoded(engine.synthesize(heard[0].text), engine.sample_rate),
                            engine.sample_rate)
    for piece in heard:
        assert piece.voiced_s / normal > LONGER_THAN_NORMAL, (piece, normal)
