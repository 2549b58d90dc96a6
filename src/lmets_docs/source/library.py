"""Warn when the leaflets of a library give one contact differently (``validate`` over a folder).

The source-side twin of ``check.library``: the same contact name in the same language, with a
different phone number (as phonenumbers reads it, so "08081570300" and "0808 157 0300" are
one), email, web address or opening hours, in two leaflets. A warning, as ``check`` says it.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers

from lmets_docs.hours import localized
from lmets_docs.model import Leaflet
from lmets_docs.schema import Contact

SHOWN = 6
"""The most leaflet folders a warning names for each way of giving a contact."""
Given = tuple[str, str, str, str]
"""A contact as compared: its number (E.164 and extension), email, web address, hours."""


def library_warnings(leaflets: Iterable[Leaflet]) -> list[str]:
    """Return a warning for each contact name that leaflets give with different facts."""
    seen: dict[tuple[str, str], dict[Given, list[tuple[str, str]]]] = {}
    for leaflet in leaflets:
        for contact in leaflet.facts.contacts.values():
            name = localized(contact.name, leaflet.lang) or ""
            ways = seen.setdefault((leaflet.lang, name), {})
            ways.setdefault(compared(contact), []).append((str(leaflet.source_dir),
                                                           _shown(contact)))
    return [_warning(lang, name, ways) for (lang, name), ways in seen.items() if len(ways) > 1]


def compared(contact: Contact) -> Given:
    """Return what is compared of a contact: its number as dialled, email, web, hours."""
    number = ""
    if contact.phone:
        parsed = phonenumbers.parse(contact.phone, contact.region)
        number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        number += f" ext. {parsed.extension}" if parsed.extension else ""
    hours = contact.hours.model_dump_json(exclude={"note"}) if contact.hours else ""
    return number, (contact.email or "").lower(), contact.web or "", hours


def _warning(lang: str, name: str, ways: dict[Given, list[tuple[str, str]]]) -> str:
    words = "; ".join(f"{where[0][1]} in {_folders(where)}" for where in ways.values())
    return (f"the contact '{name}' ({lang}) is given differently by the leaflets of this "
            f"library: {words}; a contact with one name should be the same everywhere: write "
            "it once in the library's contacts.yaml and name it in each leaflet.yaml, or give "
            "the different ones different names")


def _shown(contact: Contact) -> str:
    """Return a contact's number, email and web address as written, and whether it has hours."""
    parts = [p for p in (contact.phone, contact.email, contact.web) if p]
    return ", ".join(parts + (["with hours"] if contact.hours else [])) or "nothing"


def _folders(where: list[tuple[str, str]]) -> str:
    names = sorted({folder for folder, _shown in where})
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more
