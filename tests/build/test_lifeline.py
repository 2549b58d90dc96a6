"""A build killed outright takes its writer processes with it (``build.lifeline``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.conftest import BEFORE_DUE

WAIT_S = 60.0


def test_a_build_that_ignores_sigint_keeps_its_writers_through_one(
        leaflet_dir: Path, tmp_path: Path) -> None:
    """Started in the background by a script, a build ignores SIGINT; a SIGINT to its whole
    group must not kill its writers under it (ut-library finding 8)."""
    command = [sys.executable, "-m", "lmets_docs", "-q", "build", str(leaflet_dir), "--tts",
               "espeak", "--format", "pdf", "--format", "docx", "--format", "audio", "--jobs",
               "2", "--today", BEFORE_DUE.isoformat(), "--out", str(tmp_path / "out")]
    build = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    deadline = time.monotonic() + WAIT_S
    while len(build.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    # two writers, and the espeak-ng server the build lends its narration (build._lend_speech)
    assert len(build.children()) >= 2, "the build's writer processes never started"
    os.killpg(build.pid, signal.SIGINT)
    _out, err = build.communicate(timeout=WAIT_S * 2)
    assert "ended abruptly" not in err
    assert build.returncode == 0, err
    assert (tmp_path / "out" / "leptomeningeal-metastases" / "en-GB" / "audio").is_dir()


def test_the_writers_of_a_killed_build_end_with_it(leaflet_dir: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "lmets_docs", "-q", "build", str(leaflet_dir), "--tts",
               "espeak", "--format", "pdf", "--format", "docx", "--format", "audio", "--jobs",
               "2", "--today", BEFORE_DUE.isoformat(), "--out", str(tmp_path / "out")]
    build = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + WAIT_S
    while len(writers := build.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(writers) >= 2, "the build's writer processes never started"  # and a server
    family = build.children(recursive=True)
    build.kill()
    build.wait()
    gone, alive = psutil.wait_procs(family, timeout=10)
    for orphan in alive:  # what a failure leaves must not outlive the test
        orphan.kill()
    assert [p.pid for p in alive] == []
    assert {p.pid for p in writers} <= {p.pid for p in gone}
