"""Prove that each translated unit says the same numbers as the source unit it was made from.

A fever threshold typed 38.5 for 37.5, or a dose of 80 mg for 8 mg, is the worst thing a
translation can get wrong, and no fact check sees it: only contacts, hours and dates are
facts. So every unit of a translation (title, heading, paragraph, list item, picture
description, glossary definition) is read for its numbers as values (``source.numbers``: any
script's digits, the language's separators), facts left out (they are proved elsewhere), and
compared with its source unit's, in any order. Small numbers in words (2 to 20 and the tens,
``source.wordnumbers``: CLDR's spell-out rules, Welsh mutations, Urdu's draft words) count
like digits on both sides when both languages' words can be read, so "two" → "tri" is "not
in the source 3"; an Arabic dual ("قرصين") stands for a missing 2. Other word numbers (0,
1, hundreds) only cancel a digit the other side writes.

Any other difference is an error of that language (``validate``, ``build``, and each import
before it writes anything), unless the translation's front matter accepts it: under
``numbers_accepted``, by unit, the fingerprint of the source text it was made for and the
difference itself. The acceptance lapses when either changes, and is listed in the manifest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from lmets_docs.model import AcceptedDifference
from lmets_docs.scan_words import number_words
from lmets_docs.schema import AcceptedNumbers
from lmets_docs.source.numbers import Number, numbers_in, shown
from lmets_docs.source.wordnumbers import COUNTED, duals, reads, words_said

FACT = re.compile(r"\{\{[^{}]*\}\}")
"""A fact in a unit's text: proved by ``check`` in every format, so never counted here."""
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class UnitPair:
    """A translated unit and the source unit it was made from."""

    key: str
    """The unit's id as the translation's front matter names it (``intro.1``, ``title``)."""
    place: str
    """Where it is, for a reader: ``section 'Diet' paragraph 2``."""
    line: int
    """Its line in the translation (0 if unknown)."""
    source: str
    source_where: str
    """The source unit's ``file:line``."""
    fingerprint: str
    """The fingerprint of the source unit's text (``stale.fingerprint``)."""
    translation: str


@dataclass(frozen=True)
class Difference:
    """What a translated unit's numbers lack and add, compared with its source's."""

    source: tuple[Number, ...]
    translation: tuple[Number, ...]
    missing: tuple[str, ...]
    added: tuple[str, ...]

    def __bool__(self) -> bool:
        """Say whether there is any difference."""
        return bool(self.missing or self.added)


@dataclass(frozen=True)
class Outcome:
    """The units whose numbers differ (errors), the accepted ones, and warnings."""

    refused: tuple[tuple[UnitPair, Difference, str], ...]
    """Each unit with a difference no acceptance covers, and why an acceptance did not."""
    accepted: tuple[AcceptedDifference, ...]
    warnings: tuple[tuple[UnitPair, str], ...]


def difference(source: str, source_lang: str, translation: str, lang: str) -> Difference:
    """Return how the numbers of ``translation`` differ from those of ``source``."""
    theirs = list(numbers_in(FACT.sub(" ", source), source_lang))
    ours = list(numbers_in(FACT.sub(" ", translation), lang))
    counted = reads(source_lang) and reads(lang)
    in_words = _in_words(FACT.sub(" ", source), source_lang) if counted else []
    our_words = _in_words(FACT.sub(" ", translation), lang) if counted else []
    theirs += in_words  # word numbers count on both sides, shown beside the digits
    ours += our_words
    want, got = Counter(n.value for n in theirs), Counter(n.value for n in ours)
    missing, added = want - got, got - want
    missing -= spelled(translation, lang, missing, skip=COUNTED if counted else frozenset())
    added -= spelled(source, source_lang, added, skip=COUNTED if counted else frozenset())
    if missing[Fraction(2)] and duals(translation, lang):  # "قرصين": two tablets
        missing[Fraction(2)] -= min(missing[Fraction(2)], duals(translation, lang))
        missing = +missing
    if not added & Counter(n.value for n in our_words):
        # a source word said in a way not read here ("twice" as "dwy waith") is no error
        # unless the translation says another number in words ("two" as "tri")
        missing -= Counter(n.value for n in in_words)
    return Difference(tuple(theirs), tuple(ours), _shown(missing), _shown(added))


def _in_words(text: str, lang: str) -> list[Number]:
    return [Number(written, Fraction(value)) for written, value in words_said(text, lang)
            if value in COUNTED]


def _shown(values: Counter[Any]) -> tuple[str, ...]:
    return tuple(sorted((shown(v) for v in values.elements()), key=_order))


def _order(text: str) -> tuple[float, str]:
    try:
        return float(text.split("/", maxsplit=1)[0]), text
    except ValueError:
        return 0.0, text


