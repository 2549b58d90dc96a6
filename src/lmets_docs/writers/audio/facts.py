"""Where each fact is said in the narration: the clips that ``check --listen`` hears.

For every line of the transcript (a sentence, or a paragraph with a phone number split out
to be said slowly) that says a fact, the manifest records where that line is in the whole
narration, its words, and the fact's near misses. The recogniser hears the line as a whole,
so words slipped in around the number (a pronunciation entry that says another one) are
part of what it hears.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lmets_docs.writers.audio.script import Chapter, Segment

MAX_CLIP_S = 28.0
"""The recogniser hears at most 30 s at once; a longer line is narrowed to its fact's part."""


@dataclass(frozen=True)
class Placed:
    """A segment and where its speech starts and ends in the narration, in samples."""

    segment: Segment
    start: int
    end: int


def placed(chapter: Chapter, start: int, lead: int, sizes: Sequence[int],
           pauses: Sequence[int]) -> list[Placed]:
    """Return a chapter's segments with their place, given each clip's and pause's length."""
    cursor, found = start + lead, []
    for segment, size, pause in zip(chapter.segments, sizes, pauses, strict=True):
        found.append(Placed(segment, cursor, cursor + size))
        cursor += size + pause
    return found


def lines(segments: list[Placed]) -> Iterator[list[Placed]]:
    """Yield the segments grouped as the transcript's lines (a number inside its sentence)."""
    current: list[Placed] = []
    for item in segments:
        current.append(item)
        if not item.segment.run_on:
            yield current
            current = []
    if current:
        yield current


def fact_clips(segments: list[Placed], spoken: dict[str, str], misses: dict[str, list[str]],
               rate: int) -> list[dict[str, Any]]:
    """Return the clip of every line that says a fact, with the fact's near misses."""
    clips: list[dict[str, Any]] = []
    for line in lines(segments):
        for name, expected in spoken.items():
            part = _narrowed(line, expected, rate)
            if name in misses and part:
                clips.append(_clip(name, part, expected, misses[name], rate))
    return clips


def _narrowed(line: list[Placed], expected: str, rate: int) -> list[Placed]:
    if expected not in " ".join(p.segment.text for p in line):
        return []
    if (line[-1].end - line[0].start) / rate <= MAX_CLIP_S:
        return line
    return [p for p in line if expected in p.segment.text]


def _clip(name: str, part: list[Placed], expected: str, misses: list[str],
          rate: int) -> dict[str, Any]:
    return {
        "fact": name,
        "start_ms": round(part[0].start * 1000 / rate),
        "end_ms": round(part[-1].end * 1000 / rate),
        "text": " ".join(p.segment.text for p in part),
        "expected": expected,
        "near_misses": misses,
    }
