"""Prove that the name heading the rest of a broken contact box is an artifact.

**The name, continued, is never read** (``pdf-continued-artifact``): where a page break
carries a contact's box on to the next page, the PDF writer heads the rest with the
contact's name and "continued" in the leaflet's words ("(parhad)", "(جاری)", a house
catalogue's own). The name's heading is once in the structure tree and the bookmarks, so
every letter of that marker must be an ``/Artifact``, or a screen reader reads the name
twice (and in the middle of the box's lines).

The writer records each marker it printed in the manifest (``details.continued``: the page
it heads, the box's contact and its words as printed, ``pdf_layout.markers``), so the rule
looks for exactly those words, at the top of exactly that page: the first printed lines of
the page's text, before any other tagged text (an artifact above them, a running header, is
passed over). Text elsewhere that quotes a marker, or a name inside another contact's name,
is never taken for one. Each page's letters, artifacts and tagged content alike, are read
in printed lines in reading order, as ``pdf_links_rtl`` reads them (``lines``, ``logical``:
right-to-left runs turned round), and compared without spaces, invisible characters or the
Arabic script's marks (``bidi.MARKS``: drawn over their letter, a mark's glyph may stand
either side of it). Any letter of the marker that is tagged content is an error. A recorded
marker not found there (a manifest that says what the page does not print, or a script whose
letters the reader gives in another order: Gurmukhi's vowel signs) is a warning: nothing is
proved.
It runs in the thorough check, on the pages ``pdf_tags.read_chars`` opens for its own rules
(one reading of the file).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pydantic

from lmets_docs.check import bidi, pdf_links_rtl
from lmets_docs.check.findings import Finding, error, warning
from lmets_docs.manifest import ContinuedMarker

RULE = "pdf-continued-artifact"
_NO_MARKS = dict.fromkeys(map(ord, bidi.MARKS))
_MARKERS = pydantic.TypeAdapter(list[ContinuedMarker])


def recorded(path: Path, details: Mapping[str, Any]
             ) -> tuple[dict[int, list[ContinuedMarker]], list[Finding]]:
    """Return the markers the writer printed (``details.continued``), by page, and an error
    if the manifest's record is not a list of them."""
    try:
        found = _MARKERS.validate_python(details.get("continued") or [])
    except pydantic.ValidationError as exc:
        return {}, [error(path, "details.continued", "the manifest's record of the names "
                          "heading the rest of a contact's box is not a list of {page, "
                          f"contact, text}}: {exc.errors()[0]['msg']}", RULE)]
    pages: dict[int, list[ContinuedMarker]] = {}
    for marker in found:
        pages.setdefault(marker.page, []).append(marker)
    return pages, []


def page_findings(path: Path, number: int, page: Any | None, wanted: Sequence[ContinuedMarker],
                  *, rtl: bool) -> Iterator[Finding]:
    """Yield an error for each marker recorded for a page (pdfplumber's, numbered from 1;
    None: past the PDF's last page) that its first printed lines do not print, or print
    with a letter tagged content (``rtl``: the leaflet's language is written right to left,
    ``pdf_links_rtl.logical``)."""
    if not wanted:
        return
    top = _top(page, rtl) if page is not None else []
    for marker in wanted:
        key = _key(marker.text)
        found = _heading(top, key)
        if found is None:
            first = next((text for text, line in top
                          if _key(text) and any(_tagged(char) for _, char in line)), "")
            yield warning(path, f"page {number}",
                          f"the manifest says the rest of contact {marker.contact}'s box "
                          f"starts this page, headed by {marker.text!r}, but the page's text "
                          f"starts {first[:60]!r}: that the name is not read twice is not "
                          "proved (look at the page)", RULE)
            continue
        tagged = [[glyph for glyph, char in line if _tagged(char)] for line in found]
        letters = sum(len(_key(glyph[0])) for line in tagged for glyph in line)
        if letters:
            read = " ".join(text for line in tagged
                            if _key(text := pdf_links_rtl.logical(line, rtl)))
            yield error(path, f"page {number}",
                        f"the name heading the rest of a contact's box, {marker.text!r}, is "
                        f"read as text: {letters} of its {len(key)} letters are tagged "
                        f"content ({_excerpt(read, len(marker.text))!r}), not an /Artifact, "
                        "so a screen reader reads the name twice", RULE)


def _excerpt(read: str, marker: int) -> str:
    """Return the tagged words as read, whole if no longer than twice the marker."""
    return read if len(read) <= 2 * marker else read[:2 * marker] + "\u2026"


Line = list[tuple[pdf_links_rtl.Glyph, Mapping[str, Any]]]
"""A printed line: each glyph (``pdf_links_rtl.glyph``) with the character it was read from."""


def _top(page: Any, rtl: bool) -> list[tuple[str, Line]]:
    """Return a page's printed lines, top to bottom, each read in reading order (``rtl``: the
    language's) and with its glyphs."""
    chars = {id(glyph): (glyph, char) for char in page.chars
             for glyph in [pdf_links_rtl.glyph(char)]}
    found = []
    for line in pdf_links_rtl.lines([glyph for glyph, _ in chars.values()]):
        pairs = [chars[id(glyph)] for glyph in line]
        found.append((pdf_links_rtl.logical(line, rtl), pairs))
    return found


def _heading(top: list[tuple[str, Line]], key: str) -> list[Line] | None:
    """Return the lines that print a marker (its letters, ``key``) at the top of a page: the
    first lines that hold text, the marker all they hold; artifacts above them passed over.
    None if the page does not start so."""
    got, used = "", list[Line]()
    for text, line in top:
        letters = _key(text)
        if not letters:
            continue
        if key.startswith(got + letters):
            got, used = got + letters, [*used, line]
            if got == key:
                return used
        elif got or any(_tagged(char) for _, char in line):
            return None
    return None


def _key(text: str) -> str:
    """Return the letters of a text as compared: in compatibility form (a font's presentation
    forms are its letters), its case folded, without spaces, invisible characters (format
    controls, a soft hyphen) or the Arabic script's marks."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold()
                   if not ch.isspace() and unicodedata.category(ch) != "Cf").translate(_NO_MARKS)


def _tagged(char: Mapping[str, Any]) -> bool:
    """Say whether a character is anything but an artifact (tagged content, or content that
    is neither: a screen reader reads both)."""
    return char.get("tag") != "Artifact"
