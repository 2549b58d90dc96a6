# ruff: noqa: RUF001, RUF002  (the en dash is what is read)
"""Say sums of money and blood pressure readings in words, for the narration.

espeak-ng reads "£5" as "pound five" in English and "pymp" (five, no pound) in Welsh, and
"140/90" as "140 slash 90". A listener hears "5 pounds" and "140 over 90".

Money: an amount is said as a listener hears it in a shop: "£5" is "5 pounds", "£2.50" is
"2 pounds 50 pence", "£0.50" and "50p" are "50 pence", "€3.20" is "3 euros 20 cents". The
pence (cents) are always said with their word, one rule for every language: "2 pounds 5"
would be heard as £2.50 as often as £2.05, and Arabic joins the two with "and" (the
catalogue's "{major} {minor}"). The leaflet's own currency (``babel.numbers.
get_territory_currencies`` of its territory, or of the language's likely territory: Welsh
is GB, Urdu PK, Arabic EG) is said without its country ("pounds", Welsh "punt"); any other
keeps CLDR's name ("euros", Urdu "برطانوی پاؤنڈ"). Each word takes the plural form CLDR's
plural rules give its count (``Locale.plural_form``); CLDR has no short names and no
pence or cents, so those are the small tables below (Welsh follows the mutations CLDR's own
"bunt Prydain" has; the Urdu and Arabic words are drafts, like those languages' catalogues).
Only "£" (GBP) and "€" (EUR) are read: "$" is several currencies. An amount with more than
two decimals ("£1.999") is said in digits with the currency's name ("1.999 pounds"). A range
("£5–£10", "£5-10") is said with the catalogue's "{start} to {end}" and one name after it
("5 to 10 pounds"), or each amount in full when one has pence.

A blood pressure reading is two whole numbers with a slash between them that can only be one:
a systolic pressure of 70 to 250 over a lower diastolic of 30 to 150 ("140/90", "100/60").
Anything else with a slash is left as written: a date ("1/2", "22/11"), a page ("3/4"), and
a fraction, which a leaflet writes as "½" (said as "half"): "1/2" is 1 February in en-GB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from types import MappingProxyType

from babel import Locale
from babel.core import get_global
from babel.numbers import (
    get_currency_name,
    get_currency_unit_pattern,
    get_decimal_symbol,
    get_territory_currencies,
)

from lmets_docs.i18n import Messages

CURRENCIES = {"£": "GBP", "€": "EUR"}
"""The currency signs said in words, and their ISO 4217 codes."""
Words = Mapping[str, str]
"""A word by CLDR plural category ("one", "two", "few", "many", "other", "zero")."""
SHORT: Mapping[str, Mapping[str, Words]] = MappingProxyType({
    "en": {"GBP": {"one": "pound", "other": "pounds"}, "EUR": {"one": "euro", "other": "euros"}},
    # CLDR's "bunt Prydain" without its country, in CLDR's own forms.
    "cy": {"GBP": {"one": "bunt", "two": "bunt", "other": "punt"}, "EUR": {"other": "ewro"}},
})
"""The name of a leaflet's own currency, without its country, by language (CLDR has none).
Urdu and Arabic have none: their likely territories' currencies (PKR, EGP) are not read, and
CLDR knows no Urdu or Arabic locale of GB."""
MINOR: Mapping[str, Mapping[str, Words]] = MappingProxyType({
    "en": {"GBP": {"one": "penny", "other": "pence"}, "EUR": {"one": "cent", "other": "cents"}},
    "cy": {"GBP": {"one": "geiniog", "two": "geiniog", "other": "ceiniog"},
           "EUR": {"other": "sent"}},
    "ur": {"GBP": {"other": "پینس"}, "EUR": {"other": "سینٹ"}},  # draft
    "ar": {"GBP": {"other": "بنس"}, "EUR": {"other": "سنت"}},  # draft
})
"""The hundredth of a currency (pence, cents), by language (CLDR has no names for them)."""
SYSTOLIC = range(70, 251)
DIASTOLIC = range(30, 151)
"""The pressures (mmHg) a reading may have: a pair outside them is no reading."""

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SPACE = r"[ \u00a0\u202f]?"
MONEY = re.compile(
    rf"(?<![\w.,])(?P<sign>[£€]){_SPACE}(?P<a>{_AMOUNT})"
    rf"(?:{_SPACE}[–-]{_SPACE}(?P=sign)?{_SPACE}(?P<b>{_AMOUNT}))?(?![\w½¼¾]|[.,]\d|-\w)")
"""A sum of money after its sign, or a range of two: ``£5``, ``€2.50``, ``£5–£10``; not a
word made with one (``a £5-note``)."""
PENCE = re.compile(r"(?<![\w.,£€])(?P<n>\d{1,3})p(?!\w|[.,]\d)")
"""A sum in pence written with a "p": ``50p``."""
READING = re.compile(r"(?<![\w.,/\-–])(?P<a>\d{2,3})/(?P<b>\d{2,3})(?![\w/]|[.,\-–]\d)")
"""Two whole numbers with a slash between them: a reading if their values can be one."""


def say_money(match: re.Match[str], locale: Locale, _: Messages,
              value: Callable[[str], Decimal | None]) -> str:
    """Return a sum of money (or a range of two) in words: "5 pounds", "2 pounds 50 pence"."""
    code = CURRENCIES[match["sign"]]
    first, last = match["a"], match["b"] or match["a"]
    said = [_amount(written, code, locale, _, value) for written in (first, last)]
    count = value(last)
    if said[0] is None or said[1] is None or count is None:
        return match.group(0)
    if not match["b"]:
        return said[1]
    if _whole(first, locale) and _whole(last, locale):
        number = _("{start} to {end}", start=first, end=last)
        return _placed(number, _major(code, count, locale), code, count, locale)
    return _("{start} to {end}", start=said[0], end=said[1])


def say_pence(match: re.Match[str], locale: Locale) -> str:
    """Return a sum in pence ("50p") in words: "50 pence"."""
    count = int(match["n"])
    name = _minor("GBP", count, locale)
    return match.group(0) if name is None else _placed(match["n"], name, "GBP", count, locale)


def _amount(written: str, code: str, locale: Locale, _: Messages,
            value: Callable[[str], Decimal | None]) -> str | None:
    """Return one amount in words, or None if it is no number."""
    count = value(written)
    if count is None:
        return None
    whole, _sep, cents = written.partition(get_decimal_symbol(locale))
    minor = _minor(code, int(cents.ljust(2, "0")), locale) if 0 < len(cents) <= 2 else None
    if not cents or minor is None or int(cents.ljust(2, "0")) == 0:
        number = whole if cents and minor is not None else written
        return _placed(number, _major(code, count, locale), code, count, locale)
    hundredths = int(cents.ljust(2, "0"))
    said_minor = _placed(str(hundredths), minor, code, hundredths, locale)
    units = int(count)
    if units == 0:
        return said_minor
    # Translators: a sum with its pence or cents, "2 pounds 50 pence" ({major} is
    # "2 pounds", {minor} "50 pence"); Arabic joins them with "and".
    return _("{major} {minor}", major=_placed(whole, _major(code, units, locale), code, units,
                                             locale), minor=said_minor)


def _whole(written: str, locale: Locale) -> bool:
    return get_decimal_symbol(locale) not in written


def _placed(number: str, name: str, code: str, count: Decimal | int, locale: Locale) -> str:
    """Return a number and a currency word in the order of the language's unit pattern."""
    pattern = get_currency_unit_pattern(code, count=count, locale=locale)
    return str(pattern).replace("{0}", number).replace("{1}", name)


