"""Compare what was meant to be said with what the recogniser heard: word error rate.

Both sides are brought to one form first: lower case, no punctuation, every digit a word of
its own (Whisper writes "0808" where the transcript has "0 8 0 8", and "9am" for "9 a.m."),
and "oh" said for a zero read as 0. The distance is rapidfuzz's Levenshtein distance over
the word lists: substitutions, deletions and insertions, each counted once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

_DIGITS = re.compile(r"(\d)")
_NOT_WORD = re.compile(r"[^\w]+")
_SPOKEN_DIGITS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                  "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}


def normalise(text: str) -> list[str]:
    """Return the words of a text in the form both sides are compared in."""
    spaced = _DIGITS.sub(r" \1 ", text.lower().replace("a.m.", "am").replace("p.m.", "pm"))
    words = _NOT_WORD.sub(" ", spaced).split()
    return [_SPOKEN_DIGITS.get(word, word) for word in words]


def word_errors(expected: str, heard: str) -> tuple[int, int]:
    """Return the word edits between what was meant and what was heard, and the words meant."""
    meant = normalise(expected)
    return Levenshtein.distance(meant, normalise(heard)), len(meant)


def error_rate(expected: str, heard: str) -> float:
    """Return the word error rate of ``heard`` against ``expected`` (0: every word heard)."""
    edits, words = word_errors(expected, heard)
    return edits / max(1, words)


@dataclass(frozen=True)
class ExtraNumber:
    """Digits heard where the expected text has none, and where they would go in it."""

    digits: tuple[str, ...]
    heard_at: int
    """The position of the first digit among the heard words."""
    meant_at: int
    """The position among the expected words that they were heard before."""


def extra_numbers(meant: list[str], said: list[str]) -> list[ExtraNumber]:
    """Return each run of digits heard where the expected words have none (another number).

    Runs are found by aligning the two word lists (rapidfuzz's edit operations); a digit
    heard in place of another digit is a slip in hearing, which the fact scoring judges,
    not an extra number.
    """
    extra: dict[int, int] = {}
    for op in Levenshtein.editops(meant, said):
        if op.tag != "delete" and said[op.dest_pos].isdigit() and (
                op.tag == "insert" or not meant[op.src_pos].isdigit()):
            extra[op.dest_pos] = op.src_pos
    runs: list[ExtraNumber] = []
    for position in sorted(extra):
        if runs and position - 1 in extra:
            last = runs[-1]
            runs[-1] = ExtraNumber((*last.digits, said[position]), last.heard_at, last.meant_at)
        else:
            runs.append(ExtraNumber((said[position],), position, extra[position]))
    return runs
