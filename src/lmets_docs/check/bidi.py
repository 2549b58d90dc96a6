"""Read right-to-left text back in logical order, to compare it with a fact.

poppler's pdftotext gives a right-to-left line in logical order, wrapped in RLE … PDF, when
it sees the line as right to left; a line it takes for left to right (one that starts with a
number, or has more Latin than Arabic letters) comes in visual order, its right-to-left runs
each marked RLE … PDF. In a right-to-left document every line runs right to left, so such a
line is put back in logical order by reversing its runs.

Where the runs of a line meet, pdftotext moves spaces and neutral punctuation (a comma, a
dash) from one side of a number to the other; ``bidi_key`` therefore compares the letters
and digits of a right-to-left text, in order, and nothing else.
"""

from __future__ import annotations

import unicodedata

RLE, LRE, POP = "\u202b", "\u202a", "\u202c"
EMBEDDINGS = frozenset({RLE, LRE, "\u202d", "\u202e"})


def logical_text(text: str) -> str:
    """Return pdftotext's text with every visual-order line put in logical order."""
    return "\n".join(_logical_line(line) for line in text.split("\n"))


def _logical_line(line: str) -> str:
    if RLE not in line or line.lstrip().startswith(RLE):
        return line
    return " ".join(reversed(_runs(line)))


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
