"""Find opening hours written in free text: a range of two times, in the language's words.

Used twice, like ``scan``: ``validate`` refuses hours typed into a leaflet's prose (they are
a contact's facts), and ``check`` finds hours in a built file that are no contact's.

Only a *range* counts ("8am to 8pm", "9 am \u2013 5 pm", "09:00\u201317:00", "between 10.00 and
15.00", "8 y bore tan 5 y prynhawn"): opening hours are always a range, while a single time
in a leaflet is far more often a dose or an appointment ("take 2 tablets at 8 am").

One time is read by ``scan_clock`` (an hour with minutes or with a CLDR day period, noon,
midnight); between two, CLDR's interval sign ("\u2013") or the fact catalogue's word
("{start} to {end}": "to", "tan", "سے", "إلى"), so the hours a leaflet prints are found in
the same words. English adds what CLDR does not have: "until", "between … and".
The start may be a bare hour when the end has its period ("9 to 5pm"). A dotted time is not
read before a unit ("2.50 to 3.00 mg"), nor after a currency sign ("£10.00 - £15.00").

A single time that speaks of hours comes after a word that opens or closes something
("call before 5pm", "open from 9am", "ffoniwch cyn 5 y prynhawn"): each language has a small
table of such words (``CUES``). ``validate`` warns when such a time is none of the contacts'
opening or closing times: it is likely a stale copy of hours that have changed.

Times in words ("nine am to five pm", "nine o'clock to five o'clock") are read as digits
first (``scan_times``), and so is Urdu's period before the hour with "بجے" (o'clock): "شام
پانچ بجے", "شام 5 بجے" become "5 شام". Not covered: another period written before the hour.
A single time is not a range; ``single_times`` finds the ones that speak of opening hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from lmets_docs.fact_words import phrase
from lmets_docs.i18n import babel_locale
from lmets_docs.scan_clock import alternatives, language, one_time, time_of
from lmets_docs.scan_times import as_digits
from lmets_docs.scan_times import prepare as prepare_times

EXTRA_JOINS: dict[str, tuple[str, ...]] = {"en": ("until", "till", "til")}
"""Words between two times, beyond the catalogue's "to", by language."""
BETWEEN: dict[str, tuple[str, str]] = {"en": ("between", "and")}
"""The words around a range said as "between X and Y", by language ("and" alone is not a
range: "at 8 am and 8 pm" is a dose twice a day)."""
CUES: dict[str, tuple[str, ...]] = {
    "en": ("from", "until", "till", "before", "after", "by", "opens at", "open at",
           "closes at", "close at", "opening at", "closing at"),
    "cy": ("o", "tan", "hyd at", "cyn", "ar \u00f4l", "erbyn", "agor am", "cau am",
           "yn agor am", "yn cau am"),
    # Draft (no Arabic reviewer yet): from, until, before, after, by, with "the hour" after
    # them ("قبل الساعة 5 م"), opens/closes at.
    "ar": ("من", "منذ", "حتى", "لغاية", "قبل", "بعد", "بحلول", "من الساعة", "حتى الساعة",
           "لغاية الساعة", "قبل الساعة", "بعد الساعة", "بحلول الساعة", "يفتح الساعة",
           "يغلق الساعة", "يفتح في", "يغلق في"),
}
"""The words before a single time that make it an opening or closing time, by language."""
CUES_AFTER: dict[str, tuple[str, ...]] = {
    # Draft (no Urdu reviewer yet): Urdu's postpositions follow the time: "5 شام سے پہلے"
    # (before), "5 شام کے بعد" (after), "5 شام تک" (until, by), "9 صبح سے" (from).
    "ur": ("سے پہلے", "کے بعد", "تک", "سے"),
}
"""The words after a single time that make it an opening or closing time, by language."""
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015"


def time_ranges(text: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """Yield each range of times in ``text``: as written, and its opening and closing "HH:MM".

    Times in words ("nine am to five pm") are read as digits first (``scan_times``).
    """
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
    end = time_of(match, "2", lang, None)
    if end is None:
        return None
    opens = time_of(match, "1", lang, end)
    if opens is None:
        return None
    return opens, "24:00" if end == "00:00" else end


def prepare(lang: str) -> None:
    """Build the language's patterns of opening hours now (a process that forks builds:
    ``watch``): from CLDR's data and the package's fact catalogue alone, which a running
    process never sees change (a build reads them while loading, and its checks again)."""
    _patterns(lang)
    _cued(lang)
    prepare_times(lang)


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """Return the language's patterns: "X to Y", and "between X and Y" if it says so."""
    joins = [*_catalogue_joins(lang), *EXTRA_JOINS.get(language(lang), ())]
    words = "|".join(re.escape(w) for w in sorted(set(joins), key=len, reverse=True))
    dashes = f"[{_DASHES}]|{re.escape(_interval_sign(lang))}"
    join = rf"\s{{0,3}}(?:{dashes}|(?<!\w)(?:{words})(?!\w))\s{{0,3}}"
    found = [re.compile(one_time("1", lang) + join + one_time("2", lang), re.IGNORECASE)]
    if (between := BETWEEN.get(language(lang))) is not None:
        first, second = (re.escape(w) for w in between)
        found.append(re.compile(rf"(?<!\w){first}\s{{1,3}}{one_time('1', lang)}\s{{1,3}}{second}"
                                rf"\s{{1,3}}{one_time('2', lang)}", re.IGNORECASE))
    return tuple(found)


def single_times(text: str, lang: str) -> Iterator[tuple[str, str]]:
    """Yield each single time after an opening or closing word: as written, and "HH:MM"."""
    pattern = _cued(lang)
    if pattern is None:
        return
    read = as_digits(text, lang)
    ranges = [span for span, _opens, _closes in range_spans(read.text, lang)]
    for match in pattern.finditer(read.text):
        time = time_of(match, "1", lang, None)
        if time is None or any(a <= match.start("t") < b for a, b in ranges):
            continue  # a dose's bare number, or the start of a range
        start, end = read.span(*match.span("t"))
        yield text[start:end].strip(), time


@cache
def _cued(lang: str) -> re.Pattern[str] | None:
    before, after = CUES.get(language(lang), ()), CUES_AFTER.get(language(lang), ())
    if before:
        return re.compile(rf"(?<!\w)(?:{alternatives(before)})\s{{1,3}}"
                          rf"(?P<t>{one_time('1', lang)})", re.IGNORECASE)
    if after:
        return re.compile(rf"(?P<t>{one_time('1', lang)})\s{{1,3}}(?:{alternatives(after)})"
                          r"(?!\w)", re.IGNORECASE)
    return None


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


