"""Read a font's /ToUnicode CMap, and find the glyphs it gives no text, or text that is no text.

A ToUnicode CMap says which text each glyph code stands for: ``bfchar`` entries one code at a
time, ``bfrange`` entries a run of codes. Its destinations are UTF-16BE strings of at least
one character (ISO 32000-1, 9.10.3). WeasyPrint writes an empty one, ``<0013> <>``, for each
glyph but the first of a letter shaped as several glyphs (Noto Sans Arabic draws a dotted
letter as a dotless skeleton and a dots glyph; Kozea/WeasyPrint #2841, open): the letter
is read from one glyph, and that glyph keeps the first letter it stood for everywhere it
is used, so extracted and spoken text is wrong. Such a map is refused.

The map is tokenised by pdfminer.six's own CMap parser (a linear PostScript tokenizer, kept by
the pdfplumber this project reads PDFs with); its ``bfchar`` and ``bfrange`` sections are read
here, strictly, as the parser meets them. A map is small (WeasyPrint's are a few kilobytes):
one that is too large, maps too many codes, or cannot be read is itself a finding, never an
exception nor a long wait — the stream is decoded at most ``MAX_BYTES`` far, and no more
than ``MAX_CODES`` codes are read in all.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pdfminer.cmapdb import CMapParser, FileUnicodeMap
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSKeyword, PSLiteral

MAX_RANGE = 0x10000
"""The most codes one ``bfrange`` may span: two-byte codes (WeasyPrint's Identity-H)."""
MAX_CODES = 0x10000
"""The most codes a whole map may give text (every two-byte code once)."""
MAX_BYTES = 1 << 17
"""The most bytes of a decoded map read: WeasyPrint writes a few kilobytes (a font's map lists
only the glyphs used); pdfminer tokenises the worst 128 KiB in about half a second of CPU."""
HEX_STRING = re.compile(rb"(?<!<)<(?!<)([^<>]*)>")
"""A ``<hex>`` string (not a ``<<`` dictionary's bracket); linear, never backtracking far."""


@dataclass
class ToUnicode:
    """A CMap read: each code's text, and the codes whose destination is not text."""

    texts: dict[int, str] = field(default_factory=dict)
    empty: set[int] = field(default_factory=set)
    """Codes mapped to an empty or unreadable (odd-length, unpaired surrogate) destination."""
    malformed: list[str] = field(default_factory=list)
    """What could not be read at all (an entry without its destination, a range too wide)."""


class _TooManyCodesError(Exception):
    """Raised to stop reading a map that gives more than ``MAX_CODES`` codes."""


def read_stream(stream: pikepdf.Stream) -> ToUnicode:
    """Read a /ToUnicode stream, decoding at most ``MAX_BYTES + 1`` of it (no Flate bomb)."""
    try:
        return read_to_unicode(_decoded(stream))
    except _UnreadStreamError as reason:
        return ToUnicode(malformed=[str(reason)])


class _UnreadStreamError(Exception):
    """Raised for a stream the check does not decode; its message says why."""


def _decoded(stream: pikepdf.Stream) -> bytes:
    """Return a stream's bytes, cut after ``MAX_BYTES + 1``.

    Only unfiltered and plain Flate streams are read (WeasyPrint writes Flate); a Flate
    stream is inflated through ``zlib`` with a bound, which pikepdf's ``read_bytes`` has not.
    """
    filters = stream.get("/Filter")
    names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    raw = bytes(stream.read_raw_bytes())
    if not names:
        return raw[:MAX_BYTES + 1]
    if names != [pikepdf.Name.FlateDecode] or "/DecodeParms" in stream:
        raise _UnreadStreamError(f"its stream is encoded as {filters}, which is not decoded")
    try:
        return zlib.decompressobj().decompress(raw, MAX_BYTES + 1)
    except zlib.error as problem:
        raise _UnreadStreamError(f"its stream cannot be inflated ({problem})") from None


def read_to_unicode(data: bytes) -> ToUnicode:
    """Read the ``bfchar`` and ``bfrange`` entries of a ToUnicode CMap's bytes."""
    cmap = ToUnicode()
    if len(data) > MAX_BYTES:
        cmap.malformed.append(f"the map is longer than {MAX_BYTES} bytes")
        return cmap
    if (bad := _bad_hex(data)) is not None:
        cmap.malformed.append(f"hex string <{bad[:20].decode('latin-1')}> is not whole bytes")
    try:
        cmap.malformed += _Parser(cmap, data).read()
    except _TooManyCodesError:
        cmap.malformed.append(f"the map gives more than {MAX_CODES} codes")
    except (PSException, AssertionError, ValueError, TypeError, KeyError) as problem:
        cmap.malformed.append(f"the map cannot be parsed ({type(problem).__name__})")
    return cmap


def _bad_hex(data: bytes) -> bytes | None:
    """Return the first hex string's digits that are odd in number or not hex, if any."""
    for match in HEX_STRING.finditer(data):
        digits = re.sub(rb"\s", b"", match.group(1))
        if len(digits) % 2 or not re.fullmatch(rb"[0-9A-Fa-f]*", digits):
            return digits
    return None


class _Codes(FileUnicodeMap):
    """The map pdfminer's parser fills: it only counts, so that a ``cidrange`` (no part of
    a ToUnicode map) cannot run on; the ``bf`` entries are read by ``_Parser``."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def add_cid2unichr(self, cid: int, code: PSLiteral | bytes | int) -> None:
        """Count one code, and stop the reading past ``MAX_CODES``."""
        self.count += 1
        if self.count > MAX_CODES:
            raise _TooManyCodesError


class _Parser(CMapParser):
    """pdfminer's CMap parser, its ``bfchar`` and ``bfrange`` sections read into a
    ``ToUnicode``; ``usecmap`` (naming a CMap file to load) is refused, not followed."""

    def __init__(self, cmap: ToUnicode, data: bytes) -> None:
        self.codes = _Codes()
        super().__init__(self.codes, io.BytesIO(data))
        self.found = cmap
        self.open_section = ""

    def read(self) -> list[str]:
        """Read the whole map; return what was left open at its end."""
        self.run()
        left = [f"a {self.open_section} section is not closed"] if self.open_section else []
        return left + (["an array or dictionary is not closed"] if self.context else [])

    def do_keyword(self, pos: int, token: PSKeyword) -> None:
        """Read a ``bfchar`` or ``bfrange`` section at its end; leave the rest to pdfminer."""
        if token in (self.KEYWORD_BEGINBFCHAR, self.KEYWORD_BEGINBFRANGE):
            self.open_section = token.name.decode("latin-1").removeprefix("begin")
        if not self._in_cmap or token not in (
                self.KEYWORD_ENDBFCHAR, self.KEYWORD_ENDBFRANGE, self.KEYWORD_USECMAP):
            super().do_keyword(pos, token)
            return
        objects = [obj for _, obj in self.popall()]
        self.open_section = ""
        if token is self.KEYWORD_ENDBFCHAR:
            self._chars(objects)
        elif token is self.KEYWORD_ENDBFRANGE:
            self._ranges(objects)
        else:
            self.found.malformed.append("the map uses another CMap (usecmap)")

    def _put(self, code: int, destination: bytes) -> None:
        """Record a code's text, or that it has none; the last entry for a code wins."""
        self.codes.add_cid2unichr(code, destination)
        text = _text(destination)
        if text is None:
            self.found.texts.pop(code, None)
            self.found.empty.add(code)
        else:
            self.found.empty.discard(code)
            self.found.texts[code] = text

    def _chars(self, objects: list[Any]) -> None:
        if len(objects) % 2:
            self.found.malformed.append("a bfchar entry has no destination")
        for source, destination in zip(objects[::2], objects[1::2], strict=False):
            if isinstance(source, bytes) and source and isinstance(destination, bytes):
                self._put(int.from_bytes(source, "big"), destination)
            else:
                self.found.malformed.append(f"bfchar entry {_shown(source)} {_shown(destination)}")

    def _ranges(self, objects: list[Any]) -> None:
        if len(objects) % 3:
            self.found.malformed.append("a bfrange entry is cut short")
        for low, high, destination in zip(objects[::3], objects[1::3], objects[2::3],
                                          strict=False):
            span = _span(low, high)
            if span is None:
                self.found.malformed.append(f"bfrange entry {_shown(low)} {_shown(high)}")
                continue
            start, end = span
            for offset, target in enumerate(_targets(destination, end - start + 1)):
                if target is None:
                    self.found.malformed.append(
                        f"bfrange {start:#x}-{end:#x} has no destination")
                    break
                self._put(start + offset, target)


def _shown(token: object) -> str:
    """Return a short, printable account of a token, for a finding."""
    return repr(token)[:24]


def _span(low: object, high: object) -> tuple[int, int] | None:
    """Return a range's first and last code, or None unless both are codes of one length,
    in order, at most ``MAX_RANGE`` apart."""
    if not (isinstance(low, bytes) and isinstance(high, bytes) and low
            and len(low) == len(high)):
        return None
    start, end = int.from_bytes(low, "big"), int.from_bytes(high, "big")
    return (start, end) if start <= end < start + MAX_RANGE else None


def _text(destination: bytes) -> str | None:
    """Return a destination's text, or None when it is empty or not UTF-16BE."""
    try:
        text = destination.decode("utf-16-be")
    except UnicodeDecodeError:
        return None
    return text or None


def _targets(destination: object, count: int) -> Iterator[bytes | None]:
    """Yield the destination of each code of a range: an array's items, or one string whose
    last byte counts up (ISO 32000-1, 9.10.3); None where there is none."""
    if isinstance(destination, bytes):
        if not destination:
            yield None
            return
        for offset in range(count):
            yield destination[:-1] + bytes([(destination[-1] + offset) % 256])
        return
    items = destination if isinstance(destination, list) else []
    for offset in range(count):
        item = items[offset] if offset < len(items) else None
        yield item if isinstance(item, bytes) else None
