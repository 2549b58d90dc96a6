"""Say opening hours in a language's own words: printed and spoken.

Day names, the clock (12- or 24-hour), time intervals, flexible day periods ("y bore",
"صبح") and lists come from CLDR through babel; the rest from ``fact_words``. English keeps
the house style of patient information ("9 am to 5 pm", NHS content style), and says
``a.m.`` aloud so that no engine reads "am" as a word. Every other language prints its own
clock and says times with CLDR's day periods ("9 y bore"), so that no voice reads "09:00" as
"zero nine zero zero".
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from babel import Locale
from babel.dates import format_interval, format_time, get_day_names, get_period_id
from babel.lists import format_list

from lmets_docs.fact_words import is_english, phrase
from lmets_docs.hours import END_OF_DAY, Hours, OpenRow, is_always, minutes
from lmets_docs.i18n import babel_locale


def hours_text(hours: Hours, lang: str, spoken: bool, note: str | None = None) -> str:
    """Return the whole of a contact's hours, with the note in the language, if any."""
    text = _always(lang) if is_always(hours) else _rows(hours, lang, spoken)
    if note:
        text = _join(lang, "{hours}, {note}", ", ", hours=text, note=note)
    return text


def _join(lang: str, msgid: str, fallback: str, **values: str) -> str:
    """Return a phrase, or the values joined by CLDR-neutral punctuation if it has none."""
    said = phrase(lang, msgid, **values)
    return said if said is not None else fallback.join(values.values())


def _always(lang: str) -> str:
    said = phrase(lang, "24 hours a day, 7 days a week")
    return said if said is not None else "24/7"


def _rows(hours: Hours, lang: str, spoken: bool) -> str:
    groups = [
        (days, list(rows))
        for days, rows in groupby(sorted(hours.open, key=_row_key), key=lambda r: r.days)
    ]
    parts = [
        _join(lang, "{times}, {days}", ", ", times=_times(rows, lang, spoken),
              days=day_span(days, lang))
        for days, rows in groups
    ]
    if hours.closed:
        closed = phrase(lang, "closed {days}", days=day_span(hours.closed, lang))
        parts += [closed] if closed else []
    text = parts[0]
    for more in parts[1:]:
        text = _join(lang, "{hours}; {more}", "; ", hours=text, more=more)
    return text


def _row_key(row: OpenRow) -> tuple[tuple[int, ...], int]:
    return row.days, minutes(row.opens)


def _times(rows: list[OpenRow], lang: str, spoken: bool) -> str:
    if len(rows) == 1 and rows[0].opens == "00:00" and rows[0].closes == "24:00":
        said = phrase(lang, "24 hours")
        return said if said is not None else time_range("00:00", "24:00", lang, spoken)
    return and_list([time_range(r.opens, r.closes, lang, spoken) for r in rows], lang)


def and_list(words: list[str], lang: str) -> str:
    """Return words joined as a list with CLDR's patterns; two with the language's "and".

    CLDR's Welsh pattern writes "a(c)" and leaves the choice to the reader; a catalogue's
    "{first} and {last}" joins the last two (the others with CLDR's middle pattern).
    """
    if len(words) >= 2:
        middle = str(babel_locale(lang).list_patterns["standard"]["middle"])
        head = words[0]
        for word in words[1:-1]:
            head = middle.format(head, word)
        said = phrase(lang, "{first} and {last}", first=head, last=words[-1])
        if said is not None:
            return said
    return str(format_list(words, locale=babel_locale(lang)))


def day_span(days: tuple[int, ...], lang: str) -> str:
    """Return days as the language names them: ``Monday to Friday``, ``Saturday and Sunday``."""
    if len(days) == 7:
        every = phrase(lang, "every day")
        if every is not None:
            return every
    names = get_day_names("wide", locale=babel_locale(lang))
    words: list[str] = []
    for run in _runs(days):
        if len(run) <= 2:
            words += [names[day] for day in run]
        else:
            words.append(_day_range(names[run[0]], names[run[-1]], lang))
    return and_list(words, lang)


