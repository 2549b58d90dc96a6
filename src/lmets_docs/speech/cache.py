"""A content-addressed store of synthesized speech, so that a rebuild says nothing twice.

A piece of audio is filed under the hash of everything that decides it: the engine's
fingerprint (engine, version, voice, rate) and the exact text the engine was given. An
edited paragraph has a new hash and is synthesized again; nothing else is.

The cache proves itself: beside each piece (``<key>.wav``) a record (``<key>.json``) keeps
the key, the SHA-256 of the audio and its length in samples; also where the narrator cuts
its silent ends (and by what rule), so a rebuild knows how long each piece lasts without
decoding it. A piece whose bytes do not match
its record (truncated, garbled, swapped with another, emptied) is not used; the narrator
synthesizes it again, says so, and also compares the decoded length with the record.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from lmets_docs.cachefiles import Mismatch, mismatch, record_for, write_atomic

log = logging.getLogger(__name__)
RECORD = "json"


def speech_key(fingerprint: str, text: str) -> str:
    """Return the cache key of one piece of speech."""
    return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Piece:
    """A piece of speech from the cache, and how many samples its record says it decodes to."""

    audio: bytes
    samples: int
    sha256: str
    """The SHA-256 of ``audio`` (its record's, checked against the bytes)."""
    cut: tuple[int, int] | None = None
    """Where the sound without its silent ends starts and stops, if the record says."""
    cut_by: str = ""
    """The rule that cut it there (``sound.samples.TRIMMING``)."""


class SpeechCache:
    """Audio files by key under one folder (``<cache>/speech/ab/abcdef….wav`` + ``.json``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str, suffix: str) -> Path:
        """Return where the audio for ``key`` is (or would be) kept."""
        return self.folder / key[:2] / f"{key}.{suffix}"

    def get(self, key: str, suffix: str) -> Piece | None:
        """Return the kept audio for ``key`` if it matches its record; None otherwise."""
        path = self.path(key, suffix)
        try:
            audio = path.read_bytes()
            record = json.loads(path.with_suffix(f".{RECORD}").read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable speech cache record (%s); synthesizing it again", path, exc)
            return None
        problem = mismatch(record, key, audio, "samples", int, _SPEECH_MISMATCH)
        if problem:
            log.warning("%s: %s; synthesizing it again", path, problem)
            return None
        return Piece(audio, record["samples"], record["sha256"], *_cut(record))

    def put(self, key: str, suffix: str, audio: bytes, samples: int,
            cut: tuple[tuple[int, int], str] | None = None) -> str:
        """Keep ``audio`` under ``key`` with its record, each atomically (builds share a cache).

        ``cut``: where its silent ends are cut, and by what rule. Return the audio's SHA-256.
        """
        path = self.path(key, suffix)
        _write(path, audio)
        return self.note(key, suffix, audio, samples, cut)

    def note(self, key: str, suffix: str, audio: bytes, samples: int,
             cut: tuple[tuple[int, int], str] | None) -> str:
        """Write the record of a piece kept under ``key`` (atomically); return its SHA-256."""
        more = {} if cut is None else {"cut": list(cut[0]), "cut_by": cut[1]}
        record = record_for(key, audio, samples=samples, **more)
        _write(self.path(key, suffix).with_suffix(f".{RECORD}"), json.dumps(record).encode())
        return str(record["sha256"])


_SPEECH_MISMATCH: dict[Mismatch, str] = {
    "record": "cached speech has a damaged record",
    "key": "cached speech belongs to other words (swapped with another piece?)",
    "sha256": "cached speech was changed since it was made",
}


def _cut(record: dict[str, object]) -> tuple[tuple[int, int] | None, str]:
    """Return a record's cut and its rule, or (None, "") if it has none that makes sense."""
    cut, by, samples = record.get("cut"), record.get("cut_by"), record.get("samples")
    if (isinstance(cut, list) and len(cut) == 2 and all(type(n) is int for n in cut)
            and isinstance(samples, int) and 0 <= cut[0] <= cut[1] <= samples
            and isinstance(by, str)):
        return (cut[0], cut[1]), by
    return None, ""


def _write(path: Path, data: bytes) -> None:
    write_atomic(path, data, "speech cache")
