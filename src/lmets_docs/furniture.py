"""The leaflet's furniture, defined once: the contacts, the overdue notice, the review dates.

Every format gives these around the leaflet's own text. Each piece is a ``Line``: a fixed
sentence from the message catalogue with its facts left as ``FactRef`` inlines (the model's
own inlines), so that each writer sets the facts its own way (a locked content control, a
``tel:`` link, digits said slowly) while the words are the same in every format. This module
holds the one set of message ids: the printed lines (PDF, DOCX, web page, EPUB) and, for the
narration, the same pieces said as whole sentences. ``python -m lmets_docs.i18n_extract``
finds them through ``fixed(kind, msgid, …)``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import TypeVar

from lmets_docs.facts import FactFormatter
from lmets_docs.i18n import Messages
from lmets_docs.model import FactRef, Inline, Leaflet, Strong, Text
from lmets_docs.review import review_status
from lmets_docs.text import body_texts, formatter, punctuated

MARK = "\x00"
"""Brackets a fact's name inside a formatted message, so it can be split out again."""
Word = TypeVar("Word", bound=str)
"""A translated word as a writer's own translator gives it (plain text, or HTML marked as
English where it falls back)."""


@dataclass(frozen=True)
class Line:
    """One line of furniture: what it gives, its message id, and its inlines.

    ``kind`` is the contact's field (``name``, ``phone``, ``hours``, ``email``, ``web``,
    ``note``) or ``last-reviewed``, ``next-review``, ``overdue``, ``helpline``; ``msgid`` is
    None for a line that is a fact alone (it has no fixed words to translate).
    """

    kind: str
    msgid: str | None
    inlines: tuple[Inline, ...]


def message(_: Messages, msgid: str, **facts: str) -> tuple[Inline, ...]:
    """Return a fixed sentence in the leaflet's language with named facts left as FactRefs."""
    marked = _(msgid, **{key: f"{MARK}{name}{MARK}" for key, name in facts.items()})
    parts = zip(itertools.cycle((False, True)), marked.split(MARK), strict=False)
    return tuple(FactRef(part) if odd else Text(part) for odd, part in parts if part)


def fixed(kind: str, msgid: str, _: Messages, **facts: str) -> Line:
    """Return a line made of a fixed sentence, its ``{fields}`` filled with the named facts."""
    return Line(kind, msgid, message(_, msgid, **facts))


def fact(kind: str, name: str, bold: bool = False) -> Line:
    """Return a line that is one fact alone (a contact's name is bold)."""
    ref: Inline = FactRef(name)
    return Line(kind, None, (Strong((ref,)),) if bold else (ref,))


# Printed: the PDF, the DOCX, the web page and the EPUB ----------------------------------------


def contact(_: Messages, facts: FactFormatter, contact_id: str) -> tuple[Line, ...]:
    """Return one contact as printed: its name in bold, number, hours, email, web and note."""
    p = f"contacts.{contact_id}."
    lines: dict[str, Callable[[], Line]] = {
        "name": lambda: fact("name", p + "name", bold=True),
        "phone": lambda: fixed("phone", "Call {phone}", _, phone=p + "phone"),
        "hours": lambda: fact("hours", p + "hours"),
        "email": lambda: fixed("email", "Email: {email}", _, email=p + "email"),
        "web": lambda: fixed("web", "Web: {web}", _, web=p + "web"),
        "note": lambda: fact("note", p + "note"),
    }
    return tuple(line() for field, line in lines.items() if p + field in facts.values)


def contacts(_: Messages, facts: FactFormatter) -> tuple[tuple[Line, ...], ...]:
    """Return every contact as printed, the main one first."""
    return tuple(contact(_, facts, contact_id) for contact_id in facts.contact_ids())


def unbolded(line: Line) -> Line:
    """Return a contact's name line without its bold, for a writer that makes the name the
    contact's heading (``h3`` in the PDF, the web page and the EPUB): a heading needs none."""
    if line.kind != "name":
        return line
    inlines = tuple(part for item in line.inlines
                    for part in (item.children if isinstance(item, Strong) else (item,)))
    return replace(line, inlines=inlines)


def contacts_heading(_: Callable[[str], Word], facts: FactFormatter) -> Word:
    """Return the heading over the contacts: "Helpline" for one, "Contacts" for several.

    Every format heads its contacts with this word (the DOCX's and the braille's heading);
    the parts that also give the review dates are titled by ``closing_title``.
    """
    return _("Helpline") if len(facts.contact_ids()) == 1 else _("Contacts")


def closing_title(_: Callable[[str], Word], facts: FactFormatter) -> Word:
    """Return the title of the part giving the contacts and the review dates, with the same
    word as ``contacts_heading`` (the narration's last chapter, the EPUB's back matter and
    the web page's contacts box)."""
    if len(facts.contact_ids()) == 1:
        return _("Helpline and review dates")
    return _("Contacts and review dates")


def continued(_: Messages) -> str:
    """Return what heads the rest of a contact's box that a page break carries on to the
    next page of the large-print PDF, with ``{name}`` for the contact's name: set by the PDF
    writer (``broken_boxes``), which records each it printed for ``check``
    (``pdf-continued-artifact``)."""
    # Translators: heads the rest of a contact's box in the large-print PDF, where a page
    # break carries it on to the next page; {name} is the contact's name.
    return _("{name} (continued)")


