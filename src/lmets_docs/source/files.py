"""Read only regular files inside a leaflet folder: never follow a link out, never block.

A leaflet folder may hold a symbolic link to nowhere, one leading out of the folder, a FIFO
or a device; reading those would fail with a traceback, block for ever or never end. Every
such entry is refused by name (``validate`` and ``build`` alike), and every file is opened
without blocking, checked to be a regular file on the open descriptor, and read only up to
a limit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from lmets_docs.errors import Problem, UnsafeFileError

MAX_ENTRIES = 5_000
"""More files than any leaflet needs: a folder with more is refused, not walked for ever."""
KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def read_file(path: Path, limit: int, kind: str = "a leaflet source") -> bytes:
    """Return a regular file's bytes; UnsafeFileError if it is anything else or too large.

    ``kind`` names what the file should be, for the message of one that is too large.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise UnsafeFileError(f"cannot read the file ({exc.strerror})") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # (before fdopen, which refuses a folder with a traceback)
        os.close(fd)
        raise UnsafeFileError(f"not a regular file: it is {_kind(mode)}")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFileError(f"file is too large (over {limit} bytes) for {kind}")
    return data


def _kind(mode: int) -> str:
    return KINDS.get(stat.S_IFMT(mode), "not a file")


def folder_problems(folder: Path) -> list[Problem]:
    """Return a problem for each entry of a leaflet folder that is not a plain file or folder."""
    root = folder.resolve()
    problems: list[Problem] = []
    for count, path in enumerate(_entries(folder), start=1):
        if count > MAX_ENTRIES:
            return [*problems, Problem(folder, None, f"more than {MAX_ENTRIES} files; a "
                                       "leaflet folder holds its text, facts and images only")]
        if (message := _entry_problem(path, root)) is not None:
            problems.append(Problem(path, None, message))
    return problems


def _entries(folder: Path) -> Iterator[Path]:
    for parent, dirs, names in os.walk(folder):  # links to folders are listed, not followed
        dirs.sort()
        yield from (Path(parent, name) for name in sorted([*dirs, *names]))


def _entry_problem(path: Path, root: Path) -> str | None:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return _link_problem(path, root)
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"{_kind(mode)} has no place in a leaflet folder; remove it"


def _link_problem(path: Path, root: Path) -> str | None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return f"a symbolic link to nothing ({os.readlink(path)}); remove it"
    if not target.is_relative_to(root):
        return (f"a symbolic link leading out of the leaflet folder (to {target}); copy the "
                "file into the folder instead")
    mode = target.stat().st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"a symbolic link to {_kind(mode)}; remove it"
