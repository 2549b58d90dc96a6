"""Lay braille words out on 40-cell lines and 25-line pages, after BANA's Braille Formats.

UKAAF's own guide (RNIB's Braillists' Manual) was not at hand; BANA's is close to it. Where
they differ, UK practice is followed: the braille page number at the top right.

- Title and section headings centred (at least three blank cells each side), a blank line
  before and after; a heading is never left alone at the foot of a page.
- Paragraphs indented: first line in cell 3, runovers in cell 1 (BANA's 3-1).
- List items and the lines of the furniture (a contact's number, hours …) in cell 1,
  runovers in cell 3 (1-3); a group of them is preceded by a blank line.
- Line 1 of every page holds only its braille page number, at the right margin (where
  RNIB's UK braille puts it; BANA's goes on line 25).
- A word longer than a line is divided with a hyphen; an address at a logical point
  (after ``/`` or ``.``, before ``@``) with UEB's line continuation indicator (dot 5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lmets_docs.brf import BLANK, CELLS_PER_LINE, CONTINUATION, LINES_PER_PAGE
from lmets_docs.writers.braille.cells import Word

TEXT_LINES = LINES_PER_PAGE - 1
"""Lines of text a page holds: the first holds the page number."""
HEADING_MARGIN = 3
"""Blank cells at least either side of a centred heading."""


@dataclass(frozen=True)
class Indents:
    """Where a block's first line and its runovers start (blank cells before them)."""

    first: int
    runover: int


PARAGRAPH, HANGING = Indents(2, 0), Indents(0, 2)


def wrap(words: list[Word], indents: Indents, hyphen: str, width: int = CELLS_PER_LINE
         ) -> list[str]:
    """Return the words on lines of at most ``width`` cells, each with its indent."""
    lines: list[str] = []
    line = BLANK * indents.first
    for word in words:
        line = _place(word, line, lines, BLANK * indents.runover, hyphen, width)
    if line.strip(BLANK):
        lines.append(line)
    return lines


def _place(word: Word, line: str, lines: list[str], runover: str, hyphen: str, width: int
           ) -> str:
    """Put a word after ``line`` or on the next lines (added to ``lines``); return the line
    it leaves unfinished."""
    if line.strip(BLANK) and len(line) + 1 + len(word.cells) <= width:
        return line + BLANK + word.cells
    if line.strip(BLANK):
        lines.append(line)
        line = runover
    if len(line) + len(word.cells) <= width:
        return line + word.cells
    pieces = divide(word, width - len(line), width - len(runover), hyphen)
    lines.append(line + pieces[0])
    lines += [runover + piece for piece in pieces[1:-1]]
    return runover + pieces[-1]


def divide(word: Word, first: int, rest: int, hyphen: str) -> list[str]:
    """Return a word too long for its line in pieces: each but the last ends in the hyphen
    (a word) or the continuation indicator (an address) and fits its line."""
    mark = CONTINUATION if word.address else hyphen
    pieces, cells, offset, room = [], word.cells, 0, first
    while len(cells) > room:
        cut = _cut(word, offset, room - len(mark))
        pieces.append(cells[:cut] + mark)
        cells, offset, room = cells[cut:], offset + cut, rest
    return [*pieces, cells]


def _cut(word: Word, offset: int, room: int) -> int:
    """Return where to divide what is left of a word: the last logical point that fits an
    address (never at its start), otherwise as much as fits."""
    room = max(room, 1)
    points = [b - offset for b in word.breaks if 0 < b - offset <= room] if word.address else []
    return points[-1] if points else room


def centred(words: list[Word], hyphen: str) -> list[str]:
    """Return a heading's lines, each centred with at least three blank cells either side."""
    width = CELLS_PER_LINE - 2 * HEADING_MARGIN
    lines = [line.strip(BLANK) for line in wrap(words, Indents(0, 0), hyphen, width)]
    return [BLANK * ((CELLS_PER_LINE - len(line)) // 2) + line for line in lines]


@dataclass
class Pages:
    """Braille pages being filled: the page number, then 24 lines of text each."""

    number: Callable[[int], str]
    """The braille of a page number."""
    pages: list[list[str]] = field(default_factory=lambda: [[]])

    @property
    def room(self) -> int:
        """Return how many lines of text the current page can still take."""
        return TEXT_LINES - len(self.pages[-1])

    def add(self, lines: list[str], blank_before: bool, keep: int = 0) -> None:
        """Add a block's lines, after a blank line unless at the top of a page.

        ``keep``: lines of what follows that must share the page with the whole block (a
        heading is never the last thing on a page).
        """
        blank = int(blank_before and bool(self.pages[-1]))
        if keep and len(lines) + blank + keep > self.room and self.pages[-1]:
            self.pages.append([])
            blank = 0
        if blank and self.room <= 1:
            self.pages.append([])
            blank = 0
        self.pages[-1] += [""] * blank
        for line in lines:
            if not self.room:
                self.pages.append([])
            self.pages[-1].append(line)

    def finished(self) -> list[list[str]]:
        """Return the pages, each its number on line 1, then its text padded to 24 lines."""
        out = []
        for index, page in enumerate(self.pages, start=1):
            number = self.number(index)
            head = BLANK * (CELLS_PER_LINE - len(number)) + number
            out.append([head, *page, *[""] * (TEXT_LINES - len(page))])
        return out
