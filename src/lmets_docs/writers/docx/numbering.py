"""Number the DOCX's numbered lists with Word's own numbering, never typed "1." characters.

Each numbered list is a run of "List Number" paragraphs that point (``w:numPr``) at a
numbering instance of their own (``w:num``): an instance of the style's definition
(``w:abstractNum``) whose level 0 restarts at the list's first number (``w:lvlOverride`` /
``w:startOverride``), so every list restarts, and ``3.`` starts at 3, in Word and LibreOffice.
Where the language counts in other digits (CLDR's default numbering system, e.g. ``arab``
for Arabic), the override redefines the level with Word's format for those digits.
"""

from __future__ import annotations

import copy

from docx.document import Document
from docx.oxml.ns import qn

from lmets_docs.writers.docx import xml as x
from lmets_docs.writers.docx.xml import Element

NUMBER_STYLE = "List Number"
def restart(document: Document, start: int, digits: str = "decimal") -> int:
    """Add a numbering instance of List Number's definition from ``start``; return its id.

    ``digits`` is Word's number format for the labels (``numbering.word_format``).
    """
    numbering = document.part.numbering_part.element
    style_num = _style_num_id(document)
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    if digits != "decimal":
        override.append(_level(numbering, abstract, start, digits))
    return int(num.numId)


def number(p: Element, num_id: int) -> None:
    """Make paragraph element ``p`` an item of numbering instance ``num_id`` (level 0)."""
    num_pr = x.make("w:numPr", [x.make("w:ilvl", val="0"), x.make("w:numId", val=str(num_id))])
    x.put(x.ppr(p), num_pr, x.PPR_ORDER)


def _style_num_id(document: Document) -> int:
    style = document.styles[NUMBER_STYLE].element
    found = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return int(found.get(qn("w:val")))


def _level(numbering: Element, abstract: int, start: int, digits: str) -> Element:
    """Return the definition's level 0 counting in Word's format ``digits`` from ``start``."""
    path = f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']/{qn('w:lvl')}"
    level = copy.deepcopy(numbering.find(path))
    level.find(qn("w:start")).set(qn("w:val"), str(start))
    level.find(qn("w:numFmt")).set(qn("w:val"), digits)
    return level
