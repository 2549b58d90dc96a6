# ruff: noqa: RUF001, RUF002  (Arabic letters are what is read)
"""Read the small numbers a translation writes in words, so that they count like digits.

"Take two tablets" translated "Cymerwch dri thabled" (three) must be refused as surely as a
"3" would be. CLDR's spell-out rules (``scan_words.number_words``) give each language's
words; a word number counts only when it is one a leaflet uses as a count and that cannot be
read as an ordinary word: 2 to 20 and the tens (``COUNTED``). "One", "zero" and the
ordinals are left to cancel a digit only (as before): English "one" and Welsh "un" are
pronouns, Welsh "dim" is "not", "first" is "at the start" as often as a number.

Per language, derived from CLDR's own words (never a hand list of numbers, but Urdu's draft):

- Welsh: each phrase also after soft mutation ("dri", "ddau", "bum", "ddeg") and the aspirate
  "thri"/"thair"; "deg" alone (CLDR writes "un deg"), and "dwywaith" (twice).
- Arabic: the alef forms made one (أ إ آ → ا), the counted noun's form without ة ("ثلاث
  مرات"), the oblique "اثنين"/"اثنتين"/"...ين" of the tens, a leading "و" (and). A noun in the
  dual ("قرصين", two tablets) is read by ``duals``: it only cancels a 2 the translation lacks,
  never adds one, because an unvocalised word ending in ين/ان may be a plural or a plain word.
- Urdu: the packaged CLDR rules have none, so its words are ``scan_words.DRAFT_WORDS`` (a
  draft for an Urdu reviewer: 0 to 20 and the tens), with "دونوں" (both) for 2. Letters typed
  on an Arabic keyboard are read as Urdu's (ي ى → ی, ك → ک, ه → ہ), vowel marks and tatweel
  dropped. "اسی" (80) is also "this very" ("اسی طرح"), so it is never counted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from lmets_docs.i18n import babel_locale
from lmets_docs.scan_times import _mutated
from lmets_docs.scan_words import SAME_LETTERS, number_words

COUNTED = frozenset((*range(2, 21), *range(30, 100, 10)))
"""The values a word counts as (both sides); other word numbers only cancel a digit."""
TWICE: dict[str, dict[tuple[str, ...], int]] = {
    "en": {("twice",): 2, ("both",): 2}, "cy": {("dwywaith",): 2, ("ddwywaith",): 2},
    "ur": {("دونوں",): 2}}  # Urdu: a draft, like its number words
"""Words that say a count and are not CLDR numbers ("twice" is "2 times", Welsh "y ddau" is
"both")."""
NOT_COUNTED: dict[str, frozenset[tuple[str, ...]]] = {"ur": frozenset({("اسی",)})}
"""Number words that are as often ordinary words, by language: they only cancel a digit."""
_WORD = re.compile(r"[^\W\d_]+")
_ALEF = str.maketrans("أإآ", "ااا")
_URDU = str.maketrans({**SAME_LETTERS["ur"], "\u0640": None,
                       **dict.fromkeys([*range(0x064B, 0x0660), 0x0670], None)})
"""Urdu written with Arabic letters (an Arabic keyboard) as Urdu's; vowel marks dropped."""
_AR_NOT_DUAL = frozenset((
    "بين", "اين", "حين", "الذين", "اللذين", "اللتين", "كان", "الان", "ان", "لكن", "يمكن",
    "مكان", "المكان", "السرطان", "سرطان", "الانسان", "انسان", "احيان", "الاحيان", "ايمان",
    "زمان", "الزمان", "رمضان", "لسان", "اللسان", "عنوان", "العنوان", "الوان", "بيان",
    "البيان", "ضمان", "الضمان", "امان", "الامان", "مجان", "المجان", "مجانا", "ميزان", "دين",
    "الدين", "سنين", "السنين", "عين", "العين", "يوجين", "تين", "طين", "الطين"))
"""Arabic words ending in ين/ان that are not duals (a sample: a miss here only cancels a 2)."""


