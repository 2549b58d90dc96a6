"""Say how a numbered list's labels are written in a language: its digits come from CLDR.

A numbered list's label is its item's number in the digits the language counts in by
default (CLDR's default numbering system, through babel: ``latn`` for English, Welsh, Urdu
and, in the CLDR babel ships (49), ``ar`` itself; ``arab`` for Egyptian Arabic, ``ar-EG``;
``arabext`` for Urdu in India), followed by a full stop. Every writer draws it from here, and
``check`` reads it back against it.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from babel import Locale, UnknownLocaleError
from unicode_rbnf.engine import NoRuleForNumberError, RulesetNotFoundError

from lmets_docs.model import BulletList, Leaflet
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
WORD_FORMATS = {"latn": "decimal", "arab": "hindiNumbers", "thai": "thaiNumbers"}
"""Word's number format (ECMA-376 §17.18.59) for a CLDR numbering system. Word calls the
Arabic-Indic digits (١٢٣) "Hindi numbers"; a system Word has no format for is numbered in
Latin digits in the DOCX."""


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
    """Return a numbered list item's label as the narration says it: ``One.``, ``Un.``.

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
    return f"{words[:1].upper()}{words[1:]}."  # it starts the item's sentence


def counter_symbols(lang: str) -> str:
    """Return the CSS ``symbols`` of the language's digits, or "" where they are Latin.

    The style sheets then define a numeric ``@counter-style`` of them for the text's
    numbered lists, so the browser, the reading system and WeasyPrint number in them.
    """
    if numbering_system(lang) == LATIN:
        return ""
    return " ".join(f'"{digit}"' for digit in digits(lang))


def numbered_lists(leaflet: Leaflet) -> list[dict[str, Any]]:
    """Return what each numbered list must show, in reading order, for a writer's details.

    ``check`` reads each format's numbering back against these: the list's id, its first
    number and its labels as printed (``["3.", "4."]``).
    """
    return [{"id": block.id, "start": block.start,
             "labels": [label(n, leaflet.lang) for n in block.numbers()]}
            for block in leaflet.all_blocks()
            if isinstance(block, BulletList) and block.start is not None]


def numbered_details(leaflet: Leaflet) -> dict[str, Any]:
    """Return ``{"numbered": numbered_lists(leaflet)}``, or nothing for a leaflet without any."""
    found = numbered_lists(leaflet)
    return {"numbered": found} if found else {}


def word_format(lang: str) -> str:
    """Return Word's number format for the digits ``lang`` counts in (``decimal``)."""
    return WORD_FORMATS.get(numbering_system(lang), "decimal")


def word_label(number: int, word_format: str, level_text: str = "%1.") -> str:
    """Return the label Word draws for ``number`` in one of ``WORD_FORMATS``' formats.

    ``level_text`` is the level's ``w:lvlText`` (``%1.``); a format lmets-docs never writes
    gives ``?`` for the number.
    """
    system = next((s for s, f in WORD_FORMATS.items() if f == word_format), None)
    name = DIGIT_NAMES.get(system or "")
    if system is None or (system != LATIN and name is None):
        return level_text.replace("%1", "?")
    zero = ord(unicodedata.lookup(f"{name} DIGIT ZERO")) if name else ord("0")
    return level_text.replace("%1", "".join(chr(zero + int(d)) for d in str(number)))
