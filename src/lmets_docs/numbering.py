"""Say how a numbered list's labels are written in a language: its digits come from CLDR.

A numbered list's label is its item's number in the digits the language counts in by
default (CLDR's default numbering system, through babel: ``latn`` for English, Welsh, Urdu
and, in CLDR 42 and later, ``ar`` itself; ``arab`` for Egyptian Arabic, ``ar-EG``; ``arabext``
for Urdu in India), followed by a full stop. Every writer draws it from here, and ``check``
reads it back against it.
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale, UnknownLocaleError
from unicode_rbnf.engine import NoRuleForNumberError, RulesetNotFoundError

from lmets_docs.scan_words import rbnf_engine

LATIN = "latn"
LATIN_DIGITS = "0123456789"
DIGIT_NAMES = {
    "arab": "ARABIC-INDIC", "arabext": "EXTENDED ARABIC-INDIC", "beng": "BENGALI",
    "deva": "DEVANAGARI", "gujr": "GUJARATI", "guru": "GURMUKHI", "knda": "KANNADA",
    "mlym": "MALAYALAM", "orya": "ORIYA", "telu": "TELUGU", "thai": "THAI", "mymr": "MYANMAR",
    "khmr": "KHMER", "laoo": "LAO", "tibt": "TIBETAN",
}
"""The Unicode name of each decimal numbering system's digits, by CLDR id. babel gives a
language's default system (CLDR's choice) but not the digits of it, which CLDR's
numberingSystems.xml lists as ten consecutive code points: Unicode names them."""


@functools.cache
def numbering_system(lang: str) -> str:
    """Return the CLDR id of the digits ``lang`` counts in by default (``latn``, ``arab``)."""
    try:
        locale = Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return LATIN
    return str(locale.default_numbering_system or LATIN)


@functools.cache
def digits(lang: str) -> str:
    """Return the ten digits, 0 to 9, that ``lang`` counts in by default (Latin if unknown)."""
    name = DIGIT_NAMES.get(numbering_system(lang))
    if name is None:
        return LATIN_DIGITS
    zero = ord(unicodedata.lookup(f"{name} DIGIT ZERO"))
    return "".join(chr(zero + value) for value in range(10))


def number_text(number: int, lang: str) -> str:
    """Return ``number`` written in the digits of ``lang`` (``12`` → ``١٢`` in Arabic)."""
    return str(number).translate(str.maketrans(LATIN_DIGITS, digits(lang)))


def label(number: int, lang: str) -> str:
    """Return a numbered list item's label as printed: its number and a full stop."""
    return f"{number_text(number, lang)}."


def spoken_label(number: int, lang: str) -> str:
    """Return a numbered list item's label as the narration says it: ``one.``, ``un.``.

    The number is spelled by CLDR's rules (``spellout-numbering``, through unicode-rbnf),
    so every voice says the same word and the transcript shows it; a voice given "1." may
    read it as an ordinal ("erste" in German) or as a date's day. A language CLDR has no
    rules for (Urdu) keeps its digits, which its voice reads in its own words.
    """
    engine = rbnf_engine(lang)
    if engine is None or "spellout-numbering" not in engine.rulesets:
        return label(number, lang)
    try:
        words = engine.format_number(number, ruleset_names=["spellout-numbering"]).text
    except (NoRuleForNumberError, RulesetNotFoundError, ValueError):
        return label(number, lang)
    return f"{words}."


def counter_symbols(lang: str) -> str:
    """Return the CSS ``symbols`` of the language's digits, or "" where they are Latin.

    The style sheets then define a numeric ``@counter-style`` of them for the text's
    numbered lists, so the browser, the reading system and WeasyPrint number in them.
    """
    if numbering_system(lang) == LATIN:
        return ""
    return " ".join(f'"{digit}"' for digit in digits(lang))
