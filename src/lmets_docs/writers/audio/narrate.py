"""Speak a script's segments: from memory, from the speech cache, or from the engine.

Segments are synthesized a few at a time (the engine says how many) and each is kept in
the cache under the hash of the engine's fingerprint and the exact text it was given. Each
chapter done is reported through ``lmets_docs.progress`` (the command line draws the bar).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from lmets_docs.errors import NarrationError
from lmets_docs.options import default_jobs
from lmets_docs.progress import Step, step
from lmets_docs.sound.samples import TRIMMING, Samples, decode, trimmed, wav_length
from lmets_docs.speech.base import Engine
from lmets_docs.speech.cache import Piece, SpeechCache, speech_key
from lmets_docs.writers.audio.script import Chapter, Segment

log = logging.getLogger(__name__)
Advance = Callable[[int, Chapter], None]
Ready = Callable[[Chapter], None]
"""What is told of each chapter whose every segment is at hand."""
Cut = tuple[int, int]
KEPT_BYTES = 16 << 20
"""How much of the engine's audio is kept from speaking (or reading) a piece to mastering its
chapter: 16 MB, the seed's whole narration (12 MB of WAV). Beyond that, pieces are read back
from the speech cache, so a long narration is never held in memory whole."""


@dataclass(frozen=True)
class Fetched:
    """A piece of speech: the engine's audio, where its silent ends are cut, its hash, and
    whether it came from the cache."""

    audio: bytes
    cut: Cut
    digest: str
    cached: bool

    @property
    def size(self) -> int:
        """Return how many samples the piece lasts once cut."""
        return self.cut[1] - self.cut[0]


class Narrator:
    """What every segment said so far lasts, by key, and how much was synthesized.

    The length and the hash of each piece are kept; its audio too, up to ``KEPT_BYTES``,
    until its chapter is mastered (``clip``): the first chapters' pieces. The rest is read
    back from the speech cache then. A piece's length comes from its cache record when the
    record says where the piece is cut (and by the same rule): it is decoded only to be heard.
    """

    def __init__(self, engine: Engine, cache: SpeechCache, jobs: int | None = None) -> None:
        self.engine = engine
        self.cache = cache
        self.jobs = max(1, jobs or default_jobs())
        """How many threads the narration may use (``--jobs``: 1 means one core)."""
        self.sizes: dict[str, int] = {}
        self.digests: dict[str, str] = {}
        self.synthesized = 0
        self.cached = 0
        self.kept: dict[str, Fetched] = {}
        """The audio of pieces not mastered yet, by key (until ``clip`` takes it)."""
        self.kept_bytes = 0

    def key(self, segment: Segment) -> str:
        """Return the cache key of a segment: engine fingerprint and the engine's text."""
        return speech_key(self.engine.fingerprint(segment.slow), segment.speech)

    def size(self, segment: Segment) -> int:
        """Return how many samples a segment's trimmed audio lasts (``prepare`` it first)."""
        return self.sizes[self.key(segment)]

    def digest(self, segment: Segment) -> str:
        """Return the SHA-256 of the audio the engine gave for a segment."""
        return self.digests[self.key(segment)]

    def clip(self, segment: Segment) -> Samples:
        """Return a segment's audio, trimmed of its own silence: kept, or from the speech cache.

        A kept piece is given once (a piece said again later is read from the cache).
        """
        key = self.key(segment)
        piece = self.kept.pop(key, None) or self._fetch(segment)
        samples = self._decode(piece.audio, segment)[piece.cut[0]:piece.cut[1]]
        if samples.size != self.sizes[key] or piece.digest != self.digests[key]:
            raise NarrationError(f"{self.cache.path(key, self.engine.audio_format)}: the speech "
                                 "changed in the cache while the narration was being made")
        return samples

    def prepare(self, chapters: Sequence[Chapter], ready: Ready | None = None) -> None:
        """Get the length of every segment not yet at hand, chapter by chapter.

        ``ready`` is given each chapter, in order, as soon as all its segments are at hand
        (while the next chapters are still being spoken).
        """
        todo = [self._missing(chapter) for chapter in chapters]
        total = sum(len(keys) for keys in todo)
        done = ready or _nothing
        if total == 0:
            for chapter in chapters:
                done(chapter)
            return
        pool = ThreadPoolExecutor(max_workers=max(1, min(self.engine.workers, self.jobs)))
        try:
            futures = self._submit(pool, todo)
            with progress(total, len(chapters)) as advance:
                for chapter, keys in zip(chapters, todo, strict=True):
                    for key in keys:
                        self._store(key, futures)
                    advance(len(keys), chapter)
                    done(chapter)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, pool: ThreadPoolExecutor,
                todo: list[dict[str, Segment]]) -> dict[str, Future[Fetched]]:
        futures: dict[str, Future[Fetched]] = {}
        for keys in todo:
            for key, segment in keys.items():
                if key not in futures:  # the same words in two chapters are said once
                    futures[key] = pool.submit(self._fetch, segment)
        return futures

    def _missing(self, chapter: Chapter) -> dict[str, Segment]:
        return {self.key(s): s for s in chapter.segments if self.key(s) not in self.sizes}

    def _store(self, key: str, futures: dict[str, Future[Fetched]]) -> None:
        if key in self.sizes:  # already stored for an earlier chapter
            return
        piece = futures.pop(key).result()
        if self.kept_bytes + len(piece.audio) <= KEPT_BYTES:
            self.kept[key] = piece  # else its audio is let go
            self.kept_bytes += len(piece.audio)
        self.sizes[key] = piece.size
        self.digests[key] = piece.digest
        self.cached += piece.cached
        self.synthesized += not piece.cached

    def _fetch(self, segment: Segment) -> Fetched:
        """Return a piece from the cache, or spoken and kept there."""
        key, suffix = self.key(segment), self.engine.audio_format
        piece = self.cache.get(key, suffix)
        if piece is not None:
            cut = self._cut(key, piece, segment)
            if cut is not None:
                return Fetched(piece.audio, cut, piece.sha256, cached=True)
        audio = self.engine.synthesize(segment.speech, segment.slow)
        samples = self._decode(audio, segment)
        cut = trimmed(samples, self.engine.sample_rate)
        digest = self.cache.put(key, suffix, audio, samples.size, (cut, TRIMMING))
        return Fetched(audio, cut, digest, cached=False)

    def _cut(self, key: str, piece: Piece, segment: Segment) -> Cut | None:
        """Return where a cached piece is cut, if it decodes to its record's length; else None.

        When the record says where (by the same rule) and the WAV's header gives the record's
        length, that is all: the piece is decoded only when heard. Otherwise it is decoded
        now, and a record that does not say where it is cut (an older one), or says it
        otherwise, is written again to say it.
        """
        rate, suffix = self.engine.sample_rate, self.engine.audio_format
        if piece.cut_by == TRIMMING and wav_length(piece.audio, rate) == piece.samples:
            return piece.cut
        try:
            samples = self._decode(piece.audio, segment)
        except NarrationError:
            samples = None
        if samples is None or samples.size != piece.samples:
            log.warning("%s: cached speech does not decode to the %d samples of its record; "
                        "synthesizing it again", self.cache.path(key, suffix), piece.samples)
            return None
        cut = trimmed(samples, rate)
        if (piece.cut, piece.cut_by) != (cut, TRIMMING):
            self.cache.note(key, suffix, piece.audio, piece.samples, (cut, TRIMMING))
        return cut

    def _decode(self, audio: bytes, segment: Segment) -> Samples:
        return decode(audio, self.engine.sample_rate, f"{self.engine.label}: {segment.text[:40]!r}")


def _nothing(_chapter: Chapter) -> None:
    """Do nothing with a chapter ready (no one waits for it)."""


@contextmanager
def progress(total: int, chapters: int) -> Iterator[Advance]:
    """Yield a callback that reports a chapter done, with the speech pieces it took."""
    done = iter(range(1, chapters + 1))
    pieces = 0

    def report(count: int, chapter: Chapter) -> None:
        nonlocal pieces
        number, pieces = next(done), pieces + count
        if count:
            step(Step("Narrating", pieces, total), "narrating %d/%d: %s (speech pieces: %d)",
                 number, chapters, chapter.title, count)

    yield report
