"""The narration's timing map: where each segment is heard, in each track and in the whole.

The audio writer writes it next to the MP3s (``audio/timings.json``) so that the formats that
synchronise text with the narration (the web page's captions, the EPUB's Media Overlays)
reuse the narration instead of speaking it again. Times are in samples of the decoded MP3s:
a track's samples are its PCM after LAME's fixed delay (``ENCODER_DELAY``), so a clip's
place is exact to the sample, and a track starts in the whole narration on a frame boundary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from lmets_docs.errors import NarrationError

TIMINGS = "audio/timings.json"
ENCODER_DELAY = 1105
"""Samples before the first PCM sample in a decoded LAME MP3: 576 (encoder) + 529 (decoder).

lameenc writes no LAME/Xing header, so no decoder skips them; tests/test_audio_timing.py
measures them on a real encoding.
"""


@dataclass(frozen=True)
class Clip:
    """One segment as heard: what it says, the page element it belongs to, where it is."""

    ref: str
    text: str
    begin: int
    end: int


@dataclass(frozen=True)
class TrackTiming:
    """One track: its file, its place in the whole narration and its clips (track samples)."""

    number: int
    title: str
    file: str
    start: int
    end: int
    clips: tuple[Clip, ...]


@dataclass(frozen=True)
class Timings:
    """The whole narration's timing map."""

    rate: int
    narration: str
    tracks: tuple[TrackTiming, ...]

    def seconds(self, samples: int) -> float:
        """Return a count of samples in seconds."""
        return samples / self.rate

    def dumps(self) -> str:
        """Return the map as JSON."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"


def place_clips(
    refs: Sequence[tuple[str, str, int, float]], rate: int, lead_s: float
) -> tuple[Clip, ...]:
    """Return the clips of one track from its segments' (ref, text, samples, pause after)."""
    clips: list[Clip] = []
    at = ENCODER_DELAY + round(lead_s * rate)
    for ref, text, size, pause in refs:
        clips.append(Clip(ref, text, at, at + size))
        at += size + round(pause * rate)
    return tuple(clips)


def read_timings(path: Path) -> Timings:
    """Read a timing map written by the audio writer; raise NarrationError if it is broken."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tracks = tuple(
            TrackTiming(**(t | {"clips": tuple(Clip(**c) for c in t["clips"])}))
            for t in data["tracks"]
        )
        return Timings(data["rate"], data["narration"], tracks)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NarrationError(f"{path}: cannot read the narration's timing map ({exc})") from exc
