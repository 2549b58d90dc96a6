"""Faults of the build's shared Google answer (``speech.reach``): a process killed while it
asks, and no shared memory to keep the answer in."""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator

import pytest

from lmets_docs.speech import reach


@pytest.fixture(autouse=True)
def _forgotten() -> Iterator[None]:
    yield
    reach.forget()


def test_a_process_killed_while_it_asks_costs_one_wait_not_one_per_narration(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reach, "WAIT_S", 0.5)
    reach.for_this_build()

    def killed_while_asking() -> str | None:
        os.kill(os.getpid(), signal.SIGKILL)
        return None

    child = multiprocessing.get_context("fork").Process(
        target=reach.asked, args=("co.uk", killed_while_asking))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL  # it died holding the lock
    asks: list[str] = []
    waits = []

    def unanswered(host: str) -> str:
        asks.append(host)
        return "timed out"

    for host in ("co.uk", "com", "co.uk"):
        start = time.monotonic()
        answer = reach.asked(host, functools.partial(unanswered, host))
        waits.append(time.monotonic() - start)
        assert answer == (host, "timed out")  # each asks for itself: nothing shared is read
    assert asks == ["co.uk", "com", "co.uk"]
    assert waits[0] >= 0.5  # the first waited for the dead process
    assert max(waits[1:]) < 0.25  # the others no more


def test_a_half_written_answer_reads_as_none_kept() -> None:
    reach.for_this_build()
    shared = reach._build[0]
    shared.write({"co.uk": None})
    shared.length.value -= 3  # as if its writer were killed before the last bytes
    assert shared.read() == {}
    assert reach.asked("co.uk", lambda: None) is None  # asked again, and kept
    assert shared.read() == {"co.uk": None}


def test_no_shared_memory_lets_each_narration_ask_itself(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    class Full:
        def Lock(self) -> None:  # noqa: N802 (multiprocessing's name)
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(multiprocessing, "get_context", lambda _method: Full())
    with caplog.at_level(logging.WARNING, logger=reach.__name__):
        reach.for_this_build()
    assert "not shared between this build's processes: [Errno 28]" in caplog.text
    asks: list[str] = []

    def answered() -> None:
        asks.append("com")

    assert reach.asked("com", answered) is None
    assert reach.asked("com", answered) is None
    assert asks == ["com", "com"]  # nothing kept: each narration asks
