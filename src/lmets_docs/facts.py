"""Format every fact once, in each of its forms: printed, link and spoken.

Every writer formats facts through ``FactFormatter``; none retypes a number or a date. The
printed form is what the PDF and DOCX show and what ``check`` looks for; the spoken form is
what the narration says; the link form is a ``tel:`` (E.164) or web address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import phonenumbers
from babel.dates import format_date, format_time, get_day_names

from lmets_docs.i18n import babel_locale, messages
from lmets_docs.schema import WEEKDAYS, Facts, Helpline, OpeningHours, Publisher


@dataclass(frozen=True)
class FactValue:
    """One fact in all its forms."""

    name: str
    printed: str
    spoken: str
    link: str | None = None


def parse_phone(helpline: Helpline) -> phonenumbers.PhoneNumber:
    """Parse the helpline number (already validated by the schema)."""
    return phonenumbers.parse(helpline.phone, helpline.region)


def phone_printed(helpline: Helpline) -> str:
    """Return the number as people write it in its country: ``0808 800 4040``."""
    return str(
        phonenumbers.format_number(parse_phone(helpline), phonenumbers.PhoneNumberFormat.NATIONAL)
    )


def phone_link(helpline: Helpline) -> str:
    """Return the ``tel:`` link in E.164 form: ``tel:+448088004040``."""
    e164 = phonenumbers.format_number(parse_phone(helpline), phonenumbers.PhoneNumberFormat.E164)
    return f"tel:{e164}"


def phone_spoken(helpline: Helpline) -> str:
    """Return the number digit by digit in its groups: ``0 8 0 8, 8 0 0, 4 0 4 0``."""
    groups = [g for g in phone_printed(helpline).replace("-", " ").split() if g]
    return ", ".join(" ".join(ch for ch in group if ch.isdigit()) for group in groups)


def is_toll_free(helpline: Helpline) -> bool:
    """Say whether the number is really free to call (so it may be called "freephone")."""
    kind = phonenumbers.number_type(parse_phone(helpline))
    return bool(kind == phonenumbers.PhoneNumberType.TOLL_FREE)


def date_printed(value: dt.date, lang: str) -> str:
    """Return a date as the language writes it: ``22 November 2019``."""
    return str(format_date(value, format="long", locale=babel_locale(lang)))


def date_spoken(value: dt.date, lang: str) -> str:
    """Return a date as a person says it; English says the day as an ordinal."""
    locale = babel_locale(lang)
    if locale.language == "en":
        month = format_date(value, "MMMM", locale=locale)
        return f"{_ordinal(value.day)} {month} {value.year}"
    return date_printed(value, lang)


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _clock(value: dt.time, lang: str) -> str:
    locale = babel_locale(lang)
    # English patient information writes "9 am" even where CLDR's clock is 24-hour (en-GB).
    twelve_hour = locale.language == "en" or "h" in locale.time_formats["short"].pattern
    hour = "h" if twelve_hour else "H"
    pattern = f"{hour} a" if value.minute == 0 else f"{hour}:mm a"
    if not twelve_hour:
        pattern = "HH:mm"
    return str(format_time(value, pattern, locale=locale))


def hours_printed(hours: OpeningHours, lang: str) -> str:
    """Return opening hours: ``9 am to 5 pm, Monday to Friday``."""
    _ = messages(lang)
    days = get_day_names("wide", locale=babel_locale(lang))
    first, last = (days[WEEKDAYS.index(day)] for day in hours.days)
    times = _("{start} to {end}", start=_clock(hours.opens, lang), end=_clock(hours.closes, lang))
    span = first if first == last else _("{first} to {last}", first=first, last=last)
    return _("{times}, {days}", times=times, days=span)


def hours_spoken(hours: OpeningHours, lang: str) -> str:
    """Return opening hours as said aloud (``9 a.m.``, so no engine reads "am" as a word)."""
    text = hours_printed(hours, lang)
    if babel_locale(lang).language == "en":
        text = text.replace(" am", " a.m.").replace(" pm", " p.m.")
    return text


class FactFormatter:
    """Every fact of a leaflet in one language, by name (``helpline.phone`` …)."""

    def __init__(self, facts: Facts, publisher: Publisher, lang: str) -> None:
        self.lang = lang
        self.values: Mapping[str, FactValue] = {
            name: build(facts, publisher, lang)
            for name, build in _FACTS.items()
            if _available(facts, name)
        }

    def __getitem__(self, name: str) -> FactValue:
        """Return the fact called ``name``; KeyError if the leaflet has no such fact."""
        return self.values[name]

    def printed(self, name: str) -> str:
        """Return the printed form of a fact."""
        return self.values[name].printed

    def spoken(self, name: str) -> str:
        """Return the spoken form of a fact."""
        return self.values[name].spoken


def _available(facts: Facts, name: str) -> bool:
    return not (name.startswith("forum.") and facts.forum is None)


def _phone(facts: Facts, _p: Publisher, _lang: str) -> FactValue:
    h = facts.helpline
    return FactValue("helpline.phone", phone_printed(h), phone_spoken(h), phone_link(h))


def _hours(facts: Facts, _p: Publisher, lang: str) -> FactValue:
    h = facts.helpline.hours
    return FactValue("helpline.hours", hours_printed(h, lang), hours_spoken(h, lang))


def _date(name: str) -> Callable[[Facts, Publisher, str], FactValue]:
    def build(facts: Facts, _p: Publisher, lang: str) -> FactValue:
        value: dt.date = getattr(facts.review, name.split(".")[1])
        return FactValue(name, date_printed(value, lang), date_spoken(value, lang))

    return build


def _plain(
    name: str, get: Callable[[Facts, Publisher], str]
) -> Callable[[Facts, Publisher, str], FactValue]:
    def build(facts: Facts, publisher: Publisher, _lang: str) -> FactValue:
        text = get(facts, publisher)
        return FactValue(name, text, text, None)

    return build


def _forum_name(facts: Facts, _p: Publisher, _lang: str) -> FactValue:
    assert facts.forum is not None
    return FactValue("forum.name", facts.forum.name, facts.forum.name, facts.forum.url)


_FACTS: Mapping[str, Callable[[Facts, Publisher, str], FactValue]] = {
    "publisher.name": _plain("publisher.name", lambda _f, p: p.name),
    "helpline.name": _plain("helpline.name", lambda f, _p: f.helpline.name),
    "helpline.phone": _phone,
    "helpline.hours": _hours,
    "review.last_reviewed": _date("review.last_reviewed"),
    "review.next_review_due": _date("review.next_review_due"),
    "forum.name": _forum_name,
}

FACT_NAMES: tuple[str, ...] = tuple(_FACTS)
