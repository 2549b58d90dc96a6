"""Refuse facts and markup typed into a block's prose, where no check could see them.

The body parser collects a block's text fragments (each with its source line) and hands the
whole block here once: its text is scanned in one piece for phone numbers (in digits or
spelled out), email addresses and dates, so the cost is linear in the text, however many
links or bold runs split it, and a number split by bold or a line break is found too. A
finding is reported at the line where it starts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

from lmets_docs.errors import Problem
from lmets_docs.facts import phone_key
from lmets_docs.scan import broken_numbers, dates, emails, phone_numbers
from lmets_docs.scan_hours import single_times, time_ranges
from lmets_docs.schema import Facts as LeafletFacts

Finder = Callable[[str], Iterable[str]]
"""Return what a scan finds in a text, as written."""

# (in the text as read, unescaped in the source line, what to say): markup Markdown did not
# read stays in the text as characters, so it would be printed and spoken literally.
LITERAL_MARKUP = (
    (
        re.compile(r"<[A-Za-z/!]"),
        re.compile(r"(?<!\\)<[A-Za-z/!]"),
        "raw HTML is not allowed in a leaflet; write plain text",
    ),
    (
        re.compile(r"\]\("),
        re.compile(r"(?<!\\)\]\((?!https?://|tel:|mailto:|glossary:|image:)"),
        "this link could not be read: links start with https://, tel: or mailto:",
    ),
    (re.compile(r"^\|"), re.compile(r"^\s*\|"), "tables are not supported; use a bullet list"),
    (
        re.compile(r"\{#[\w-]*\}\s*$"),
        re.compile(r"^#{1,6}\s.*(?<!\\)\{#[\w-]*\}\s*$"),
        "a section id goes on its own line before the heading: {#my-id}",
    ),
    (
        re.compile(r"^\{#.*\}\s*$"),
        re.compile(r"^\s*\{#.*\}\s*$"),
        "this section id could not be read: it may hold only letters, digits, '-' and '_'",
    ),
)


@dataclass(frozen=True)
class Facts:
    """What the scan compares typed text with: the leaflet's contacts and language."""

    region: str
    lang: str
    phones: Mapping[str, str]
    """Each contact number (E.164, with ``;ext=`` and its extension) and its fact."""
    addresses: Mapping[str, str]
    """Each contact's email address (lower case) and its fact."""
    dates: Mapping[dt.date, tuple[str, ...]] = field(default_factory=dict)
    """Each date of the leaflet (the review dates, ``facts: dates:``) and the facts holding it."""
    hours: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Each opening and closing time ("HH:MM") of a contact's hours, and its hours fact."""


class Block:
    """A block's text in one piece, and the source line of each of its fragments."""

    def __init__(self, fragments: list[tuple[str, int]]) -> None:
        self.fragments = fragments
        self.starts: list[int] = []
        offset = 0
        for text, _line in fragments:
            self.starts.append(offset)
            offset += len(text)
        self.text = "".join(text for text, _line in fragments)
        self._after: dict[str, int] = {}

    def by_line(self) -> dict[int, str]:
        """Return the block's text on each of its source lines."""
        lines: dict[int, list[str]] = {}
        for text, line in self.fragments:
            lines.setdefault(line, []).append(text)
        return {line: "".join(parts) for line, parts in lines.items()}

    def line_of(self, written: str, finder: Finder) -> int:
        """Return the line where ``written`` (found by ``finder``) starts, the next one each time.

        A number spelled out is found as digits, which the text does not hold: then the line
        is the first whose own text gives the same finding.
        """
        at = self.text.find(written, self._after.get(written, 0))
        if at >= 0:
            self._after[written] = at + 1
            return self.fragments[bisect_right(self.starts, at) - 1][1]
        lines = self.by_line()
        return next((line for line, text in lines.items() if written in finder(text)),
                    self.fragments[0][1])


def as_said(message: str) -> str:
    """Return a message of the body's text as it is (``scan_block``'s ``say`` for the body)."""
    return message


