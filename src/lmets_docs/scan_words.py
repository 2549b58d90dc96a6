"""Read numbers spelled out in words ("oh two oh seven …", "zero eight zero eight …") as digits.

The words come from CLDR's rule-based number formats (RBNF) through ``unicode-rbnf``, the
same CLDR that babel uses for dates and names (babel itself ships no RBNF data): every public
cardinal and numbering rule set of the language spells 0 to 99 and the hundreds, so Welsh
"dau" and "dwy" are both 2. English "oh" is CLDR's too: its year rules say 1905 as "nineteen
oh-five", and the word that stands for the 0 there is taken as another zero. What CLDR does
not have is how people read a run of equal digits ("double four"): that small table is ours.

A run of number words becomes digits only when it gives a phone number's worth of digits, so
"one or two" and "three times" are left alone. A language that CLDR has no rules for is not
read for words; numbers in digits are still found.

Urdu is the exception: unicode-rbnf (2.4.1) and ICU (77, 78) have no Urdu spell-out rules, so
a small **draft** table stands in for them (``DRAFT_WORDS``): 0 to 20 and the tens, the words
a leaflet counts with and says the clock's hours in. It needs an Urdu reviewer, and gives way
to CLDR's rules by itself once unicode-rbnf ships them (``rbnf_engine`` is asked first).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from unicode_rbnf import RbnfEngine
from unicode_rbnf.engine import (
    FormatPurpose,
    NoRuleForNumberError,
    PluralFormatPart,
    RulesetNotFoundError,
    TextRulePart,
)

from lmets_docs.i18n import babel_locale

MIN_DIGITS = 6
# No single word says more than three digits ("triple" + one, "trescientos", "nine hundred").
MAX_DIGITS_PER_WORD = 3
"""The fewest digits a run of words must give to be read as a (phone) number."""
REPEATS: dict[str, dict[str, int]] = {"en": {"double": 2, "triple": 3, "treble": 3}}
"""Words that repeat the next digit, by language (CLDR has none)."""
DRAFT_WORDS: dict[str, dict[int, tuple[str, ...]]] = {
    # Draft (no Urdu reviewer yet; written for this project, not taken from CLDR): the
    # cardinals 0 to 20 and the tens, each in its common spelling ("چھ" and "چھے" for 6).
    # 21 to 99 (irregular in Urdu: "پچیس" is 25) and the hundreds are left out.
    "ur": {0: ("صفر",), 1: ("ایک",), 2: ("دو",), 3: ("تین",), 4: ("چار",), 5: ("پانچ",),
           6: ("چھ", "چھے"), 7: ("سات",), 8: ("آٹھ",), 9: ("نو",), 10: ("دس",),
           11: ("گیارہ",), 12: ("بارہ",), 13: ("تیرہ",), 14: ("چودہ",), 15: ("پندرہ",),
           16: ("سولہ",), 17: ("سترہ",), 18: ("اٹھارہ",), 19: ("انیس",), 20: ("بیس",),
           30: ("تیس",), 40: ("چالیس",), 50: ("پچاس",), 60: ("ساٹھ",), 70: ("ستر",),
           80: ("اسی",), 90: ("نوے",)},
}
"""Cardinal number words for languages CLDR's rules (as packaged) lack, by language."""
SAME_LETTERS: dict[str, dict[int, str]] = {
    # Arabic yeh and alef maksura for Farsi yeh, Arabic kaf for keheh, Arabic heh for heh goal
    "ur": str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                         "\u0647": "\u06c1"})}
"""Letters typed on another keyboard for the language's own, one for one (Urdu typed on an
Arabic keyboard), by language."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_GAP = re.compile(r"[\s,\-\u2010-\u2014]*")


def rbnf_engine(lang: str) -> RbnfEngine | None:
    """Return CLDR's number rules for the language (``cy`` for ``cy-GB``), or None."""
    locale = babel_locale(lang)
    names = [f"{locale.language}_{locale.territory}", str(locale.language)]
    supported = set(RbnfEngine.get_supported_languages())
    for name in names:
        if name in supported:
            return _engine(name)
    return None


