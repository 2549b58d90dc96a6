"""Keep what the writers and checkers would otherwise work out in every process, once per user.

The pdf writer keeps WeasyPrint's C declarations (``cffi``) and its templates' compiled code
(``jinja``) here; the checks keep each language's date patterns (``dates``: ``scan_dates``).

The folder is ``$XDG_CACHE_HOME/lmets-docs`` (``~/.cache/lmets-docs``), as fontconfig keeps its
font list in ``~/.cache/fontconfig``. Each file is written in one step (a new file renamed
into place) and begins with the SHA-256 of the rest, so a damaged file is never read: it is
made again. A folder that cannot be written costs the making only; nothing fails for it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
DIGEST = 32
"""Bytes of SHA-256 in front of a kept file's payload."""


def folder(name: str) -> Path | None:
    """Return the user's cache folder for ``name`` (not made yet), or None without a home."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (KeyError, RuntimeError):  # no home folder known
        return None
    return base / "lmets-docs" / name


def read(path: Path) -> bytes | None:
    """Return the payload kept in ``path``, or None if it is missing, unreadable or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = data[DIGEST:]
    if len(data) <= DIGEST or hashlib.sha256(payload).digest() != data[:DIGEST]:
        log.debug("%s is damaged: made again", path)
        return None
    return payload


def keep(path: Path, payload: bytes) -> None:
    """Write the payload, after its SHA-256, to ``path`` in one step, if it can."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as tmp:
            try:
                tmp.write(hashlib.sha256(payload).digest() + payload)
                tmp.close()
                os.replace(tmp.name, path)
            except BaseException:
                os.unlink(tmp.name)
                raise
    except OSError as exc:  # a read-only or full disk
        log.debug("not kept in %s: %s", path, exc)
