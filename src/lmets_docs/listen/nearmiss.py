"""The near misses of each spoken fact: what a narration that got it slightly wrong says.

A phone number with one digit changed, the day before or after a date, opening hours an
hour off at either end, "24 hours a day, 7 days a week" with one digit changed, an email or
web address with one of its dots or hyphens unsaid: each is
formatted by the same spoken-form functions as the fact itself (``facts.py``), so the
recogniser compares like with like. Facts are found by what
their value is, not by their name, so every contact a leaflet lists is covered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from lmets_docs.facts import (
    ADDRESS_MARKS,
    FactValue,
    date_spoken,
    email_spoken,
    hours_spoken,
    web_spoken,
)
from lmets_docs.hours import END_OF_DAY, Hours, OpenRow, localized, minutes
from lmets_docs.model import Leaflet
from lmets_docs.text import formatter


def near_misses(leaflet: Leaflet) -> dict[str, list[str]]:
    """Return, for every fact that a slip would change, its near misses as spoken."""
    facts = formatter(leaflet)
    found: dict[str, list[str]] = {}
    for name, fact in facts.values.items():
        misses = list(dict.fromkeys(_misses(fact, value_of(leaflet.facts, name), leaflet.lang)))
        if misses:
            found[name] = [m for m in misses if m != fact.spoken]
    return found


def value_of(root: Any, name: str) -> Any:
    """Return the data behind a fact name (``review.last_reviewed`` → the date), or None."""
    value = root
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
        if value is None:
            return None
    return value


def _misses(fact: FactValue, value: Any, lang: str) -> Iterator[str]:
    if fact.link and fact.link.startswith("tel:"):
        yield from digit_changes(fact.spoken)
    elif fact.link and fact.link.startswith("mailto:"):
        yield from (email_spoken(address, lang) for address in marks_left_out(fact.printed))
    elif fact.name.endswith(".web"):
        yield from (web_spoken(shown, lang) for shown in marks_left_out(fact.printed))
    elif isinstance(value, dt.date):
        yield from (date_spoken(value + dt.timedelta(days=d), lang) for d in (-1, 1))
    elif isinstance(value, Hours) and value.always:
        yield from digit_changes(fact.spoken)  # "23 hours a day", "7 days a week" → "6 days"
    elif isinstance(value, Hours):
        note = localized(value.note, lang) if value.note else None
        yield from (hours_spoken(h, lang, note) for h in neighbouring_hours(value))


def marks_left_out(address: str) -> Iterator[str]:
    """Yield an email or web address with one of its dots or hyphens left out in turn.

    What a listener would type if the voice said nothing for that mark: "ward7day.unit@…"
    for "ward7-day.unit@…".
    """
    for index, char in enumerate(address):
        if char in ADDRESS_MARKS:
            yield address[:index] + address[index + 1:]


def digit_changes(spoken: str) -> Iterator[str]:
    """Yield the spoken number with each digit in turn changed to each other digit."""
    for index, char in enumerate(spoken):
        if char.isdigit():
            for digit in "0123456789":
                if digit != char:
                    yield spoken[:index] + digit + spoken[index + 1:]


def neighbouring_hours(hours: Hours) -> Iterator[Hours]:
    """Yield the hours with one opening or closing time an hour earlier or later."""
    for index, row in enumerate(hours.open):
        for key in ("opens", "closes"):
            for step in (-60, 60):
                changed = _shifted(row, key, step)
                if changed is not None:
                    rows = (*hours.open[:index], changed, *hours.open[index + 1:])
                    yield hours.model_copy(update={"open": rows})


def _shifted(row: OpenRow, key: str, step: int) -> OpenRow | None:
    """Return the row with one time moved by ``step`` minutes, or None if that is no time."""
    time = minutes(getattr(row, key)) + step
    if not 0 <= time <= END_OF_DAY:
        return None
    changed = row.model_copy(update={key: f"{time // 60:02d}:{time % 60:02d}"})
    start, end = minutes(changed.opens), minutes(changed.closes)
    ordered = end < start and changed.closes != "24:00" if row.overnight else end > start
    return changed if ordered and changed.opens != "24:00" else None