def _major(code: str, count: Decimal | int, locale: Locale) -> str:
    """Return the currency's name for ``count``: without its country if it is the leaflet's
    own currency and the language has a short name, else CLDR's."""
    short = SHORT.get(str(locale.language), {}).get(code)
    if short is not None and code in own_currencies(locale):
        return _form(short, count, locale)
    return str(get_currency_name(code, count=count, locale=locale))


def _minor(code: str, count: int, locale: Locale) -> str | None:
    words = MINOR.get(str(locale.language), {}).get(code)
    return None if words is None else _form(words, count, locale)


def _form(words: Words, count: Decimal | int, locale: Locale) -> str:
    return words.get(str(locale.plural_form(count)), words["other"])


@cache
def own_currencies(locale: Locale) -> frozenset[str]:
    """Return the currencies of the locale's territory (or its language's likely one)."""
    territory = locale.territory or str(
        get_global("likely_subtags").get(str(locale.language), "")).split("_")[-1]
    try:
        return frozenset(get_territory_currencies(territory)) if territory else frozenset()
    except KeyError:  # pragma: no cover - a territory CLDR does not know
        return frozenset()


def say_reading(match: re.Match[str], _: Messages) -> str:
    """Return a blood pressure reading ("140/90") in words, or the pair as written."""
    high, low = int(match["a"]), int(match["b"])
    if high not in SYSTOLIC or low not in DIASTOLIC or low >= high:
        return match.group(0)
    # Translators: a blood pressure reading, "140/90": "140 over 90".
    return _("{systolic} over {diastolic}", systolic=match["a"], diastolic=match["b"])
