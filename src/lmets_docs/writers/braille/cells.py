"""Put pieces of text into braille cells and cut them into words a line can take.

A fact is written in the first table (and grade) whose braille liblouis reads back as the
fact itself, so that a reader, and ``check``, read exactly the number, hours and dates the
other formats print; an email or web address always in UEB grade 1, never contracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lmets_docs import brf
from lmets_docs.brf import BLANK, Tables
from lmets_docs.errors import BuildError
from lmets_docs.writers.braille.content import SPACES, Piece

ADDRESS_FACTS = (".email", ".web")
PROVED = (".phone", ".hours", *ADDRESS_FACTS)
"""A contact's parts ``check`` proves in every format (with the review dates)."""
BREAK_AFTER = frozenset("/.")
"""A long address is divided after these, or before an ``@`` (UEB: at a logical point)."""


@dataclass(frozen=True)
class Word:
    """Cells with no blank to break at; ``address``: divided with the continuation indicator
    when longer than a line (a word is divided with a hyphen); ``breaks``: where to divide."""

    cells: str
    address: bool = False
    breaks: tuple[int, ...] = ()


SPACE = Word("")
"""A blank cell between words (consecutive pieces with none between them are one word)."""


@cache
def fact_piece(tables: Tables, name: str, text: str) -> Piece:
    """Return a fact as the first table and grade whose braille reads back as the fact.

    A fact ``check`` does not prove (a name, the publisher) may also be written in UEB
    grade 1 (Latin letters in an Arabic leaflet) and, failing all, in the main table. A
    phone number is tried first in the table of the language's numbers (Welsh: UEB, whose
    numeric space keeps its groups one number: ``#JHJH"AEG"JAIB``, as with an extension).
    """
    text = SPACES.sub(" ", text)
    if name.endswith(ADDRESS_FACTS):
        return Piece(text, tables.address, (True,) * len(text), fact=True)
    proved = name.startswith("review.") or name.endswith(PROVED)
    candidates = tables.for_facts() if proved else tables.readings()
    if name.endswith(".phone"):  # one way for every number: UEB's numeric space in Welsh too
        candidates = tuple(dict.fromkeys((tables.numbers_read(), *candidates)))
    found = _reads_back(text, candidates)
    if found is not None:
        return Piece(text, found[0], (found[1],) * len(text), whole=name.endswith(".phone"),
                     fact=True)
    if not proved:
        return Piece(text, tables.main, (False,) * len(text), fact=True)
    raise BuildError(f"liblouis cannot write {name} {text!r} in any of "
                     f"{', '.join(candidates)} so that it reads back as it is")


NUMBER = re.compile(r"[£$€]?\d(?:[\d.,:/]*\d)?[^\W\d_]*%?|°[CF]?")
"""A number of the text as one braille word: with its currency sign and the letters written
on to it ("£5", "37.5", "10:30", "140/90", "1af", "5mg"), or a degree sign ("°C")."""


def with_numbers(tables: Tables, piece: Piece) -> tuple[Piece, ...]:
    """Return a piece of the text with each number in it in the language's table if
    liblouis reads it back from it, else in the table of the language's numbers
    (``Tables.numbers``). Welsh braille then writes "37.5", "10:30", "1af" and "°C" in UEB, as
    its hours are, never in the code liblouis's Welsh table writes them in and cannot read
    back ("37.ef", "10:cj", "116", "0C")."""
    if piece.fact or all(piece.uncontracted):
        return (piece,)
    out: list[Piece] = []
    start = 0
    for match in NUMBER.finditer(piece.text):
        if any(piece.uncontracted[match.start():match.end()]):
            continue  # inside an address
        found = _number_table(tables, match.group())
        if found is None or found == (piece.table, False):
            continue
        out += _part(piece, start, match.start())
        out += _part(piece, match.start(), match.end(), *found)
        start = match.end()
    return (*out, *_part(piece, start, len(piece.text))) if out else (piece,)


