"""Find opening hours written in free text: a range of two times, in the language's words.

Used twice, like ``scan``: ``validate`` refuses hours typed into a leaflet's prose (they are
a contact's facts), and ``check`` finds hours in a built file that are no contact's.

Only a *range* counts ("8am to 8pm", "9 am \u2013 5 pm", "09:00\u201317:00", "between 10.00 and
15.00", "8 y bore tan 5 y prynhawn"): opening hours are always a range, while a single time
in a leaflet is far more often a dose or an appointment ("take 2 tablets at 8 am").

A time is an hour with minutes ("17:00", "10.00") or with a day period, and the words come
from CLDR through babel: every day period name of the language (abbreviated and wide,
format and stand-alone: "am", "y bore", "صبح", "مساءً"; one Latin letter alone is left out),
the names of noon and midnight as times of their own ("canol dydd"), and CLDR's interval
sign ("\u2013"). The word between the two times is the fact catalogue's ("{start} to {end}":
"to", "tan", "سے", "إلى"), so the hours a leaflet prints are found in the same words.
English adds what CLDR does not have: "a.m.", "midday", "until", "between … and".
The start may be a bare hour when the end has its period ("9 to 5pm"). A dotted time is not
read before a unit ("2.50 to 3.00 mg"), nor after a currency sign ("£10.00 - £15.00").

Times in words ("nine am to five pm", "nine o'clock to five o'clock") are read as digits
first (``scan_times``). Not covered: a period written before the hour (no language the
project ships does this). A single time is not a range; ``scan_times.single_times`` finds
the ones that speak of opening hours.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cache

from babel import Locale
from babel.dates import get_period_id

from lmets_docs.fact_words import phrase
from lmets_docs.i18n import babel_locale

EXTRA_PERIODS: dict[str, dict[str, str]] = {"en": {"a.m.": "am", "p.m.": "pm"}}
"""Day period names CLDR does not list, with the period they stand for, by language."""
EXTRA_TIMES: dict[str, dict[str, str]] = {"en": {"midday": "12:00"}}
"""Words that are a time of their own and CLDR does not list, by language."""
EXTRA_JOINS: dict[str, tuple[str, ...]] = {"en": ("until", "till", "til")}
"""Words between two times, beyond the catalogue's "to", by language."""
BETWEEN: dict[str, tuple[str, str]] = {"en": ("between", "and")}
"""The words around a range said as "between X and Y", by language ("and" alone is not a
range: "at 8 am and 8 pm" is a dose twice a day)."""
_UNITS = r"(?!\s?(?:mg|mcg|µg|ml|mmol|kg|g|l|iu|units?|%)(?![^\W\d_]))"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015"


