"""Read what a player shows of a narration besides the transcript: tags, chapters, playlist.

A player shows every MP3's title, album, comments and chapter titles, and the playlist's track
titles; a ``W…`` frame is a link the listener can follow (a ``tel:`` dials). Each becomes a
passage, so a wrong number or date in a comment is found like one in the transcript. Machine
values (the source hash, lengths, track numbers) are left out.

Each MP3's tag is parsed once (``id3``): reading what it says, its chapters, its review
dates and its source hash all look at the same parse; its UTF-16 texts are read in one go
(``audio_id3``).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mutagen.id3 import ID3

from lmets_docs.check.audio_id3 import FRAMES, VERSIONS
from lmets_docs.check.links import link_passage
from lmets_docs.check.text import Passage
from lmets_docs.manifest import ArtifactEntry

MACHINE_FRAMES = frozenset({"TXXX:SOURCE_HASH", "TLEN", "TRCK"})
"""Frames no listener reads: the source hash (hex digits), a length in ms, a track number."""
KEPT_TAG_BYTES = 4 << 20
"""How much tag (in bytes read) is kept parsed: a narration and all its tracks, which a check
reads up to 3 times each. A count of 32 was too few for a leaflet 8 times the seed's length
(49 tracks: each was parsed twice); its narration and tracks take 0.3 MB, the seed's 0.04."""
V1_TAIL = 131
"""What mutagen reads at the end of a file for an ID3v1 tag (128 bytes, and 3 before it)."""


class _Parses:
    """Parsed tags by the bytes they were parsed from, up to ``KEPT_TAG_BYTES`` of them."""

    def __init__(self) -> None:
        self.tags: dict[bytes, Any] = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, seen: bytes) -> Any:
        """Return the parse of ``seen``, or None."""
        with self.lock:
            return self.tags.get(seen)

    def keep(self, seen: bytes, tags: Any) -> None:
        """Keep a parse, forgetting every earlier one when the budget would be spent."""
        with self.lock:
            if self.size + len(seen) > KEPT_TAG_BYTES:
                self.clear()
            if seen not in self.tags:
                self.tags[seen] = tags
                self.size += len(seen)

    def clear(self) -> None:
        """Forget every parse."""
        self.tags.clear()
        self.size = 0


_parsed = _Parses()


def id3(path: Path) -> Any:
    """Return the ID3 tag of an MP3, parsed once for the same tag bytes (mutagen is untyped).

    Only the bytes mutagen reads are read: the ID3v2 tag at the start (its header says how
    long it is) and the end, where an ID3v1 tag may be. They are parsed from those very bytes
    and are the cache's key too, so a file changed in any way that shows is parsed again.
    """
    seen = _tag_bytes(path)
    if seen is None:  # no tag, or an odd file: mutagen reads it whole and says what is wrong
        return ID3(path)  # type: ignore[no-untyped-call]
    tags = _parsed.get(seen)
    if tags is None:
        frames = FRAMES if seen[3] in VERSIONS else None  # the version, from the header
        tags = ID3(io.BytesIO(seen), known_frames=frames)  # type: ignore[no-untyped-call]
        _parsed.keep(seen, tags)
    return tags


def _tag_bytes(path: Path) -> bytes | None:
    """Return an MP3's ID3v2 tag and its last bytes, or None unless they lie apart in it."""
    with path.open("rb") as file:
        head = file.read(10)
        size = file.seek(0, os.SEEK_END)
        if len(head) < 10 or head[:3] != b"ID3" or _tag_size(head) > size - V1_TAIL:
            return None
        file.seek(10)
        tag = head + file.read(_tag_size(head) - 10)
        file.seek(size - V1_TAIL)
        return tag + file.read(V1_TAIL)


def _tag_size(header: bytes) -> int:
    """Return an ID3v2 tag's whole length from its 10-byte header (syncsafe size, footer)."""
    size = 0
    for byte in header[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if header[5] & 0x10 else 0)


def tag_passages(folder: Path, entry: ArtifactEntry, main: str) -> list[Passage]:
    """Return the shown text of every MP3's tags and of the playlist (``main``'s lyrics aside)."""
    passages: list[Passage] = []
    for role, rel in entry.files.items():
        path = folder / rel
        if rel.endswith(".mp3"):
            passages += _frames(id3(path).values(), path.name, skip_lyrics=role == main)
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
