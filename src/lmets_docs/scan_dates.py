"""Find dates written with month names, in any CLDR pattern of the language and in any order.

Everything comes from CLDR: month names wide and abbreviated, in the format and stand-alone
forms, and the words and signs that the language's date patterns put between the fields
(Spanish "de", Japanese "年", Urdu "،") through babel; the endings of ordinal days ("22nd",
French "1er") from CLDR's number rules (``scan_words.ordinal_suffixes``). A date is found in
the three orders people write (day month year, month day year, year month day), so "Nov 22,
2025" is found in a British leaflet as well as "22 Nov 2025". English's "the 22nd of
November" needs "of", which no CLDR pattern has: ``CONNECTORS`` adds it.

Making a language's patterns takes CLDR's spelled numbers (every year and day in words),
which costs more than the check of a leaflet that uses them: the patterns' text is kept once
per user (``usercache``: ``dates``), under a key made of everything it is made from (the
language, babel's and unicode-rbnf's versions, and this code), and only compiled in each
process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import babel
import unicode_rbnf
from babel import Locale
from babel.dates import get_month_names

from lmets_docs import i18n, scan_words, usercache
from lmets_docs.i18n import babel_locale
from lmets_docs.scan_words import ordinal_suffixes, spelled_days, spelled_years

CONNECTORS: dict[str, tuple[str, ...]] = {"en": ("of", "the")}
"""Words that join a date's fields in speech but in no CLDR pattern, by language."""
_FIELD = re.compile(r"([A-Za-z])\1*")
_QUOTED = re.compile(r"'([^']+)'")
_SIGNS = r"[\s,./\-\u060c\u200f\u200e]"
ORDERS = ("dmy", "mdy", "ymd")


def month_dates(text: str, lang: str) -> Iterator[tuple[str, dt.date | None]]:
    """Yield each date written with a month name in ``text``, and the date (None if impossible)."""
    if not _any_month(lang).search(text):  # no date without a month name: nothing to build
        return
    taken: list[tuple[int, int]] = []
    for pattern in _patterns(lang):
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            try:
                day = _date(lang, match)
            except LookupError:  # number words that spell no day or year: not a date
                continue
            taken.append(span)
            yield match.group(0), day


def _date(lang: str, match: re.Match[str]) -> dt.date | None:
    """Return the date a match says (None if impossible); LookupError if its words say none."""
    month = _month_numbers(lang)[match.group("m").lower().rstrip(".")]
    fields = match.groupdict()  # a language without number words has no "dw" nor "yw"
    day = int(fields["d"]) if fields["d"] else _spelled(spelled_days(lang), fields["dw"])
    if fields.get("yw"):
        year = _spelled(spelled_years(lang), fields["yw"])
    else:
        digits = match.group("y").lstrip("\u2019'")
        year = int(digits) + (2000 if len(digits) == 2 else 0)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _spelled(table: dict[str, int], written: str) -> int:
    """Return the number a run of number words spells: the longest leading run in ``table``."""
    words = re.findall(r"[^\W\d_]+", written.lower())
    for size in range(len(words), 0, -1):
        if " ".join(words[:size]) in table:
            return table[" ".join(words[:size])]
    raise LookupError(written)


def prepare(lang: str) -> None:
    """Build the language's patterns now (a process that forks builds: ``watch``).

    They are made from CLDR's data alone, which a running process never sees change.
    """
    _any_month(lang)
    _patterns(lang)


@cache
def _any_month(lang: str) -> re.Pattern[str]:
    """Return a pattern for the month names alone: cheap to build, unlike ``_patterns``.

    Most texts (a leaflet's paragraphs) hold no date, and every date holds a month name, so a
    text without one is not given to the patterns, which then need not be built at all.
    """
    return re.compile(_month(lang), re.IGNORECASE)


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """Return one pattern per order of the fields, built from the language's CLDR data."""
    return tuple(re.compile(source, re.IGNORECASE) for source in _kept_sources(lang))


