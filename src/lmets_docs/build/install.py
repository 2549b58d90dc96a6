"""Install a built language folder all at once, or not at all.

A build writes the complete new ``<out>/<id>/<lang>/`` (every format, the files of formats it
did not rebuild linked in from the old folder, and the manifest) beside the old one, as
``<out>/<id>/.tmp-<lang>-<hex>``, and then swaps the two names in one step: Linux's
``renameat2(RENAME_EXCHANGE)``. A reader, a killed build or a full disk sees the old folder or
the new one, never a mixture. The old folder, now under the temporary name, is removed.

Why an exchange rather than a versioned folder behind a symlink: the output keeps its plain
layout (no symlink for a clinic's file share, a zip or ``check`` to follow), and the
exchange needs no journal. Where the exchange is not available (another kernel or file
system), two renames do it: the old folder becomes ``.old-<lang>-<hex>``, then the new one
takes its name; a build killed between the two leaves an ``.old-`` folder and no ``<lang>``,
which the next build puts back (:func:`clean_stale`).

Durable before it is swapped in: each file of the new folder is flushed to disk (``fsync``) by
the writer process that wrote it (:func:`flush_soon` as it is written, :func:`flush` once it
is checked), and whatever the writers did not flush (the manifest, the files kept from the
old folder, the folders themselves) by :func:`sync_tree`; only then does the swap happen. The
old folder, once swapped out, can go after the build has said it is done
(:func:`removed_last`): a build killed before that leaves it under its temporary name, which
the next build removes.

Every build in progress holds a lock on its temporary folder; the next build removes any
``.tmp-`` folder whose lock nobody holds (its build was killed). This module imports only the
standard library: the unchanged-rebuild fast path runs it too.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)

TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
TEMPORARY_FILE = re.compile(r"\..+\.[0-9a-f]{8}")
STALE_FILE_S = 3600
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_SYNC_FILE_RANGE_WRITE = 2
_LATER: list[list[Path | Callable[[], object]]] = []
"""What each ``removed_last`` block (innermost last) does when it ends: the old folders it
removes, and the waits ``later`` puts off."""


class Stage:
    """A language folder being built beside the installed one, locked while it is alive."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder.parent / f"{TMP_PREFIX}{folder.name}-{_token()}"
        self._lock: int | None = None
        self.swapped = False
        self.old: Path | None = None
        """Where the old folder went when the stage took its place (None: there was none)."""

    def open(self) -> Path:
        """Create the stage folder and lock it; return its path."""
        with _leaflet_lock(self.path.parent):  # no clean-up sees it unlocked
            self.path.mkdir()
            self._lock = _lock(self.path)
        return self.path

    def close(self) -> None:
        """Remove the old folder swapped out, or a stage never swapped in; release the lock."""
        if self.swapped:
            if self.old is not None:
                remove(self.old)
        else:
            remove(self.path, now=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        with contextlib.suppress(OSError):  # not empty: the leaflet's languages live there
            self.path.parent.rmdir()


def _lock(folder: Path) -> int:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def carry_over(old: Path, new: Path, skip: set[str]) -> None:
    """Link every file of ``old`` into ``new`` that the new build did not write or drop.

    ``skip`` holds relative paths (POSIX) not to carry: the manifest and the files of the
    formats that were rebuilt. A hard link costs nothing and cannot change the old file;
    where links are not allowed the file is copied.
    """
    import shutil  # noqa: PLC0415 (see ``_token``)

    if not old.is_dir():
        return
    for rel in _regular_files(old):
        target = new / rel
        if rel.as_posix() in skip or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old / rel, target)
        except OSError:
            shutil.copy2(old / rel, target)


def _regular_files(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in sorted(dirs) if not d.startswith((TMP_PREFIX, OLD_PREFIX))]
        for name in sorted(names):
            path = Path(folder, name)
            if stat.S_ISREG(path.lstat().st_mode):
                yield path.relative_to(root)


def sync_tree(root: Path, flushed: Iterable[str] = ()) -> None:
    """Flush every file and folder under ``root`` to disk, so a power cut cannot tear it.

    ``flushed``: files (relative POSIX paths) their writers have flushed already (``flush``).
    """
    done = set(flushed)
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if Path(folder, name).relative_to(root).as_posix() not in done:
                _fsync(Path(folder, name), os.O_RDONLY)
        _fsync(Path(folder), os.O_RDONLY | os.O_DIRECTORY)


def flush_soon(paths: Iterable[Path]) -> None:
    """Ask the kernel to start writing the files to disk now, without waiting for it.

    A hint (Linux's ``sync_file_range``; nothing where there is none): ``flush``, later, then
    finds the pages on their way and waits for less.
    """
    start = _sync_file_range()
    if start is None:
        return
    for path in paths:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        try:
            start(fd, 0, 0, _SYNC_FILE_RANGE_WRITE)
        finally:
            os.close(fd)


def flush(paths: Iterable[Path]) -> None:
    """Flush the files to disk (``fsync``); OSError if the disk cannot take them."""
    for path in paths:
        _fsync(path, os.O_RDONLY)