def time_ranges(text: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """Yield each range of times in ``text``: as written, and its opening and closing "HH:MM".

    Times in words ("nine am to five pm") are read as digits first (``scan_times``).
    """
    from lmets_docs.scan_times import as_digits  # noqa: PLC0415 (it reads this module's words)

    read = as_digits(text, lang)
    for span, opens, closes in range_spans(read.text, lang):
        start, end = read.span(*span)
        yield text[start:end].strip(), opens, closes


def range_spans(text: str, lang: str) -> Iterator[tuple[tuple[int, int], str, str]]:
    """Yield where each range of times written with digits (or day period words) is in
    ``text``, and its opening and closing "HH:MM"."""
    taken: list[tuple[int, int]] = []
    for pattern in _patterns(lang):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            times = _range(match, lang)
            if times is not None:
                taken.append(match.span())
                yield match.span(), *times


def _range(match: re.Match[str], lang: str) -> tuple[str, str] | None:
    """Return a match's opening and closing times, or None if it is not a range of times."""
    end = _time(match, "2", lang, None)
    if end is None:
        return None
    opens = _time(match, "1", lang, end)
    if opens is None:
        return None
    return opens, "24:00" if end == "00:00" else end


def _time(match: re.Match[str], n: str, lang: str, later: str | None) -> str | None:
    """Return time ``n`` of a match as "HH:MM", or None; a bare hour only before ``later``."""
    word = match.group(f"w{n}")
    if word:
        return _word_times(lang)[word.lower()]
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
    ids = _period_ids(lang)[period.lower()]
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


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """Return the language's patterns: "X to Y", and "between X and Y" if it says so."""
    joins = [*_catalogue_joins(lang), *EXTRA_JOINS.get(_language(lang), ())]
    words = "|".join(re.escape(w) for w in sorted(set(joins), key=len, reverse=True))
    dashes = f"[{_DASHES}]|{re.escape(_interval_sign(lang))}"
    join = rf"\s{{0,3}}(?:{dashes}|(?<!\w)(?:{words})(?!\w))\s{{0,3}}"
    found = [re.compile(_one("1", lang) + join + _one("2", lang), re.IGNORECASE)]
    if (between := BETWEEN.get(_language(lang))) is not None:
        first, second = (re.escape(w) for w in between)
        found.append(re.compile(rf"(?<!\w){first}\s{{1,3}}{_one('1', lang)}\s{{1,3}}{second}"
                                rf"\s{{1,3}}{_one('2', lang)}", re.IGNORECASE))
    return tuple(found)


def _one(n: str, lang: str) -> str:
    """Return the pattern of one time: a word ("midday"), or an hour, minutes and period."""
    periods = _alternatives(_period_ids(lang))
    words = _alternatives(_word_times(lang))
    clock = (rf"(?<![\w.,:/£$€])(?P<h{n}>[012]?\d)(?:[:.](?P<m{n}>[0-5]\d))?(?![\d:.]\d)"
             rf"(?:\s?(?P<p{n}>{periods})(?![^\W\d_]))?{_UNITS}")
    return rf"(?:(?<!\w)(?P<w{n}>{words})(?!\w)|{clock})"


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "(?!)"


@cache
def _period_ids(lang: str) -> dict[str, frozenset[str]]:
    """Return every day period name of the language (lower case) and the periods it names."""
    locale = babel_locale(lang)
    ids: dict[str, set[str]] = {}
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide"):
            for period, name in locale.day_periods.get(context, {}).get(width, {}).items():
                if period not in ("noon", "midnight") and _word(str(name)):
                    ids.setdefault(str(name).lower(), set()).add(str(period))
    for name, period in EXTRA_PERIODS.get(_language(lang), {}).items():
        ids.setdefault(name, set()).add(period)
    return {name: frozenset(found) for name, found in ids.items()}


def _word(name: str) -> bool:
    """Say whether a period name can be read in text: not one Latin letter alone ("a")."""
    return bool(name.strip()) and not (len(name) == 1 and name.isascii())


@cache
def _word_times(lang: str) -> dict[str, str]:
    """Return the words that are a time of their own (noon, midnight) and the time each is."""
    locale = babel_locale(lang)
    times = {"noon": "12:00", "midnight": "00:00"}
    found: dict[str, str] = {}
    for context in locale.day_periods.values():
        for names in context.values():
            for period, time in times.items():
                if (name := names.get(period)) and _word(str(name)):
                    found.setdefault(str(name).lower(), time)
    found.update(EXTRA_TIMES.get(_language(lang), {}))
    return found


def _catalogue_joins(lang: str) -> list[str]:
    """Return the words the fact catalogue puts between two times ("to", "tan", "سے")."""
    said = phrase(lang, "{start} to {end}", start="\0", end="\1")
    if said is None or "\0" not in said or "\1" not in said:
        return []
    between = said.split("\0", 1)[1].split("\1", 1)[0].strip()
    return [between] if between else []


def _interval_sign(lang: str) -> str:
    """Return the sign CLDR's interval pattern puts between two values ("\u2013")."""
    pattern = str(babel_locale(lang).interval_formats.get(None, "{0} \u2013 {1}"))
    sign = pattern.split("{0}", 1)[-1].split("{1}", 1)[0].strip()
    return sign or "\u2013"


def _language(lang: str) -> str:
    locale: Locale = babel_locale(lang)
    return str(locale.language)
