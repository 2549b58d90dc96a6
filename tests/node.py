"""Run a Node.js checker (tests/js, Ace by DAISY) and leave no Chromium behind when it hangs.

``run_ace`` runs Ace by DAISY on an EPUB with the system's Chromium, through ``run_node``.

``subprocess.run(..., timeout=...)`` kills only ``node`` when the time is up; the Chromium that
puppeteer started is not even in node's process group (``@puppeteer/browsers`` starts it
``detached``, in a session of its own, so that it can kill it by its group), and so goes on
holding CPU and memory for the rest of the suite. ``run_node`` starts node in a new session and,
on a timeout or an interrupt, kills node's group and the group of every process below it, read
from the process tree before anything is killed (afterwards the orphans belong to no one).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
ACE = ROOT / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"
CHROMIUM = Path("/usr/bin/chromium")
"""The Chromium the checkers drive (scripts/setup installs it; puppeteer downloads none)."""


def run_node(
    args: Sequence[str | Path], *, timeout: float, cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``node *args`` as ``subprocess.run(..., check=True, capture_output=True)`` would.

    Raise ``subprocess.TimeoutExpired`` after ``timeout`` seconds (with what it wrote so far)
    and ``subprocess.CalledProcessError`` if node fails; either way nothing it started is left
    running.
    """
    command = ["node", *map(str, args)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                          env=None if env is None else dict(env),
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as timed_out:
            kill_tree(process.pid)
            stdout, stderr = process.communicate()
            raise subprocess.TimeoutExpired(command, timeout, stdout, stderr) from timed_out
        except BaseException:
            kill_tree(process.pid)
            raise
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stdout, stderr)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def run_ace(book: Path, outdir: Path, *, timeout: float = 300,
            env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run Ace by DAISY on an EPUB, with the system's Chromium, and return its report
    (``outdir/report.json``).

    As ``run_node``: ``subprocess.TimeoutExpired`` after ``timeout`` seconds and
    ``subprocess.CalledProcessError`` if Ace fails, nothing it started left running. ``env``
    adds to this process's environment.
    """
    run_node([ACE, "--silent", "--outdir", outdir, book], timeout=timeout,
             env=os.environ | dict(env or {}) | {"PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM),
                                                 "PUPPETEER_SKIP_DOWNLOAD": "1"})
    report: dict[str, Any] = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    return report


def kill_tree(pid: int) -> None:
    """SIGKILL the process group ``pid`` leads, and every process below ``pid`` with its group.

    ``pid`` must lead a session of its own (``start_new_session``), so that no group named here
    is the test run's.
    """
    try:
        below = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        below = []
    groups = {pid}
    for child in below:
        with contextlib.suppress(ProcessLookupError):
            groups.add(os.getpgid(child.pid))
    for group in sorted(groups):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    for child in below:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
