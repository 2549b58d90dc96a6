"""Where a narration finds its Piper voices, and what tells those voice files apart, cheaply.

A clinic installs a voice by putting its files in the project's ``voices/`` folder (or names one
with ``--voice``). That changes which voice reads, though no source, template or option did:
the build's "up to date" keys (``build.plan``, ``build.stamp``) and the watch include the files'
names, sizes, change times and inodes (a stat each, nothing read: a model is 60 MB). Voices
inside installed packages are not included: they change when packages do, as the rest of the
environment. This module imports only the standard library and ``formats``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lmets_docs import formats

if TYPE_CHECKING:
    from lmets_docs.options import BuildOptions

PROJECT_VOICES = Path("voices")
"""The project's own voice folder, relative to where lmets-docs runs."""
MODEL_CARD = "MODEL_CARD"
VOICE_FILES = (".onnx", ".onnx.json")


def places(options: BuildOptions, names: Iterable[str] | None = None) -> list[Path]:
    """Return where a build of ``names`` (default: the formats built) may find a Piper voice:
    ``--voice``, else ``voices/``.

    None when none of them narrates, or the speech engine asked for is not Piper's.
    """
    if options.tts not in ("auto", "piper"):
        return []
    built = formats.with_needs(options.formats or formats.available()) if names is None else names
    if not any("voice" in formats.FORMATS[name].options for name in built):
        return []
    return [options.voice or PROJECT_VOICES]


def fingerprint(options: BuildOptions, names: Iterable[str] | None = None) -> str:
    """Return a digest of the voice files in ``places`` ("" when there are none)."""
    digest = hashlib.sha256()
    found = False
    for place in places(options, names):
        for path in _voice_files(place):
            try:
                stat = os.stat(path)
            except OSError:  # gone meanwhile: the build says what it finds
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\0".encode(
                "utf-8", "surrogateescape"))
            found = True
    return digest.hexdigest() if found else ""


def _voice_files(place: Path) -> list[Path]:
    """Return the files of the voices at ``place``: a model (with its own) or a folder's."""
    if place.is_dir():
        return sorted(p for p in place.iterdir() if p.name.endswith(VOICE_FILES)
                      or p.name == MODEL_CARD)
    if place.exists():
        return [place, place.with_name(place.name + ".json"), place.with_name(MODEL_CARD)]
    return []
