"""Each chapter made into its track on threads, as soon as everything it says is spoken.

A chapter's track is rendered (lead-in, pieces, pauses, tail), mastered, encoded and
measured in a task of its own (``tracks.finished``), or taken from the track cache. The
narration gives each chapter as soon as its pieces are spoken, so the first chapters are
encoded while the last ones are still being said, instead of every track waiting for the
whole narration. lameenc's encoding and numpy's FFTs let go of the GIL, so two threads use
two cores (measured: 1.9x for encoding, 1.5-1.6x for mastering and measuring).

The tracks come back in the script's order whatever order they finish in: each task is kept
under its chapter's track key, the hash of everything that makes the track, so a chapter
started early is the very one asked for later (or it is not used), and a chapter said twice
is made once. A task that fails fails the narration when its track is asked for; the tasks
not started yet are then dropped and the running ones waited for, so nothing is left
running when the writer gives up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

import numpy as np

from lmets_docs.build.stamp import code_hash
from lmets_docs.sound.samples import Samples, master, silence, to_pcm16
from lmets_docs.writers.audio.mp3 import encode
from lmets_docs.writers.audio.narrate import Narrator
from lmets_docs.writers.audio.script import Chapter
from lmets_docs.writers.audio.tracks import Made, TrackCache, chapter_key, finished

log = logging.getLogger(__name__)

# Silence at the start and end of every track (STANDARDS.md: a short silence; 0.5-1 s).
LEAD_S = 0.75
TAIL_S = 0.75
THREADS = 2
"""At most this many chapters are made at once (and never more than ``--jobs``)."""


def render(chapter: Chapter, narrator: Narrator) -> Samples:
    """Return a chapter's sound: lead-in, each segment and its pause, tail; mastered."""
    rate = narrator.engine.sample_rate
    parts = [silence(LEAD_S, rate)]
    for segment in chapter.segments:
        parts += [narrator.clip(segment), silence(segment.pause, rate)]
    parts.append(silence(TAIL_S, rate))
    return master(np.concatenate(parts), rate)


MASTERING = threading.Lock()
"""One chapter is mastered at a time (its temporaries take about twice its sound, 9 times
before the limiter worked near peaks only); the other thread encodes or measures meanwhile."""


def encoded(chapter: Chapter, narrator: Narrator) -> bytes:
    """Return a chapter mastered and encoded; the other thread encodes or measures meanwhile."""
    with MASTERING:
        pcm = to_pcm16(render(chapter, narrator))
    return encode(pcm, narrator.engine.sample_rate)


class Tracks:
    """The tracks of one narration, each made on a thread once its chapter is spoken.

    Use it as a context manager: leaving it drops the tasks not started and waits for the
    running ones. With ``--jobs 1`` nothing is made while the narration is being spoken
    (``early`` waits), and one chapter is made at a time.
    """

    def __init__(self, narrator: Narrator, cache: TrackCache) -> None:
        self.narrator = narrator
        self.cache = cache
        self.rate = narrator.engine.sample_rate
        self.settings = (code_hash(), self.rate, LEAD_S, TAIL_S)
        self.pool = ThreadPoolExecutor(max_workers=min(THREADS, narrator.jobs),
                                       thread_name_prefix="track")
        self.tasks: dict[str, Future[Made]] = {}

    def __enter__(self) -> Tracks:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def early(self, chapter: Chapter) -> None:
        """Start a chapter whose pieces are all spoken, if the build may use another core."""
        if self.narrator.jobs > 1:
            self._start(chapter, self._key(chapter))

    def made(self, chapters: Sequence[Chapter]) -> list[Made]:
        """Return every chapter's track, in order.

        The chapters not started yet go first: the opening waited for the whole narration
        to be spoken, so it ends the longest chain. Then those still waiting for a thread
        (in their order; one no longer in ``chapters`` is dropped).
        """
        waiting = self._take_back()
        keys = [self._key(chapter) for chapter in chapters]
        for chapter, key in zip(chapters, keys, strict=True):
            if key not in waiting:
                self._start(chapter, key)
        for chapter, key in zip(chapters, keys, strict=True):
            self._start(chapter, key)
        return [self.tasks[key].result() for key in keys]

    def _key(self, chapter: Chapter) -> str:
        return chapter_key(chapter, self.narrator, self.settings)

    def _start(self, chapter: Chapter, key: str) -> None:
        """Start making a chapter's track, unless it is started already."""
        if key not in self.tasks:
            self.tasks[key] = self.pool.submit(self._make, chapter, key)

    def _take_back(self) -> set[str]:
        """Return the keys of the tasks not started yet, those tasks taken back."""
        back = {key for key, task in self.tasks.items() if task.cancel()}
        for key in back:
            del self.tasks[key]
        return back

    def _make(self, chapter: Chapter, key: str) -> Made:
        made = finished(key, self.cache, lambda: encoded(chapter, self.narrator), self.rate)
        log.info("track %s: %s", chapter.slug, "from the track cache" if made.cached else "encoded")
        return made
