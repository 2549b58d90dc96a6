"""Find times written in words, and single times that speak of opening hours, in free text.

Times in words: an hour spelled out before a day period ("nine am", "five in the afternoon",
Welsh "naw y bore", "tan bump y prynhawn"), with its minutes if they are spelled too ("nine
thirty am"), or before the language's "o'clock" ("five o'clock", "pump o'r gloch"). They are
given to the scans as digits, so "nine am to five pm" is a range of hours like "9 am to 5 pm".
The number words are CLDR's (its RBNF spellings through ``scan_words``, as for phone numbers
spelled out); the day periods are CLDR's through babel (``scan_hours``). CLDR spells Welsh
10 to 12 the decimal way ("un deg un"); the clock's words ("un ar ddeg", "deuddeg") and
Welsh soft mutation ("tan bump", "am ddeg") are added here. An hour with "o'clock" and no
day period is read in a clinic's day: 7 to 11 in the morning, 12 to 6 in the afternoon.

Urdu (a **draft**, for an Urdu reviewer): the hour before "بجے" (o'clock), its day period
before it, with or without "کے" ("شام پانچ بجے", "شام کے پانچ بجے"), or after it ("پانچ بجے
شام"); the hour in the draft's words (``scan_words.DRAFT_WORDS``) or in digits ("شام 5 بجے",
the order the digits' scans do not read). Each becomes "5 شام", which they do. "ساڑھے",
"سوا" and "پونے" before the hour are half past, quarter past and quarter to it ("ساڑھے پانچ
بجے", 5:30), "ڈیڑھ" and "ڈھائی" half past one and two (``PERIOD_FIRST``). Letters typed on
an Arabic keyboard (Arabic heh for heh goal) are read as Urdu's (``scan_words.SAME_LETTERS``).

``scan_hours`` reads the digits for ranges of hours and single times after an opening or
closing word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from lmets_docs.scan_clock import alternatives, language, period_ids
from lmets_docs.scan_words import SAME_LETTERS, spelled

O_CLOCK: dict[str, tuple[str, ...]] = {"en": ("o'clock", "o\u2019clock", "oclock"),
                                       "cy": ("o'r gloch", "o\u2019r gloch"),
                                       "ur": ("بجے",)}
"""The words after an hour that make it a time ("five o'clock"), by language."""
CLOCK_HOURS: dict[str, dict[str, int]] = {"cy": {"deg": 10, "un ar ddeg": 11, "deuddeg": 12}}
"""The clock's hour words that CLDR's spellings lack, by language."""
@dataclass(frozen=True)
class PeriodFirst:
    """How a language that writes the day period before the hour says a time ("شام پانچ بجے")."""

    joined: str
    """The word that may join the period to the hour ("شام کے پانچ بجے")."""
    offsets: dict[str, int]
    """Words before the hour that move it by minutes ("ساڑھے پانچ", half past five: +30)."""
    halves: dict[str, tuple[int, int]]
    """Words that are an hour and a half of their own ("ڈیڑھ", 1:30)."""


PERIOD_FIRST: dict[str, PeriodFirst] = {
    # Draft (no Urdu reviewer yet): half past, quarter past, quarter to; half past one, two.
    "ur": PeriodFirst("کے", {"ساڑھے": 30, "سوا": 15, "پونے": -15},
                      {"ڈیڑھ": (1, 30), "ڈھائی": (2, 30)})}
"""Languages that write the day period before the hour and "o'clock" after it, by language."""
MORNING = range(7, 12)
"""The hours said with "o'clock" that are in the morning; the others are afternoon."""
_SOFT = (("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"), ("m", "f"),
         ("ll", "l"), ("rh", "r"))
"""Welsh soft mutation of a word's first letters ("pump" after "tan" is "bump")."""


@dataclass(frozen=True)
class Read:
    """A text with its times in words as digits, and where each piece of it was written."""

    text: str
    written: str
    moved: tuple[tuple[int, int, int, int], ...]
    """Each replacement: its start and end in ``text``, and in ``written``."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return where the piece ``text[start:end]`` was written."""
        return self._at(start, True), self._at(end, False)

    def _at(self, index: int, start: bool) -> int:
        found = bisect_right([m[0] for m in self.moved], index) - 1
        if found < 0:
            return index
        _new_start, new_end, old_start, old_end = self.moved[found]
        if index < new_end or (index == new_end and not start):
            return old_start if start else old_end
        return index - new_end + old_end


