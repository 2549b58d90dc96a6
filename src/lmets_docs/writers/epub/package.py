"""The EPUB's package: Media Overlays (SMIL), the PLS lexicon, the OPF, and the zip.

Each content document has one SMIL file; each ``par`` ties an element (a heading, a
paragraph, a list item, a figure, the contacts box) to its clip of the narration's track,
taken from the timing map: times are those of the decoded MP3, to the millisecond.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lmets_docs.errors import BuildError, raise_if_disk_full
from lmets_docs.writers.audio.timing import Clip, TrackTiming


@dataclass(frozen=True)
class Par:
    """One synchronised piece: an element's id and its clip (``1.234s``)."""

    ref: str
    begin: str
    end: str


def pars(track: TrackTiming, rate: int) -> list[Par]:
    """Return a track's clips as pars, consecutive clips of the same element joined."""
    runs: list[list[Clip]] = []
    for clip in track.clips:
        if runs and runs[-1][-1].ref == clip.ref:
            runs[-1].append(clip)
        else:
            runs.append([clip])
    return [Par(run[0].ref, _clock(run[0].begin / rate), _clock(run[-1].end / rate))
            for run in runs if run[0].ref]


def _clock(seconds: float) -> str:
    return f"{seconds:.3f}s"


def duration(seconds: float) -> str:
    """Return a duration as the package's ``media:duration`` wants it: ``0:01:02.345``."""
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    return f"{hours}:{minutes:02d}:{ms // 1000:02d}.{ms % 1000:03d}"


def write_zip(path: Path, files: Iterable[tuple[str, bytes]]) -> None:
    """Write the EPUB: ``mimetype`` first and stored, then every file (MP3s stored too)."""
    try:
        with zipfile.ZipFile(path, "w") as book:
            book.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip",
                          compress_type=zipfile.ZIP_STORED)
            for name, data in files:
                kind = zipfile.ZIP_STORED if name.endswith(".mp3") else zipfile.ZIP_DEFLATED
                book.writestr(_info(name), data, compress_type=kind)
    except OSError as exc:
        raise_if_disk_full(exc, path)
        raise BuildError(f"{path}: cannot write the EPUB ({exc.strerror or exc})") from exc


def _info(name: str) -> zipfile.ZipInfo:
    # A fixed date keeps the bytes of an unchanged book the same from one build to the next.
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info
