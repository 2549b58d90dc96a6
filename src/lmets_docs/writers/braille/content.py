"""The leaflet as the braille edition gives it: blocks of text pieces, in the DOCX's order.

Title, out-of-date notice, introduction, sections, then the fixed parts every printed
format has: glossary, helpline (every contact: name, number, hours, email, web, note),
references, and "About this information" (publisher and review dates). Each piece of a
block says which liblouis table writes it and which of its characters are not contracted:
an email or web address never is, and a fact is written in the first table whose braille
reads back as the fact (``facts.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from babel.dates import get_month_names

from lmets_docs import furniture
from lmets_docs.brf import ADDRESS, Tables
from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import Messages, babel_locale
from lmets_docs.model import Block as ModelBlock
from lmets_docs.model import (
    BulletList,
    FactRef,
    Figure,
    GlossaryTerm,
    Inline,
    Leaflet,
    Link,
    Paragraph,
    Strong,
    Text,
)
from lmets_docs.numbering import label
from lmets_docs.text import fact_links, inline_text, printed_address, reference_text

BULLET = "\u2022"

SPACES = re.compile(r"\s")
Kind = Literal["title", "heading", "paragraph", "item", "line"]
"""How a block is laid out: centred (title, heading), blocked (paragraph), 1-3 (item, line)."""


@dataclass(frozen=True)
class Piece:
    """Text written with one table; ``uncontracted`` marks characters never contracted.

    Every space in it is a plain one: braille has one blank cell (a no-break or thin space
    of print is a layout instruction, followed here by ``whole``)."""

    text: str
    table: str
    uncontracted: tuple[bool, ...]
    whole: bool = False
    """Keep it on one line when it fits (a phone number)."""
    fact: bool = False
    """A fact (proved by ``check`` as a fact), not the leaflet's own text."""
    ties: frozenset[int] = frozenset()
    """The spaces (by index) no line may end at: a number and its unit, a time and "am" or
    "pm", a day and its month, a month and its year (``tied``)."""


@dataclass(frozen=True)
class Block:
    """One heading, paragraph, list item or line of furniture; ``group`` starts a new group
    (a blank line before it)."""

    kind: Kind
    pieces: tuple[Piece, ...]
    group: bool = True
    line: int = 0
    """Its line in the language file (0: furniture, or not known)."""


UNITS = ("mg", "mcg", "\u00b5g", "g", "kg", "ml", "mL", "l", "L", "mm", "cm", "m", "km",
         "mmHg", "%", "am", "pm", "a.m.", "p.m.", "y.b.", "y.h.")
"""Units and day periods written after a number with a space (symbols, and English and
Welsh day periods): a line never ends between them and their number."""


@cache
def _ties(lang: str) -> re.Pattern[str]:
    """Return the pattern of the spaces a line never ends at in ``lang``: after a number,
    before a unit, a day period or a month (CLDR's names through babel); after a month,
    before its year."""
    locale = babel_locale(lang)
    months = {str(name) for width in ("wide", "abbreviated") for context in
              ("format", "stand-alone")
              for name in get_month_names(width, context, locale).values()}
    words = "|".join(re.escape(w) for w in sorted({*UNITS, *months}, key=len, reverse=True))
    month = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    return re.compile(rf"\d( )(?=°|(?:{words})(?![^\W\d_]))|\b(?:{month})( )(?=\d)")


def tied(piece: Piece, lang: str) -> Piece:
    """Return a piece with its spaces that no line may end at (``Piece.ties``)."""
    ties = frozenset(m.start(1) if m.group(1) else m.start(2)
                     for m in _ties(lang).finditer(piece.text))
    return dataclasses.replace(piece, ties=ties) if ties else piece


