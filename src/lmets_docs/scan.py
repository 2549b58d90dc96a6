"""Find phone numbers and dates written in free text, the way a reader would see them.

Used twice: ``validate`` refuses numbers and dates typed into a leaflet's prose (they belong
in the facts), and ``check`` finds any that differ from the facts in a built file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from functools import cache

import phonenumbers

from lmets_docs import scan_dates, scan_hours, scan_words
from lmets_docs.fact_words import EXTENSION_PHRASES, phrase
from lmets_docs.i18n import babel_locale
from lmets_docs.scan_dates import month_dates
from lmets_docs.scan_runs import inner_numbers, misdialled, opens_dialled
from lmets_docs.scan_words import with_digits

_SPACES = {code: " " for code in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}
"""Unicode's space separators (category Zs): phonenumbers takes only some as separators."""
_LOOKS_LIKE = "OoIl\u041e\u043e\u039f\u03bf"  # Latin O o I l; Cyrillic and Greek O, o
_AS_DIGITS = str.maketrans(_LOOKS_LIKE, "00110000")
_LOOKALIKE = re.compile(
    rf"(?<!\w)(?=[\d{_LOOKS_LIKE}]*\d)(?=[\d{_LOOKS_LIKE}]*[{_LOOKS_LIKE}])"
    rf"[\d{_LOOKS_LIKE}]{{3,}}(?!\w)"
)
"""A run of digits and look-alike letters, with a digit and a letter in it, standing alone."""
_DIGIT_RUN = re.compile(r"(?<!\d)(?<!\d )\d(?: \d)+(?!\d)(?! \d)")
"""A group said digit by digit ("0 8 0 8"): single digits, the whole run of them. One that runs
into a written number ("0 1 2 … 9 10", a pain scale) is a list, and is left as written."""
_GROUP_COMMA = re.compile(r"(?<=\d), (?=\d)")
# Arabic patterns put a right-to-left mark after each field: 22\u200f/11\u200f/2025.
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?<!\d\.)(\d{1,4})[\u200e\u200f]?([/.-])(\d{1,2})[\u200e\u200f]?\2(\d{1,4})(?!\.?\d)"
)


def phone_numbers(
    text: str, region: str, spoken: bool = False, lang: str | None = None
) -> list[phonenumbers.PhoneNumberMatch]:
    """Return the valid phone numbers in ``text``; ``spoken`` reads "0 8 0 8, 8 0 0" as digits.

    With ``lang``, numbers spelled out in that language's words ("oh two oh seven …") are
    found too (as their digits), and so is an extension after the language's word for it
    ("0161 496 0123 est. 48215").
    """
    return valid_numbers(as_digits(text, spoken, lang), region)


