"""One options object for a build, with every default in one place, validated once."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Profile = Literal["clear", "large", "giant"]
Tts = Literal["auto", "gtts", "piper", "espeak"]
SpeechRate = Literal["normal", "slow"]

PROFILES: tuple[Profile, ...] = ("clear", "large", "giant")
TTS_CHOICES: tuple[Tts, ...] = ("auto", "gtts", "piper", "espeak")
TTS_ENV = "LMETS_DOCS_TTS"
"""The environment variable that sets ``--tts`` for a site (``espeak``: never the network)."""
SPEECH_RATES: tuple[SpeechRate, ...] = ("normal", "slow")


@dataclass(frozen=True)
class PrintProfile:
    """Type sizes in points for one print profile."""

    name: Profile
    body_pt: float
    min_pt: float
    h1_pt: float
    h2_pt: float
    h3_pt: float
    """A contact's name heading its box: between the body and h2, larger than the body."""


PRINT_PROFILES: dict[Profile, PrintProfile] = {
    # Clear print (RNIB): 12 pt minimum, 14 pt body; the DOCX's default for editing.
    "clear": PrintProfile("clear", 14, 12, 24, 18, 16),
    # Large print (UKAAF): nothing under 16 pt, 18 pt body.
    "large": PrintProfile("large", 18, 16, 30, 24, 21),
    # Giant print: 20 pt and up.
    "giant": PrintProfile("giant", 22, 20, 36, 28, 25),
}


LARGE_PRINT_MIN_PT = 16.0
"""Large print (UKAAF): nothing on the page under this size."""


def default_jobs() -> int:
    """Return how many writers run at once by default: every core the process may use."""
    return max(1, len(os.sched_getaffinity(0)))


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build can be asked to do differently; writers read only this."""

    out: Path = Path("output")
    formats: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    profile: Profile | None = None
    tts: Tts = "auto"
    speech_rate: SpeechRate = "normal"
    voice: Path | None = None
    """A Piper voice (``.onnx`` file, or a folder of them) instead of the project's own."""
    listen: bool = False
    """Hear the new narration back (``--listen``); a fact heard wrong fails the build."""
    jobs: int = field(default_factory=default_jobs)
    today: dt.date = field(default_factory=dt.date.today)
    templates: Path | None = Path("templates")
    cache_dir: Path | None = None
    check: bool = True
    """Check each format as soon as it is written, as ``check`` would, less the slow parts."""

    def print_profile(self, default: Profile) -> PrintProfile:
        """Return the chosen print profile, or the writer's default when none was chosen."""
        return PRINT_PROFILES[self.profile or default]

    @property
    def cache(self) -> Path:
        """Return the folder for content-addressed caches (speech audio …)."""
        return self.cache_dir or self.out / ".cache"

    def fingerprint(self, *names: str) -> str:
        """Return the named options as stable JSON, for cache keys."""
        values = asdict(self)
        return json.dumps({n: str(values[n]) for n in names}, sort_keys=True)
