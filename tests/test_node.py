"""tests/node.py: a Node.js checker that hangs is stopped with the Chromium it started."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT
from tests.node import run_ace, run_node

MARK = "LMETS_TEST_HANG"


def left(mark: str, chromium: int) -> list[str]:
    """Return the live (not zombie) processes whose environment carries ``MARK=mark`` (node,
    Chromium, its crash handlers) or that are in Chromium's session (its zygotes, GPU process
    and renderers, which are given an environment of their own)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.status() != psutil.STATUS_ZOMBIE and (
                    os.getsid(process.pid) == chromium or process.environ().get(MARK) == mark):
                found.append(f"{process.pid} {process.name()}")
        except (psutil.NoSuchProcess, psutil.AccessDenied, ProcessLookupError):
            continue
    return found


def test_a_hanging_checker_leaves_no_chromium_running() -> None:
    mark = uuid.uuid4().hex
    with pytest.raises(subprocess.TimeoutExpired) as hung:
        run_node([ROOT / "tests" / "js" / "hang.mjs"], timeout=20, cwd=ROOT,
                 env=os.environ | {MARK: mark})
    said = (hung.value.stdout or b"").decode().split()
    assert said, f"Chromium did not start within the timeout: {hung.value.stderr!r}"
    chromium = int(said[0])
    deadline = time.monotonic() + 10
    while left(mark, chromium) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left(mark, chromium) == []


def test_a_failing_checker_raises_with_what_it_wrote() -> None:
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_node(["-e", "console.error('no such page'); process.exit(3)"], timeout=60)
    assert (failed.value.returncode, failed.value.stderr) == (3, b"no such page\n")
    assert run_node(["-e", "console.log('fine')"], timeout=60).stdout == b"fine\n"


def test_ace_that_fails_raises_with_what_it_wrote(tmp_path: Path) -> None:
    """``run_ace`` runs the real Ace (with the system's Chromium) and, as ``run_node``, raises
    with its words when it fails: here on a file that is no EPUB."""
    (tmp_path / "book.epub").write_bytes(b"not a book")
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_ace(tmp_path / "book.epub", tmp_path / "ace")
    assert failed.value.returncode == 1
    assert b"Re-run Ace" in failed.value.stdout + failed.value.stderr
    assert not (tmp_path / "ace" / "report.json").exists()


def test_ace_out_of_time_is_stopped_with_all_it_started(tmp_path: Path) -> None:
    """A timeout (before Ace has even read the book) raises, and leaves no process behind."""
    mark = uuid.uuid4().hex
    (tmp_path / "book.epub").write_bytes(b"not a book")
    with pytest.raises(subprocess.TimeoutExpired):
        run_ace(tmp_path / "book.epub", tmp_path / "ace", timeout=0.2, env={MARK: mark})
    deadline = time.monotonic() + 10
    while left(mark, -1) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left(mark, -1) == []
