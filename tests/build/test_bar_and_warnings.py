"""A warning said while a library's progress bar is drawn starts on a line of its own
(ut-library finding 9): a real build on a pseudo-terminal, its output read back."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from tests.check.test_library import OWN, leaflet

OVERDUE = "OUT OF DATE"


def _in_a_terminal(command: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``command`` with its stdout and stderr a pseudo-terminal; return its exit, output."""
    master, slave = pty.openpty()
    run = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave,
                           stderr=slave)
    os.close(slave)
    said = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer ended
            break
        if not chunk:
            break
        said += chunk
    os.close(master)
    return run.wait(timeout=120), said.decode("utf-8", "replace")


def test_a_warning_said_while_the_bar_is_drawn_clears_its_line_first(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a", "b", "c", "d"):
        leaflet(content, name, OWN.replace("    own:", "    helpline:"))
    path = content / "a" / "leaflet.yaml"  # the first installed: the bar goes on after it
    path.write_text(path.read_text(encoding="utf-8").replace("2028-01-15", "2026-01-15"),
                    encoding="utf-8")
    status, said = _in_a_terminal(
        [sys.executable, "-m", "lmets_docs", "build", str(content), "--format", "docx",
         "--out", str(tmp_path / "out"), "--templates", "none", "--today", "2026-06-01",
         "--jobs", "1"], tmp_path)
    assert status == 1, said  # "a" is overdue: check's error, though every leaflet is built
    [warning] = [m.start() for m in re.finditer(r"WARNING: [^\r\n]*" + OVERDUE, said)]
    before = said[:warning]
    assert "leaflets  [" in before and "100%" not in before, said  # said while it was drawn
    assert before.endswith("%\r\x1b[K"), repr(before[-80:])  # its line erased first
    assert "leaflets  [" in said[warning:], said  # and the bar drawn again after it
