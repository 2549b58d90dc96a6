"""Finished tracks: each chapter mastered, encoded, decoded back and measured, once.

A chapter's track depends only on what is said in it (each piece's cache key and the hash
of its audio), the pauses, and the code and libraries that master and encode it. Under
the hash of those, the track cache keeps the MP3 frames with a record of what they measured
when they were made, so an edit re-encodes only the chapter it touched. Like the speech
cache, the cache proves itself: a track whose bytes do not match its record's SHA-256 (or
whose record is damaged or belongs to another chapter) is made again, and the build says so.

Each new track is decoded and measured in the thread that encoded it, as soon as it is
encoded, instead of decoding the whole narration again at the end: loudness and true peak
per track, and the loudness blocks from which the whole narration's loudness is gated.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lmets_docs.cachefiles import Mismatch, mismatch, record_for, write_atomic
from lmets_docs.sound.files import edge_silence, level_problems
from lmets_docs.sound.loudness import BLOCK_S, Floats, block_bounds, energy_before, gated
from lmets_docs.sound.samples import Samples, decode, to_db
from lmets_docs.sound.truepeak import peaks_of_parts
from lmets_docs.writers.audio.mp3 import BITRATE_KBPS, Track
from lmets_docs.writers.audio.narrate import Narrator
from lmets_docs.writers.audio.script import Chapter

log = logging.getLogger(__name__)
TRACK_FORMAT = "1"
"""Bump when what a cached track holds changes."""


@dataclass(frozen=True)
class Measured:
    """What one decoded track measured: its length, loudness, true peak and edge silences."""

    samples: int
    loudness_lufs: float
    true_peak: float
    """Linear, at 4x oversampling (BS.1770-4 Annex 2, ``sound.truepeak``)."""
    lead_s: float
    tail_s: float
    blocks: list[float]
    """The mean square of each BS.1770 gating block (K-weighted), for the whole's loudness."""


@dataclass(frozen=True)
class Made:
    """A finished track: its MP3 frames, what they measured, and whether they were cached."""

    mp3: bytes
    measured: Measured
    cached: bool


def chapter_key(chapter: Chapter, narrator: Narrator, settings: Iterable[object]) -> str:
    """Return the track cache key of a chapter: what is said, how, and what makes the track.

    ``settings`` are the writer's own figures (lead-in, tail, code version …).
    """
    digest = hashlib.sha256(f"track {TRACK_FORMAT}\0{_libraries()}".encode())
    digest.update("\0".join(str(s) for s in settings).encode())
    for segment in chapter.segments:
        digest.update(f"\0{narrator.key(segment)}\0{narrator.digest(segment)}\0"
                      f"{segment.pause!r}".encode())
    return digest.hexdigest()


@functools.cache
def _libraries() -> str:
    """Return the versions of the libraries that make a track (looked up once: 12 ms each)."""
    return " ".join(f"{name} {importlib.metadata.version(name)}"
                    for name in ("lameenc", "miniaudio", "numpy"))


def measure_track(mp3: bytes, rate: int) -> Measured:
    """Decode a track's MP3 frames and measure them as a listener gets them."""
    samples = decode(mp3, rate, "a track just encoded")
    blocks = block_energies(samples, rate)
    lead, tail = edge_silence(samples, rate)
    level = gated(blocks) if samples.size >= BLOCK_S * rate else float("-inf")
    peak = peaks_of_parts(samples, [(0, samples.size)])[0] if samples.size else 0.0
    return Measured(samples.size, level, peak, lead, tail, blocks.tolist())


def block_energies(samples: Samples, rate: int) -> Floats:
    """Return the K-weighted mean square of each gating block, as ``sound.loudness`` counts."""
    lower, upper = block_bounds(samples.size, rate)
    points = np.unique(np.concatenate([lower, upper]))
    energy = energy_before(samples, rate, points)
    before = energy[np.searchsorted(points, upper)] - energy[np.searchsorted(points, lower)]
    blocks: Floats = before / (BLOCK_S * rate)
    return blocks


class TrackCache:
    """Finished tracks by key under one folder (``<cache>/tracks/ab/abcdef….mp3`` + ``.json``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        """Return where the track for ``key`` is (or would be) kept."""
        return self.folder / key[:2] / f"{key}.mp3"

    def get(self, key: str) -> tuple[bytes, Measured] | None:
        """Return a kept track and its figures if it matches its record; None otherwise."""
        path = self.path(key)
        try:
            mp3 = path.read_bytes()
            record = json.loads(path.with_suffix(".json").read_bytes())
            problem = mismatch(record, key, mp3, "measured", dict, _TRACK_MISMATCH)
            measured = None if problem else Measured(**record["measured"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            problem, measured = f"unreadable record ({exc})", None
        if measured is None:
            log.warning("%s: cached track %s; encoding it again", path, problem)
            return None
        return mp3, measured

    def put(self, key: str, mp3: bytes, measured: Measured) -> None:
        """Keep a track with its record, each atomically (builds share a cache)."""
        path = self.path(key)
        record = record_for(key, mp3, measured=dict(vars(measured)))  # asdict copies each block
        _write(path, mp3)
        _write(path.with_suffix(".json"), json.dumps(record).encode())


_TRACK_MISMATCH: dict[Mismatch, str] = {
    "record": "has a damaged record",
    "key": "belongs to another chapter (swapped?)",
    "sha256": "was changed since it was made",
}


def _write(path: Path, data: bytes) -> None:
    write_atomic(path, data, "track cache")


def finished(key: str, cache: TrackCache, encode: Callable[[], bytes], rate: int) -> Made:
    """Return the track for ``key``: from the cache, or encoded, measured and then cached."""
    kept = cache.get(key)
    if kept is not None:
        return Made(*kept, cached=True)
    mp3 = encode()
    measured = measure_track(mp3, rate)
    cache.put(key, mp3, measured)
    return Made(mp3, measured, cached=False)


def summary(narration: str, tracks: Sequence[Track], figures: Sequence[Measured]
            ) -> dict[str, Any]:
    """Return the narration's figures per chapter and overall, with any problems.

    The whole narration is its tracks' frames one after another: its loudness is gated
    over every track's blocks, its true peak is the highest track's, its edges the first
    track's lead-in and the last one's tail.
    """
    rate = tracks[0].rate
    chapters, problems = [], []
    for track, measured in zip(tracks, figures, strict=True):
        peak = to_db(measured.true_peak)
        problems += level_problems(track.file, measured.loudness_lufs, peak,
                                   (measured.lead_s, measured.tail_s))
        chapters.append({"title": track.title, "file": track.file, "start_ms": track.start_ms,
                         "end_ms": track.end_ms, "loudness_lufs": round(measured.loudness_lufs, 2),
                         "true_peak_dbtp": round(peak, 2)})
    level = gated(np.array([b for m in figures for b in m.blocks], dtype=np.float64))
    peak = to_db(max(m.true_peak for m in figures))
    problems += level_problems(Path(narration).name, level, peak,
                               (figures[0].lead_s, figures[-1].tail_s))
    return {"duration_s": round(tracks[-1].end / rate, 3), "chapters": chapters,
            "loudness_lufs": round(level, 2), "true_peak_dbtp": round(peak, 2),
            "sample_rate": rate, "bitrate_kbps": BITRATE_KBPS, "problems": problems}