def _kept_sources(lang: str) -> list[str]:
    """Return the patterns' text from the user's cache, or make it and keep it there."""
    base = usercache.folder("dates")
    path = None if base is None else base / f"{_key(lang)}.json"
    payload = None if path is None else usercache.read(path)
    with contextlib.suppress(ValueError):  # (also not JSON: made again)
        if payload is not None and _texts(kept := json.loads(payload)):
            return list(kept)
    sources = _sources(lang)
    if path is not None:
        usercache.keep(path, json.dumps(sources).encode())
    return sources


def _texts(kept: object) -> bool:
    return isinstance(kept, list) and len(kept) == len(ORDERS) and all(
        isinstance(text, str) for text in kept)


def _key(lang: str) -> str:
    """Return what the patterns' text is made from, hashed: the language, the versions of
    CLDR's data (babel, unicode-rbnf), and the code that reads it."""
    digest = hashlib.sha256(f"{lang}\0{babel.__version__}\0{unicode_rbnf.__version__}".encode())
    for module in (__file__, scan_words.__file__, i18n.__file__):
        digest.update(b"\0" + Path(module).read_bytes())
    return digest.hexdigest()


def _sources(lang: str) -> list[str]:
    """Return the text of one pattern per order of the fields, from the language's CLDR data."""
    day, month = _day(lang), _month(lang)
    year = r"(?:(?P<y>\d{4}|[\u2019']\d{2})(?!\d)" + _words_field("yw", spelled_years(lang)) + ")"
    gap = _gap(lang)
    fields = {"d": day, "m": month, "y": year}
    return [gap.join(fields[f] for f in order) for order in ORDERS]


def _day(lang: str) -> str:
    endings = "|".join(re.escape(s) for s in ordinal_suffixes(lang))
    suffix = f"(?:{endings})?" if endings else ""
    digits = rf"(?<!\d)(?P<d>\d{{1,2}}){suffix}\.?(?!\d)"
    return f"(?:{digits}{_words_field('dw', spelled_days(lang))})"


def _words_field(group: str, spellings: dict[str, int]) -> str:
    """Return "|(?P<group>…)": a run of up to six of the words the spellings use, parted by
    spaces or hyphens ("" when the language has none). The run is read by ``_spelled``; one
    pattern of words instead of every spelling keeps the pattern small to compile."""
    words = sorted({w for phrase in spellings for w in phrase.split()}, key=len, reverse=True)
    if not words:
        return ""
    word = r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)"
    return rf"|(?P<{group}>{word}(?:[\s\-]+{word}){{0,5}})"


def _month(lang: str) -> str:
    names = sorted(_month_numbers(lang), key=len, reverse=True)
    return r"(?P<m>" + "|".join(re.escape(n) for n in names) + r")(?![^\W\d_])\.?"


def _gap(lang: str) -> str:
    """Return what may stand between two fields: spaces, signs and the patterns' words."""
    words = sorted(_literals(babel_locale(lang)), key=len, reverse=True)
    extra = CONNECTORS.get(babel_locale(lang).language, ())
    alternatives = "|".join(
        [*(re.escape(w) for w in words), *(rf"\b{re.escape(w)}\b" for w in extra)]
    )
    return rf"(?:{_SIGNS}|{alternatives})*" if alternatives else rf"{_SIGNS}*"


@cache
def _month_numbers(lang: str) -> dict[str, int]:
    """Return every month name of the language (lower case, no final dot) and its number."""
    locale = babel_locale(lang)
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale).items():
                names.setdefault(str(name).lower().rstrip("."), int(number))
    return names


def _literals(locale: Locale) -> set[str]:
    """Return the literal words and signs in the locale's date patterns ("de", "年")."""
    patterns = [str(locale.date_formats[w].pattern) for w in ("short", "medium", "long", "full")]
    patterns += [
        str(getattr(p, "pattern", p))
        for skeleton, p in locale.datetime_skeletons.items()
        if {"y", "M", "d"} <= set(skeleton) <= set("yMdEGL")
    ]
    found: set[str] = set()
    for pattern in patterns:
        found.update(w.strip() for w in _QUOTED.findall(pattern) if w.strip())
        bare = _FIELD.sub(" ", _QUOTED.sub(" ", pattern))
        found.update(piece for piece in re.split(_SIGNS + "+", bare) if piece)
    return found
