"""What the speech cache and the track cache share: atomic writes, and records that prove
what a cached file is (its key and SHA-256), checked on every use.

Several builds may share a cache, so a file appears whole or not at all (temporary name, then
``os.replace``), and a cached file is trusted only when its record names the same key and hash.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from lmets_docs.errors import NarrationError, raise_if_disk_full

Mismatch = Literal["record", "key", "sha256"]


def record_for(key: str, data: bytes, **more: object) -> dict[str, object]:
    """Return the record kept beside a cached file: its key, SHA-256 and what else is given."""
    return {"key": key, "sha256": hashlib.sha256(data).hexdigest(), **more}


def mismatch(record: object, key: str, data: bytes, field: str, kind: type,
             says: Mapping[Mismatch, str]) -> str | None:
    """Say what in ``record`` does not match ``data`` cached under ``key``, or None.

    ``field`` is the record's own entry, which must be of ``kind`` (else the record is damaged);
    ``says`` words each kind of mismatch for the cache's warning (a changed file gets its size).
    """
    if not isinstance(record, dict) or not isinstance(record.get(field), kind):
        return says["record"]
    if record.get("key") != key:
        return says["key"]
    if record.get("sha256") != hashlib.sha256(data).hexdigest():
        return f"{says['sha256']} ({len(data)} bytes)"
    return None


def write_atomic(path: Path, data: bytes, cache: str) -> None:
    """Write ``data`` to ``path`` whole or not at all; NarrationError naming the ``cache``."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise_if_disk_full(exc, path)
        raise NarrationError(f"{path}: cannot write the {cache} ({exc.strerror}); "
                             "is the cache folder writable?") from exc
