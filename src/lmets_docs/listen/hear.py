"""Hear a built narration and prove that it says the facts: ``check --listen``.

Two questions, each answered from the sound alone:

1. **Does each fact's clip say that fact, rather than a near miss?** For every clip the
   manifest lists (a line of the transcript that says a phone number, the hours or a date),
   the recogniser scores the line as written against the same line with each near miss in
   place of the fact (each one-digit change of a number, the day before and after, an hour
   earlier or later). The clip is "heard as expected" when the written line is the likeliest.
2. **Does the recording say the transcript, and nothing more?** Each chapter (from the MP3's
   own chapter frames) is transcribed and compared with its part of the transcript: a
   chapter from another leaflet, or garbled audio, has a high word error rate; digits heard
   where the transcript has none (another number, said by a pronunciation entry) are named.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lmets_docs.check.findings import Finding, error, warning
from lmets_docs.listen import words
from lmets_docs.listen.recogniser import SAMPLE_RATE, Recogniser, load
from lmets_docs.manifest import ArtifactEntry, Manifest

log = logging.getLogger(__name__)

MARGIN_S = 0.25
"""Sound kept either side of a clip (the pauses between lines are longer)."""
EXTRA_DIGITS = 3
"""Digits heard in a row where the transcript has none: another number is being said."""
CHAPTER_WER_MAX = 0.75
"""A chapter with more word errors than this is not the chapter the transcript has (measured
2026-12-03 on the short leaflet in espeak-ng's voice: its own chapters 14-62 %, the one with
three drug names the highest; another leaflet's chapter in its place 165 %)."""
LOOP_RATIO = 2.4
"""Whisper's own compression-ratio threshold for a decoding that loops."""
LOOP_MIN_BYTES = 40
"""Shorter pieces are not judged (zlib's overhead makes their ratio meaningless)."""
LOOP_BEAM = 5
LOOP_WINDOW_S = 30.0
"""Whisper's window: the text it hears in one is what its compression-ratio test judges."""
_HEADING = re.compile(r"^## (\d+)\. (.+?) \[[\d:]+\]$")


@dataclass(frozen=True)
class Heard:
    """What the recogniser made of one fact's clip."""

    fact: str
    start_ms: int
    expected: str
    expected_score: float
    closest: str
    closest_score: float

    @property
    def as_expected(self) -> bool:
        """Say whether the line as written was likelier than every near miss."""
        return self.expected_score > self.closest_score

    @property
    def margin(self) -> float:
        """Return how much likelier the line as written was than the closest near miss."""
        return self.expected_score - self.closest_score

    def line(self) -> str:
        """Return the report line: as expected with its margin, or the closer alternative."""
        where = f"{self.fact} at {_clock(self.start_ms)}"
        if self.as_expected:
            return (f"heard as expected: {where}: {self.expected!r} ({self.expected_score:.1f}; "
                    f"closest near miss {self.closest!r} {self.closest_score:.1f}, margin "
                    f"{self.margin:.1f})")
        return (f"HEARD WRONG: {where}: {self.closest!r} ({self.closest_score:.1f}) is likelier "
                f"than {self.expected!r} ({self.expected_score:.1f})")


@dataclass(frozen=True)
class ExtraHeard:
    """Digits heard where the transcript has none, scored with and without them."""

    digits: str
    start_ms: int
    expected_score: float
    extra_score: float

    @property
    def confirmed(self) -> bool:
        """Say whether the stretch as heard was likelier with the extra digits than without."""
        return self.extra_score > self.expected_score


@dataclass(frozen=True)
class HeardChapter:
    """What the recogniser wrote down for one chapter, against its part of the transcript."""

    title: str
    start_ms: int
    heard: str
    wer: float
    extra_numbers: tuple[ExtraHeard, ...]


@dataclass
class Listening:
    """Everything heard in one narration: per fact clip, per chapter, and overall."""

    facts: list[Heard]
    chapters: list[HeardChapter]
    wer: float
    findings: list[Finding]

    def lines(self) -> list[str]:
        """Return the report: one line per fact clip, per chapter, and the whole."""
        lines = [h.line() for h in self.facts]
        for c in self.chapters:
            lines.append(f"chapter {c.title!r}: word error rate {c.wer:.0%}")
            lines += [f"  digits {e.digits!r} heard at {_clock(e.start_ms)}: "
                      f"{'really there' if e.confirmed else 'a slip of the recogniser'} "
                      f"({e.extra_score:.1f} with them, {e.expected_score:.1f} without)"
                      for e in c.extra_numbers]
        if self.chapters:
            lines.append(f"whole narration: word error rate {self.wer:.0%}")
        return lines


def listen(folder: Path, entry: ArtifactEntry, manifest: Manifest) -> Listening:
    """Hear the narration of one built language folder and return what was found."""
    path = folder / entry.files["narration"]
    if not manifest.lang.lower().startswith("en"):
        note = warning(path, "listen", f"the recogniser knows English only; {manifest.lang} "
                       "is not heard", "listen-language")
        return Listening([], [], 0.0, [note])
    recogniser = load()
    sound = _decode(path)
    clips = entry.details.get("spoken_facts") or []
    encoded: dict[tuple[int, int], Any] = {}  # a line that says two facts is encoded once
    scored: dict[tuple[Any, ...], list[float]] = {}  # and scored once for facts said alike
    heard = [hear_fact(recogniser, sound, clip, encoded, scored) for clip in clips]
    findings = [error(path, f"{h.fact} at {_clock(h.start_ms)}", h.line().split(": ", 2)[-1],
                      "listen-fact") for h in heard if not h.as_expected]
    if not clips:
        findings.append(error(path, "listen", "the manifest lists no spoken facts to listen "
                              "for; rebuild the audio", "listen-no-facts"))
    chapters = hear_chapters(recogniser, path, sound, folder / entry.files["transcript"])
    findings += [f for chapter in chapters for f in chapter_findings(path, chapter)]
    return Listening(heard, chapters, whole_wer(chapters, folder / entry.files["transcript"]),
                     findings)


def hear_fact(recogniser: Recogniser, sound: np.ndarray[Any, Any], clip: dict[str, Any],
              encoded: dict[tuple[int, int], Any] | None = None,
              scored: dict[tuple[Any, ...], list[float]] | None = None) -> Heard:
    """Score one fact's clip: the line as written against each of its near misses.

    Contacts open "24 hours a day, 7 days a week" each say it in the same words: a line
    that says it is one clip of each, scored once (``scored``, by clip and candidates).
    """
    text, expected = str(clip["text"]), str(clip["expected"])
    misses = [str(miss) for miss in clip["near_misses"]]
    candidates = [text] + [text.replace(expected, miss) for miss in misses]
    where = (int(clip["start_ms"]), int(clip["end_ms"]))
    kept = {} if encoded is None else encoded
    if where not in kept:
        kept[where] = recogniser.encode(_cut(sound, *where))
    done = {} if scored is None else scored
    key = (*where, *candidates)
    if key not in done:
        done[key] = recogniser.score(kept[where], candidates)
    scores = done[key]
    best = max(range(1, len(scores)), key=scores.__getitem__, default=0)
    closest = (misses[best - 1], scores[best]) if best else ("", float("-inf"))
    return Heard(str(clip["fact"]), int(clip["start_ms"]), expected, scores[0], *closest)


def chapter_findings(path: Path, chapter: HeardChapter) -> Iterator[Finding]:
    """Yield an error for a chapter that is not what its transcript says, or says a number more."""
    place = f"chapter {chapter.title!r} at {_clock(chapter.start_ms)}"
    if chapter.wer > CHAPTER_WER_MAX:
        yield error(path, place, f"word error rate {chapter.wer:.0%}: the sound is not what the "
                    "transcript says (another recording, or garbled)", "listen-chapter")
    for extra in chapter.extra_numbers:
        if extra.confirmed:
            yield error(path, f"{place}, at {_clock(extra.start_ms)}",
                        f"heard a number the transcript does not say: {extra.digits!r} (what "
                        f"was heard there: {extra.extra_score:.1f} with it, "
                        f"{extra.expected_score:.1f} without)", "listen-extra-number")


def hear_chapters(recogniser: Recogniser, mp3: Path, sound: np.ndarray[Any, Any],
                  transcript: Path) -> list[HeardChapter]:
    """Return what was heard in each chapter, against its part of the transcript."""
    expected = chapter_texts(transcript.read_text(encoding="utf-8"))
    found: list[HeardChapter] = []
    for (title, start, end), text in zip(chapter_times(mp3), expected, strict=False):
        audio = _cut(sound, start, end, 0.0)
        pieces = _transcribe_long(recogniser, audio)
        wer = words.error_rate(text, _said(pieces))
        if wer > CHAPTER_WER_MAX:
            # Greedy decoding mishears words it rarely met (espeak-ng's drug names: a
            # chapter at 62 %): before a chapter is called another recording, it is heard
            # again by beam search, as deterministic, and judged by the closer reading.
            again = _heard(recogniser, audio, beam=LOOP_BEAM)
            again_wer = words.error_rate(text, _said(again))
            if _loop_start(again) is None and again_wer < wer:
                pieces, wer = again, again_wer
        extra = tuple(extra_number(recogniser, audio, text, pieces, start))
        found.append(HeardChapter(title, start, _said(pieces), wer, extra))
    return found


def _said(pieces: list[tuple[str, float, float]]) -> str:
    return " ".join(piece for piece, _, _ in pieces)


def extra_number(recogniser: Recogniser, audio: np.ndarray[Any, Any], text: str,
                 pieces: list[tuple[str, float, float]], offset_ms: int) -> Iterator[ExtraHeard]:
    """Yield, per stretch the recogniser heard, the digits it heard that the transcript lacks.

    Its own transcription loops on digits at times ("0808080808…"), so each such stretch is
    scored twice on its sound, as heard and as heard without those digits: only digits that
    are really there make the first likelier.
    """
    meant, said, owner = words.normalise(text), [], []
    for index, (piece, _, _) in enumerate(pieces):
        piece_words = words.normalise(piece)
        said += piece_words
        owner += [index] * len(piece_words)
    extra: dict[int, set[int]] = {}
    for run in words.extra_numbers(meant, said):
        extra.setdefault(owner[run.heard_at], set()).update(
            range(run.heard_at, run.heard_at + len(run.digits)))
    for index, positions in extra.items():
        if len(positions) < EXTRA_DIGITS:
            continue
        stretch = [i for i, o in enumerate(owner) if o == index]
        heard = " ".join(said[i] for i in stretch)
        without = " ".join(said[i] for i in stretch if i not in positions)
        _, begins, ends = pieces[index]
        clip = audio[max(0, round((begins - MARGIN_S) * SAMPLE_RATE)):
                     round((ends + MARGIN_S) * SAMPLE_RATE)]
        with_score, without_score = recogniser.score(recogniser.encode(clip), [heard, without])
        yield ExtraHeard(" ".join(said[i] for i in sorted(positions)),
                         offset_ms + round(begins * 1000), without_score, with_score)


def whole_wer(chapters: list[HeardChapter], transcript: Path) -> float:
    """Return the word error rate of everything heard against the whole transcript."""
    expected = " ".join(chapter_texts(transcript.read_text(encoding="utf-8")))
    return words.error_rate(expected, " ".join(c.heard for c in chapters))


def chapter_times(mp3: Path) -> list[tuple[str, int, int]]:
    """Return each chapter's title, start and end (ms) from the MP3's CTOC and CHAP frames."""
    from mutagen.id3 import ID3  # noqa: PLC0415

    tags: Any = ID3(mp3)  # type: ignore[no-untyped-call]
    chapters = {c.element_id: c for c in tags.getall("CHAP")}
    order = tags.getall("CTOC")[0].child_element_ids if tags.getall("CTOC") else list(chapters)
    return [(str(chapters[i].sub_frames.get("TIT2", i)), chapters[i].start_time,
             chapters[i].end_time) for i in order if i in chapters]


def chapter_texts(transcript: str) -> list[str]:
    """Return the transcript's text chapter by chapter (its ``## N. Title [m:ss]`` headings)."""
    chapters: list[list[str]] = []
    for line in transcript.splitlines():
        if _HEADING.match(line):
            chapters.append([])
        elif chapters and line.strip():
            chapters[-1].append(line)
    return [" ".join(lines) for lines in chapters]


def _transcribe_long(recogniser: Recogniser,
                     samples: np.ndarray[Any, Any]) -> list[tuple[str, float, float]]:
    # Greedy at temperature 0 only: faster-whisper's temperature fallback re-decodes a window
    # whose text loops by *sampling*, so the same file could be heard differently from one run
    # to the next (seen under load: a chapter at 62 % word errors once in several runs). A
    # check must give one answer for one file. Timestamps on: without them a 30 s window is
    # read only as far as the model cares to go, and the rest is lost.
    #
    # Greedy decoding can fall into a loop ("Meinininin…" for a whole window) on one sound
    # and not on another that differs by a hundredth of a decibel here and there; a loop is
    # what Whisper itself detects by a compression ratio above 2.4, and then the chapter is
    # heard again by beam search, which is as deterministic: from the piece that loops on
    # (what came before it was heard well), else whole. Heard whole again, a closing chapter
    # whose web address looped was heard as "1." 28 times (77 % word errors); from the
    # looping piece on, as said.
    #
    # A loop may also come one short piece at a time, each too short to judge ("008." said
    # 20 times, a second each, running past the end of the sound): so the text of the pieces
    # that begin within one window of each piece is judged as Whisper judges a window's.
    pieces = _heard(recogniser, samples, beam=1)
    index = _loop_start(pieces)
    if index is None:
        return pieces
    begins = pieces[index][1]
    rest = _heard(recogniser, samples[round(begins * SAMPLE_RATE):], beam=LOOP_BEAM)
    if _loop_start(rest) is not None:
        return _heard(recogniser, samples, beam=LOOP_BEAM)
    return pieces[:index] + [(piece, begins + b, begins + e) for piece, b, e in rest]


def _loop_start(pieces: list[tuple[str, float, float]]) -> int | None:
    """Return the index of the first piece from which the text heard loops: the first piece
    that loops on its own, else the first whose window loops (the pieces that begin within
    ``LOOP_WINDOW_S`` from its start, joined). A piece that loops on its own is where to hear
    again from: a window that holds it loops from the pieces before it too."""
    alone = next((index for index, (text, _, _) in enumerate(pieces) if _loops(text)), None)
    if alone is not None:
        return alone
    for index, (_, begins, _ends) in enumerate(pieces):
        if _loops(" ".join(piece for piece, start, _ in pieces[index:]
                           if start < begins + LOOP_WINDOW_S)):
            return index
    return None


def _heard(recogniser: Recogniser, samples: np.ndarray[Any, Any],
           beam: int) -> list[tuple[str, float, float]]:
    segments, _ = recogniser.model.transcribe(
        samples, language="en", beam_size=beam, temperature=0.0,
        condition_on_previous_text=False, without_timestamps=False, vad_filter=False)
    return [(segment.text.strip(), segment.start, segment.end) for segment in segments]


def _loops(text: str) -> bool:
    """Say whether a piece of heard text repeats itself as Whisper's loops do."""
    data = text.encode()
    return len(data) > LOOP_MIN_BYTES and len(data) / len(zlib.compress(data)) > LOOP_RATIO


def _decode(path: Path) -> np.ndarray[Any, Any]:
    from lmets_docs.sound.files import decode_file  # noqa: PLC0415

    return decode_file(path, SAMPLE_RATE)


def _cut(sound: np.ndarray[Any, Any], start_ms: int, end_ms: int,
         margin: float = MARGIN_S) -> np.ndarray[Any, Any]:
    first = max(0, round((start_ms / 1000 - margin) * SAMPLE_RATE))
    last = min(sound.size, round((end_ms / 1000 + margin) * SAMPLE_RATE))
    return np.ascontiguousarray(sound[first:last], dtype=np.float32)


def _clock(ms: int) -> str:
    minutes, seconds = divmod(ms / 1000, 60)
    return f"{int(minutes)}:{seconds:04.1f}"
