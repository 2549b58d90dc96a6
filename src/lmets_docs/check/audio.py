"""Read a built narration back: its ID3 tags, chapters, transcript and sound."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mutagen import MutagenError

from lmets_docs.check.audio_tags import id3, tag_passages
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import ArtifactEntry, Manifest

MAIN_ROLE = "narration"
READ_ERRORS: tuple[type[Exception], ...] = (MutagenError,)
"""What reading a corrupt or foreign file raises (a finding, not a crash)."""
CHAPTER_LINE = re.compile(r"^## (\d+)\. (.+?) \[[\d:]+\]$")
PEAK_SLACK_DB = 0.05  # decoders differ by a few hundredths of a dB


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return what the narration says and shows: the transcript in the MP3 and
    ``transcript.txt``, then every tag, chapter title and playlist title (``audio_tags``)."""
    tags = id3(path)
    transcript = "\n".join(str(frame) for frame in tags.getall("USLT"))
    passages = list(_passages(transcript, "transcript tag"))
    if "transcript" in entry.files:
        text_file = _folder(path, entry) / entry.files["transcript"]
        passages += _passages(text_file.read_text(encoding="utf-8"), text_file.name)
    passages += tag_passages(_folder(path, entry), entry, MAIN_ROLE)
    source = tags.getall("TXXX:SOURCE_HASH")
    return ArtifactText(path, passages, str(source[0].text[0]) if source else None, spoken=True)


def _folder(path: Path, entry: ArtifactEntry) -> Path:
    """Return the language folder, from the narration's path and its path in the manifest."""
    return path.parents[len(Path(entry.files[MAIN_ROLE]).parts) - 1]


def _passages(transcript: str, source: str) -> Iterator[Passage]:
    chapter = "opening"
    for number, line in enumerate(transcript.splitlines(), start=1):
        heading = CHAPTER_LINE.match(line)
        if heading:
            chapter = f"chapter {heading.group(1)} {heading.group(2)!r}"
        elif line.strip():
            yield Passage(f"{chapter}, {source} line {number}", line)


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the narration rules broken: chapters, table of contents, tags, and the sound.

    ``thorough=False`` skips decoding: right after a build the writer has just measured
    the decoded files itself and recorded any miss as a warning.
    """
    tags = id3(path)
    findings = list(_chapters(path, tags, manifest))
    findings += _review_tags(path, tags, manifest)
    folder = _folder(path, entry)
    for role, rel in entry.files.items():
        if rel.endswith(".mp3"):
            findings += _track_source(folder / rel, role, manifest)
            if thorough:
                findings += _sound(folder / rel)
    return findings


def _chapters(path: Path, tags: Any, manifest: Manifest) -> Iterator[Finding]:
    tocs = tags.getall("CTOC")
    chapters = {c.element_id: c for c in tags.getall("CHAP")}
    if not tocs:
        yield error(
            path, "chapters", "no CTOC table of contents: players ignore the chapters", "audio-ctoc"
        )
        return
    titles = [
        str(chapters[i].sub_frames.get("TIT2", ""))
        for i in tocs[0].child_element_ids
        if i in chapters
    ]
    wanted = [s["title"] for s in manifest.sections]
    found = [t for t in titles if t in wanted]
    if found != wanted:
        yield error(
            path,
            "chapters",
            f"chapters {titles} do not match the sections {wanted}",
            "audio-chapters",
        )


def _review_tags(path: Path, tags: Any, manifest: Manifest) -> Iterator[Finding]:
    for key, tag in (("last_reviewed", "LAST_REVIEWED"), ("next_review_due", "NEXT_REVIEW_DUE")):
        frames = tags.getall(f"TXXX:{tag}")
        value = str(frames[0].text[0]) if frames else "missing"
        if value != manifest.review[key]:
            yield error(
                path,
                f"tag {tag}",
                f"{key} is {value!r}, the leaflet says {manifest.review[key]!r}",
                "fact-date",
            )


def _track_source(mp3: Path, role: str, manifest: Manifest) -> Iterator[Finding]:
    if role == MAIN_ROLE:
        return
    frames = id3(mp3).getall("TXXX:SOURCE_HASH")
    found = str(frames[0].text[0]) if frames else "none"
    if found != manifest.source_hash:
        yield error(
            mp3,
            "",
            f"track built from another source ({found[:12]}…, the manifest says "
            f"{manifest.source_hash[:12]}…): a stale or swapped file",
            "source-hash",
        )


def _sound(mp3: Path) -> Iterator[Finding]:
    # Imported here: decoding and measuring (miniaudio, numpy) are for the thorough check only.
    import miniaudio  # noqa: PLC0415

    from lmets_docs.sound.files import decode_file  # noqa: PLC0415
    from lmets_docs.sound.samples import (  # noqa: PLC0415
        CEILING_DBTP,
        TARGET_LUFS,
        TOLERANCE_LU,
        loudness,
        true_peak,
    )

    rate = miniaudio.mp3_get_file_info(str(mp3)).sample_rate
    samples = decode_file(mp3, rate)
    level, peak = loudness(samples, rate), true_peak(samples)
    if abs(level - TARGET_LUFS) > TOLERANCE_LU:
        yield error(
            mp3,
            "sound",
            f"integrated loudness {level:.1f} LUFS, outside {TARGET_LUFS:g} ± {TOLERANCE_LU:g}",
            "audio-loudness",
        )
    if peak > CEILING_DBTP + PEAK_SLACK_DB:
        yield error(
            mp3, "sound", f"true peak {peak:.1f} dBTP, above {CEILING_DBTP:g}", "audio-peak"
        )
