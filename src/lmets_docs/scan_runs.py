"""Find a dialled number with a digit too many or misgrouped, which phonenumbers splits.

phonenumbers' matcher, at any leniency, takes no run longer than some number of the region
may be: "0113 496 03211" (one digit too many) comes out as "0113" and "496 03211", neither
of them written as a dialled number, so neither is reported as a broken one. A leaflet
that says "call 0113 496 03211" would pass. ``misdialled`` reads the run whole instead: its
groups of digits, each joined to the next by one space, hyphen or dot, as a number is
printed.
"""

from __future__ import annotations

import functools
import re

import phonenumbers

_RUN = re.compile(r"(?<![\w+(])[+(]?\d[\d()]*(?:[ .\-]\(?\d[\d()]*)*")
"""Groups of digits (with a number's parentheses) joined by single separators, standing
alone; a "+" or "(" may open it."""
_NATIONAL_PREFIX = re.compile(r"\(\d\)")
"""A trunk prefix in parentheses, "+44 (0)113 …": a group of one digit, as printed."""
_TOKEN = re.compile(r"[ .\-]")
MAX_DIGITS = 17
"""The most digits a number may have: E.164's 15, with a trunk prefix and a spare."""


def misdialled(digits: str, region: str, min_digits: int) -> list[tuple[int, str]]:
    """Return each run in ``digits`` (a text read by ``as_digits``) written as a dialled
    number (``+`` or ``0`` first, ``min_digits`` or more digits, groups of two or more digits)
    in which no whole groups make a valid number, with where it starts.

    A run that holds a valid number is left alone: "0800 123 4567 24 hours" is the number and
    the hours, "0113 496 0321 0113 496 0329" two numbers. One in single digits ("0 1 2 3 4 5
    6 7 8 9 10", a pain scale) is no phone number, nor one longer than two numbers (a table's
    row of them: phonenumbers' own matcher reads those one by one).
    """
    found = []
    for run in _RUN.finditer(digits):
        raw = run.group(0)
        groups = re.findall(r"\d+", _NATIONAL_PREFIX.sub("", raw))
        if (not _opens_dialled(raw) or not min_digits <= sum(map(len, groups)) <= 2 * MAX_DIGITS
                or any(len(group) < 2 for group in groups[1 if raw[0] == "+" else 0:])):
            continue
        if not _holds_valid(tuple(_TOKEN.split(raw)), region):
            found.append((run.start(), raw))
    return found


def _opens_dialled(raw: str) -> bool:
    first = raw.lstrip("(")[:1]
    return first == "+" or (first.isdigit() and int(first) == 0)  # also an Arabic-Indic zero


@functools.lru_cache(maxsize=1024)
def _holds_valid(tokens: tuple[str, ...], region: str) -> bool:
    """Say whether some tokens in a row, the first written as dialled, make a valid number
    (remembered: a page's footer says the same numbers on every page)."""
    for start, token in enumerate(tokens):
        if not _opens_dialled(token):
            continue
        for end in range(start + 1, len(tokens) + 1):
            written = " ".join(tokens[start:end])
            if sum(char.isdigit() for char in written) > MAX_DIGITS:
                break
            try:
                number = phonenumbers.parse(written, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return True
    return False
