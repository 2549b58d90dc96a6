"""Opening hours as data, after schema.org's OpeningHoursSpecification.

A contact's ``hours`` is either ``always: true`` (24 hours a day, 7 days a week) or a list
of ``open`` rows, each a set of days with one opening and one closing time; a day may have
several rows (a lunch break), ``closed`` names days said to be closed, and ``note`` adds
words such as "except bank holidays" in each language. Times are strings ``"HH:MM"``;
``"24:00"`` closes at the end of the day, and a row that closes before it opens must say
``overnight: true``. Everything impossible is refused here, with the field's location, so
the loader can give ``file:line``.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
END_OF_DAY = 24 * 60
_HHMM = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00")
_TIMEISH = re.compile(r"\d{1,2}:\d{2}")
Localized = str | dict[str, str]
"""Words in leaflet.yaml: one text for every language, or one per language tag."""


def localized(value: Localized, lang: str) -> str | None:
    """Return words of leaflet.yaml in a language: the one text, or the language's own."""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get(lang.split("-", maxsplit=1)[0])


def _time_text(value: object) -> str:
    """Accept only a quoted ``"HH:MM"``; explain what YAML did with anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f'{value!r} is not a time: write it in quotes as "HH:MM", e.g. "09:30"')
    if isinstance(value, int):
        guess = f"{value // 60:02d}:{value % 60:02d}" if 0 <= value < END_OF_DAY else "HH:MM"
        raise ValueError(
            f"{value} is a number, not a time: an unquoted time such as {guess.lstrip('0')} "
            f'is read by YAML as a number of minutes; write it in quotes as "{guess}"'
        )
    text = value.strip()
    if _HHMM.fullmatch(text):
        return text
    if _TIMEISH.match(text) and len(text) > 5:
        raise ValueError(
            f'{text!r} is not a local time as "HH:MM": leave out seconds and any UTC offset'
        )
    raise ValueError(f'{text!r} is not a time as "HH:MM" (24-hour clock, e.g. "09:30", "17:00")')


Time = Annotated[str, BeforeValidator(_time_text)]


def minutes(time: str) -> int:
    """Return a validated ``"HH:MM"`` as minutes after midnight (``"24:00"`` is 1440)."""
    hours, mins = time.split(":")
    return int(hours) * 60 + int(mins)


def _day(name: str) -> int:
    key = name.strip().lower()
    if key not in WEEKDAYS:
        raise ValueError(
            f"{name.strip()!r} is not a day: write mon, tue, wed, thu, fri, sat or sun")
    return WEEKDAYS.index(key)


def _range(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    start, end = _day(first), _day(last) if last else _day(first)
    if end < start:
        raise ValueError(
            f"{text.strip()!r} runs backwards through the week; write it in week order, or as "
            "two ranges if it really wraps past Sunday: "
            f"[{WEEKDAYS[start]}-sun, mon-{WEEKDAYS[end]}]"
        )
    return tuple(range(start, end + 1))


def _days(value: object) -> tuple[int, ...]:
    """Read ``"mon-fri"``, ``"sat"``, ``"mon-wed, fri"`` or a list of those as weekday numbers."""
    parts = value if isinstance(value, list | tuple) else str(value).split(",")
    days: list[int] = []
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"{part!r} is not a day or a range of days such as mon-fri")
        for day in _range(part):
            if day in days:
                raise ValueError(f"{WEEKDAYS[day]} is named twice")
            days.append(day)
    if not days:
        raise ValueError("name at least one day, e.g. mon-fri")
    return tuple(sorted(days))


Days = Annotated[tuple[int, ...], BeforeValidator(_days)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class OpenRow(_Strict):
    """Days open from ``opens`` to ``closes`` (one row of OpeningHoursSpecification)."""

    days: Days
    opens: Time
    closes: Time
    overnight: bool = False

    @model_validator(mode="after")
    def _order(self) -> OpenRow:
        start, end = minutes(self.opens), minutes(self.closes)
        if self.opens == "24:00":
            raise ValueError('opens cannot be "24:00"; a day starts at "00:00"')
        if end <= start and not self.overnight:
            raise ValueError(
                f"closes ({self.closes}) is not after opens ({self.opens}); for a line open all "
                'day write opens: "00:00", closes: "24:00", and for one that runs past midnight '
                "on purpose add overnight: true"
            )
        if self.overnight and (end > start or self.closes == "24:00"):
            raise ValueError(
                f"overnight: true, but {self.opens} to {self.closes} does not run past midnight"
            )
        return self

    def spans(self) -> list[tuple[int, int]]:
        """Return the minutes of the week this row is open, as (start, end) pairs."""
        start, end = minutes(self.opens), minutes(self.closes)
        out = []
        for day in self.days:
            base = day * END_OF_DAY
            finish = end + END_OF_DAY if self.overnight else end
            out.append((base + start, base + finish))
        return out


class Hours(_Strict):
    """When a contact can be reached: ``always`` or ``open`` rows, ``closed`` days, a note."""

    always: bool = False
    open: tuple[OpenRow, ...] = ()
    closed: Days | None = None
    note: Localized | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: object) -> object:
        if isinstance(data, str) and data.strip() == "24/7":
            return {"always": True}
        if not isinstance(data, dict | Hours):
            raise ValueError(
                f"{data!r} is not opening hours: write always: true, or "
                'open: [{days: mon-fri, opens: "09:00", closes: "17:00"}]')
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Hours:
        if self.always == bool(self.open):
            raise ValueError(
                "give either always: true (24 hours a day, 7 days a week) or the open days "
                "and times, e.g. open: [{days: mon-fri, opens: \"09:00\", closes: \"17:00\"}]"
            )
        if self.always and self.closed:
            raise ValueError(
                "always: true means every day, round the clock; to close on some days, give "
                'the open days instead, e.g. {days: mon-sat, opens: "00:00", closes: "24:00"}')
        _no_overlap(self.open)
        both = set(self.closed or ()) & {d for row in self.open for d in row.days}
        if both:
            names = ", ".join(WEEKDAYS[d] for d in sorted(both))
            raise ValueError(f"{names} is both open and closed")
        return self


def _no_overlap(rows: tuple[OpenRow, ...]) -> None:
    week = 7 * END_OF_DAY
    spans = sorted(
        (start % week, start % week + (end - start), row)
        for row in rows for start, end in row.spans()
    )
    for (_s1, end1, row1), (start2, _e2, row2) in itertools.pairwise(spans):
        if start2 < end1:
            raise ValueError(
                f"{row1.opens}-{row1.closes} and {row2.opens}-{row2.closes} overlap on "
                f"{WEEKDAYS[(start2 // END_OF_DAY) % 7]}"
            )
    if spans and spans[-1][1] > week and spans[-1][1] - week > spans[0][0]:
        raise ValueError("an overnight row on sun runs into the first row on mon")


def is_always(hours: Hours) -> bool:
    """Say whether the hours are round the clock every day, however they were written."""
    if hours.always:
        return True
    full = all(r.opens == "00:00" and r.closes == "24:00" for r in hours.open)
    return full and sorted(d for r in hours.open for d in r.days) == list(range(7))