def valid_numbers(digits: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """Return the valid phone numbers in a text already read by ``as_digits``: also one with
    digits after it that phonenumbers' matcher does not find ("0800 123 4567 24 hours a day":
    ``scan_runs.inner_numbers``)."""
    found = list(phonenumbers.PhoneNumberMatcher(digits, region,
                                                 leniency=phonenumbers.Leniency.VALID))
    inner = [match for match in inner_numbers(digits, region) if not _overlaps(match, found)]
    return sorted(found + inner, key=lambda match: match.start) if inner else found


def _overlaps(match: phonenumbers.PhoneNumberMatch,
              others: list[phonenumbers.PhoneNumberMatch]) -> bool:
    """Say whether ``match`` overlaps one of ``others`` (in order, none overlapping another,
    as phonenumbers' matcher gives them): only the one starting last at or before it, or the
    next, can (a bisection: a page of numbers is not compared pair by pair)."""
    at = bisect.bisect_right(others, match.start, key=lambda other: other.start)
    return any(other.start < match.end and match.start < other.end
               for other in others[max(at - 1, 0):at + 1])


def broken_numbers(
    text: str, region: str, spoken: bool = False, lang: str | None = None
) -> list[phonenumbers.PhoneNumberMatch]:
    """Return what looks like a phone number in ``text`` but is not a valid one.

    A run counts when phonenumbers' matcher finds it at its ``POSSIBLE`` leniency (a length
    some number of the region may have, not a date, not inside a longer run), it is written
    starting with ``0`` or ``+`` (as a dialled number is, unlike a reference number, a dose
    or a year), it has at least ``MIN_PHONE_DIGITS`` digits, and it is not a valid number:
    "0808 157 030" (a digit short), and Ofcom's drama numbers "07700 900123", which no
    phone can dial.
    """
    return invalid_numbers(as_digits(text, spoken, lang), region)


def invalid_numbers(digits: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """Return what looks like a phone number but is no valid one (``broken_numbers``) in a
    text already read by ``as_digits``: also a run phonenumbers splits (``misdialled``:
    "0113 496 03211", a digit too many), reported whole, in place of its parts; not a run
    with a valid number in it ("0800 1111 7 days a week", ``scan_runs.inner_numbers``)."""
    runs = [_match(start, raw, region)
            for start, raw in misdialled(digits, region, MIN_PHONE_DIGITS)]
    found = [
        match
        for match in phonenumbers.PhoneNumberMatcher(
            digits, region, leniency=phonenumbers.Leniency.POSSIBLE)
        if _dialled(match.raw_string) and not phonenumbers.is_valid_number(match.number)
        and not any(run.start <= match.start < run.end for run in runs)
    ]
    if found:  # "0800 1111 7 days a week": the valid number and the days, as misdialled says
        inner = list(inner_numbers(digits, region))
        found = [match for match in found if not _overlaps(match, inner)]
    return sorted(found + runs, key=lambda match: match.start)


def _match(start: int, raw: str, region: str) -> phonenumbers.PhoneNumberMatch:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:  # too long to be any number
        number = phonenumbers.PhoneNumber()
    return phonenumbers.PhoneNumberMatch(start, raw, number)


MIN_PHONE_DIGITS = 9
"""The fewest digits of a run read as a mistyped phone number (a GB number has 10 or 11)."""


def _dialled(raw: str) -> bool:
    """Say whether a run is written like a dialled number: ``0`` or ``+`` first, 9+ digits."""
    return opens_dialled(raw) and sum(char.isdigit() for char in raw) >= MIN_PHONE_DIGITS


def as_digits(text: str, spoken: bool = False, lang: str | None = None) -> str:
    """Return ``text`` with numbers as digits: look-alikes, number words, spoken digit runs.

    What ``phone_numbers`` and ``broken_numbers`` read; a text read once serves both
    (``valid_numbers``, ``invalid_numbers``)."""
    text = as_seen(text)
    if lang is not None:
        text = with_extension_word(with_digits(text, lang), lang)
    if spoken:  # "0 8 0 8, 8 0 0, 4 0 4 0" → "0808 800 4040"
        text = _DIGIT_RUN.sub(lambda m: m.group(0).replace(" ", ""), text)
        text = _GROUP_COMMA.sub(" ", text)
    return text


def with_extension_word(text: str, lang: str) -> str:
    """Return ``text`` with the language's word for an extension between digits as ``ext``.

    The words are the fact catalogue's own (Welsh "est." and "estyniad"), so phonenumbers,
    which knows only some languages' ("ext.", "x", "доб."), reads the extension after them.
    """
    pattern = _extension_pattern(lang)
    return text if pattern is None else pattern.sub(" ext ", text)


def prepare(lang: str) -> None:
    """Build every pattern and list of words the scans of the language use, now: its dates,
    numbers in words, opening hours and extension words (``watch`` warms these once, so that
    no build forked from it, nor its writer processes, builds them again). Each is made from
    CLDR's data and the package's own words alone, which a running process never sees change.
    ValueError if ``lang`` is not a language."""
    scan_dates.prepare(lang)
    scan_words.prepare(lang)
    scan_hours.prepare(lang)
    _extension_pattern(lang)


@cache
def _extension_pattern(lang: str) -> re.Pattern[str] | None:
    """Return a pattern for the language's extension words between a number and digits."""
    words = set()
    for msgid in EXTENSION_PHRASES:
        filled = phrase(lang, msgid, number="\0", extension="\1")
        if filled is not None and "\0" in filled and "\1" in filled:
            words.add(filled.split("\0", 1)[1].split("\1", 1)[0].strip(" ,\u060c"))
    words = {word for word in words if word and not _known_label(word)}
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<=\d)[ ,\u060c]*(?:{alternatives})[ ]*(?=\d)", re.IGNORECASE)


def _known_label(word: str) -> bool:
    """Say whether phonenumbers reads an extension after ``word`` itself ("ext.", "x")."""
    try:
        return bool(phonenumbers.parse(f"+44 161 496 0123 {word} 1", None).extension)
    except phonenumbers.NumberParseException:
        return False


def as_seen(text: str) -> str:
    """Return ``text`` with digits as a reader sees them: a letter O (Latin, Cyrillic, Greek)
    among digits is a 0, an l or I a 1 ("O2O7 946 1234"), and every kind of space (thin,
    narrow no-break …) a space."""
    text = text.translate(_SPACES)
    return _LOOKALIKE.sub(lambda m: m.group(0).translate(_AS_DIGITS), text)


def dates(text: str, lang: str) -> Iterator[tuple[str, dt.date | None]]:
    """Yield each date written in ``text`` (as written, and as a date; None if impossible)."""
    yield from _numeric_dates(text, lang)
    yield from month_dates(text, lang)


def _numeric_dates(text: str, lang: str) -> Iterator[tuple[str, dt.date | None]]:
    """Yield numeric dates (22/11/2022, 2022-11-22) read in the language's field order."""
    pattern = babel_locale(lang).date_formats["short"].pattern
    order = sorted("dMy", key=pattern.find)
    for match in _NUMERIC_DATE.finditer(text):
        first, _sep, second, third = match.groups()
        fields = dict(zip(order, (first, second, third), strict=True))
        if len(first) == 4:  # ISO 8601 whatever the locale
            fields = {"y": first, "M": second, "d": third}
        if len(fields["y"]) not in (2, 4):
            continue  # "1.2.3" is a version, not a date
        year = int(fields["y"]) + (2000 if len(fields["y"]) == 2 else 0)
        try:
            yield match.group(0), dt.date(year, int(fields["M"]), int(fields["d"]))
        except ValueError:
            yield match.group(0), None


_EMAIL = re.compile(r"(?<![\w+-])[\w+-][\w.+-]*@[\w-]+(?:\.[\w-]+)+(?<![.-])")
"""An email address; a full stop never begins one (RFC 5322's dot-atom), so a sentence's
full stop read just before it (a right-to-left line's end, drawn at its left) is left out."""


def emails(text: str) -> list[str]:
    """Return the email addresses written in ``text`` (lower-cased for comparing)."""
    return [match.group(0).lower() for match in _EMAIL.finditer(text)]
