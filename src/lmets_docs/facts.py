"""Format every fact once, in each of its forms: printed, link and spoken.

Every writer formats facts through ``FactFormatter``; none retypes a number or a date. The
printed form is what the PDF and DOCX show and what ``check`` looks for; the spoken form is
what the narration says; the link form is a ``tel:`` (E.164; RFC 3966's ``;ext=`` for an
extension) or web address.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import phonenumbers
from babel.dates import format_date

from lmets_docs.fact_words import phrase
from lmets_docs.hours import Hours, Localized, localized
from lmets_docs.hours_words import hours_text
from lmets_docs.i18n import babel_locale, messages
from lmets_docs.schema import Contact, Facts, Publisher


@dataclass(frozen=True)
class FactValue:
    """One fact in all its forms."""

    name: str
    printed: str
    spoken: str
    link: str | None = None
    value: str | None = None
    """The machine-readable value where there is one (a date as ISO 8601)."""


NO_BREAK_SPACE = "\u00a0"


def has_extension(value: FactValue) -> bool:
    """Say whether a fact is a phone number with an extension (its link says ``;ext=``)."""
    return value.name.endswith(".phone") and ";ext=" in (value.link or "")


def parse_phone(contact: Contact) -> phonenumbers.PhoneNumber:
    """Parse a contact's number, with its extension if it has one (validated by the schema)."""
    if contact.phone is None:
        raise ValueError(f"{contact.name!r} has no phone number")
    return phonenumbers.parse(contact.phone, contact.region)