def _draft(lang: str) -> dict[int, tuple[str, ...]]:
    """Return the draft number words of a language CLDR's packaged rules lack, if any."""
    return DRAFT_WORDS.get(str(babel_locale(lang).language), {})


@cache
def _engine(name: str) -> RbnfEngine:
    return RbnfEngine.for_language(name)


def _spellings(engine: RbnfEngine, number: int) -> set[str]:
    """Return every way the language's public cardinal rule sets spell ``number``."""
    try:
        result = engine.format_number(number, purpose=FormatPurpose.CARDINAL)
    except (NoRuleForNumberError, RulesetNotFoundError, ValueError):
        return set()
    return {text.lower() for text in result.text_by_ruleset.values() if text}


def _year_zeros(engine: RbnfEngine) -> set[str]:
    """Return the words CLDR's year rules say for a 0 inside a year ("oh" in 1905)."""
    if "spellout-numbering-year" not in engine.rulesets:
        return set()
    zeros: set[str] = set()
    for digit in range(1, 10):
        try:
            year = engine.format_number(1900 + digit, ruleset_names=["spellout-numbering-year"])
        except (NoRuleForNumberError, RulesetNotFoundError, ValueError):
            continue
        known = {*_words(" ".join(_spellings(engine, 19))), *_words(
            " ".join(_spellings(engine, digit)))}
        left = [w for w in _words(year.text.lower()) if w not in known]
        zeros.update(left if len(left) == 1 else [])
    return zeros


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@cache
def number_words(lang: str) -> dict[tuple[str, ...], str]:
    """Return the language's number phrases (as word tuples) and the digits each stands for."""
    engine = rbnf_engine(lang)
    if engine is None:
        return {(word,): str(n) for n, words in _draft(lang).items() for word in words}
    table: dict[tuple[str, ...], str] = {}
    for number in (*range(100), *range(100, 1000, 100)):
        for spelling in _spellings(engine, number):
            table.setdefault(tuple(_words(spelling)), str(number))
    for zero in _year_zeros(engine):
        table.setdefault((zero,), "0")
    return table


def prepare(lang: str) -> None:
    """Build the language's number words now (a process that forks builds: ``watch``).

    They are made from CLDR's number rules and this module's own words alone, which a
    running process never sees change; every build's loading and checks read them.
    """
    _run_limits(lang)


@cache
def _run_limits(lang: str) -> tuple[dict[str, int], int]:
    """Return the language's repeat words and its longest number phrase, in words."""
    longest = max((len(phrase) for phrase in number_words(lang)), default=0)
    return REPEATS.get(babel_locale(lang).language, {}), longest


def spelled_numbers(text: str, lang: str) -> Iterator[tuple[str, str]]:
    """Yield each run of number words in ``text`` long enough to be a phone number.

    Each is given as written and as the digits it says: ("oh two oh seven …", "0207…").
    Each word is lowered once, and a word that neither begins a number phrase nor repeats
    the next digit is passed over at once (most words of a text: no run starts there).
    """
    words = list(_WORD.finditer(text))
    if len(words) * MAX_DIGITS_PER_WORD < MIN_DIGITS:  # too few words to say a phone number
        return
    table = number_words(lang)
    if not table:
        return
    repeats, longest = _run_limits(lang)
    lowered = [word.group(0).lower() for word in words]
    starts = _first_words(lang)
    index = 0
    while index < len(words):
        if lowered[index] not in starts and lowered[index] not in repeats:
            index += 1  # no run starts here (``_read_run`` would read none)
            continue
        start, digits, index = index, *_read_run(text, words, lowered, index, table, repeats,
                                                 longest)
        if len(digits) >= MIN_DIGITS:
            yield text[words[start].start() : words[index - 1].end()], digits
        index = max(index, start + 1)


@cache
def _first_words(lang: str) -> frozenset[str]:
    """Return the words the language's number phrases begin with (``number_words``)."""
    return frozenset(phrase[0] for phrase in number_words(lang) if phrase)


