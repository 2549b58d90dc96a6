# ruff: noqa: RUF001, RUF002  (the en dash is what is read)
"""Say sums of money and blood pressure readings in words, for the narration.

espeak-ng reads "£5" as "pound five" in English and "pymp" (five, no pound) in Welsh, and
"140/90" as "140 slash 90". A listener hears "5 British pounds" and "140 over 90".

Money: the currency's name and its plural form come from CLDR through babel
(``get_currency_name`` with the amount as its count, placed by the language's currency unit
pattern): "1 British pound", "5 British pounds", Welsh "1 bunt Prydain", "5 punt Prydain".
Only "£" (GBP) and "€" (EUR) are read: "$" is several currencies. The amount stays in digits
as written ("£2.50" is "2.50 British pounds": CLDR has no name for pence). A range
("£5–£10", "£5-10") is said with the catalogue's "{start} to {end}" and one name after it.

A blood pressure reading is two whole numbers with a slash between them that can only be one:
a systolic pressure of 70 to 250 over a lower diastolic of 30 to 150 ("140/90", "100/60").
Anything else with a slash is left as written: a date ("1/2", "22/11"), a page ("3/4"), and
a fraction, which a leaflet writes as "½" (said as "half"): "1/2" is 1 February in en-GB.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from babel import Locale
from babel.numbers import get_currency_name, get_currency_unit_pattern

from lmets_docs.i18n import Messages

CURRENCIES = {"£": "GBP", "€": "EUR"}
"""The currency signs said in words, and their ISO 4217 codes."""
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
READING = re.compile(r"(?<![\w.,/\-–])(?P<a>\d{2,3})/(?P<b>\d{2,3})(?![\w/]|[.,\-–]\d)")
"""Two whole numbers with a slash between them: a reading if their values can be one."""


def say_money(match: re.Match[str], locale: Locale, _: Messages,
              value: Callable[[str], Decimal | None]) -> str:
    """Return a sum of money (or a range of two) in words: the amount, then CLDR's name."""
    last = match["b"] or match["a"]
    count = value(last)
    if count is None:
        return match.group(0)
    code = CURRENCIES[match["sign"]]
    name = get_currency_name(code, count=count, locale=locale)
    number = _("{start} to {end}", start=match["a"], end=last) if match["b"] else last
    pattern = get_currency_unit_pattern(code, count=count, locale=locale)
    return str(pattern).replace("{0}", number).replace("{1}", str(name))


def say_reading(match: re.Match[str], _: Messages) -> str:
    """Return a blood pressure reading ("140/90") in words, or the pair as written."""
    high, low = int(match["a"]), int(match["b"])
    if high not in SYSTOLIC or low not in DIASTOLIC or low >= high:
        return match.group(0)
    # Translators: a blood pressure reading, "140/90": "140 over 90".
    return _("{systolic} over {diastolic}", systolic=match["a"], diastolic=match["b"])