def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    import ctypes  # noqa: PLC0415 (as in ``_exchange``)

    call = getattr(ctypes.CDLL(None, use_errno=True), "sync_file_range", None)
    if call is not None:
        call.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    return call


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap(stage: Stage) -> None:
    """Put the stage folder in the place of the installed one, in one atomic step.

    The old folder is then at ``stage.old``, removed when the stage is closed (``remove``).
    """
    folder = stage.folder
    with _leaflet_lock(folder.parent):
        if not folder.exists():
            os.rename(stage.path, folder)
        elif _exchange(stage.path, folder):
            stage.old = stage.path
        else:
            stage.old = _two_renames(stage.path, folder)
        stage.swapped = True
    _fsync(folder.parent, os.O_RDONLY | os.O_DIRECTORY)


def remove(folder: Path, now: bool = False) -> None:
    """Remove a folder no build needs (at the end of a ``removed_last`` block, unless ``now``)."""
    import shutil  # noqa: PLC0415 (see ``_token``)

    if _LATER and not now:
        _LATER[-1].append(folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def removed_last() -> Iterator[None]:
    """Remove the old folders that swaps put aside within this block only when it ends.

    A build's caller can so say what was built before the old outputs, which nobody needs
    any more, are deleted. Killed before the end, they are left under their temporary names
    (no build holds their lock), and the next build removes them (``clean_stale``). The
    build's writer processes are waited for then too (``later``): they end meanwhile.
    """
    _LATER.append([])
    try:
        yield
    finally:
        for step in _LATER.pop():
            if isinstance(step, Path):
                remove(step, now=True)
            else:
                step()


def later(wait: Callable[[], object]) -> None:
    """Call ``wait`` (for the end of the build's writer processes) at the end of the innermost
    ``removed_last`` block, after the old folders are removed; at once outside one."""
    if _LATER:
        _LATER[-1].append(wait)
    else:
        wait()


def _exchange(new: Path, folder: Path) -> bool:
    """Exchange two names atomically; False if this system cannot."""
    import ctypes  # noqa: PLC0415 (only when installing: the fast path never swaps)

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(folder),
                     _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(folder))


def _two_renames(new: Path, folder: Path) -> Path:
    """Move the old folder aside, then the new one in; return where the old one went."""
    old = folder.parent / f"{OLD_PREFIX}{folder.name}-{_token()}"
    os.rename(folder, old)
    os.rename(new, folder)
    return old


@contextlib.contextmanager
def _leaflet_lock(folder: Path) -> Iterator[None]:
    """Hold a lock on a leaflet's output folder: one swap or clean-up there at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def clean_stale(out: Path) -> None:
    """Remove what killed builds left under ``out``; put back a folder half swapped."""
    if not out.is_dir():
        return
    for leaflet in sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink()):
        try:
            if any(p.name.startswith((TMP_PREFIX, OLD_PREFIX)) for p in leaflet.iterdir()):
                with _leaflet_lock(leaflet):
                    _clean_leaflet(leaflet)
        except OSError as exc:  # unreadable: the build itself will say what is wrong
            log.debug("cannot clean %s: %s", leaflet, exc)


def _clean_leaflet(leaflet: Path) -> None:
    import shutil  # noqa: PLC0415 (see ``_token``)

    for path in sorted(leaflet.iterdir()):
        if path.name.startswith(OLD_PREFIX) and path.is_dir():
            _restore_or_remove(path)
        elif path.name.startswith(TMP_PREFIX) and _abandoned(path):
            log.info("removing %s, left by a build that did not finish", path)
            shutil.rmtree(path, ignore_errors=True)


def _restore_or_remove(old: Path) -> None:
    import shutil  # noqa: PLC0415 (see ``_token``)

    lang = old.name.removeprefix(OLD_PREFIX).rsplit("-", 1)[0]
    folder = old.parent / lang
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
    else:
        log.warning("%s: putting back the outputs of a build killed while installing", folder)
        os.rename(old, folder)


def _abandoned(path: Path) -> bool:
    """Say whether a temporary folder's build is gone (nobody holds its lock)."""
    if not path.is_dir() or path.is_symlink():
        return True
    try:
        fd = _lock(path)
    except BlockingIOError:
        return False  # a build running now
    except OSError:
        return True
    os.close(fd)
    return True


def clean_files(folder: Path, older_than_s: float = STALE_FILE_S) -> None:
    """Remove temporary files (``.<name>.<8 hex>``) that killed builds left under ``folder``.

    Only old ones: a build running now may be about to rename its own.
    """
    if not folder.is_dir():
        return
    limit = time.time() - older_than_s
    for path in folder.rglob(".*"):
        if TEMPORARY_FILE.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()


def _token() -> str:
    """Return 8 random hex digits (from ``uuid4``), for a temporary name of this build's own.

    ``uuid`` and ``shutil`` are imported where used, not at the top: the unchanged build's
    shortcut (``launch``) imports this module, and those two would cost it a tenth of its time.
    """
    import uuid  # noqa: PLC0415

    return uuid.uuid4().hex[:8]