def _read_run(
    text: str,
    words: list[re.Match[str]],
    lowered: list[str],
    index: int,
    table: dict[tuple[str, ...], str],
    repeats: dict[str, int],
    longest: int,
) -> tuple[str, int]:
    """Read number phrases from ``words[index]`` while only spaces, commas, hyphens part them.

    ``lowered``: each word of ``words`` in lower case.
    """
    digits = ""
    while index < len(words):
        if digits and not _adjacent(text, words[index - 1], words[index]):
            break
        times = repeats.get(lowered[index], 1)
        at = index + (times > 1 and index + 1 < len(words))
        phrase, size = _phrase(lowered, at, table, longest)
        if phrase is None:
            break
        digits += phrase * times
        index = at + size
    return digits, index


def _adjacent(text: str, before: re.Match[str], after: re.Match[str]) -> bool:
    return _GAP.fullmatch(text, before.end(), after.start()) is not None


def _phrase(
    lowered: list[str], at: int, table: dict[tuple[str, ...], str], longest: int
) -> tuple[str | None, int]:
    """Return the digits of the longest number phrase starting at ``lowered[at]``, and its
    size (``lowered``: the text's words in lower case)."""
    for size in range(min(longest, len(lowered) - at), 0, -1):
        key = tuple(lowered[at : at + size])
        if key in table:
            return table[key], size
    return None, 0


def with_digits(text: str, lang: str) -> str:
    """Return ``text`` with every long run of number words replaced by its digits."""
    for written, digits in sorted(spelled_numbers(text, lang), key=lambda m: -len(m[0])):
        text = text.replace(written, digits)
    return text


@cache
def ordinal_suffixes(lang: str) -> tuple[str, ...]:
    """Return what the language writes after a digit to make it ordinal ("st", "nd", "e" …).

    Read from CLDR's ``digits-ordinal`` rules: their plural forms (English
    ``one{st}two{nd}few{rd}other{th}``) and literal endings (Dutch ``e``).
    """
    engine = rbnf_engine(lang)
    if engine is None:
        return ()
    found: set[str] = set()
    for name, ruleset in engine.rulesets.items():
        if not name.startswith("digits-ordinal"):
            continue
        for rule in ruleset.numeric_rules.values():
            for part in rule.parts:
                found.update(_endings(part))
    return tuple(sorted((s for s in found if s.strip()), key=len, reverse=True))


def _endings(part: object) -> list[str]:
    if isinstance(part, PluralFormatPart):
        return [form for _, form in re.findall(r"(\w+)\{([^{}]*)\}", part.function_name)]
    if isinstance(part, TextRulePart):
        return [part.text]
    return []


YEARS = range(1990, 2100)
"""The years a leaflet's dates can be spelled out in (review dates, a few decades either way)."""


@cache
def spelled_days(lang: str) -> dict[str, int]:
    """Return every way CLDR spells the days 1 to 31 ("twenty-second", "twenty-two")."""
    return spelled(lang, range(1, 32), ("spellout-ordinal", "spellout-cardinal",
                                         "spellout-numbering"))


@cache
def spelled_years(lang: str) -> dict[str, int]:
    """Return every way CLDR spells the years of ``YEARS`` ("twenty twenty-five" …)."""
    return spelled(lang, YEARS, ("spellout-numbering-year", "spellout-cardinal",
                                  "spellout-numbering"))


def spelled(lang: str, numbers: range, kinds: tuple[str, ...]) -> dict[str, int]:
    """Return the spellings of ``numbers`` by the public rule sets whose names start so."""
    engine = rbnf_engine(lang)
    if engine is None:
        cardinal = any(kind.startswith(("spellout-cardinal", "spellout-numbering"))
                       for kind in kinds)
        draft = _draft(lang) if cardinal else {}
        return {word: n for n in numbers for word in draft.get(n, ())}
    names = [n for n, r in engine.rulesets.items() if not r.is_private and n.startswith(kinds)]
    found: dict[str, int] = {}
    for number in numbers:
        try:
            result = engine.format_number(number, ruleset_names=names)
        except (NoRuleForNumberError, RulesetNotFoundError, ValueError):
            continue
        for text in result.text_by_ruleset.values():
            found.setdefault(" ".join(_words(text.lower())), number)
    return found
