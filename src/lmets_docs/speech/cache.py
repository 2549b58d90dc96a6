"""A content-addressed store of synthesized speech, so that a rebuild says nothing twice.

A piece of audio is filed under the hash of everything that decides it: the engine's
fingerprint (engine, version, voice, rate) and the exact text the engine was given. An
edited paragraph has a new hash and is synthesized again; nothing else is.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from lmets_docs.errors import NarrationError


def speech_key(fingerprint: str, text: str) -> str:
    """Return the cache key of one piece of speech."""
    return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()


class SpeechCache:
    """Audio files by key under one folder (``<cache>/speech/ab/abcdef….wav``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str, suffix: str) -> Path:
        """Return where the audio for ``key`` is (or would be) kept."""
        return self.folder / key[:2] / f"{key}.{suffix}"

    def get(self, key: str, suffix: str) -> bytes | None:
        """Return the kept audio for ``key``, or None when there is none."""
        try:
            return self.path(key, suffix).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, suffix: str, audio: bytes) -> None:
        """Keep ``audio`` under ``key``, atomically (two builds may share a cache)."""
        path = self.path(key, suffix)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(audio)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise NarrationError(f"{path}: cannot write the speech cache ({exc.strerror}); "
                                 "is the cache folder writable?") from exc