class Pieces:
    """Turn model inlines into pieces: text in the main table, facts as ``fact_table`` says."""

    def __init__(self, tables: Tables, facts: FactFormatter,
                 fact_table: Callable[[str, str], Piece]) -> None:
        self.tables, self.facts, self.fact_table = tables, facts, fact_table

    def text(self, text: str) -> Piece:
        """Return running text: contracted, but for the email and web addresses in it."""
        text = SPACES.sub(" ", text)
        flags = [False] * len(text)
        for match in ADDRESS.finditer(text):
            flags[match.start():match.end()] = [True] * (match.end() - match.start())
        return tied(Piece(text, self.tables.main, tuple(flags)), self.facts.lang)

    def mark(self, mark: str) -> Piece:
        """Return a list item's mark and the space after it: a step's number in the main
        table; a bullet as UEB writes it (dots 456, 256), in every language: Welsh braille
        follows UEB, and liblouis's Welsh table has no cell for the bullet character."""
        if mark == BULLET:
            return Piece(f"{mark} ", self.tables.address, (True, True))
        return self.text(f"{mark} ")

    def inlines(self, inlines: tuple[Inline, ...]) -> tuple[Piece, ...]:
        """Return inline content as pieces: bold as its text (braille has no bold here), a
        link as its words, followed by the address it opens in brackets when its words do
        not say it, as the print gives it (``text.printed_address``; a linked fact's too,
        ``text.fact_links``): the braille is its
        reader's printed leaflet. The brackets are UEB's, with the address (liblouis's
        Welsh table reads its own "(" before letters back as "of")."""
        return tuple(self._one(item) for item in self._flat(inlines))

    def address(self, address: str) -> Piece:
        """Return an email or web address: UEB grade 1, never contracted (as a contact's)."""
        return Piece(address, self.tables.address, (True,) * len(address))

    def link_address(self, url: str, words: str) -> Iterator[Text | Piece]:
        """Yield the address a link opens, in brackets after its words (as print gives it),
        or nothing when its words say it."""
        address = printed_address(url, words)
        if address:
            yield from (Text(" "), self.address(f"({address})"))

    def _one(self, item: Text | FactRef | Piece) -> Piece:
        if isinstance(item, Piece):
            return item
        if isinstance(item, FactRef):
            return tied(self.fact_table(self.facts.canonical(item.name),
                                        self.facts.printed(item.name)), self.facts.lang)
        return self.text(item.text)

    def _flat(self, inlines: tuple[Inline, ...], in_link: bool = False
              ) -> Iterator[Text | FactRef | Piece]:
        # a fact whose link's address its words do not say is a link (``fact_links``)
        for item in inlines if in_link else fact_links(inlines, self.facts):
            if isinstance(item, Strong):
                yield from self._flat(item.children, in_link)
            elif isinstance(item, Link):
                yield from self._flat(item.children, in_link=True)
                yield from self.link_address(item.url, inline_text(item.children, self.facts))
            elif isinstance(item, GlossaryTerm):
                yield Text(item.text)
            else:
                yield item


def document(leaflet: Leaflet, _: Messages, make: Pieces, notice: furniture.Line | None
             ) -> list[Block]:
    """Return the whole edition as blocks, in reading order."""
    blocks = [Block("title", (make.text(leaflet.title),))]
    if notice is not None:
        blocks.append(Block("paragraph", make.inlines(notice.inlines)))
    blocks += body(leaflet.intro, _, make)
    for section in leaflet.sections:
        blocks.append(Block("heading", (make.text(section.title),), line=section.line))
        blocks += body(section.blocks, _, make)
    blocks += glossary(leaflet, _, make)
    blocks += helpline(_, make)
    blocks += references(leaflet, _, make)
    blocks += about(_, make)
    return blocks


def body(blocks: tuple[ModelBlock, ...], _: Messages, make: Pieces) -> list[Block]:
    """Return the leaflet's own blocks: paragraphs, list items, pictures' descriptions."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Block("paragraph", make.inlines(block.inlines), line=block.line))
        elif isinstance(block, BulletList):
            out += [Block("item", (make.mark(mark), *make.inlines(item.inlines)),
                          group=index == 0, line=block.line)
                    for index, (mark, item) in enumerate(zip(_marks(block, make.facts.lang),
                                                             block.items, strict=True))]
        elif isinstance(block, Figure):
            out.append(Block("paragraph", (make.text(_("Picture: {description}",
                                                        description=block.alt)),),
                             line=block.line))
    return out


def _marks(block: BulletList, lang: str) -> list[str]:
    """Return each item's mark: a bullet, or a numbered step's number as the print gives it
    (braille has no list numbering of its own: the number is written before the words)."""
    return [label(n, lang) for n in block.numbers()] or [BULLET] * len(block.items)


def glossary(leaflet: Leaflet, _: Messages, make: Pieces) -> list[Block]:
    """Return the glossary: a heading, then "term: definition" per entry."""
    if not leaflet.glossary:
        return []
    entries = [Block("line", (make.text(_("{term}: {definition}", term=e.term,
                                          definition=e.definition)),))
               for e in leaflet.glossary.values()]
    return [Block("heading", (make.text(_("Glossary")),)), *entries]


def helpline(_: Messages, make: Pieces) -> list[Block]:
    """Return every contact, each a group of lines: name, number, hours, email, web, note."""
    blocks = [Block("heading", (make.text(furniture.contacts_heading(_, make.facts)),))]
    for lines in furniture.contacts(_, make.facts):
        blocks += [Block("line", make.inlines(line.inlines), group=index == 0)
                   for index, line in enumerate(lines)]
    return blocks


def references(leaflet: Leaflet, _: Messages, make: Pieces) -> list[Block]:
    """Return the note on sources and the numbered references, each with its address."""
    if not (leaflet.references or leaflet.references_note):
        return []
    blocks = [Block("heading", (make.text(_("References")),))]
    if leaflet.references_note:
        blocks.append(Block("paragraph", (make.text(leaflet.references_note),)))
    for number, ref in enumerate(leaflet.references, start=1):
        text = f"{number}. {reference_text(ref)}" + (f" {ref.url}" if ref.url else "")
        blocks.append(Block("item", (make.text(text),), group=number == 1))
    return blocks


def about(_: Messages, make: Pieces) -> list[Block]:
    """Return who published the information and its review dates."""
    published = furniture.message(_, "Published by {publisher}", publisher="publisher.name")
    lines = [published, *(line.inlines for line in furniture.review_dates(_))]
    return [Block("heading", (make.text(_("About this information")),)),
            *(Block("line", make.inlines(inlines), group=index == 0)
              for index, inlines in enumerate(lines))]
