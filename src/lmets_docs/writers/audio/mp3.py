"""MP3 files of the narration: encoding (lameenc), ID3 tags and chapters (mutagen), playlist.

Each chapter is encoded once, as its own track. The whole narration is those tracks' MP3
frames one after another (each encoding starts clean, so the joined stream decodes), which
makes every chapter start exactly on a frame: its CHAP times are counted from the frames,
so they are exact for any player, encoder delay included.
"""

# mutagen's frame classes are untyped; every call here builds or saves ID3 frames.
# mypy: disable-error-code="no-untyped-call"
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lameenc
import miniaudio
from mutagen import MutagenError
from mutagen.id3 import (
    CHAP,
    CTOC,
    ID3,
    TALB,
    TCON,
    TIT2,
    TLAN,
    TLEN,
    TPE1,
    TPUB,
    TRCK,
    TXXX,
    USLT,
    CTOCFlags,
    Frame,
)
from mutagen.id3._tags import save_frame

from lmets_docs.errors import NarrationError, raise_if_disk_full
from lmets_docs.model import Leaflet

BITRATE_KBPS = 64
QUALITY = 5
"""LAME's own default (0 slowest, 9 fastest); 2 took three times as long here."""
ID3_VERSION = 3
"""ID3v2.3: what the most players read, chapters included."""
ISO_639_2 = {
    "ar": "ara", "bn": "ben", "cy": "cym", "de": "deu", "en": "eng", "es": "spa", "fa": "fas",
    "fr": "fra", "gd": "gla", "ga": "gle", "gu": "guj", "hi": "hin", "it": "ita", "lt": "lit",
    "pa": "pan", "pl": "pol", "ps": "pus", "pt": "por", "ro": "ron", "ru": "rus", "so": "som",
    "ta": "tam", "tr": "tur", "uk": "ukr", "ur": "urd", "zh": "zho",
}
"""ISO 639-2 codes for TLAN and USLT (ID3 wants three letters; BCP 47 goes in TXXX)."""
NO_OFFSET = 0xFFFFFFFF


class OrderedID3(ID3):
    """An ID3 tag whose frames are written in the order they were added.

    mutagen sorts frames by size when it saves, so CHAP frames would land in the file in no
    useful order; players and tools that list chapters in file order (ffprobe, some car
    stereos) would show them scrambled even though the times and the CTOC are right.
    """

    def _write(self, config: Any) -> bytearray:
        return bytearray().join(save_frame(frame, config=config) for frame in self.values())


@dataclass(frozen=True)
class Track:
    """One encoded chapter: where it is in the narration (in samples) and what it says."""

    number: int
    title: str
    file: str
    mp3: bytes
    start: int
    end: int
    rate: int
    transcript: str

    @property
    def start_ms(self) -> int:
        """Return where the track starts in the whole narration, in milliseconds."""
        return round(self.start * 1000 / self.rate)

    @property
    def end_ms(self) -> int:
        """Return where the track ends in the whole narration, in milliseconds."""
        return round(self.end * 1000 / self.rate)


def encode(pcm16: bytes, rate: int) -> bytes:
    """Encode mono 16-bit PCM as a constant-bit-rate MP3 (no tags)."""
    try:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(BITRATE_KBPS)
        encoder.set_in_sample_rate(rate)
        encoder.set_channels(1)
        encoder.set_quality(QUALITY)
        return bytes(encoder.encode(pcm16) + encoder.flush())
    except RuntimeError as exc:
        raise NarrationError(f"lameenc could not encode {rate} Hz mono at {BITRATE_KBPS} kbps: "
                             f"{exc}") from exc


def decoded_samples(mp3: bytes) -> int:
    """Return how many samples a player decodes from an MP3 (its frames x 1152 or 576)."""
    return int(miniaudio.mp3_get_info(mp3).num_frames)


def language_code(lang: str) -> str:
    """Return the ISO 639-2 code ID3 wants for a BCP 47 tag: ``en-GB`` → ``eng``."""
    base = lang.split("-", maxsplit=1)[0].lower()
    return ISO_639_2.get(base, base if len(base) == 3 else "und")


VOICE_TAGS = {"voice": "VOICE", "voice_licence": "VOICE_LICENCE",
              "voice_training": "VOICE_TRAINING", "voice_source": "VOICE_SOURCE"}