def review_dates(_: Messages) -> tuple[Line, Line]:
    """Return the two review dates as printed: "Last reviewed: …", "Next review due: …"."""
    return (fixed("last-reviewed", "Last reviewed: {date}", _, date="review.last_reviewed"),
            fixed("next-review", "Next review due: {date}", _, date="review.next_review_due"))


def overdue_notice(_: Messages, leaflet: Leaflet, today: dt.date) -> Line | None:
    """Return the out-of-date notice when the next review date has passed, else None.

    Every format gives this same sentence: printed in a box, and said in the narration.
    """
    if not review_status(leaflet.facts.review, today).overdue:
        return None
    return fixed("overdue", "This information is out of date: its review was due on {date}.",
                 _, date="review.next_review_due")


def helpline(_: Messages, facts: FactFormatter, hours: bool = True) -> Line:
    """Return the main contact in one line, for every page's footer: "Helpline: …, …".

    Without ``hours`` the line gives the number alone (a PDF footer whose hours do not fit).
    """
    have = {name for name in ("helpline.phone", "helpline.hours")
            if facts.canonical(name) in facts.values and (hours or name != "helpline.hours")}
    if "helpline.phone" not in have:
        return fact("helpline", "helpline.name")
    if "helpline.hours" not in have:
        return fixed("helpline", "Helpline: {phone}", _, phone="helpline.phone")
    return fixed("helpline", "Helpline: {phone}, {hours}", _, phone="helpline.phone",
                 hours="helpline.hours")


# Said: the narration ---------------------------------------------------------------------------


def said_contact(_: Messages, leaflet: Leaflet, contact_id: str) -> tuple[Line, ...]:
    """Return one contact as said: its number (twice, if the text never says it), hours,
    email, web and note."""
    facts, p = formatter(leaflet), f"contacts.{contact_id}."
    lines: list[Line] = []
    if p + "phone" in facts.values:
        # The contact's name stands alone, as in print: a sentence that put "the" before it
        # would say "call the The …" for some names.
        lines.append(fixed("phone", "{helpline}: to talk to someone, call {phone}.", _,
                           helpline=p + "name", phone=p + "phone"))
        number = facts.spoken(p + "phone")
        if not any(number in text for text in body_texts(leaflet, spoken=True)):
            lines.append(fixed("phone-again", "That number again: {phone}.", _,
                               phone=p + "phone"))
    return (*lines, *_said_details(_, p, facts.values))


def said_main_contact(_: Messages, facts: FactFormatter) -> tuple[Line, ...]:
    """Return the main contact as the narration's opening says it: its number and its hours,
    in the same sentences as the closing (none if the main contact has no number)."""
    ids = facts.contact_ids()
    p = f"contacts.{ids[0]}." if ids else ""
    if not ids or p + "phone" not in facts.values:
        return ()
    lines = [fixed("phone", "{helpline}: to talk to someone, call {phone}.", _,
                   helpline=p + "name", phone=p + "phone")]
    if p + "hours" in facts.values:
        lines.append(fixed("hours", "Lines are open {hours}.", _, hours=p + "hours"))
    return tuple(lines)


def _said_details(_: Messages, p: str, have: Collection[str]) -> list[Line]:
    lines: dict[str, Callable[[], Line]] = {
        "hours": lambda: fixed("hours", "Lines are open {hours}.", _, hours=p + "hours"),
        "email": lambda: fixed("email", "{name}: email {email}.", _, name=p + "name",
                               email=p + "email"),
        "web": lambda: fixed("web", "{name} on the web: {web}.", _, name=p + "name",
                             web=p + "web"),
        "note": lambda: fact("note", p + "note"),
    }
    return [line() for field, line in lines.items() if p + field in have]


def said_last_reviewed(_: Messages) -> Line:
    """Return the sentence that says when the information was last reviewed."""
    return fixed("last-reviewed", "This information was last reviewed on {date}.", _,
                 date="review.last_reviewed")


def said_review_dates(_: Messages) -> tuple[Line, Line]:
    """Return the two review dates as the narration's closing says them."""
    return (said_last_reviewed(_), fixed("next-review", "The next review is due by {date}.", _,
                                         date="review.next_review_due"))


def spoken(line: Line, facts: FactFormatter) -> str:
    """Return a line as said: facts in their spoken form, no punctuation doubled after one."""
    return _filled(line, facts.spoken)


def printed(line: Line, facts: FactFormatter) -> str:
    """Return a line as plain printed text (every fact in its printed form)."""
    return _filled(line, facts.printed)


def _filled(line: Line, value: Callable[[str], str]) -> str:
    template, values = "", {}
    for number, item in enumerate(_flat(line.inlines)):
        if isinstance(item, Text):
            template += item.text.replace("{", "{{").replace("}", "}}")
        else:
            template += f"{{f{number}}}"
            values[f"f{number}"] = value(item.name)
    return punctuated(template, values)


def _flat(inlines: tuple[Inline, ...]) -> list[Text | FactRef]:
    out: list[Text | FactRef] = []
    for item in inlines:
        if isinstance(item, Strong):
            out += _flat(item.children)
        elif isinstance(item, Text | FactRef):
            out.append(item)
        else:
            raise TypeError(f"furniture has no inline {item!r}")
    return out
