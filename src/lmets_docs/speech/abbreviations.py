"""Say a language's abbreviations in full, for the narration: "approx." is "approximately".

espeak-ng reads "approx." as "approx" followed by a pause, and a voice that does not know an
abbreviation spells it or stops at its full stop. No library has these words for us (CLDR has
none), so each language has its own small table below, written as the leaflet prints them;
a translator adds the abbreviations of a language to its table. A capital first letter
("E.g. tea") gives a capital in the words ("For example tea"), and an abbreviation that ends
its sentence keeps the sentence's full stop ("tea, coffee, etc." is "… et cetera.").

"min." is "minimum" only where no number comes before it: "10 min." is ten minutes, and is
left to the voice. A table is per language: English words are never said in a Welsh
narration, and a language without a table is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

ABBREVIATIONS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "en": MappingProxyType({
        "approx.": "approximately", "approx": "approximately", "e.g.": "for example",
        "eg.": "for example", "i.e.": "that is", "ie.": "that is", "etc.": "et cetera",
        "max.": "maximum", "min.": "minimum",
    }),
    "cy": MappingProxyType({
        "e.e.": "er enghraifft", "h.y.": "hynny yw", "ayb.": "ac yn y blaen",
        "ayb": "ac yn y blaen", "etc.": "ac yn y blaen", "uchaf.": "uchafswm",
        "isaf.": "isafswm",
    }),
    "ar": MappingProxyType({"إلخ": "إلى آخره", "الخ": "إلى آخره"}),
    "ur": MappingProxyType({}),
})
"""Each language's abbreviations (as printed, lower case) and the words said for them."""


def dotted() -> frozenset[str]:
    """Return every abbreviation that ends with a full stop, in any language (lower case)."""
    return frozenset(short for table in ABBREVIATIONS.values() for short in table
                     if short.endswith("."))


@cache
def _pattern(language: str) -> re.Pattern[str] | None:
    table = ABBREVIATIONS.get(language, {})
    if not table:
        return None
    names = "|".join(re.escape(short) for short in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{names})(?![\w.])(?<!\d\smin\.)(?<!\dmin\.)",
                      re.IGNORECASE)


def say(text: str, language: str) -> str:
    """Return ``text`` with the language's abbreviations said in full."""
    pattern = _pattern(language)
    if pattern is None:
        return text
    table = ABBREVIATIONS[language]
    end = len(text.rstrip())

    def full(match: re.Match[str]) -> str:
        written = match.group(0)
        words = table[written.lower()]
        if written[:1].isupper():
            words = words[:1].upper() + words[1:]
        return words + "." if written.endswith(".") and match.end() == end else words
    return pattern.sub(full, text)
