# ruff: noqa: RUF001, RUF002, RUF003  (the en dash and the times sign are what is said)
"""Say the symbols of a leaflet's prose in words, for the narration: fractions, units, ranges.

espeak-ng reads "1½" as "one a half", "10 g" as "ten gee", "2–3 hours" as "two three hours"
and "≥ 38" as nothing at all; a listener must hear "1 and a half", "10 grams", "2 to 3
hours" and "at least 38". The printed formats keep the symbols; the narration (and its
transcript, which shows what is said) gets the words. Only prose goes through here: a fact
(phone number, hours, date) is said by its own code and never touched.

The units' names come from CLDR (``babel.units.format_unit``, long form, in the leaflet's
language: "37.5 degrees Celsius", "37.5 gradd Celsius"); the words CLDR does not have (a half,
"2 to 3", "at least") are fixed words of the catalogues (``i18n``), translated per language.
Numbers stay in digits, in ASCII digits (``source.numbers.in_ascii_digits``): every engine
reads those in its own language, but espeak-ng's Urdu voice says nothing for Urdu digits
(``۲۴``) and its Arabic voice reads ``٣٧٫٥`` as "thirty-seven five"; the transcript shows the
digits as said, the printed formats as the translator wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from babel.units import UnknownUnitError, format_compound_unit, format_unit

from lmets_docs.fact_words import phrase
from lmets_docs.i18n import Messages, babel_locale
from lmets_docs.source.numbers import in_ascii_digits
from lmets_docs.speech import abbreviations
from lmets_docs.speech.amounts import MONEY, PENCE, READING, say_money, say_pence, say_reading

UNITS: Mapping[str, str] = MappingProxyType({
    "°C": "temperature-celsius", "°F": "temperature-fahrenheit", "%": "concentr-percent",
    "mmol/L": "concentr-millimole-per-liter", "mmol/l": "concentr-millimole-per-liter",
    "kg": "mass-kilogram", "mg": "mass-milligram", "mcg": "mass-microgram",
    "µg": "mass-microgram", "μg": "mass-microgram", "g": "mass-gram", "kcal":
    "energy-kilocalorie", "ml": "volume-milliliter", "mL": "volume-milliliter",
    "l": "volume-liter", "L": "volume-liter", "cm": "length-centimeter",
    "mm": "length-millimeter", "km": "length-kilometer", "mmHg": "pressure-millimeter-ofhg",
})
"""The unit symbols said after a number, and their CLDR unit: the longest is tried first."""
PER: Mapping[str, str] = MappingProxyType({
    "day": "duration-day", "d": "duration-day", "week": "duration-week",
    "hour": "duration-hour", "hr": "duration-hour", "h": "duration-hour",
    "min": "duration-minute", "kg": "mass-kilogram",
})
"""What a unit may be given per (``mg/day``, ``mg/kg``), and its CLDR unit."""
ROUND_THE_CLOCK = "24 hours a day, 7 days a week"
"""How "24/7" is said: the words a contact's hours use (the fact catalogue's phrase)."""
Said = Callable[..., str]
FRACTIONS: Mapping[str, tuple[Decimal, Said]] = MappingProxyType({
    # Translators: how the narration says "1½" ({number} is the whole number, in digits).
    "½": (Decimal("0.5"), lambda _, n: _("{number} and a half", number=n) if n else _("half")),
    "¼": (Decimal("0.25"),
          lambda _, n: _("{number} and a quarter", number=n) if n else _("a quarter")),
    "¾": (Decimal("0.75"), lambda _, n: _("{number} and three quarters", number=n) if n
          else _("three quarters")),
})
"""Each vulgar fraction: its value, and how it is said after a whole number (or alone)."""
COMPARISONS: Mapping[str, Said] = MappingProxyType({
    # Translators: "≥ 38 °C"; {number} is the number with its unit, "38 degrees Celsius".
    "≥": lambda _, n: _("at least {number}", number=n),
    "≤": lambda _, n: _("no more than {number}", number=n),
    ">": lambda _, n: _("more than {number}", number=n),
    "<": lambda _, n: _("less than {number}", number=n),
    "~": lambda _, n: _("about {number}", number=n),
    "≈": lambda _, n: _("about {number}", number=n),
})
"""A sign before a number, and how it is said around the number (with its unit)."""
# Translators: a range of numbers, "2–3 hours": "2 to 3 hours".
_RANGE: Said = lambda _, a, b: _("{start} to {end}", start=a, end=b)  # noqa: E731
_TIMES: Said = lambda _, a, b: _("{first} times {second}", first=a, second=b)  # noqa: E731
BETWEEN: Mapping[str, Said] = MappingProxyType({
    "–": _RANGE, "-": _RANGE, "×": _TIMES, "x": _TIMES,
})
"""A sign between two numbers, and how the pair is said."""

_QUANTITY = r"(?:(?:\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)[½¼¾]?|[½¼¾])"
_SPACE = r"[ \u00a0\u202f]?"
_UNIT = "|".join(re.escape(symbol) for symbol in sorted(UNITS, key=len, reverse=True))
_PER = "|".join(re.escape(symbol) for symbol in sorted(PER, key=len, reverse=True))
_PAIR = re.compile(rf"(?<![\w.,/\-–])(?P<a>{_QUANTITY}){_SPACE}(?P<sign>[–×x-]){_SPACE}"
                   rf"(?P<b>{_QUANTITY})(?=(?:{_SPACE}(?:{_UNIT})(?:/(?:{_PER}))?)?"
                   r"(?![\w½¼¾]|[.,/\-–]\d))")
"""Two numbers with a dash or a times sign between them: ``2–3``, ``10 × 15``, ``2 x 5``;
the second ends the number (or its unit): ``0x1F`` and ``1-2-3`` are not pairs."""
_ONE = re.compile(rf"(?:(?<!\w)(?P<sign>[≥≤<>~≈]){_SPACE})?(?<![\w.,])(?P<q>{_QUANTITY})"
                  rf"(?:{_SPACE}(?P<unit>{_UNIT})(?:/(?P<per>{_PER}))?(?![\w/]))?")
"""A number, with a sign before it or a unit after it (or a fraction in it)."""
_TIMES_A = re.compile(r"(?<![\w.,])(?P<n>\d+)x(?![\w.,/\-–])")
"""A number of times written with an x after it: ``3x a day``."""
_ROUND_THE_CLOCK = re.compile(r"(?<![\w/])24/7(?![\w/])")
"""Open "24/7", said as a contact's hours say it."""
_SYMBOLS = re.compile(r"[½¼¾≥≤<>~≈×–%°£€]|\d[\s\u00a0\u202f]?[a-zA-Zµμ]|\d\s?-\s?\d|\d/\d")
"""Anything worth a closer look: most prose has none of it and is returned at once."""