def _switchboard(number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber:
    """Return the number without its extension (the switchboard's own number)."""
    whole = phonenumbers.PhoneNumber()
    whole.merge_from(number)
    whole.extension = None
    return whole


def phone_printed(contact: Contact, lang: str) -> str:
    """Return the number as people write it in its country: ``0808 800 4040``.

    An extension follows in the language's words: ``0161 496 0123 ext. 48215``, with
    no-break spaces throughout, so that no format parts the number from its extension.
    """
    number = parse_phone(contact)
    national = str(phonenumbers.format_number(_switchboard(number),
                                              phonenumbers.PhoneNumberFormat.NATIONAL))
    if not number.extension:
        return national
    printed = _with_extension(lang, "{number} ext. {extension}", national, number.extension)
    return printed.replace(" ", NO_BREAK_SPACE)


def phone_link(contact: Contact) -> str:
    """Return the ``tel:`` link (RFC 3966): ``tel:+448088004040``, ``tel:+44…;ext=48215``."""
    return f"tel:{phone_key(parse_phone(contact))}"


def phone_key(number: phonenumbers.PhoneNumber) -> str:
    """Return a number in E.164 form, with ``;ext=`` and its extension if it has one."""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else str(e164)


def phone_spoken(contact: Contact, lang: str) -> str:
    """Return the number digit by digit in its groups: ``0 8 0 8, 8 0 0, 4 0 4 0``.

    An extension follows after the language's word: ``…, extension 4 8 2 1 5``.
    """
    number = parse_phone(contact)
    national = phonenumbers.format_number(_switchboard(number),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)
    groups = [g for g in str(national).replace("-", " ").split() if g]
    said = ", ".join(" ".join(ch for ch in group if ch.isdigit()) for group in groups)
    if not number.extension:
        return said
    return _with_extension(lang, "{number}, extension {extension}", said,
                           " ".join(number.extension))


def _with_extension(lang: str, msgid: str, number: str, extension: str) -> str:
    """Return a number and its extension in the language's words (English's if it has none).

    An extension is never dropped: a language without the phrase gets the English one, as
    phonenumbers' own format would ("x48215"), and the fallback is logged.
    """
    said = phrase(lang, msgid, number=number, extension=extension)
    return said if said is not None else msgid.format(number=number, extension=extension)


def is_toll_free(contact: Contact) -> bool:
    """Say whether the number is really free to call (so it may be called "freephone")."""
    kind = phonenumbers.number_type(parse_phone(contact))
    return bool(kind == phonenumbers.PhoneNumberType.TOLL_FREE)


def email_spoken(address: str, lang: str) -> str:
    """Return an email address as said: ``ward7 hyphen day dot unit at example dot org``.

    Every ``.`` and ``-`` in it is said in the language's word, in the name as in the domain:
    a voice reads a dot inside a name in a word of its own ("pwynt" where the domain says
    "dot") and says nothing for a hyphen, and a listener would type the address without it.
    """
    name, _, domain = address.partition("@")
    said = phrase(lang, "{name} at {domain}", name=dotted(name, lang),
                  domain=dotted(domain, lang))
    return said if said is not None else address


def web_printed(url: str) -> str:
    """Return a web address as printed: without ``https://`` and a trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def web_spoken(shown: str, lang: str) -> str:
    """Return a web address as said: ``example dot org slash ward hyphen 7``."""
    host, *path = shown.split("/")
    said = dotted(host, lang)
    for part in path:
        joined = phrase(lang, "{left} slash {right}", left=said, right=dotted(part, lang))
        said = joined if joined is not None else f"{said}/{part}"
    return said


ADDRESS_MARKS = {".": "{left} dot {right}", "-": "{left} hyphen {right}"}
"""The marks inside an address said as words, each with its fact phrase."""


def dotted(text: str, lang: str) -> str:
    """Return ``nhs-direct.uk`` as said: ``nhs hyphen direct dot uk``.

    Unchanged if the language lacks a word for one of its marks, so that a voice reads the
    address as written rather than half in words.
    """
    pieces = re.split(r"([.-])", text)
    said = pieces[0]
    for mark, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        joined = phrase(lang, ADDRESS_MARKS[mark], left=said, right=piece)
        if joined is None:
            return text
        said = joined
    return said


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


def hours_printed(hours: Hours, lang: str, note: str | None = None) -> str:
    """Return opening hours as printed: ``9 am to 5 pm, Monday to Friday``."""
    return hours_text(hours, lang, spoken=False, note=note)


def hours_spoken(hours: Hours, lang: str, note: str | None = None) -> str:
    """Return opening hours as said aloud (``9 a.m.``, ``9 y bore``)."""
    return hours_text(hours, lang, spoken=True, note=note)


class FactFormatter:
    """Every fact of a leaflet in one language, by name (``contacts.helpline.phone`` …).

    ``helpline.<field>`` is kept as another name for the main (first) contact's fact, so
    that text and code written before leaflets had several contacts still work.
    """

    def __init__(self, facts: Facts, publisher: Publisher, lang: str) -> None:
        self.lang = lang
        self.main = facts.main_contact
        values = [_plain("publisher.name", _words(publisher.name, lang, "publisher.name"))]
        for contact_id, contact in facts.contacts.items():
            values += contact_facts(contact_id, contact, lang)
        values += [_date(f"review.{k}", getattr(facts.review, k), lang) for k in REVIEW_KEYS]
        values += [_date(f"dates.{k}", day, lang) for k, day in facts.dates.items()]
        if facts.forum is not None:
            values.append(FactValue("forum.name", facts.forum.name, facts.forum.name,
                                    facts.forum.url))
        self.values: Mapping[str, FactValue] = {value.name: value for value in values}

    def canonical(self, name: str) -> str:
        """Return the fact's own name: ``helpline.phone`` is the main contact's phone."""
        if name.startswith("helpline."):
            return f"contacts.{self.main}.{name.removeprefix('helpline.')}"
        return name

    def __getitem__(self, name: str) -> FactValue:
        """Return the fact called ``name``; KeyError if the leaflet has no such fact."""
        return self.values[self.canonical(name)]

    def printed(self, name: str) -> str:
        """Return the printed form of a fact."""
        return self[name].printed

    def spoken(self, name: str) -> str:
        """Return the spoken form of a fact."""
        return self[name].spoken

    def contact_ids(self) -> list[str]:
        """Return the contacts' ids, the main one first."""
        names = (n.split(".")[1] for n in self.values if n.startswith("contacts."))
        return list(dict.fromkeys(names))


REVIEW_KEYS = ("last_reviewed", "next_review_due")


Forms = tuple[str, str, str | None]
"""A fact's printed form, spoken form and link."""


def contact_facts(contact_id: str, contact: Contact, lang: str) -> list[FactValue]:
    """Return every fact of one contact in a language: name, phone, hours, email, web, note."""
    prefix = f"contacts.{contact_id}."
    return [FactValue(prefix + field, *forms(contact, lang))
            for field, forms in CONTACT_FORMS.items()
            if field == "name" or getattr(contact, field) is not None]


def _name_forms(contact: Contact, lang: str) -> Forms:
    # imported here: lmets_docs.source imports this module
    from lmets_docs.source.numbers import in_ascii_digits  # noqa: PLC0415

    name = _words(contact.name, lang, "name")
    return name, in_ascii_digits(name, lang), None  # a name in Urdu digits, said in ASCII


def _phone_forms(contact: Contact, lang: str) -> Forms:
    return phone_printed(contact, lang), phone_spoken(contact, lang), phone_link(contact)


def _hours_forms(contact: Contact, lang: str) -> Forms:
    assert contact.hours is not None
    note = _words(contact.hours.note, lang, "hours.note") if contact.hours.note else None
    return hours_printed(contact.hours, lang, note), hours_spoken(contact.hours, lang, note), None


def _email_forms(contact: Contact, lang: str) -> Forms:
    assert contact.email is not None
    return contact.email, email_spoken(contact.email, lang), f"mailto:{contact.email}"


def _web_forms(contact: Contact, lang: str) -> Forms:
    assert contact.web is not None
    shown = web_printed(contact.web)
    return shown, web_spoken(shown, lang), contact.web


def _note_forms(contact: Contact, lang: str) -> Forms:
    assert contact.note is not None
    note = _words(contact.note, lang, "note")
    return note, note_spoken(note, lang), None


def note_spoken(note: str, lang: str) -> str:
    """Return a contact's note as said: its symbols in words ("37.5 degrees Celsius")."""
    # imported here: validate and check, which need no narration, need not compile its rules
    from lmets_docs.speech.symbols import SymbolWords  # noqa: PLC0415

    return SymbolWords(lang, messages(lang)).say(note)


CONTACT_FORMS: Mapping[str, Callable[[Contact, str], Forms]] = {
    "name": _name_forms,
    "phone": _phone_forms,
    "hours": _hours_forms,
    "email": _email_forms,
    "web": _web_forms,
    "note": _note_forms,
}
"""How each part of a contact is formatted, in the order every format gives them."""
CONTACT_FIELDS = tuple(CONTACT_FORMS)


def _words(value: Localized, lang: str, where: str) -> str:
    text = localized(value, lang)
    if text is None:
        raise ValueError(f"{where} has no text for {lang}")
    return text


def _plain(name: str, text: str) -> FactValue:
    return FactValue(name, text, text, None)


def _date(name: str, value: dt.date, lang: str) -> FactValue:
    return FactValue(name, date_printed(value, lang), date_spoken(value, lang), None,
                     value.isoformat())


def fact_names(facts: Facts) -> frozenset[str]:
    """Return the name of every fact a leaflet's text may use, aliases included."""
    names = {"publisher.name", *(f"review.{k}" for k in REVIEW_KEYS)}
    names |= {f"dates.{k}" for k in facts.dates}
    names |= {"forum.name"} if facts.forum else set()
    for contact_id, contact in facts.contacts.items():
        given = [f for f in CONTACT_FIELDS if f == "name" or getattr(contact, f) is not None]
        names |= {f"contacts.{contact_id}.{f}" for f in given}
        if contact_id == facts.main_contact:
            names |= {f"helpline.{f}" for f in given}
    return frozenset(names)


def phone_facts(facts: Facts) -> dict[str, str]:
    """Return each contact number (E.164, with ``;ext=`` and its extension) and its fact."""
    return {
        phone_link(contact).removeprefix("tel:"): f"contacts.{contact_id}.phone"
        for contact_id, contact in facts.contacts.items()
        if contact.phone
    }


def date_facts(facts: Facts) -> dict[dt.date, tuple[str, ...]]:
    """Return each date of the leaflet and the facts that hold it (review dates first)."""
    named = [(getattr(facts.review, k), f"review.{k}") for k in REVIEW_KEYS]
    named += [(day, f"dates.{k}") for k, day in facts.dates.items()]
    found: dict[dt.date, tuple[str, ...]] = {}
    for day, name in named:
        found[day] = (*found.get(day, ()), name)
    return found


def canonical_name(facts: Facts, name: str) -> str:
    """Return a fact's own name: ``helpline.phone`` is the main contact's phone."""
    if name.startswith("helpline."):
        return f"contacts.{facts.main_contact}.{name.removeprefix('helpline.')}"
    return name
