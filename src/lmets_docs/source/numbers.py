# ruff: noqa: RUF002  (Arabic-Indic digits and the Arabic decimal sign are what is read)
"""Find the numbers a text writes, as values, the way a reader of its language reads them.

A translation must say the same numbers as its source (a fever threshold, a dose), so both
are read as values: any script's decimal digits (``37``, Arabic-Indic ``٣٧``, Eastern
Arabic-Indic ``۳۷``, Devanagari ``३७``), the language's decimal and grouping separators from
CLDR through babel, for each numbering system the language uses (English ``37.5`` and
``1,000``; German ``37,5`` and ``1.000``; Arabic's decimal separator U+066B), and the
vulgar fractions and superscripts Unicode gives a value (``½``). A separator counts only
between digits; a group separator only before three digits and ahead of the decimal one, so
English ``2,3`` is two numbers. Signs, ranges and units are not numbers: ``7-14`` is 7 and
14, ``-5`` is 5.

translate-toolkit's ``pofilter`` ``numbers`` check does not fit: it counts the source's number
strings as substrings of the target (so "8 mg" passes as "80 mg" and fails as "٨ ملغ"), and
reads no decimal comma (its own TODO).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from lmets_docs.i18n import babel_locale

MAX_DIGITS = 40
"""Digits of one number read as a value; a longer run is still one number, by its text."""


@dataclass(frozen=True)
class Number:
    """One number as written (``37.5``, in any script) and its value (75/2)."""

    written: str
    value: Fraction

    @property
    def shown(self) -> str:
        """Return the value as a reader of any language can check it: ``37.5``, ``1/3``."""
        return shown(self.value)


def shown(value: Fraction) -> str:
    """Return a value in ASCII digits: a whole number, a finite decimal, or ``p/q``."""
    if value.denominator == 1:
        return str(value.numerator)
    tens = value * 10**12
    if tens.denominator == 1:
        whole, frac = divmod(int(tens), 10**12)
        return f"{whole}.{str(frac).rjust(12, '0').rstrip('0')}"
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Separators:
    """A language's decimal and group separators, over all its numbering systems."""

    decimal: frozenset[str]
    group: frozenset[str]


@cache
def separators(lang: str) -> Separators:
    """Return the language's separators (CLDR through babel), for each numbering system."""
    locale = babel_locale(lang)
    systems = {"latn", locale.default_numbering_system, *_others(locale)}
    decimal = {_bare(get_decimal_symbol(locale, numbering_system=s)) for s in systems}
    group = {_bare(get_group_symbol(locale, numbering_system=s)) for s in systems}
    group -= decimal  # never both: a symbol read as a decimal in one system is a decimal
    return Separators(frozenset(d for d in decimal if len(d) == 1),
                      frozenset(g for g in group if len(g) == 1))


def _others(locale: Locale) -> list[str]:
    return [str(system) for system in locale.other_numbering_systems.values()]


def _bare(symbol: str) -> str:
    """Return a symbol without the bidi marks CLDR puts around some (Arabic's ``‎.``)."""
    return "".join(ch for ch in symbol if unicodedata.category(ch) != "Cf")


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    seps = separators(lang)
    joined = re.escape("".join(sorted(seps.decimal | seps.group)))
    return re.compile(rf"\d+(?:[{joined}]\d+)*" if joined else r"\d+")


def numbers_in(text: str, lang: str) -> list[Number]:
    """Return every number of ``text`` in the order written, read as ``lang`` reads them."""
    found: list[tuple[int, Number]] = []
    for match in _pattern(lang).finditer(text):
        found += [(match.start() + at, n) for at, n in _read_run(match.group(), separators(lang))]
    found += [(at, n) for at, n in _fractions(text)]
    return [number for _at, number in sorted(found, key=lambda pair: pair[0])]


def _read_run(run: str, seps: Separators) -> Iterator[tuple[int, Number]]:
    """Yield the numbers of a run of digits and separators (``1,000.5``; ``2,3`` is two)."""
    parts = re.split(r"(\D)", run)
    start, digits, decimals, at = 0, parts[0], "", len(parts[0])
    for sep, part in zip(parts[1::2], parts[2::2], strict=True):
        if sep in seps.group and not decimals and len(part) == 3:
            digits += part
        elif sep in seps.decimal and not decimals:
            decimals = part
        else:
            yield start, _number(run[start:at], digits, decimals)
            start, digits, decimals = at + 1, part, ""
        at += 1 + len(part)
    yield start, _number(run[start:at], digits, decimals)


def _number(written: str, digits: str, decimals: str) -> Number:
    whole = "".join(str(unicodedata.decimal(d)) for d in digits)
    frac = "".join(str(unicodedata.decimal(d)) for d in decimals)
    if len(whole) + len(frac) > MAX_DIGITS:  # a run no one reads as a value; keep it whole
        whole, frac = whole[:MAX_DIGITS], ""
    value = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
    return Number(written, value)


def _fractions(text: str) -> Iterator[tuple[int, Number]]:
    """Yield the characters that are numbers on their own: ``½``, ``¾``, a superscript ``²``."""
    for at, ch in enumerate(text):
        if unicodedata.category(ch) == "No":
            value = unicodedata.numeric(ch, None)
            if value is not None:
                yield at, Number(ch, Fraction(value).limit_denominator(1000))


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
"""A decimal digit of a script other than ASCII: ``٣``, ``۳``, ``३``."""


@cache
def _latin_symbols(lang: str) -> tuple[str, str]:
    """Return the language's decimal and group separators for ASCII digits (CLDR ``latn``)."""
    locale = babel_locale(lang)
    return (_bare(get_decimal_symbol(locale, numbering_system="latn")),
            _bare(get_group_symbol(locale, numbering_system="latn")))


def in_ascii_digits(text: str, lang: str) -> str:
    """Return ``text`` with each number written in another script's digits written in ASCII
    digits, with the separators the language uses with them (CLDR's ``latn`` symbols):
    Urdu ``۳۷٫۵`` is ``37.5``, Arabic ``١٬٠٠٠`` is ``1,000``. For the narration: espeak-ng's
    Urdu voice says nothing for Extended Arabic-Indic digits and its Arabic voice drops the
    decimal sign U+066B; both read ASCII digits. A separator between two numbers (not part of
    either, as in ``٢,٣``) is kept as written."""
    if not _OTHER_DIGIT.search(text):
        return text
    seps = separators(lang)
    decimal, group = _latin_symbols(lang)
    parts: list[str] = []
    done = 0
    for match in _pattern(lang).finditer(text):
        if not _OTHER_DIGIT.search(match.group()):
            continue
        for at, number in _read_run(match.group(), seps):
            start = match.start() + at
            parts += [text[done:start], "".join(
                str(unicodedata.decimal(ch)) if ch.isdecimal() else
                decimal if ch in seps.decimal else group if ch in seps.group else ch
                for ch in number.written)]
            done = start + len(number.written)
    return "".join([*parts, text[done:]])