def spelled(text: str, lang: str, wanted: Counter[Any],
            skip: frozenset[int] = frozenset()) -> Counter[Any]:
    """Return which of the ``wanted`` whole numbers ``text`` writes in words (CLDR's).

    Words for the values in ``skip`` are left out: they were counted already.
    """
    if not wanted:
        return Counter()
    try:
        table = number_words(lang)
    except ValueError:  # a language babel does not know: reported by the loader
        return Counter()
    said = Counter(int(value) for value in _phrases(_WORD.findall(text.casefold()), table))
    return Counter({v: min(n, said[int(v)]) for v, n in wanted.items()
                    if v.denominator == 1 and int(v) not in skip and said[int(v)]})


def _phrases(words: list[str], table: Mapping[tuple[str, ...], str]) -> Iterator[str]:
    """Yield the value of each longest number phrase in ``words``."""
    longest = max((len(p) for p in table), default=0)
    at = 0
    while at < len(words):
        size = next((n for n in range(min(longest, len(words) - at), 0, -1)
                     if tuple(words[at:at + n]) in table), 0)
        if size:
            yield table[tuple(words[at:at + size])]
        at += size or 1


def compare(pairs: Iterable[UnitPair], source_lang: str, lang: str,
            accepted: Mapping[str, AcceptedNumbers]) -> Outcome:
    """Compare every pair's numbers; apply the acceptances (by unit key) that still hold."""
    refused: list[tuple[UnitPair, Difference, str]] = []
    taken: list[AcceptedDifference] = []
    warnings: list[tuple[UnitPair, str]] = []
    for pair in pairs:
        found = difference(pair.source, source_lang, pair.translation, lang)
        accept = accepted.get(pair.key)
        why = lapsed(accept, pair, found)
        if found and why is None and accept is not None:
            taken.append(AcceptedDifference(pair.key, pair.place, _values(found.source),
                                            _values(found.translation), accept.reason))
        elif found:
            refused.append((pair, found, why or ""))
        elif accept is not None:
            warnings.append((pair, "the numbers now agree with the source; remove its entry "
                                   "under numbers_accepted"))
    return Outcome(tuple(refused), tuple(taken), tuple(warnings))


def _values(numbers: tuple[Number, ...]) -> tuple[str, ...]:
    return tuple(n.shown for n in numbers)


def lapsed(accept: AcceptedNumbers | None, pair: UnitPair, found: Difference) -> str | None:
    """Return why an acceptance does not cover a difference (None if it does, or is none)."""
    if accept is None:
        return None
    if accept.source_unit != pair.fingerprint:
        return ("its entry under numbers_accepted was made for another source text "
                f"({accept.source_unit}, now {pair.fingerprint}) and has lapsed")
    if sorted(accept.missing, key=_order) != list(found.missing) or sorted(
            accept.added, key=_order) != list(found.added):
        return ("its entry under numbers_accepted accepts another difference (missing "
                f"{_listed(accept.missing)}, added {_listed(accept.added)})")
    return None


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values) or "none"


def message(pair: UnitPair, found: Difference, source_lang: str, lang: str, why: str) -> str:
    """Return the error for a unit whose numbers differ from its source's."""
    said = (f"{pair.place} ({pair.key}) does not say the numbers of its {source_lang} source "
            f"({pair.source_where}): {source_lang} {_listed(_values(found.source))}; {lang} "
            f"{_listed(_values(found.translation))}")
    what = "; ".join(part for part in (
        f"missing {_listed(found.missing)}" if found.missing else "",
        f"not in the source {_listed(found.added)}" if found.added else "") if part)
    because = f" ({why})" if why else ""
    return (f"{said} ({what}){because}. Correct the translation: a wrong dose or threshold "
            "must never reach a patient. If the difference is meant (a number written in "
            f"words, a repeated one left out), accept it: {acceptance_yaml(pair, found)}")


def acceptance_yaml(pair: UnitPair, found: Difference) -> str:
    """Return the front matter entry (flow YAML) that accepts this difference."""
    missing = ", ".join(f'"{v}"' for v in found.missing)
    added = ", ".join(f'"{v}"' for v in found.added)
    return (f"numbers_accepted: {{{pair.key}: {{source_unit: \"{pair.fingerprint}\", "
            f"missing: [{missing}], added: [{added}], reason: ...}}}}")


def entry(pair: UnitPair, found: Difference, reason: str) -> dict[str, Any]:
    """Return the front matter entry that accepts a difference (for an import)."""
    return {"source_unit": pair.fingerprint, "missing": list(found.missing),
            "added": list(found.added), "reason": reason}


def accepted_in(front: Mapping[str, Any]) -> dict[str, AcceptedNumbers]:
    """Return the acceptances of a language file's front matter (bad entries left out)."""
    given = front.get("numbers_accepted")
    if not isinstance(given, dict):
        return {}
    found = {}
    for key, value in given.items():
        try:
            found[str(key)] = AcceptedNumbers.model_validate(value)
        except ValueError:  # said by the loader, at its line
            continue
    return found


def where(path: Path, line: int) -> str:
    """Return ``file:line`` (the file alone if the line is not known)."""
    return f"{path}:{line}" if line else str(path)