def as_digits(text: str, lang: str) -> Read:
    """Return ``text`` with each time written in words as digits ("nine am" → "9 am")."""
    pattern = _spelled_time(lang)
    if pattern is None:
        return Read(text, text, ())
    pieces, moved, last, length = [], [], 0, 0
    same = SAME_LETTERS.get(language(lang))  # one for one: the matches' places stay true
    for match in pattern.finditer(text.translate(same) if same else text):
        if not 1 <= _hour(match, lang) <= 12:
            continue  # "25 بجے" is no time
        digits = _digits(match, lang)
        pieces.append(text[last:match.start()])
        length += match.start() - last
        moved.append((length, length + len(digits), match.start(), match.end()))
        pieces.append(digits)
        length += len(digits)
        last = match.end()
    pieces.append(text[last:])
    return Read("".join(pieces), text, tuple(moved))


def _hour(match: re.Match[str], lang: str) -> int:
    written = match["h"].lower()
    if written.isdigit():
        return int(written)
    first = PERIOD_FIRST.get(language(lang))
    if first is not None and written in first.halves:
        return first.halves[written][0]
    return _hour_words(lang)[written]


def _digits(match: re.Match[str], lang: str) -> str:
    first = PERIOD_FIRST.get(language(lang))
    if first is not None:
        return _period_first_digits(match, lang, first)
    hour = _hour(match, lang)
    minutes = match.groupdict().get("m")  # Urdu's pattern has no minutes
    mins = f":{_minute_words(lang)[minutes.lower()]:02d}" if minutes else ""
    period = match["p"] or match.groupdict().get("q")
    if period:
        return f"{hour}{mins} {period}"
    return f"{hour if hour in MORNING else hour % 12 + 12:02d}{mins or ':00'}"


def prepare(lang: str) -> None:
    """Build the language's pattern of times in words now (a process that forks builds:
    ``watch``): from CLDR's number rules and day periods alone."""
    _spelled_time(lang)


@cache
def _spelled_time(lang: str) -> re.Pattern[str] | None:
    hours, minutes = _hour_words(lang), _minute_words(lang)
    if not hours:
        return None
    clock = alternatives(O_CLOCK.get(language(lang), ()))
    if language(lang) in PERIOD_FIRST:
        return _period_first(lang, clock)
    return re.compile(
        rf"(?<![\w'\u2019-])(?P<h>{alternatives(hours)})(?:[\s-]+(?P<m>{alternatives(minutes)}))?"
        rf"(?:\s?(?P<p>{alternatives(period_ids(lang))})|\s(?:{clock}))(?![^\W\d_])",
        re.IGNORECASE)


def _period_first(lang: str, clock: str) -> re.Pattern[str]:
    """Return the pattern of an hour before "o'clock", its period before or after it (Urdu)."""
    first = PERIOD_FIRST[language(lang)]
    periods = alternatives(period_ids(lang))
    hours = alternatives([*_hour_words(lang), *first.halves])
    return re.compile(
        rf"(?<![\w.,:/])(?:(?P<q>{periods})(?:\s+{re.escape(first.joined)})?\s+)?"
        rf"(?:(?P<x>{alternatives(first.offsets)})\s+)?"
        rf"(?P<h>{hours}|(?<![\d.,:])[012]?\d(?![\d.,:]\d))\s+(?:{clock})"
        rf"(?:\s+(?P<p>{periods}))?(?!\w)", re.IGNORECASE)


def _period_first_digits(match: re.Match[str], lang: str, first: PeriodFirst) -> str:
    """Return an hour before "o'clock" as digits: "5 شام", "5:30 شام", or "17:30" if no period."""
    mins = first.halves.get(match["h"].lower(), (0, 0))[1]
    total = _hour(match, lang) * 60 + mins + first.offsets.get(match["x"] or "", 0)
    hour, mins = (total // 60) % 12 or 12, total % 60
    shown = f"{hour}:{mins:02d}" if mins else f"{hour}"
    period = match["p"] or match["q"]
    if period:
        return f"{shown} {period}"
    return f"{hour if hour in MORNING else hour % 12 + 12:02d}:{mins:02d}"


@cache
def _hour_words(lang: str) -> dict[str, int]:
    kinds = ("spellout-cardinal", "spellout-numbering")
    words = {**spelled(lang, range(1, 13), kinds), **CLOCK_HOURS.get(language(lang), {})}
    if language(lang) == "cy":
        words |= {_mutated(word): hour for word, hour in words.items()}
    return words


@cache
def _minute_words(lang: str) -> dict[str, int]:
    return spelled(lang, range(10, 60), ("spellout-cardinal", "spellout-numbering"))


def _mutated(word: str) -> str:
    """Return a Welsh word after soft mutation ("pump" → "bump", "deg" → "ddeg")."""
    for plain, soft in _SOFT:
        if word.startswith(plain):
            return soft + word[len(plain):]
    return word[1:] if word.startswith("g") else word


