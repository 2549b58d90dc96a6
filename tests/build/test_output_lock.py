"""One build at a time into an output folder: a second waits and says so; a dead holder frees it.

Each test runs real processes: one holding the output folder's lock (``build.lock``), and a
real ``lmets-docs build`` into the same folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import BEFORE_DUE, DATA

CLI = [sys.executable, "-m", "lmets_docs"]
STRACE = shutil.which("strace") or "/usr/bin/strace"
HOLD = ("import sys; from pathlib import Path; from lmets_docs.build.lock import output_lock\n"
        "with output_lock(Path(sys.argv[1])):\n"
        "    print('held', flush=True); sys.stdin.readline()\n")
TIMEOUT_S = 120


def _build_args(source: Path, out: Path) -> list[str]:
    return [*CLI, "build", str(source), "--format", "docx", "--out", str(out), "--templates",
            "none", "--today", BEFORE_DUE.isoformat()]


def _holder(out: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def _until_said(path: Path, text: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while text not in path.read_text(encoding="utf-8"):
        assert process.poll() is None, path.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, path.read_text(encoding="utf-8")
        time.sleep(0.1)


@pytest.mark.parametrize("ends", ["releases", "is killed"])
def test_a_second_build_waits_for_the_first_saying_so(tmp_path: Path, ends: str) -> None:
    out = tmp_path / "out"
    holder = _holder(out)
    said = tmp_path / "stderr.txt"
    with said.open("w", encoding="utf-8") as stderr:
        build = subprocess.Popen(_build_args(DATA / "minimal", out), cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        _until_said(said, "another build is writing into this output folder; waiting", build)
        time.sleep(1.0)
        assert build.poll() is None  # still waiting
        assert not (out / "minimal-leaflet").exists()  # nothing written while it waits
    finally:
        if ends == "releases":
            holder.communicate("\n", timeout=TIMEOUT_S)
        else:
            os.kill(holder.pid, signal.SIGKILL)  # the kernel frees the lock of a dead process
            holder.communicate(timeout=TIMEOUT_S)
    stdout, _ = build.communicate(timeout=TIMEOUT_S)
    assert build.returncode == 0, said.read_text(encoding="utf-8")
    assert "1 written, 0 up to date" in stdout
    assert (out / "minimal-leaflet" / "en-GB" / "manifest.json").is_file()


def test_two_real_builds_at_once_do_the_work_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = _build_args(DATA / "minimal", out)
    first, second = (subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(2))
    said = [process.communicate(timeout=TIMEOUT_S) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], said
    counts = sorted(next(line for line in stdout.splitlines() if "written," in line)
                    for stdout, _ in said)
    assert counts == ["0 written, 1 up to date", "1 written, 0 up to date"], said


@pytest.mark.parametrize(("error", "said"), [
    ("EROFS", "the output folder is on a read-only file system; nothing was written"),
    ("EACCES", "the output folder is read-only to you"),
    ("ENOSPC", "the disk is full; nothing was written"),
])
def test_an_output_folder_that_cannot_be_written_is_said_plainly(
    tmp_path: Path, error: str, said: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".lmets-docs.lock"
    result = subprocess.run([STRACE, "-f", "-qq", "-o", str(tmp_path / "strace.log"), "-P",
                             str(lock), "-e", f"inject=openat:error={error}",
                             *_build_args(DATA / "minimal", out)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT_S,
                            check=False)
    assert result.returncode == 1
    assert f"Error: {out}: {said}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (out / "minimal-leaflet").exists()


@pytest.mark.parametrize("place", ["a file", "under a file", "a symbolic link loop"])
def test_an_output_folder_that_is_not_a_folder_is_said_plainly(tmp_path: Path,
                                                               place: str) -> None:
    """A file where the output folder goes, or a link loop, is named as such, not as the
    errno's "File exists" (session 36's fresh-eyes test: ``--out`` given a file)."""
    (tmp_path / "a-file").write_text("notes\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to("loop")
    out = {"a file": tmp_path / "a-file", "under a file": tmp_path / "a-file" / "out",
           "a symbolic link loop": tmp_path / "loop"}[place]
    result = subprocess.run(_build_args(DATA / "minimal", out), cwd=tmp_path,
                            capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert result.returncode == 1
    assert f"Error: {out}: not a folder: a file, or a symbolic link that leads to no folder, " \
           "is in its place or on its path; give --out a folder" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "notes\n"
    assert (tmp_path / "loop").readlink() == Path("loop")
