"""Let one build at a time write into an output folder: a second one waits, and says so.

Two builds into one folder would both do all the work, and the last to install would win
silently. So a build holds an exclusive ``flock`` on ``OUT/.lmets-docs.lock`` from before it
looks at what is up to date until its last leaflet is installed. A second build waits for it
(saying so once) rather than refusing: a scheduled rebuild and an author's build then both
finish, one after the other, and the second finds up to date what the first built (its stamp)
instead of writing it again. The kernel releases the lock when its holder dies, whatever
killed it, so a crashed build never blocks the next.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from lmets_docs.errors import BuildError

log = logging.getLogger(__name__)
LOCK_FILE = ".lmets-docs.lock"


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock while the block runs; wait for another build's first."""
    fd = _open(out)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("%s: another build is writing into this output folder; waiting for it "
                        "to end (Ctrl-C stops)", out)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _open(out: Path) -> int:
    """Open (making it, and the output folder, if need be) the lock file; say why not."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        return os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise BuildError(f"{out}: {_cannot_write(exc)}") from exc


def _cannot_write(exc: OSError) -> str:
    """Say in plain words why the output folder cannot be written."""
    if exc.errno == errno.EROFS:
        return "the output folder is on a read-only file system; nothing was written"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "the output folder is read-only to you (no permission to write in it); " \
               "nothing was written"
    if exc.errno == errno.ENOSPC:
        return "the disk is full; nothing was written"
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.ELOOP):
        return "not a folder: a file, or a symbolic link that leads to no folder, is in " \
               "its place or on its path; give --out a folder; nothing was written"
    return f"cannot write the outputs ({exc.strerror or exc}); nothing was written"
