"""Compare what was meant to be said with what the recogniser heard: word error rate.

Both sides are brought to one form first: lower case, no punctuation, every digit a word of
its own (Whisper writes "0808" where the transcript has "0 8 0 8", and "9am" for "9 a.m."),
and "oh" said for a zero read as 0. The distance is rapidfuzz's Levenshtein distance over
the word lists: substitutions, deletions and insertions, each counted once.
"""

from __future__ import annotations

import re

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


def unexpected_digits(expected: str, heard: str) -> list[str]:
    """Return each run of digits heard where the expected text has none (an extra number).

    Runs are found by aligning the two word lists (rapidfuzz's edit operations); a digit
    heard in place of another digit is a slip in hearing, which the fact scoring judges,
    not an extra number.
    """
    meant, said = normalise(expected), normalise(heard)
    extra = set()
    for op in Levenshtein.editops(meant, said):
        if said[op.dest_pos].isdigit() and (
                op.tag == "insert" or not meant[op.src_pos].isdigit()):
            extra.add(op.dest_pos)
    runs: list[list[str]] = []
    for position in sorted(extra):
        if runs and position - 1 in extra:
            runs[-1].append(said[position])
        else:
            runs.append([said[position]])
    return [" ".join(run) for run in runs]