def scan_block(path: Path, fragments: list[tuple[str, int]], raw_lines: list[str], facts: Facts,
               say: Callable[[str], str] = as_said) -> tuple[list[Problem], list[str]]:
    """Scan one block of text for typed facts and markup (``problems``, ``hour_warnings``).

    Return its problems and its warnings (``file:line: message``), at the lines of ``path``
    that hold them, each message as ``say`` words it: the body's text says it as it is; words
    that hold no facts (a note, a definition, the front matter's title) say where they are.
    """
    found = [Problem(path, line, say(message))
             for line, message in problems(fragments, raw_lines, facts)]
    warned = [str(Problem(path, line, say(message)))
              for line, message in hour_warnings(fragments, facts)]
    return found, warned


def problems(fragments: list[tuple[str, int]], raw_lines: list[str],
             facts: Facts) -> list[tuple[int, str]]:
    """Return each markup, phone number, email or date typed into a block, with its line."""
    if not fragments:
        return []
    block = Block(fragments)
    found = _literal_markup(block, raw_lines)
    numbers = _number_finder(facts)
    for match in _phone_matches(block.text, facts):
        found.append((block.line_of(match.raw_string, numbers),
                      _typed_number(match.number, match.raw_string, facts)))
    found += _broken(block, facts)
    for address in emails(block.text):
        where = facts.addresses.get(address)
        found.append((block.line_of(address, emails), f"email address {address!r} typed in "
                      "the text: " + (
            f"it is a contact's, written here as {{{{ {where} }}}}" if where else
            "it belongs to no contact: add it under facts: contacts: in leaflet.yaml and "
            "write {{ contacts.<id>.email }}")))
    with contextlib.suppress(ValueError):  # an unknown language is reported elsewhere
        found += _typed_hours(block, facts)
        for raw, day in dates(block.text, facts.lang):
            found.append((block.line_of(raw, _date_finder(facts.lang)),
                          _typed_date(raw, day, facts)))
    return found


DATE_NAMES = {"review.last_reviewed": "the leaflet's last review date",
              "review.next_review_due": "the leaflet's next review date"}
"""How a message names the review dates (``dates.<name>`` go by their own name)."""


def _typed_date(raw: str, day: dt.date | None, facts: Facts) -> str:
    """Say which fact holds a typed date, or how to make it one (as for a phone number)."""
    names = facts.dates.get(day, ()) if day is not None else ()
    if names:
        what = " and ".join(DATE_NAMES.get(name, f"{name} in leaflet.yaml") for name in names)
        written = " or ".join(f"{{{{ {name} }}}}" for name in names)
        return f"date {raw!r} typed in the text: it is {what}, written here as {written}"
    example = day.isoformat() if day is not None else "YYYY-MM-DD"
    return (f"date {raw!r} typed in the text belongs to no fact: add it under facts: dates: "
            f"in leaflet.yaml (<name>: {example}) and write {{{{ dates.<name> }}}}")


def _typed_hours(block: Block, facts: Facts) -> list[tuple[int, str]]:
    """Return each range of times typed into a block, with its line and what to write."""
    def finder(text: str) -> list[str]:
        return [raw for raw, _opens, _closes in time_ranges(text, facts.lang)]
    found = []
    for raw, opens, closes in time_ranges(block.text, facts.lang):
        where = facts.hours.get((opens, closes))
        found.append((block.line_of(raw, finder), f"opening hours {raw!r} typed in the text: " + (
            f"they are the hours of contact {where.split('.')[1]!r}, written here as "
            f"{{{{ {where} }}}}"
            if where else
            "hours are facts: add them to a contact's hours: in leaflet.yaml and write "
            "{{ contacts.<id>.hours }}")))
    return found