def _runs(days: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Split sorted weekdays into runs of consecutive days."""
    out: list[list[int]] = []
    for day in days:
        if out and out[-1][-1] == day - 1:
            out[-1].append(day)
        else:
            out.append([day])
    return [tuple(run) for run in out]


def _day_range(first: str, last: str, lang: str) -> str:
    said = phrase(lang, "{first} to {last}", first=first, last=last)
    return said if said is not None else _interval_fallback(first, last, lang)


def _interval_fallback(start: str, end: str, lang: str) -> str:
    """Join two values with CLDR's interval pattern (``{0} \u2013 {1}``)."""
    pattern = str(babel_locale(lang).interval_formats.get(None, "{0} \u2013 {1}"))
    return pattern.replace("{0}", start).replace("{1}", end)


def time_range(opens: str, closes: str, lang: str, spoken: bool) -> str:
    """Return one span of time: ``9 am to 5 pm``, ``09:00\u201317:00``, ``9 y bore tan 5 …``."""
    start, end = clock(opens, lang, spoken), clock(closes, lang, spoken)
    if is_english(lang) or spoken:
        said = phrase(lang, "{start} to {end}", start=start, end=end)
        if said is not None:
            return said
    locale = babel_locale(lang)
    if not spoken and not _twelve_hour(locale) and closes != "24:00" and opens < closes:
        return str(format_interval(_time(opens), _time(closes), "Hm", locale=locale))
    return _interval_fallback(start, end, lang)


def clock(time: str, lang: str, spoken: bool = False) -> str:
    """Return one time of day: ``9 am`` (English), ``09:00`` (24-hour), ``9 y bore`` (said)."""
    locale = babel_locale(lang)
    if is_english(lang):
        return _english(time, spoken)
    if spoken:
        return _said(_with_period(time, locale, spoken=True))
    if _twelve_hour(locale):
        return _with_period(time, locale)
    return time if time == "24:00" else str(format_time(_time(time), "HH:mm", locale=locale))


def _english(time: str, spoken: bool) -> str:
    value = minutes(time)
    if value in (0, END_OF_DAY):
        return "midnight"
    if value == 12 * 60:
        return "midday"
    pattern = "h a" if value % 60 == 0 else "h:mm a"
    text = str(format_time(_time(time), pattern, locale="en_GB"))
    return text.replace(" am", " a.m.").replace(" pm", " p.m.") if spoken else text


def _with_period(time: str, locale: Locale, spoken: bool = False) -> str:
    """Format with CLDR's flexible day period (skeleton ``Bh``/``Bhm``): ``9 y bore``."""
    value = _time("00:00" if time == "24:00" else time)
    name = _period_name(value, locale, spoken)
    skeleton = "Bh" if value.minute == 0 else "Bhm"
    pattern = str(locale.datetime_skeletons.get(skeleton, "h:mm B")).replace("B", "'{}'")
    quoted = name.replace("'", "''")
    return str(format_time(value, pattern.replace("{}", quoted), locale=locale)).strip()


def _period_name(value: dt.time, locale: Locale, spoken: bool) -> str:
    """Return CLDR's abbreviated day period of a time (``y bore``, ``صبح``, ``ص``).

    Said aloud, a period abbreviated to one letter (Arabic ``ص``, ``م``) would be read as the
    letter's name ("ṣād"): the narration says CLDR's wide name instead (``صباحًا``).
    """
    ids = (get_period_id(value, locale=locale), "am" if value.hour < 12 else "pm")
    names = locale.day_periods["format"]
    short = next((str(n) for i in ids if (n := names["abbreviated"].get(i))), "")
    if spoken and sum(char.isalpha() for char in short) == 1:
        return next((str(n) for i in ids if (n := names["wide"].get(i))), short)
    return short


def _said(text: str) -> str:
    """Return a time as a voice should read it: ``8 30`` (espeak-ng says ``8:30`` oddly in ur)."""
    return text.replace(":", " ")


def _twelve_hour(locale: Locale) -> bool:
    return "h" in str(locale.time_formats["short"].pattern)


def _time(text: str) -> dt.time:
    hours, mins = text.split(":")
    return dt.time(int(hours) % 24, int(mins))
