"""Find phone numbers and dates written in free text, the way a reader would see them.

Used twice: ``validate`` refuses numbers and dates typed into a leaflet's prose (they belong
in the facts), and ``check`` finds any that differ from the facts in a built file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache

import phonenumbers
from babel.dates import get_month_names

from lmets_docs.i18n import babel_locale

_DIGIT_RUN = re.compile(r"\d(?: \d)+")
_GROUP_COMMA = re.compile(r"(?<=\d), (?=\d)")
_NUMERIC_DATE = re.compile(r"\b(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})\b")


def phone_numbers(
    text: str, region: str, spoken: bool = False
) -> list[phonenumbers.PhoneNumberMatch]:
    """Return the valid phone numbers in ``text``; ``spoken`` reads "0 8 0 8, 8 0 0" as digits."""
    if spoken:  # "0 8 0 8, 8 0 0, 4 0 4 0" → "0808 800 4040"
        text = _DIGIT_RUN.sub(lambda m: m.group(0).replace(" ", ""), text)
        text = _GROUP_COMMA.sub(" ", text)
    return list(phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))


def dates(text: str, lang: str) -> Iterator[tuple[str, dt.date | None]]:
    """Yield each date written in ``text`` (as written, and as a date; None if impossible)."""
    yield from _numeric_dates(text, lang)
    for match in _month_pattern(lang).finditer(text):
        day, month, year = match.group(1), match.group(2), match.group(3)
        try:
            yield match.group(0), dt.date(int(year), _month_number(lang, month), int(day))
        except ValueError:
            yield match.group(0), None


@cache
def _month_pattern(lang: str) -> re.Pattern[str]:
    """Return a pattern for "22 November 2019" and "22nd November 2019" in the language."""
    names = _month_names(lang)
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    return re.compile(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.? ({alternatives}),? (\d{{4}})\b", re.IGNORECASE
    )


@cache
def _month_names(lang: str) -> dict[str, int]:
    locale = babel_locale(lang)
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for number, month in get_month_names("wide", context=context, locale=locale).items():
            names.setdefault(str(month), int(number))
    return names


def _month_number(lang: str, name: str) -> int:
    lowered = {k.lower(): v for k, v in _month_names(lang).items()}
    return lowered[name.lower()]


def _numeric_dates(text: str, lang: str) -> Iterator[tuple[str, dt.date | None]]:
    """Yield numeric dates (22/11/2022, 2022-11-22) read in the language's field order."""
    pattern = babel_locale(lang).date_formats["short"].pattern
    order = sorted("dMy", key=pattern.find)
    for match in _NUMERIC_DATE.finditer(text):
        first, _sep, second, third = match.groups()
        fields = dict(zip(order, (first, second, third), strict=True))
        if len(first) == 4:  # ISO 8601 whatever the locale
            fields = {"y": first, "M": second, "d": third}
        year = int(fields["y"]) + (2000 if len(fields["y"]) == 2 else 0)
        try:
            yield match.group(0), dt.date(year, int(fields["M"]), int(fields["d"]))
        except ValueError:
            yield match.group(0), None


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<![.-])")


def emails(text: str) -> list[str]:
    """Return the email addresses written in ``text`` (lower-cased for comparing)."""
    return [match.group(0).lower() for match in _EMAIL.finditer(text)]
