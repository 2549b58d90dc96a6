"""Read a right-to-left PDF's web and email links in logical order, for ``check.pdf_links``.

pdfium cannot be asked here: it orders the characters of a right-to-left line by its own
bidi pass and mirrors the brackets it takes for right to left, so the Arabic forum link's
second line, "example-chat)" on the page, comes as "(chat-example". pdfminer (through
pdfplumber) gives each glyph as drawn: where it is, and the text its font's ``/ToUnicode``
map gives it, which WeasyPrint writes from the source text (a bracket is the bracket of the
text, not the mirrored glyph drawn). So each link is read from the glyphs inside its
rectangle (one rectangle a line), from left to right, and the line put back in logical order
(``logical``), as each page's text is, line by line (for a fact printed with no link).

A visual line does not say everything the source said (an isolate's edges are gone), so
``logical`` reads a neutral character at the edge of a left-to-right run as the writer lays a
link out: an address's own characters ("/", "-", "@", ".") and a bracket that faces the run
("(" at its left, ")" at its right: the Latin forum's "(www…/" and "example-chat)", inside
their isolate) belong to it; a bracket that faces away (the closing ")" of an Arabic-worded
link's address, drawn at the address's left), a space, or sentence punctuation at the run's
left (the Arabic comma after the link, the full stop of a sentence: UAX #14 starts no
left-to-right line with it) are the right-to-left text's. A run of neutrals between two
left-to-right characters is left to right, as the bidi algorithm has it (rule N1), but for
one with a bracket turned away from its text (``_turned``): two left-to-right runs of
right-to-left text, as "NHS" and the address of "موقع NHS (www.nhs.uk/…)".

Not read here: Arabic vowel marks in a link's words (drawn over their letter, they may sort
either side of it), and a link drawn over two columns on one line (the writer sets one).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from lmets_docs.check.pdf_links import MAX_URI, SCHEMES, Link

LEFT_TO_RIGHT = frozenset({"L", "EN", "AN"})
"""Bidi classes read as left to right: Latin letters and numbers (which run left to right in
right-to-left text, Arabic-Indic digits too)."""
RIGHT_TO_LEFT = frozenset({"R", "AL", "NSM"})
"""Bidi classes read as right to left: Arabic and Hebrew letters, and marks (on Arabic)."""
OPENING, CLOSING = "([{<", ")]}>"
STOPS = ".,;:!?\u060c\u061b\u061f\u06d4"
"""Sentence punctuation, the Arabic script's too: never the start of a left-to-right run."""
Glyph = tuple[str, float, float, float, float]
"""A glyph's text, its left and right edges, its vertical middle and its height
(pdfplumber's units: points, from the page's top)."""


def read(path: Path, wanted: Collection[int] | None = None
         ) -> tuple[list[list[Link]], list[str]]:
    """Return each page's web and email links (target, and its text in logical order, each
    rectangle on its own, as ``pdf_links.page_links`` gives them), and each page's text in
    logical order, line by line (``pdf_links.findings``'s ``pages`` and ``texts``).

    Only the pages ``wanted`` (their indexes; all without it) are read, the others given no
    link and no text: pdfminer takes about 0.05 s a page, pdfium a tenth of that.
    """
    links: list[list[Link]] = []
    texts: list[str] = []
    # pdf_tags reads its lines with this module: imported here, each can be imported first
    from lmets_docs.check import pdf_tags  # noqa: PLC0415

    with pdf_tags.plumber(path) as pdf:
        for index, page in enumerate(pdf.pages):
            if wanted is not None and index not in wanted:
                links.append([])
                texts.append("")
                continue
            glyphs = [glyph(char) for char in page.chars]
            links.append([(target, logical(_inside(glyphs, link)))
                          for link in page.hyperlinks
                          if SCHEMES.match(target := _target(link))])
            texts.append("\n".join(logical(line) for line in lines(glyphs)))
    return links, texts


def glyph(char: Mapping[str, Any]) -> Glyph:
    """Return one of pdfplumber's characters as a ``Glyph``."""
    top, bottom = float(char["top"]), float(char["bottom"])
    return (str(char["text"]), float(char["x0"]), float(char["x1"]), (top + bottom) / 2,
            bottom - top)


def may_print(chars: str, words: str) -> bool:
    """Say whether a page whose characters are ``chars`` (pdfium's, in any order) may print
    ``words``: it has each of their letters as often (brackets apart, which pdfium may
    mirror, and what draws nothing: spaces, a zero width non-joiner in Urdu words). Never
    false for a page that prints them, so a page it rules out need not be read."""
    need = Counter(char for char in words if char.strip() and char not in OPENING + CLOSING
                   and unicodedata.category(char) != "Cf")
    return not need - Counter(chars)


def _target(link: dict[str, Any]) -> str:
    """Return a link's URI (at most ``MAX_URI`` characters), or "" for none."""
    uri = link.get("uri")
    return uri[:MAX_URI] if isinstance(uri, str) else ""


def _inside(glyphs: list[Glyph], link: dict[str, Any]) -> list[Glyph]:
    """Return the glyphs whose middle is inside a link's rectangle."""
    left, right = float(link["x0"]), float(link["x1"])
    top, bottom = float(link["top"]), float(link["bottom"])
    return [g for g in glyphs if left <= (g[1] + g[2]) / 2 <= right and top <= g[3] <= bottom]


def lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Return the glyphs as lines, top to bottom: a glyph whose middle is less than half its
    line's first glyph's height below that glyph's middle is on that line (a mark WeasyPrint
    raises or lowers by a sixth of its size too)."""
    found: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: g[3]):
        if found and glyph[3] - found[-1][0][3] < found[-1][0][4] / 2:
            found[-1].append(glyph)
        else:
            found.append([glyph])
    return found


def logical(glyphs: Sequence[Glyph], rtl: bool = True) -> str:
    """Return the text of one line's glyphs (a whole line or the part inside a link) in
    logical order: left to right on the page, runs of right-to-left text reversed, and the
    line's runs read in its base direction (``right_to_left``: from its right in a
    right-to-left language, ``rtl``; see the module's docstring for the neutral characters)."""
    texts = [g[0] for g in sorted(glyphs, key=lambda g: g[1])]
    base = right_to_left(texts, rtl)
    kinds = [_kind(text) for text in texts]
    resolved = _resolved(kinds, texts) if base else _resolved_ltr(kinds)
    runs: list[tuple[bool, list[str]]] = []
    for text, ltr in zip(texts, resolved, strict=True):
        if runs and runs[-1][0] == ltr:
            runs[-1][1].append(text)
        else:
            runs.append((ltr, [text]))
    return "".join("".join(run if ltr else run[::-1])
                   for ltr, run in (reversed(runs) if base else runs))


def right_to_left(texts: Sequence[str], rtl: bool) -> bool:
    """Say whether a line runs right to left: every line of a right-to-left language's page
    (``rtl``: the writer sets the page's ``dir``, which every paragraph follows); on a
    left-to-right page, a line with a right-to-left letter and no left-to-right one, whose
    first strong letter is right to left whichever end it is read from (Unicode's bidi rules
    P2 and P3, as the writer's isolates have it: an Arabic name on an English page). A Latin
    line with an Arabic word on an English page runs left to right."""
    if rtl:
        return True
    classes = {unicodedata.bidirectional(char) for text in texts for char in text}
    return "L" not in classes and bool(classes & STRONG_RIGHT_TO_LEFT)


STRONG_RIGHT_TO_LEFT = frozenset({"R", "AL"})


def _kind(text: str) -> bool | None:
    """Return True for a left-to-right glyph, False for a right-to-left one, None for a
    neutral (by its first character with a strong direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in LEFT_TO_RIGHT or kind in RIGHT_TO_LEFT:
            return kind in LEFT_TO_RIGHT
    return None


def _resolved(kinds: list[bool | None], texts: list[str]) -> list[bool]:
    """Return each glyph's direction, each run of neutrals resolved (the module's docstring)."""
    resolved = [bool(kind) for kind in kinds]
    for start, end in _neutral_runs(kinds):
        before = kinds[start - 1] if start else None
        after = kinds[end] if end < len(kinds) else None
        if before and after and not any(_turned(texts, at) for at in range(start, end)):
            resolved[start:end] = [True] * (end - start)
        else:
            if before:  # left to right at its left: what ends that run, read left to right
                at = start
                while at < end and _ends_run(texts[at]):
                    resolved[at], at = True, at + 1
            if after:  # left to right at its right: what begins that run
                at = end - 1
                while at >= start and not resolved[at] and _begins_run(texts[at]):
                    resolved[at], at = True, at - 1
    return resolved


def _neutral_runs(kinds: list[bool | None]) -> Iterator[tuple[int, int]]:
    """Yield where each run of neutral glyphs (``None``) starts and ends."""
    start = 0
    while start < len(kinds):
        if kinds[start] is not None:
            start += 1
            continue
        end = start
        while end < len(kinds) and kinds[end] is None:
            end += 1
        yield start, end
        start = end


def _resolved_ltr(kinds: list[bool | None]) -> list[bool]:
    """Return each glyph's direction on a left-to-right line: a run of neutrals between two
    right-to-left glyphs is right to left (rule N1), any other left to right, as the line
    (rule N2; a line's ends count as left to right)."""
    resolved = [bool(kind) for kind in kinds]
    for start, end in _neutral_runs(kinds):
        before = kinds[start - 1] if start else True
        after = kinds[end] if end < len(kinds) else True
        resolved[start:end] = [bool(before or after)] * (end - start)
    return resolved


def _turned(texts: list[str], at: int) -> bool:
    """Say whether the glyph at ``at`` is a bracket that faces away from left-to-right
    reading: "(" after a letter and before a space, ")" after a space and before a letter,
    as a right-to-left bracket is drawn (the "(" of "موقع NHS (www.nhs.uk/", drawn at the
    address's right: "www.nhs.uk/( NHS")."""
    if not 0 < at < len(texts) - 1 or texts[at][:1] not in OPENING + CLOSING:
        return False
    spaced = (not texts[at - 1].strip(), not texts[at + 1].strip())
    return spaced == ((False, True) if texts[at][0] in OPENING else (True, False))


def _ends_run(text: str) -> bool:
    """Say whether a neutral drawn right after a left-to-right run ends it (not a space, not
    an opening bracket)."""
    return bool(text.strip()) and text[0] not in OPENING


def _begins_run(text: str) -> bool:
    """Say whether a neutral drawn right before a left-to-right run begins it (not a space,
    a closing bracket or sentence punctuation)."""
    return bool(text.strip()) and text[0] not in CLOSING + STOPS
