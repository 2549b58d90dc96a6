"""Read what a player shows of a narration besides the transcript: tags, chapters, playlist.

A player shows every MP3's title, album, comments and chapter titles, and the playlist's track
titles; a ``W…`` frame is a link the listener can follow (a ``tel:`` dials). Each becomes a
passage, so a wrong number or date in a comment is found like one in the transcript. Machine
values (the source hash, lengths, track numbers) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mutagen.id3 import ID3

from lmets_docs.check.links import link_passage
from lmets_docs.check.text import Passage
from lmets_docs.manifest import ArtifactEntry

MACHINE_FRAMES = frozenset({"TXXX:SOURCE_HASH", "TLEN", "TRCK"})
"""Frames no listener reads: the source hash (hex digits), a length in ms, a track number."""


def tag_passages(folder: Path, entry: ArtifactEntry, main: str) -> list[Passage]:
    """Return the shown text of every MP3's tags and of the playlist (``main``'s lyrics aside)."""
    passages: list[Passage] = []
    for role, rel in entry.files.items():
        path = folder / rel
        if rel.endswith(".mp3"):
            tags: Any = ID3(path)  # type: ignore[no-untyped-call]
            passages += _frames(tags.values(), path.name, skip_lyrics=role == main)
        elif rel.endswith(".m3u8"):
            passages += _playlist(path)
    return passages


def _frames(frames: Iterable[Any], where: str, skip_lyrics: bool) -> Iterator[Passage]:
    for frame in frames:
        key = str(frame.HashKey)
        if key in MACHINE_FRAMES or (skip_lyrics and key.startswith("USLT")):
            continue
        if hasattr(frame, "sub_frames"):
            yield from _frames(frame.sub_frames.values(), f"{where} {key}", skip_lyrics)
        elif hasattr(frame, "url"):
            passage = link_passage(f"{where} tag {key}", str(frame.url))
            if passage is not None:
                yield passage
        elif hasattr(frame, "text"):
            texts = frame.text if isinstance(frame.text, list) else [frame.text]
            yield Passage(f"{where} tag {key}", " ".join(str(t) for t in texts))


def _playlist(path: Path) -> Iterator[Passage]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#EXTINF:") and "," in line:
            yield Passage(f"{path.name} line {number}", line.split(",", 1)[1])
