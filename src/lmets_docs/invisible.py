"""Invisible characters: which a leaflet's text may hold, and the text as a reader sees it.

Unicode's format characters (category ``Cf``) are never drawn: bidi controls (U+202A to E
embeddings and overrides, U+2066 to 9 isolates, U+200E/F and U+061C marks), zero-width spaces
and joiners (U+200B to D, U+2060), the byte order mark (U+FEFF), the soft hyphen (U+00AD) and
the rest. Inside a leaflet's text they can hide or reverse what a reader sees: a right-to-left
override shows "5550 694 3110" as "0113 496 0555", a zero-width non-joiner inside a typed
number or an email hides it from every scan that reads the characters. So the source may hold
none of them (``refused``), but for what right-to-left writing really needs:

- Arabic-script languages (Arabic, Urdu, Persian …): the zero-width non-joiner (U+200C) and
  joiner (U+200D) that choose a letter's joining form (Persian and Urdu "می‌شود", compound
  words, abbreviations) next to an Arabic-script letter, and the right-to-left and Arabic
  letter marks (U+200F, U+061C: strong right-to-left characters that only set the side a
  full stop or bracket goes on; they cannot reverse a number, as an override can);
- Hebrew: the right-to-left mark.

The writers isolate every fact themselves (LRI … PDI), so no author needs an isolate, an
embedding or an override. The soft hyphen is refused in every language: large print never
splits a word (STANDARDS.md).

``as_read`` gives the text a reader sees, for ``check``: the invisible characters removed,
and None for a text with an embedding or override, which only a bidi algorithm could put in
reading order (our writers never write one).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from lmets_docs.i18n import script

ZWNJ, ZWJ, LRM, RLM, ALM = "\u200c", "\u200d", "\u200e", "\u200f", "\u061c"
SOFT_HYPHEN = "\u00ad"
ISOLATES = frozenset("\u2066\u2067\u2068\u2069")
"""LRI, RLI, FSI and PDI: the writers isolate facts and Latin islands with them."""
OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
"""LRE, RLE, PDF, LRO and RLO: embeddings and overrides, which reorder what is inside them."""
JOINERS = frozenset({ZWNJ, ZWJ})
MARKS = frozenset({RLM, ALM})
BY_SCRIPT = {"Arab": JOINERS | MARKS, "Hebr": frozenset({RLM})}
"""The invisible characters a language written in that script may hold (see above)."""


def invisible(char: str) -> bool:
    """Say whether a character is a format character, never drawn (``Cf``)."""
    return unicodedata.category(char) == "Cf"


@cache
def allowed_in(lang: str | None) -> frozenset[str]:
    """Return the invisible characters a text in ``lang`` may hold (none for None)."""
    if not lang:
        return frozenset()
    try:
        return BY_SCRIPT.get(script(lang), frozenset())
    except ValueError:  # not a language tag
        return frozenset()


def refused(text: str, lang: str | None = None) -> tuple[int, str] | None:
    """Return the index and character of the first invisible character ``text`` may not hold
    in ``lang`` (see the module's text), or None."""
    allowed = allowed_in(lang)
    for index, char in enumerate(text):
        if not invisible(char):
            continue
        if char not in allowed or (char in JOINERS and not _beside_arabic(text, index)):
            return index, char
    return None


def _beside_arabic(text: str, index: int) -> bool:
    """Say whether the character at ``index`` has an Arabic-script letter on either side."""
    around = text[max(index - 1, 0):index] + text[index + 1:index + 2]
    return any(unicodedata.bidirectional(char) == "AL" and char.isalpha() for char in around)


def refused_message(char: str, lang: str | None = None, column: int | None = None) -> str:
    """Return what to say about an invisible character a text may not hold."""
    name = unicodedata.name(char, "a format character")
    where = f" at column {column + 1}" if column is not None else ""
    if char == SOFT_HYPHEN:
        return (f"this line has a soft hyphen (U+00AD){where}: large print never splits a "
                "word; delete it")
    said = (f"this line has an invisible character, U+{ord(char):04X} {name}{where}: it can "
            "hide or reverse what a reader sees (a phone number or an email shown otherwise "
            "than it is read); delete it")
    if char in JOINERS | MARKS and char not in allowed_in(lang):
        said += (" (it is allowed only in Arabic-script text"
                 + (", next to an Arabic letter" if char in JOINERS else "")
                 + ": a language file such as ur.md, or a name's 'ur:' text)")
    elif char in JOINERS:
        said += " (a joiner belongs next to an Arabic-script letter)"
    elif char in ISOLATES | OVERRIDES:
        said += " (the writers set the direction of every fact and Latin word themselves)"
    return said


def visible(text: str) -> str:
    """Return ``text`` without its invisible characters (what the scans read)."""
    return "".join(char for char in text if not invisible(char)) if _any(text) else text


def as_read(text: str) -> str | None:
    """Return ``text`` as a reader sees its characters: invisible ones removed; None if it
    holds an embedding or override (the order it is shown in is not the order it is read)."""
    if not _any(text):
        return text
    if any(char in OVERRIDES for char in text):
        return None
    return visible(text)


def _any(text: str) -> bool:
    return not text.isascii() and any(invisible(char) for char in text)