@cache
def _number_table(tables: Tables, number: str) -> tuple[str, bool] | None:
    """Return the language's table if liblouis reads the number back from it, else the
    table of its numbers (UEB for Welsh), contracted as the text around it; None if neither."""
    for table in dict.fromkeys((tables.main, tables.numbers_read())):
        cells, _ = brf.translate(number, table)
        if brf.six_dot(cells) and _folded(brf.back(cells, table)) == _folded(number):
            return table, False
    return None


def _part(piece: Piece, start: int, end: int, table: str = "", uncontracted: bool = False
          ) -> list[Piece]:
    """Return the piece's text from ``start`` to ``end`` as a piece (in ``table``, if given)."""
    if start >= end:
        return []
    flags = piece.uncontracted[start:end] if not table else (uncontracted,) * (end - start)
    return [Piece(piece.text[start:end], table or piece.table, flags,
                  ties=frozenset(t - start for t in piece.ties if start <= t < end))]


def _reads_back(text: str, tables: tuple[str, ...]) -> tuple[str, bool] | None:
    """Return the first table, and whether uncontracted, whose braille of ``text`` liblouis
    reads back as ``text``; None if none does."""
    for table in tables:
        for uncontracted in (False, True):
            cells, _ = brf.translate(text, table, [uncontracted] * len(text))
            if brf.six_dot(cells) and _folded(brf.back(cells, table)) == _folded(text):
                return table, uncontracted
    return None


def _folded(text: str) -> str:
    """Return text as ``check`` compares it: as printed, whitespace folded."""
    return " ".join(brf.as_printed(text).split())


def piece_words(piece: Piece) -> list[Word]:
    """Return a piece's braille cut into words at its blank cells (a whole piece: one word,
    when it has no more than a line's cells)."""
    cells, positions = brf.translate(piece.text, piece.table, list(piece.uncontracted))
    if not brf.six_dot(cells):
        bad = next(piece.text[p] for c, p in zip(cells, positions, strict=False)
                   if not brf.six_dot(c))
        raise BuildError(f"liblouis's table {piece.table} has no braille for "
                         f"{bad!r} (U+{ord(bad):04X}) in {piece.text!r}")
    if piece.whole and len(cells.strip(BLANK)) <= brf.CELLS_PER_LINE:
        return [Word(cells.strip(BLANK))]
    return list(_split(piece, cells, positions))


def _split(piece: Piece, cells: str, positions: list[int]) -> list[Word]:
    """Cut at the blank cells but those of the piece's ties (a blank cell kept at a word's
    start or end there joins it to the next piece's word: ``joined``)."""
    out, start = [], 0
    blanks = [i for i, c in enumerate(cells) if c == BLANK
              and not (i < len(positions) and positions[i] in piece.ties)]
    for index in [*blanks, len(cells)]:
        if index > start:
            out.append(_word(piece, cells[start:index], positions[start:index]))
        if index < len(cells):
            out.append(SPACE)
        start = index + 1
    return out


def _word(piece: Piece, cells: str, positions: list[int]) -> Word:
    chars = [piece.text[p] if p < len(piece.text) else "" for p in positions]
    address = any(piece.uncontracted[p] for p in positions if p < len(piece.text))
    breaks = tuple(i + 1 for i, ch in enumerate(chars[:-1])
                   if (ch in BREAK_AFTER and chars[i + 1] != ch) or chars[i + 1] == "@")
    return Word(cells, address, breaks)


def joined(words: list[Word]) -> list[Word]:
    """Return the words of consecutive pieces without the spaces, gluing those that no
    space parts ("(" and a fact, a fact and its full stop)."""
    out: list[Word] = []
    glue = False
    for word in words:
        if word == SPACE:
            glue = False
            continue
        out.append(_glued(out.pop(), word) if glue and out else word)
        glue = True
    return out


def _glued(first: Word, then: Word) -> Word:
    return Word(first.cells + then.cells, first.address or then.address,
                first.breaks + tuple(len(first.cells) + b for b in then.breaks))
