"""Read right-to-left text back in logical order, to compare it with a fact.

poppler's pdftotext chooses one direction for a whole page, by counting its letters. On a
page with more Arabic-script letters than Latin, each line comes in logical order, wrapped
whole in one RLE … PDF. On a page with more Latin letters, each line comes in visual order
(left to right), its right-to-left runs each marked RLE … PDF in logical order inside. Such
a line may well begin with RLE (an Urdu line whose leftmost word is Urdu), so a line is
taken as logical only when it is a single embedded run. In a right-to-left document every
line runs right to left, so any other line is put back in logical order by reversing its
runs; a fact wrapped over two lines then reads on, in order, from one line to the next.

Where the runs of a line meet, pdftotext moves spaces and neutral punctuation (a comma, a
dash) from one side of a number to the other; ``bidi_key`` therefore compares the letters
and digits of a right-to-left text, in order, and nothing else; ``fact_key`` adds where each
number begins and ends: without those bounds a fact would be found inside a longer number
("1 June" in "21 June"), or across a number's edge (a phone number's last digit read as the
hour after it).

Inside a logical line, each left-to-right run (LRE … PDF) comes in visual order, and poppler
counts the spaces and punctuation at its edges into it: the Urdu "نظر ثانی: 15 جنوری، 2025"
comes as ``نظر ثانی`` ``[ 15 :]`` ``جنوری`` ``[2025 ،]``. In right-to-left text what lies at
a run's right edge is read before it and what lies at its left edge after it, so those edge
neutrals (spaces, ``:``, commas, full stops, ``;``, dashes; never a ``+``) are moved across
(``: 15 ``, ``، 2025``), which gives the scans the words in the order they are read.

A visual-order line's left-to-right runs (outside any RLE … PDF) carry their edge neutrals
the same way, and are read the same way: the full stop ending an Arabic sentence after an
email address is drawn at the address's left, and comes as ``.name@example.org``; it is read
after the address. A line with no right-to-left run at all that begins with sentence
punctuation (an address wrapped onto a line of its own, ``.name@example.org``) ends with it:
no left-to-right line begins with a full stop, a comma, ``!`` or ``?`` (UAX #14).

What pdftotext's text cannot tell, and this reading does not guess: in a visual-order line,
two numbers with only neutrals between them ("10 - 4"), or a number in an element of its own
right after English words ("Helpline: - 1"), may be two runs shown in reverse order or one
left-to-right run (a phone number is one). The facts' Arabic-script forms put words between
their numbers; the templates put hours after Arabic words or a phone number, and a review
date in the same run as its English label ("Last reviewed: 1 ...", read as one run).
"""

from __future__ import annotations

import re
import unicodedata

RLE, LRE, POP = "\u202b", "\u202a", "\u202c"
EMBEDDINGS = frozenset({RLE, LRE, "\u202d", "\u202e"})
CONTROLS = EMBEDDINGS | {POP}
MARKS = "".join(chr(c) for c in range(0x610, 0x6EE) if unicodedata.category(chr(c)) == "Mn")
"""The Arabic script's combining marks (harakat, tanwin, Quranic marks)."""
NUMBER = re.compile(r"(\d+)")
"""A run of decimal digits, of any script (Arabic-Indic and Extended Arabic-Indic too)."""
BOUND = "#"
"""What ``fact_key`` writes on each side of a number (no letter, mark or digit)."""


def logical_text(text: str) -> str:
    """Return pdftotext's text with every visual-order line put in logical order."""
    return "\n".join(_logical_line(line) for line in text.split("\n"))


ISOLATES = frozenset("\u2066\u2067\u2068\u2069")
"""LRI, RLI, FSI and PDI: the DOCX isolates each fact of right-to-left text with them."""
_STRIPPED = CONTROLS | ISOLATES


def plain_logical_text(text: str) -> str:
    """Return pdftotext's (or a DOCX's) text in logical order without its direction controls
    (embeddings and isolates), to scan."""
    return "".join(ch for ch in logical_text(text) if ch not in _STRIPPED)


def _logical_line(line: str) -> str:
    """Return one line of pdftotext's in logical order (see the module's docstring)."""
    runs = _runs(line.strip())
    if RLE not in line:
        return _STOPS_FIRST.sub(lambda match: match[2] + match[1][::-1], line)
    if len(runs) == 1:
        return _EMBEDDED_LTR.sub(_edges_across, line) if runs[0].startswith(RLE) else line
    return " ".join(_visual_run(run) for run in reversed(_marks_to_their_letters(runs)))