class SymbolWords:
    """Say the symbols of prose in one language's words (its CLDR units, its catalogue)."""

    def __init__(self, lang: str, words: Messages) -> None:
        self.lang = lang
        self.locale = babel_locale(lang)
        self._ = words

    def say(self, text: str) -> str:
        """Return ``text`` with its abbreviations, money, readings, fractions, units, ranges
        and signs said in words, its numbers in ASCII digits (the engines read those)."""
        text = in_ascii_digits(text, self.lang)
        text = abbreviations.say(text, str(self.locale.language))
        if not _SYMBOLS.search(text):
            return text
        clock = phrase(self.lang, ROUND_THE_CLOCK)
        text = _ROUND_THE_CLOCK.sub(lambda _match: clock, text) if clock else text
        text = MONEY.sub(lambda match: say_money(match, self.locale, self._, self.value), text)
        text = PENCE.sub(lambda match: say_pence(match, self.locale), text)
        text = READING.sub(lambda match: say_reading(match, self._), text)
        text = _PAIR.sub(self._pair, text)
        text = _TIMES_A.sub(lambda match: self._("{number} times", number=match["n"]), text)
        return _ONE.sub(self._one, text)

    def _pair(self, match: re.Match[str]) -> str:
        return BETWEEN[match["sign"]](self._, match["a"], match["b"])

    def _one(self, match: re.Match[str]) -> str:
        if not (match["sign"] or match["unit"] or _has_fraction(match["q"])):
            return match.group(0)
        said = self.quantity(match["q"], match["unit"], match["per"])
        if said is None:
            return match.group(0)
        return COMPARISONS[match["sign"]](self._, said) if match["sign"] else said

    def quantity(self, written: str, unit: str | None, per: str | None = None) -> str | None:
        """Return a number (with its fraction and unit, and what it is per) in words; None if
        it cannot be read."""
        value = self.value(written)
        if value is None:
            return None
        number = self.number(written)
        if unit is None:
            return number
        try:
            named = (format_compound_unit(value, UNITS[unit], denominator_unit=PER[per],
                                          length="long", locale=self.locale) if per else
                     format_unit(value, UNITS[unit], length="long", locale=self.locale))
            shown = format_decimal(value, locale=self.locale)
        except (UnknownUnitError, ArithmeticError):  # no name in this language, or a number
            named = None  # too long for babel's decimals: the unit as written
        if not named:
            return f"{number} {unit}" + (f"/{per}" if per else "")
        return str(named).replace(shown, number, 1)

    def number(self, written: str) -> str:
        """Return a number as said: digits, a fraction in words (``1 and a half``)."""
        if not _has_fraction(written):
            return written
        return FRACTIONS[written[-1]][1](self._, written[:-1])

    def value(self, written: str) -> Decimal | None:
        """Return a number's value in the language's notation (None if it is not one)."""
        whole, fraction = (written[:-1], FRACTIONS[written[-1]][0]) if _has_fraction(
            written) else (written, Decimal(0))
        if not whole:
            return fraction
        try:
            return parse_decimal(whole, locale=self.locale, strict=True) + fraction
        except NumberFormatError:
            return None


def _has_fraction(written: str) -> bool:
    return written[-1] in FRACTIONS