def hour_warnings(fragments: list[tuple[str, int]], facts: Facts) -> list[tuple[int, str]]:
    """Return each single opening or closing time typed into a block ("call before 5pm") that
    is none of the contacts' opening or closing times: a likely stale copy of their hours."""
    times = {time for row in facts.hours for time in row} | {
        "00:00" for _opens, closes in facts.hours if closes == "24:00"}
    if not fragments or not times:
        return []
    block = Block(fragments)
    shown = ", ".join(sorted(times - {"00:00"} if "24:00" in times else times))

    def finder(text: str) -> list[str]:
        return [raw for raw, _time in single_times(text, facts.lang)]
    with contextlib.suppress(ValueError):  # an unknown language is reported elsewhere
        return [(block.line_of(raw, finder), f"time {raw!r} typed in the text is none of the "
                 f"contacts' opening or closing times ({shown}): if it speaks of a contact's "
                 "hours, they have likely changed since it was written; write "
                 "{{ contacts.<id>.hours }} instead")
                for raw, time in single_times(block.text, facts.lang) if time not in times]
    return []


def _literal_markup(block: Block, raw_lines: list[str]) -> list[tuple[int, str]]:
    """Return markup left in the text as characters, per source line."""
    found = []
    for line, text in block.by_line().items():
        raw = raw_lines[line - 1] if 0 < line <= len(raw_lines) else ""
        found += [(line, message) for in_text, in_source, message in LITERAL_MARKUP
                  if in_text.search(text) and in_source.search(raw)]
    return found


def _phone_matches(text: str, facts: Facts) -> list[phonenumbers.PhoneNumberMatch]:
    """Return the phone numbers in ``text``, in digits or spelled out in the language's words."""
    try:
        return phone_numbers(text, facts.region, lang=facts.lang)
    except ValueError:  # an unknown language is reported elsewhere
        return phone_numbers(text, facts.region)


def _broken_matches(text: str, facts: Facts) -> list[phonenumbers.PhoneNumberMatch]:
    """Return what looks like a phone number in ``text`` but is no valid one."""
    try:
        return broken_numbers(text, facts.region, lang=facts.lang)
    except ValueError:  # an unknown language is reported elsewhere
        return broken_numbers(text, facts.region)


def _broken(block: Block, facts: Facts) -> list[tuple[int, str]]:
    """Return each run that looks like a phone number but is not a valid one, with its line."""
    return [(block.line_of(match.raw_string, _broken_finder(facts)),
             f"{match.raw_string!r} looks like a phone number but is not a valid one for "
             f"{facts.region}: check its digits (a contact's number is written as "
             "{{ contacts.<id>.phone }})")
            for match in _broken_matches(block.text, facts)]


def _broken_finder(facts: Facts) -> Finder:
    return lambda text: [m.raw_string for m in _broken_matches(text, facts)]


def _number_finder(facts: Facts) -> Finder:
    return lambda text: [m.raw_string for m in _phone_matches(text, facts)]


def _date_finder(lang: str) -> Finder:
    return lambda text: [raw for raw, _day in dates(text, lang)]


def _typed_number(number: phonenumbers.PhoneNumber, raw: str, facts: Facts) -> str:
    key = phone_key(number)
    if key in facts.phones:
        return (f"phone number {raw!r} typed in the text: it is a contact's number, "
                f"written here as {{{{ {facts.phones[key]} }}}}")
    switchboard = _switchboard_of(key, facts)
    if switchboard is not None:
        return (f"phone number {raw!r} typed in the text is the switchboard of "
                f"{switchboard}, without its extension (or with another): write "
                f"{{{{ {switchboard} }}}}, or add this number as a contact of its own")
    return (f"phone number {raw!r} typed in the text belongs to no contact: add it under "
            "facts: contacts: in leaflet.yaml and write {{ contacts.<id>.phone }}")


def _switchboard_of(key: str, facts: Facts) -> str | None:
    """Return the fact whose number is ``key``'s but for the extension, if there is one."""
    base = key.split(";", 1)[0]
    return next((fact for known, fact in facts.phones.items()
                 if known.split(";", 1)[0] == base), None)


def contact_hours(facts: LeafletFacts) -> dict[tuple[str, str], str]:
    """Return each opening and closing time of the contacts' hours, and its hours fact."""
    return {
        (row.opens, row.closes): f"contacts.{contact_id}.hours"
        for contact_id, contact in reversed(facts.contacts.items())
        if contact.hours is not None
        for row in contact.hours.open
    }
