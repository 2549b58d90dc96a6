"""A build stopped by Ctrl-C or SIGTERM says so, shows the cursor, leaves nothing; --cache.

Real ``lmets-docs build`` processes: on a pseudo-terminal for the bar and its cursor.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.cli import cli
from tests.conftest import BEFORE_DUE, DATA
from tests.library import make_library

CLI = [sys.executable, "-m", "lmets_docs"]
HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"
TIMEOUT_S = 120


def _command(library: list[Path], out: Path) -> list[str]:
    return [*CLI, "build", *map(str, library), "--format", "docx", "--format", "audio",
            "--tts", "espeak", "--out", str(out), "--jobs", "2", "--templates", "none",
            "--today", BEFORE_DUE.isoformat()]


def _read_until(main: int, text: str) -> str:
    """Read the terminal until ``text`` has been drawn."""
    drawn = ""
    deadline = time.monotonic() + TIMEOUT_S
    while text not in drawn:
        assert time.monotonic() < deadline, drawn
        drawn += os.read(main, 4096).decode(errors="replace")
    return drawn


def _read_rest(main: int) -> str:
    drawn = b""
    with contextlib.suppress(OSError):  # EIO once the terminal's last writer is gone
        while chunk := os.read(main, 4096):
            drawn += chunk
    return drawn.decode(errors="replace")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_build_says_so_shows_the_cursor_and_leaves_no_temporary_folder(
    tmp_path: Path, stop: signal.Signals
) -> None:
    library = make_library(tmp_path / "content", 6)
    out = tmp_path / "out"
    main, terminal = pty.openpty()
    with subprocess.Popen(_command(library, out), stdout=terminal, stderr=terminal,
                          start_new_session=True) as run:
        os.close(terminal)
        # One leaflet is made: the writer processes are at work (a signal while one is
        # forked would be lost in Python's handlers run at a fork).
        drawn = _read_until(main, "33%")
        os.killpg(run.pid, stop) if stop == signal.SIGINT else run.send_signal(stop)
        drawn += _read_rest(main)
        assert run.wait(TIMEOUT_S) == 1, drawn
    os.close(main)
    how = "Ctrl-C" if stop == signal.SIGINT else "SIGTERM"
    assert f"Error: stopped by {how}; the leaflet languages already installed are kept" \
        in drawn, drawn
    assert drawn.rindex(SHOW) > drawn.rindex(HIDE), repr(drawn[-300:])
    assert "Traceback" not in drawn
    assert not list(out.glob("*/.tmp-*")), list(out.glob("*/*"))
    assert (out / "leaflet-01" / "en-GB" / "manifest.json").is_file()  # installed, kept


def test_the_cache_can_be_kept_outside_the_output_folder(tmp_path: Path) -> None:
    args = ["build", str(DATA / "minimal"), "--format", "docx", "--format", "audio", "--tts",
            "espeak", "--templates", "none", "--today", BEFORE_DUE.isoformat()]
    runner = CliRunner(mix_stderr=False)
    kept = runner.invoke(cli, [*args, "--out", str(tmp_path / "out"), "--cache",
                               str(tmp_path / "cache")])
    assert kept.exit_code == 0, kept.stderr
    assert not (tmp_path / "out" / ".cache").exists()
    assert any(path.is_file() for path in (tmp_path / "cache").rglob("*"))
    default = runner.invoke(cli, [*args, "--out", str(tmp_path / "default")])
    assert default.exit_code == 0, default.stderr
    assert (tmp_path / "default" / ".cache").is_dir()
    ours, theirs = (tmp_path / name / "minimal-leaflet" / "en-GB" for name in ("out", "default"))
    same = filecmp.dircmp(ours, theirs)
    assert not same.left_only and not same.right_only
    different = [name for name in filecmp.cmpfiles(ours, theirs, same.common_files,
                                                   shallow=False)[1]]
    assert different in ([], ["manifest.json"])