def language(lang: str) -> str:
    """Return the language part of a tag (``cy`` for ``cy-GB``)."""
    try:
        return str(babel_locale(lang).language)
    except ValueError:
        return lang.split("-", maxsplit=1)[0].lower()


def _fold(text: str, lang: str) -> str:
    text = text.casefold()
    code = language(lang)
    if code == "ur":
        return unicodedata.normalize("NFC", text).translate(_URDU)
    return text.translate(_ALEF).replace("\u0640", "") if code == "ar" else text


@cache
def table(lang: str) -> dict[tuple[str, ...], int]:
    """Return the language's number phrases (folded word tuples) and their values."""
    try:
        base = number_words(lang)
    except ValueError:
        return {}
    if not base:
        return {}
    code = language(lang)
    found: dict[tuple[str, ...], int] = {}
    for phrase, digits in base.items():
        value = int(digits)
        found.setdefault(tuple(_fold(" ".join(phrase), lang).split()), value)
    for phrase, value in list(found.items()):
        if code == "cy":
            found.setdefault((_mutated(phrase[0]), *phrase[1:]), value)
            if phrase[0] in ("tri", "tair"):
                found.setdefault(("th" + phrase[0][1:], *phrase[1:]), value)
        if code == "ar" and len(phrase) == 1:
            word = phrase[0]
            if word.endswith("ة") and 3 <= value <= 10:
                found.setdefault((word[:-1],), value)
            if word.endswith("ان") and value in (2, 12):
                found.setdefault((word[:-2] + "ين",), value)
            if word.endswith("ون"):
                found.setdefault((word[:-2] + "ين",), value)
    if code == "cy":
        found.setdefault(("deg",), 10)
        found.setdefault(("ddeg",), 10)
    if code == "ar":
        found.setdefault(("اثنا", "عشر"), 12)
        found.setdefault(("اثني", "عشر"), 12)
    found.update(TWICE.get(code, {}))
    return found


def reads(lang: str) -> bool:
    """Say whether this language's word numbers can be read (CLDR has its rules)."""
    return bool(table(lang))


def words_said(text: str, lang: str) -> Iterator[tuple[str, int]]:
    """Yield each longest number phrase in ``text``: as written (folded), and its value."""
    words = table(lang)
    if not words:
        return
    said = _WORD.findall(_fold(text, lang))
    if language(lang) == "ar":
        said = [w[1:] if w.startswith("و") and (w[1:],) in words else w for w in said]
    longest = max(len(p) for p in words)
    ambiguous = NOT_COUNTED.get(language(lang), frozenset())
    at = 0
    while at < len(said):
        size = next((n for n in range(min(longest, len(said) - at), 0, -1)
                     if tuple(said[at:at + n]) in words), 0)
        if size and tuple(said[at:at + size]) not in ambiguous:
            yield " ".join(said[at:at + size]), words[tuple(said[at:at + size])]
        at += size or 1


def duals(text: str, lang: str) -> int:
    """Return how many words of an Arabic ``text`` look like a noun in the dual (0 if not Arabic).

    A dual is a word of at least three letters before the ending ين/ان/تين/تان (after ال or a
    joined و/ب/ل), that is no number word and not one of ``_AR_NOT_DUAL``.
    """
    if language(lang) != "ar":
        return 0
    numbers = {p[0] for p in table(lang) if len(p) == 1}
    count = 0
    for word in _WORD.findall(_fold(text, lang)):
        if word in _AR_NOT_DUAL or word in numbers:
            continue
        stem = word
        for prefix in ("وال", "بال", "لل", "ال", "و", "ب", "ل"):
            if stem.startswith(prefix) and len(stem) - len(prefix) >= 5:
                stem = stem[len(prefix):]
                break
        if stem in _AR_NOT_DUAL or stem in numbers:
            continue
        if stem.endswith(("ين", "ان")) and len(stem) >= 5:
            count += 1
    return count
