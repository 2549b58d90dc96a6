"""Read a font's /ToUnicode CMap, and find the glyphs it gives no text, or text that is no text.

A ToUnicode CMap says which text each glyph code stands for: ``bfchar`` entries one code at a
time, ``bfrange`` entries a run of codes. Its destinations are UTF-16BE strings of at least
one character (ISO 32000-1, 9.10.3). WeasyPrint writes an empty one, ``<0013> <>``, for each
glyph but the first of a letter shaped as several glyphs (Noto Sans Arabic draws a dotted
letter as a dotless skeleton and a dots glyph; Kozea/WeasyPrint #2841, open): the letter
is read from one glyph, and that glyph keeps the first letter it stood for everywhere it
is used, so extracted and spoken text is wrong. Such a map is refused.

The reader is small and strict: it reads ``beginbfchar``/``beginbfrange`` sections of hex
strings, and a map that cannot be read is itself a finding, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)
TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|[^\s<>\[\]]+")
MAX_RANGE = 0x10000
"""The most codes one ``bfrange`` may span: two-byte codes (WeasyPrint's Identity-H)."""


@dataclass
class ToUnicode:
    """A CMap read: each code's text, and the codes whose destination is not text."""

    texts: dict[int, str] = field(default_factory=dict)
    empty: set[int] = field(default_factory=set)
    """Codes mapped to an empty or unreadable (odd-length, unpaired surrogate) destination."""
    malformed: list[str] = field(default_factory=list)
    """What could not be read at all (an entry without its destination, a range too wide)."""


def read_to_unicode(data: bytes) -> ToUnicode:
    """Read the ``bfchar`` and ``bfrange`` entries of a ToUnicode CMap's bytes."""
    cmap = ToUnicode()
    for kind, body in SECTION.findall(data):
        tokens = [m.group(0) for m in TOKEN.finditer(body)]
        if kind == b"bfchar":
            _chars(tokens, cmap)
        else:
            _ranges(tokens, cmap)
    return cmap


def _hex(token: bytes) -> bytes | None:
    """Return the bytes of a ``<hex>`` token, or None for any other token or odd digits."""
    if not (token.startswith(b"<") and token.endswith(b">")):
        return None
    digits = re.sub(rb"\s", b"", token[1:-1])
    return bytes.fromhex(digits.decode("ascii")) if len(digits) % 2 == 0 else None


def _text(destination: bytes) -> str | None:
    """Return a destination's text, or None when it is empty or not UTF-16BE."""
    try:
        text = destination.decode("utf-16-be")
    except UnicodeDecodeError:
        return None
    return text or None


def _put(cmap: ToUnicode, code: int, destination: bytes) -> None:
    text = _text(destination)
    if text is None:
        cmap.empty.add(code)
    else:
        cmap.texts[code] = text


def _chars(tokens: list[bytes], cmap: ToUnicode) -> None:
    if len(tokens) % 2:
        cmap.malformed.append("a bfchar entry has no destination")
    for source, destination in zip(tokens[::2], tokens[1::2], strict=False):
        code, text = _hex(source), _hex(destination)
        if code is None or text is None:
            cmap.malformed.append(f"bfchar entry {source[:20]!r} {destination[:20]!r}")
        else:
            _put(cmap, int.from_bytes(code, "big"), text)


def _ranges(tokens: list[bytes], cmap: ToUnicode) -> None:
    for low, high, destination in _triples(tokens, cmap):
        first, last = _hex(low), _hex(high)
        if first is None or last is None or not first or len(first) != len(last):
            cmap.malformed.append(f"bfrange entry {low[:20]!r} {high[:20]!r}")
            continue
        start, end = int.from_bytes(first, "big"), int.from_bytes(last, "big")
        if end < start or end - start >= MAX_RANGE:
            cmap.malformed.append(f"bfrange {start:#x}-{end:#x} runs backwards or too far")
            continue
        for offset, target in enumerate(_targets(destination, end - start + 1)):
            if target is None:
                cmap.malformed.append(f"bfrange {start:#x}-{end:#x} has no destination")
                break
            _put(cmap, start + offset, target)


def _triples(tokens: list[bytes], cmap: ToUnicode) -> Iterator[tuple[bytes, bytes, list[bytes]]]:
    """Yield (low, high, destination tokens) for each range; an array is one destination."""
    index = 0
    while index + 2 < len(tokens):
        low, high, index = tokens[index], tokens[index + 1], index + 2
        if tokens[index] == b"[":
            end = tokens.index(b"]", index) if b"]" in tokens[index:] else len(tokens)
            yield low, high, tokens[index + 1:end]
            index = end + 1
        else:
            yield low, high, [b"+", tokens[index]]
            index += 1
    if index < len(tokens):
        cmap.malformed.append("a bfrange entry is cut short")


def _targets(destination: list[bytes], count: int) -> Iterator[bytes | None]:
    """Yield the destination of each code of a range: an array's items, or one string whose
    last byte counts up (``+`` marks the single-string form)."""
    if destination[:1] == [b"+"]:
        base = _hex(destination[1])
        if base is None or not base:
            yield None
            return
        for offset in range(count):
            yield base[:-1] + bytes([(base[-1] + offset) % 256])
        return
    for offset in range(count):
        yield _hex(destination[offset]) if offset < len(destination) else None
