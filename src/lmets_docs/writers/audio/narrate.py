"""Speak a script's segments: from memory, from the speech cache, or from the engine.

Segments are synthesized a few at a time (the engine says how many) and each is kept in
the cache under the hash of the engine's fingerprint and the exact text it was given. Each
chapter done is reported through ``lmets_docs.progress`` (the command line draws the bar).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from lmets_docs.errors import NarrationError
from lmets_docs.options import default_jobs
from lmets_docs.progress import Step, step
from lmets_docs.sound.samples import Samples, decode, trim
from lmets_docs.speech.base import Engine
from lmets_docs.speech.cache import SpeechCache, speech_key
from lmets_docs.writers.audio.script import Chapter, Segment

log = logging.getLogger(__name__)
Advance = Callable[[int, Chapter], None]
Fetched = tuple[Samples, bool, str]
"""A piece's trimmed sound, whether it came from the cache, and the SHA-256 of its audio."""


class Narrator:
    """What every segment said so far lasts, by key, and how much was synthesized.

    Only the length and the hash of each piece are kept: its sound is read back from the
    speech cache when its chapter is mastered (``clip``), so a long narration is never held
    in memory whole.
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
        """Return a segment's audio, trimmed of its own silence, from the speech cache."""
        key = self.key(segment)
        samples, _, digest = self._fetch(segment)
        if samples.size != self.sizes[key] or digest != self.digests[key]:
            raise NarrationError(f"{self.cache.path(key, self.engine.audio_format)}: the speech "
                                 "changed in the cache while the narration was being made")
        return samples

    def prepare(self, chapters: Sequence[Chapter]) -> None:
        """Get the length of every segment not yet at hand, chapter by chapter."""
        todo = [self._missing(chapter) for chapter in chapters]
        total = sum(len(keys) for keys in todo)
        if total == 0:
            return
        pool = ThreadPoolExecutor(max_workers=max(1, min(self.engine.workers, self.jobs)))
        try:
            futures = self._submit(pool, todo)
            with progress(total, len(chapters)) as advance:
                for chapter, keys in zip(chapters, todo, strict=True):
                    for key in keys:
                        self._store(key, futures)
                    advance(len(keys), chapter)
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
        samples, was_cached, digest = futures.pop(key).result()  # the sound is let go
        self.sizes[key] = samples.size
        self.digests[key] = digest
        self.cached += was_cached
        self.synthesized += not was_cached

    def _fetch(self, segment: Segment) -> Fetched:
        key, suffix = self.key(segment), self.engine.audio_format
        rate = self.engine.sample_rate
        kept = self._cached(key, segment)
        if kept is not None:
            return trim(kept[0], rate), True, kept[1]
        audio = self.engine.synthesize(segment.speech, segment.slow)
        samples = self._decode(audio, segment)
        self.cache.put(key, suffix, audio, samples.size)
        return trim(samples, rate), False, hashlib.sha256(audio).hexdigest()

    def _cached(self, key: str, segment: Segment) -> tuple[Samples, str] | None:
        """Return a cached piece decoded, and its hash, if it matches its record and length."""
        suffix = self.engine.audio_format
        kept = self.cache.get(key, suffix)
        if kept is None:
            return None
        try:
            samples = self._decode(kept.audio, segment)
        except NarrationError:
            samples = None
        if samples is None or samples.size != kept.samples:
            log.warning("%s: cached speech does not decode to the %d samples of its record; "
                        "synthesizing it again", self.cache.path(key, suffix), kept.samples)
            return None
        return samples, hashlib.sha256(kept.audio).hexdigest()

    def _decode(self, audio: bytes, segment: Segment) -> Samples:
        return decode(audio, self.engine.sample_rate, f"{self.engine.label}: {segment.text[:40]!r}")


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