"""The TXXX frames that say which voice speaks, under which licence, trained on what."""


def voice_tags(voice: dict[str, str] | None) -> list[Frame]:
    """Return a TXXX frame for each thing known about the voice."""
    return [TXXX(encoding=3, desc=VOICE_TAGS[key], text=value)
            for key, value in (voice or {}).items() if key in VOICE_TAGS]


def common_tags(leaflet: Leaflet, transcript: str,
                voice: dict[str, str] | None = None) -> list[Frame]:
    """Return the tags every file carries: title, publisher, language, review dates, source."""
    review = leaflet.facts.review
    code = language_code(leaflet.lang)
    return [*voice_tags(voice),
        TALB(encoding=3, text=leaflet.title),
        TPE1(encoding=3, text=leaflet.publisher_name),
        TPUB(encoding=3, text=leaflet.publisher_name),
        TLAN(encoding=3, text=code),
        TCON(encoding=3, text="Speech"),
        TXXX(encoding=3, desc="LANGUAGE", text=leaflet.lang),
        TXXX(encoding=3, desc="LAST_REVIEWED", text=_iso(review.last_reviewed)),
        TXXX(encoding=3, desc="NEXT_REVIEW_DUE", text=_iso(review.next_review_due)),
        TXXX(encoding=3, desc="SOURCE_HASH", text=leaflet.source_hash),
        USLT(encoding=3, lang=code, desc="transcript", text=transcript),
    ]


def _iso(value: dt.date) -> str:
    return value.isoformat()


def chapter_frames(tracks: list[Track]) -> list[Frame]:
    """Return a CHAP frame per track and the top-level, ordered CTOC that lists them."""
    ids = [f"ch{track.number:02d}" for track in tracks]
    chapters: list[Frame] = [
        CHAP(element_id=element, start_time=track.start_ms, end_time=track.end_ms,
             start_offset=NO_OFFSET, end_offset=NO_OFFSET,
             sub_frames=[TIT2(encoding=3, text=track.title)])
        for element, track in zip(ids, tracks, strict=True)
    ]
    toc = CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
               child_element_ids=ids, sub_frames=[TIT2(encoding=3, text="Chapters")])
    return [toc, *chapters]


def write_mp3(path: Path, mp3: bytes, frames: list[Frame]) -> None:
    """Write MP3 frames to ``path`` with an ID3 tag holding ``frames``, in that order."""
    tags = OrderedID3()
    for frame in frames:
        tags.add(frame)
    try:
        path.write_bytes(mp3)
        tags.save(path, v2_version=ID3_VERSION)
    except (OSError, MutagenError) as exc:
        raise_if_disk_full(exc, path)
        raise NarrationError(f"{path}: cannot write the MP3 and its tags ({exc}); is the disk "
                             "full or the folder read-only?") from exc


def write_track(path: Path, leaflet: Leaflet, track: Track, count: int,
                voice: dict[str, str] | None = None) -> None:
    """Write one chapter's track with its number and tags."""
    frames = [TIT2(encoding=3, text=track.title), TRCK(encoding=3, text=f"{track.number}/{count}"),
              TLEN(encoding=3, text=str(track.end_ms - track.start_ms)),
              *common_tags(leaflet, track.transcript, voice)]
    write_mp3(path, track.mp3, frames)


def write_narration(path: Path, leaflet: Leaflet, tracks: list[Track], transcript: str,
                    voice: dict[str, str] | None = None) -> None:
    """Write the whole narration: every track's frames in order, tagged, with chapters."""
    frames = [TIT2(encoding=3, text=leaflet.title), TLEN(encoding=3, text=str(tracks[-1].end_ms)),
              *common_tags(leaflet, transcript, voice), *chapter_frames(tracks)]
    write_mp3(path, b"".join(track.mp3 for track in tracks), frames)


def playlist(leaflet: Leaflet, tracks: list[Track]) -> str:
    """Return an extended M3U playlist of the tracks (UTF-8, paths relative to it)."""
    lines = ["#EXTM3U", f"#PLAYLIST:{leaflet.title}"]
    for track in tracks:
        seconds = round((track.end_ms - track.start_ms) / 1000)
        lines += [f"#EXTINF:{seconds},{leaflet.publisher_name} - {track.title}",
                  Path(track.file).name]
    return "\n".join(lines) + "\n"
