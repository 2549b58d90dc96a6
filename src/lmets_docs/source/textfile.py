"""Read a source text file, turning every way it can be unreadable into a ``Problem``."""

from __future__ import annotations

from pathlib import Path

from lmets_docs.errors import Problem

MAX_SOURCE_BYTES = 2_000_000


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Return the file's text, or None with the problems that stopped it being read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, None, f"cannot read the file ({exc.strerror})")]
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [
            Problem(path, None, f"file is too large ({len(raw)} bytes) for a leaflet source")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                path,
                line,
                f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            )
        ]
    if not text.strip():
        return None, [Problem(path, None, "file is empty")]
    return text, []
