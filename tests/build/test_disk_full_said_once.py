"""A full disk met by every writer is said once per build, after which each leaflet language
not updated (ut-library finding 6): not one errno line per format in each writer's words, nor
"is the cache folder writable?".

The fault: every file opened for writing under the output folder (its speech cache too) fails
with ENOSPC, in this process and the writer processes it forks (real writers: the DOCX, the
PDF, the narration with espeak-ng).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lmets_docs.errors import DiskFullError
from tests.check.test_library import NEW, OLD, build, make_library

FORMATS = ("--format", "docx", "--format", "pdf", "--format", "audio", "--tts", "espeak")


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.parts and ".stamps" not in p.parts}


def _full_under(out: Path, real: Callable[..., Any]) -> Callable[..., Any]:
    def opened(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        writing = any(c in mode for c in "wax+")
        if writing and isinstance(file, (str, os.PathLike)) and \
                str(Path(os.fspath(file)).absolute()).startswith(f"{out}{os.sep}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(file))
        return real(file, mode, *args, **kwargs)
    return opened


def test_a_full_disk_is_said_once_then_each_leaflet_language_not_updated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, out = make_library(tmp_path), tmp_path / "out"
    first = build(content, out, *FORMATS)
    assert first.exit_code == 0, first.output + first.stderr
    before = _files(out)
    shared = content / "contacts.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    monkeypatch.setattr(builtins, "open", _full_under(out.absolute(), builtins.open))
    monkeypatch.setattr(io, "open", _full_under(out.absolute(), io.open))
    full = build(content, out, *FORMATS)
    monkeypatch.undo()
    assert full.exit_code == 1
    lines = full.stderr.splitlines()
    said = [n for n, line in enumerate(lines) if "the disk is full" in line]
    assert len(said) == 1, full.stderr
    assert lines[said[0]].startswith("Error: not written: the disk is full (")
    # c, whose contacts did not change, had its folder refreshed (its manifest) when the
    # disk was full: not updated either
    assert lines[said[0] + 1:] == [f"{name} (en-GB): not updated; the previous outputs are kept"
                                   for name in ("a", "b", "c")], full.stderr
    for wrong in ("Errno", "No space left", "writable?", "because", "ERROR:"):
        assert wrong not in full.stderr, (wrong, full.stderr)
    assert _files(out) == before  # the last good outputs, byte for byte
    assert not list(out.rglob(".tmp-*"))
    again = build(content, out, *FORMATS)
    assert again.exit_code == 0, again.stderr
    assert "6 written, 3 up to date" in again.output  # a and b, in three formats each


def test_a_full_disk_crosses_from_a_writer_process_whole() -> None:
    import pickle  # noqa: PLC0415

    error = pickle.loads(pickle.dumps(DiskFullError("/out/a.pdf")))
    assert (error.path, str(error)) == ("/out/a.pdf", "/out/a.pdf: not written: the disk is full")
