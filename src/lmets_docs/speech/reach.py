"""Whether Google answers, asked once per build: ``--tts auto`` waits for it once, not once
per leaflet language.

``--tts auto`` asks Google Translate for one short word before each narration, with a short
time-out. Where a network drops the request (a hospital's firewall), each ask is a wait of
seconds, and each writer process asked for each leaflet language it narrated: a library's
cron build waited once per leaflet. So a build keeps the answer (``for_this_build``, before
it forks its writer processes, which share it: memory mapped before the fork), and every
narration of the build takes it from there:

- Google did not answer: no narration of this build asks again, whichever Google host its
  language's accent uses (a network that drops one drops them all); each is told the first
  answer, at once.
- Google answered this host: asked no more for it.

One process asks at a time, and the others wait for its answer rather than asking too. A
process killed while it asks (the lock never released) costs the next narration ``WAIT_S``;
that one marks the shared answer abandoned, and every narration after it asks for itself at
once, never reading or writing the shared answer without the lock. Outside a build (a test,
a Dask worker), each ask is its own.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized, SynchronizedArray

logger = logging.getLogger(__name__)

SIZE = 4096
"""Bytes kept for the answers (as JSON): a reason is a line, hosts are few."""
WAIT_S = 30.0
"""How long a narration waits for another process's ask (which takes seconds at most)."""
UNREACHABLE = "*"
"""The key of the answer that no Google host is to be asked again: which did not answer, why."""


class _Shared:
    """The build's answers, in memory its forked processes share."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.lock = context.Lock()
        self.data: SynchronizedArray[Any] = context.Array("c", SIZE, lock=False)
        self.length: Synchronized[int] = context.Value("i", 0, lock=False)
        self.abandoned: Synchronized[int] = context.Value("b", 0, lock=False)
        """Set by a process that waited ``WAIT_S`` for the lock: its holder was killed."""

    def read(self) -> dict[str, Any]:
        raw = bytes(self.data[:self.length.value])
        try:
            answers = json.loads(raw) if raw else {}
        except ValueError:  # a process killed while it wrote: as if nothing were kept
            return {}
        return answers if isinstance(answers, dict) else {}

    def write(self, answers: dict[str, Any]) -> None:
        raw = json.dumps(answers).encode()
        if len(raw) <= SIZE:  # else kept by nobody: the next narration asks again
            self.length.value = 0
            self.data[:len(raw)] = raw
            self.length.value = len(raw)


_build: list[_Shared] = []


def for_this_build() -> None:
    """Keep Google's answer for the build starting in this process and the ones it forks."""
    try:
        _build[:] = [_Shared()]
    except OSError as exc:  # no shared memory (a full /dev/shm): each narration asks itself
        logger.warning("Google's answer is not shared between this build's processes: %s", exc)
        _build.clear()


def forget() -> None:
    """End the build's answer: what is asked from now on is asked anew."""
    _build.clear()


def asked(host: str, ask: Callable[[], str | None]) -> tuple[str, str] | None:
    """Return the host that did not answer and why (``ask``'s answer), or None if ``host``
    did: asked once per build for ``host``, and not at all once any host did not answer."""
    if not _build:
        answer = ask()
        return None if answer is None else (host, answer)
    shared = _build[0]
    if shared.abandoned.value or not shared.lock.acquire(timeout=WAIT_S):
        shared.abandoned.value = 1  # its holder was killed: nobody waits for it again
        answer = ask()
        return None if answer is None else (host, answer)
    try:
        answers = shared.read()
        if UNREACHABLE in answers:
            first, why = answers[UNREACHABLE]
            return str(first), str(why)
        if host in answers:
            return None
        answer = ask()
        shared.write({**answers, **({host: None} if answer is None else
                                    {UNREACHABLE: [host, answer]})})
        return None if answer is None else (host, answer)
    finally:
        shared.lock.release()
