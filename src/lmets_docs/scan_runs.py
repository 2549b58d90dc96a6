"""Read a dialled number's run of digit groups whole, where phonenumbers' matcher splits it.

phonenumbers' matcher takes a run of digits and separators as one candidate and, when that is
no number, tries only some parts of it. So it finds nothing in two cases a leaflet has:

- a number with a digit too many, "0113 496 03211": it comes out as "0113" and "496 03211",
  neither written as a dialled number, so neither is reported as a broken one
  (``misdialled``);
- a valid number with digits after it, "0800 123 4567 24 hours a day", "0808 808 0000 24/7",
  two numbers side by side: no valid number is found at all, so a wrong one there is no
  stray number to ``check`` and, typed into a leaflet, is not refused (``inner_numbers``).

A run is groups of digits, each joined to the next by one space, hyphen or dot, as a number is
printed; a number inside it is whole groups of it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import phonenumbers

_RUN = re.compile(r"(?<![\w+(])[+(]?\d[\d()]*(?:[ .\-]\(?\d[\d()]*)*")
"""Groups of digits (with a number's parentheses) joined by single separators, standing
alone; a "+" or "(" may open it."""
_NATIONAL_PREFIX = re.compile(r"\(\d\)")
"""A trunk prefix in parentheses, "+44 (0)113 …": a group of one digit, as printed."""
_GROUP = re.compile(r"[^ .\-]+")
_CLOCK = re.compile(r"(\d\d)\.(\d\d)")
"""A time of day written with a full stop, "08.30" (any script's digits)."""
MAX_DIGITS = 17
"""The most digits a number may have: E.164's 15, with a trunk prefix and a spare."""

Groups = tuple[tuple[int, str], ...]
"""A run's groups, each with where it starts in the run."""


def misdialled(digits: str, region: str, min_digits: int) -> list[tuple[int, str]]:
    """Return each run in ``digits`` (a text read by ``as_digits``) written as a dialled
    number (``+`` or ``0`` first, ``min_digits`` or more digits, groups of two or more digits)
    in which no whole groups make a valid number, with where it starts; in a run that holds
    valid numbers, the groups left over, if they are written so ("0113 496 0321 0113 496
    03211": a table's row read across, one number mistyped).

    So "0800 123 4567 24 hours" is the number and the hours, "0113 496 0321 0113 496 0329"
    two numbers. One in single digits ("0 1 2 3 4 5 6 7 8 9 10", a pain scale) is no phone
    number, nor a run longer than two numbers (a table's row of them).
    """
    found = []
    for start, raw, groups in _runs(digits):
        if not opens_dialled(raw) or not min_digits <= _digits(raw) <= 2 * MAX_DIGITS:
            continue
        for stretch in _left_over(groups, _numbers_in(groups, raw, region)):
            at, end = _span(_untrailed(stretch))
            if _written_dialled(raw[at:end], min_digits):
                found.append((start + at, raw[at:end]))
    return found


def _digits(raw: str) -> int:
    """Return how many digits a run has, not counting a trunk prefix in parentheses."""
    return sum(char.isdigit() for char in _NATIONAL_PREFIX.sub("", raw))


def _written_dialled(raw: str, min_digits: int) -> bool:
    """Say whether groups are written as a dialled number: ``+`` or ``0`` first, ``min_digits``
    or more digits, every group of two or more (but a country code's)."""
    kept = re.findall(r"\d+", _NATIONAL_PREFIX.sub("", raw))
    return (opens_dialled(raw) and _digits(raw) >= min_digits
            and all(len(group) >= 2 for group in kept[1 if raw[0] == "+" else 0:]))


def _untrailed(stretch: Groups) -> Groups:
    """Return groups without the single digits after them ("0113 496 03211 7 days a week":
    the number is what comes before the days)."""
    while len(stretch) > 1 and _digits(stretch[-1][1]) == 1:
        stretch = stretch[:-1]
    return stretch


def _span(stretch: Groups) -> tuple[int, int]:
    """Return where some groups of a run start and end in it."""
    return stretch[0][0], stretch[-1][0] + len(stretch[-1][1])


def _left_over(groups: Groups, numbers: tuple[tuple[int, int], ...]) -> Iterator[Groups]:
    """Yield each stretch of a run's groups that is in none of its ``numbers``."""
    stretch: Groups = ()
    for group in groups:
        if any(begin <= group[0] < end for begin, end in numbers):
            if stretch:
                yield stretch
            stretch = ()
        else:
            stretch += (group,)
    if stretch:
        yield stretch


def inner_numbers(digits: str, region: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Yield each valid number that is whole groups of a longer run in ``digits``: from each
    group written as dialled, the longest that is valid, then on after it."""
    for start, raw, groups in _runs(digits):
        if len(groups) > 1 and opens_dialled(raw):
            for at, end in _numbers_in(groups, raw, region):
                written = raw[at:end]
                yield phonenumbers.PhoneNumberMatch(
                    start + at, written, phonenumbers.parse(written, region))


def _runs(digits: str) -> Iterator[tuple[int, str, Groups]]:
    """Yield each run with where it starts and its groups; not a list of clock times
    ("take them at 06.00 12.00 18.00 24.00", "08.30 10.30 13.30"), which is no number."""
    for run in _RUN.finditer(digits):
        raw = run.group(0)
        if not _clock_times(raw):
            yield run.start(), raw, tuple((group.start(), group.group(0))
                                          for group in _GROUP.finditer(raw))


def _clock_times(raw: str) -> bool:
    """Say whether a run is times of day, each written "08.30", one after another."""
    times = [_CLOCK.fullmatch(piece) for piece in re.split(r"[ \-]", raw)]
    return all(time is not None and int(time[1]) <= 24 and int(time[2]) <= 59
               for time in times)


def opens_dialled(raw: str) -> bool:
    """Say whether a run starts as a dialled number does: ``+`` or ``0`` first (any script's
    zero), after any opening brackets."""
    first = raw.lstrip("(")[:1]
    return first == "+" or (first.isdigit() and int(first) == 0)  # also an Arabic-Indic zero


@functools.lru_cache(maxsize=1024)
def _numbers_in(groups: Groups, raw: str, region: str) -> tuple[tuple[int, int], ...]:
    """Return where each valid number of whole groups starts and ends in a run (remembered:
    a page's footer says the same numbers on every page)."""
    found = []
    index = 0
    while index < len(groups):
        end = _longest_valid(groups, index, raw, region) if _opens_number(
            groups[index][1]) else None
        if end is None:
            index += 1
            continue
        found.append(_span(groups[index:end]))
        index = end
    return tuple(found)


def _opens_number(group: str) -> bool:
    """Say whether a group may open a number: written as dialled, and "+" or two digits or
    more ("0113", "+44", "(0)113"), as ``misdialled`` reads one; never a lone "0", which a
    run of them ("0 0 0 …") would otherwise have parsed 17 times from every group."""
    return opens_dialled(group) and (group.startswith("+") or
                                      sum(char.isdigit() for char in group) >= 2)


def _longest_valid(groups: Groups, start: int, raw: str, region: str) -> int | None:
    """Return the end (a group's index) of the longest valid number from group ``start``."""
    longest = None
    for end in range(start + 1, len(groups) + 1):
        written = raw[groups[start][0]:groups[end - 1][0] + len(groups[end - 1][1])]
        if sum(char.isdigit() for char in written) > MAX_DIGITS:
            break
        if _valid(written, region):
            longest = end
    return longest


@functools.lru_cache(maxsize=4096)
def _valid(written: str, region: str) -> bool:
    """Say whether some groups as written are a valid number (remembered: a run of the same
    groups, "01 01 01 …", is the same few numbers from every group)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(written, region))
    except phonenumbers.NumberParseException:
        return False
