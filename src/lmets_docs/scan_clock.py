"""One time written in text, in a language's words: its pattern and its reading as "HH:MM".

Shared by ``scan_times`` (times in words read as digits) and ``scan_hours`` (ranges of hours,
single times that speak of hours), which both build on it; neither imports the other back.

A time is an hour with minutes ("17:00", "10.00") or with a day period, and the words come
from CLDR through babel: every day period name of the language (abbreviated and wide,
format and stand-alone: "am", "y bore", "صبح", "مساءً"; one Latin letter alone is left out)
and the names of noon and midnight as times of their own ("canol dydd"). English adds what
CLDR does not have: "a.m.", "midday". A dotted time is not read before a unit ("2.50 mg"),
nor after a currency sign ("£10.00").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.dates import get_period_id

from lmets_docs.i18n import babel_locale

EXTRA_PERIODS: dict[str, dict[str, str]] = {"en": {"a.m.": "am", "p.m.": "pm"}}
"""Day period names CLDR does not list, with the period they stand for, by language."""
EXTRA_TIMES: dict[str, dict[str, str]] = {"en": {"midday": "12:00"}}
"""Words that are a time of their own and CLDR does not list, by language."""
_UNITS = r"(?!\s?(?:mg|mcg|µg|ml|mmol|kg|g|l|iu|units?|%)(?![^\W\d_]))"


def time_of(match: re.Match[str], n: str, lang: str, later: str | None) -> str | None:
    """Return time ``n`` of a match as "HH:MM", or None; a bare hour only before ``later``."""
    word = match.group(f"w{n}")
    if word:
        return word_times(lang)[word.lower()]
    hour, mins, period = int(match.group(f"h{n}")), match.group(f"m{n}"), match.group(f"p{n}")
    if period:
        return _with_period(hour, int(mins or 0), period, lang)
    if mins is not None:
        return f"{hour:02d}:{mins}" if hour <= 24 else None
    if later is None or not 1 <= hour <= 12:
        return None  # a bare number is a time only before a time with its period
    afternoon = hour % 12 + 12
    value = afternoon if afternoon * 60 < _minutes(later) else hour % 12
    return f"{value:02d}:00"


def _with_period(hour: int, mins: int, period: str, lang: str) -> str | None:
    """Return a 12-hour time with its day period as "HH:MM", None if the period cannot be."""
    if not 1 <= hour <= 12 or mins > 59:
        return None
    ids = period_ids(lang)[period.lower()]
    locale = babel_locale(lang)
    for value in (hour % 12, hour % 12 + 12):
        said = dt.time(value, mins)
        if ids & {get_period_id(said, locale=locale), "am" if value < 12 else "pm"}:
            return f"{value:02d}:{mins:02d}"
    half = {_HALVES.get(period.rstrip("0123456789")) for period in ids} - {None}
    if len(half) != 1:
        return None  # a night, or a name for both halves
    value = hour % 12 + (12 if half == {"pm"} else 0)
    return f"{value:02d}:{mins:02d}"


_HALVES = {"morning": "am", "afternoon": "pm", "evening": "pm"}
"""The half of the day a period is in, when CLDR's rules put the hour in another period
("5 شام": CLDR's Urdu evening starts at 6 pm, people say it of 5 pm too)."""


def _minutes(time: str) -> int:
    hours, mins = time.split(":")
    return int(hours) * 60 + int(mins)


def one_time(n: str, lang: str) -> str:
    """Return the pattern of one time: a word ("midday"), or an hour, minutes and period."""
    periods = alternatives(period_ids(lang))
    words = alternatives(word_times(lang))
    clock = (rf"(?<![\w.,:/£$€])(?P<h{n}>[012]?\d)(?:[:.](?P<m{n}>[0-5]\d))?(?![\d:.]\d)"
             rf"(?:\s?(?P<p{n}>{periods})(?![^\W\d_]))?{_UNITS}")
    return rf"(?:(?<!\w)(?P<w{n}>{words})(?!\w)|{clock})"


def alternatives(names: Iterable[str]) -> str:
    """Return a regular expression matching any of ``names``, the longest first."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "(?!)"


@cache
def period_ids(lang: str) -> dict[str, frozenset[str]]:
    """Return every day period name of the language (lower case) and the periods it names."""
    locale = babel_locale(lang)
    ids: dict[str, set[str]] = {}
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide"):
            for period, name in locale.day_periods.get(context, {}).get(width, {}).items():
                if period not in ("noon", "midnight") and _word(str(name)):
                    ids.setdefault(str(name).lower(), set()).add(str(period))
    for name, period in EXTRA_PERIODS.get(language(lang), {}).items():
        ids.setdefault(name, set()).add(period)
    return {name: frozenset(found) for name, found in ids.items()}


def _word(name: str) -> bool:
    """Say whether a period name can be read in text: not one Latin letter alone ("a")."""
    return bool(name.strip()) and not (len(name) == 1 and name.isascii())


@cache
def word_times(lang: str) -> dict[str, str]:
    """Return the words that are a time of their own (noon, midnight) and the time each is."""
    locale = babel_locale(lang)
    times = {"noon": "12:00", "midnight": "00:00"}
    found: dict[str, str] = {}
    for context in locale.day_periods.values():
        for names in context.values():
            for period, time in times.items():
                if (name := names.get(period)) and _word(str(name)):
                    found.setdefault(str(name).lower(), time)
    found.update(EXTRA_TIMES.get(language(lang), {}))
    return found


def language(lang: str) -> str:
    """Return the language of a leaflet's language tag ("en-GB" → "en")."""
    locale: Locale = babel_locale(lang)
    return str(locale.language)
