"""The few words inside facts that CLDR has no data for, per language.

Times, day names, lists and intervals come from CLDR through babel; what CLDR lacks ("24
hours a day, 7 days a week", "Monday to Friday" as words, "at" in a spoken email address)
comes from the package's fact catalogue ``locale/<lang>/LC_MESSAGES/lmets_facts.po``.
A project cannot override it, so every format of every leaflet says a fact the same way.

Translators start from ``locale/lmets_facts.pot`` (written by ``python -m
lmets_docs.fact_words``). A phrase a language's catalogue lacks is never taken from English:
``phrase`` returns None, the caller falls back to CLDR's own form (an en dash between two
times), and the fallback is logged once per phrase.
"""

from __future__ import annotations

import logging
import sys
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from lmets_docs import __version__
from lmets_docs.i18n import LOCALE_DIR, babel_locale, read_catalogue

FACT_DOMAIN = "lmets_facts"
log = logging.getLogger(__name__)

EXTENSION_PHRASES = ("{number} ext. {extension}", "{number}, extension {extension}")
"""A switchboard number and its extension, as printed and as said."""
PHRASES = (
    "{start} to {end}",
    "{first} to {last}",
    "{first} and {last}",
    "{times}, {days}",
    "{hours}; {more}",
    "{hours}, {note}",
    "24 hours a day, 7 days a week",
    "24 hours",
    "every day",
    "closed {days}",
    "{name} at {domain}",
    "{left} dot {right}",
    "{left} hyphen {right}",
    "{left} slash {right}",
    *EXTENSION_PHRASES,
)
"""Every message of the fact catalogue (its English is the message itself)."""


@cache
def _table(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    base = lang.split("-", maxsplit=1)[0]
    for tag in dict.fromkeys((base, lang, lang.replace("-", "_"))):
        path = LOCALE_DIR / tag / "LC_MESSAGES" / f"{FACT_DOMAIN}.po"
        if path.is_file():
            table.update(read_catalogue(path, lang))
    return table


def is_english(lang: str) -> bool:
    """Say whether the language is English, whose phrases are the messages themselves."""
    return babel_locale(lang).language == "en"


def phrase(lang: str, msgid: str, **values: str) -> str | None:
    """Return a fact phrase in the language, filled in; None (logged) if it has none."""
    text = msgid if is_english(lang) else _table(lang).get(msgid)
    if text is None:
        _log_fallback(lang, msgid)
        return None
    return text.format(**values)


@cache
def _log_fallback(lang: str, msgid: str) -> None:
    log.info("no %s words for the fact phrase %r; using CLDR's form", lang, msgid)


TEMPLATE = LOCALE_DIR / f"{FACT_DOMAIN}.pot"


def write_template(target: Path = TEMPLATE) -> None:
    """Write the fact catalogue's template (every phrase, untranslated)."""
    catalog = Catalog(project="lmets-docs facts", version=__version__, charset="utf-8",
                      fuzzy=False)
    for msgid in PHRASES:
        catalog.add(msgid)
    with target.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True)


if __name__ == "__main__":
    write_template(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE)
