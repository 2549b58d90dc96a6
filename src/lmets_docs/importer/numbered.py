"""Keep a numbered list numbered through a translation in Word or LibreOffice.

A numbered list's items reach the DOCX as "List Number" paragraphs numbered by Word. A
translator who turns one into plain text, or types "1." before its words, would leave the
leaflet with steps whose numbers are typed or gone: the import refuses both, saying how to
put the numbering back, rather than write the typed number into the source.
"""

from __future__ import annotations

import re

from lmets_docs.importer.read import DocParagraph
from lmets_docs.ooxml.names import W

NUMBER_STYLE = "list number"
TYPED_NUMBER = re.compile(r"^\s*[(\[]?\d{1,3}\s*[.):\-]\s")
"""A number typed at the start of an item: ``1. ``, ``2) ``, ``(3) `` (any script's digits)."""


def problem(paragraph: DocParagraph, unit_id: str) -> str | None:
    """Return what is wrong with a numbered item's paragraph, or None if it is numbered."""
    place = paragraph.place(unit_id)
    if not _numbered(paragraph):
        return (f"{place}: this step of a numbered list is no longer numbered; give it the "
                "style 'List Number' again: the numbers are Word's own, never typed")
    if TYPED_NUMBER.match(paragraph.text):
        return (f"{place}: a number is typed before the step's words; delete it: the list "
                "numbers its steps itself")
    return None


def _numbered(paragraph: DocParagraph) -> bool:
    """Say whether a paragraph is numbered: its style is List Number, or it has a ``numPr``."""
    num_id = paragraph.element.find(f"{W}pPr/{W}numPr/{W}numId")
    if num_id is not None:
        return str(num_id.get(f"{W}val")) != "0"  # numId 0 takes the numbering away
    return paragraph.style == NUMBER_STYLE