EDGE_NEUTRALS = " \u00a0:,.;!?\u060c\u061b\u061f\u06d4\u2013\u2014"
"""What poppler counts into a left-to-right run's edges that belongs to the text around it."""
STOPS = ".,;:!?\u060c\u061b\u061f\u06d4"
"""Sentence punctuation: ". , ; : ! ?" and the Arabic-script comma, semicolon, question mark
and full stop. No line of left-to-right text begins with one (UAX #14 breaks no line before
them): at the start of a line it is the end of a right-to-left sentence, drawn at its left."""
_STOPS_FIRST = re.compile(f"^([{STOPS}][{STOPS} \u00a0]*)(.*?)$", re.DOTALL)
_VISUAL_EDGES = re.compile(f"^([{EDGE_NEUTRALS}]*)(.*?)([{EDGE_NEUTRALS}]*)$", re.DOTALL)


def _visual_run(run: str) -> str:
    """Return a run of a visual-order line as it is read: an embedded (right-to-left) run as it
    is, a left-to-right run with the neutrals at its edges moved across (``_edges_across``):
    its left edge ("." of ``.name@example.org``) is read after it, its right edge before."""
    if run[:1] in EMBEDDINGS:
        return run
    left, core, right = _VISUAL_EDGES.fullmatch(run).groups()  # type: ignore[union-attr]
    return f"{right[::-1]}{core}{left[::-1]}" if core else run
_EMBEDDED_LTR = re.compile(f"{LRE}([{EDGE_NEUTRALS}]*)([^{''.join(CONTROLS)}]*?)"
                           f"([{EDGE_NEUTRALS}]*){POP}")


def _edges_across(match: re.Match[str]) -> str:
    """Return a left-to-right run of a logical line with its edge neutrals moved across.

    An Arabic comma or semicolon inside the run parts two runs (an hour drawn right after a
    phone number, ``[9 ،0808 157 0198]``): they are read right to left, each left to right.
    """
    left, core, right = match.groups()
    if not core:
        return (left + right)[::-1]
    pieces = _number_pieces(core)[::-1]
    inner = "".join(piece[::-1] if index % 2 else f"{LRE}{piece}{POP}"
                    for index, piece in enumerate(pieces))
    return f"{right[::-1]}{inner}{left[::-1]}"


_ARABIC_SEPARATOR = re.compile("(\\s*[\u060c\u061b]\\s*)")
_NUMBER = re.compile(r"[\d\s:.\u00a0\u2013-]+")


def _number_pieces(core: str) -> list[str]:
    """Split a run at each Arabic comma or semicolon between two numbers (``9 ،0808 …``),
    separators at the odd places; one between words stays inside its left-to-right run (rule
    W7 makes "Example Line، 0808 …" one run, to be read as it is)."""
    parts = _ARABIC_SEPARATOR.split(core)
    pieces = [parts[0]]
    for separator, piece in zip(parts[1::2], parts[2::2], strict=True):
        if _NUMBER.fullmatch(pieces[-1]) and _NUMBER.fullmatch(piece):
            pieces += [separator, piece]
        else:
            pieces[-1] += separator + piece
    return pieces


def _marks_to_their_letters(runs: list[str]) -> list[str]:
    """Move the marks that end a left-to-right run into the right-to-left run after it.

    In visual order a mark over the last letter of a right-to-left word (a tanwin, always
    word-final) lies just left of the word; poppler does not count a mark as right to left,
    so it ends the run before the word's RLE … PDF, and would be read after the next word.
    """
    moved = list(runs)
    for index in range(len(moved) - 1):
        run, after = moved[index], moved[index + 1]
        marks = len(run) - len(run.rstrip(MARKS))
        if marks and run[:1] not in EMBEDDINGS and after.startswith(RLE) and after.endswith(POP):
            moved[index], moved[index + 1] = run[:-marks], after[:-1] + run[-marks:] + POP
    return moved


def _runs(line: str) -> list[str]:
    """Split a line into its top-level runs: embedded segments and the text between them."""
    runs: list[str] = []
    current, depth = "", 0
    for char in line:
        if char in EMBEDDINGS and depth == 0 and current:
            runs.append(current)
            current = ""
        current += char
        depth += 1 if char in EMBEDDINGS else -1 if char == POP and depth else 0
        if char == POP and depth == 0:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


def bidi_key(text: str) -> str:
    """Return only the letters, marks and digits of a text, in order."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMN")


def fact_key(text: str) -> str:
    """Return ``bidi_key`` of a text with each number bounded, to find a fact in a page's key.

    A number is written ``#21#``, so that one key is found in another only where its numbers
    are whole numbers there too: "1 June" is not in "21 June", nor a phone number's last
    digit the hour after it.
    """
    pieces = NUMBER.split(text)  # odd pieces are the numbers
    return "".join(f"{BOUND}{piece}{BOUND}" if index % 2 else bidi_key(piece)
                   for index, piece in enumerate(pieces))
