"""Check what can only be checked per language: words in each language, a safe lexicon.

Words in ``leaflet.yaml`` (a contact's name or note, an hours note) are one text for every
language or one per language; a language with none of its own is refused rather than given
another language's words. The pronunciation lexicon changes only how words are said, so an
entry that could change a fact (a respelling with a number in it, or a word that occurs in
a fact's spoken form) is refused.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from lmets_docs.errors import Problem
from lmets_docs.facts import FactFormatter
from lmets_docs.hours import localized
from lmets_docs.scan_words import number_words
from lmets_docs.schema import Facts, LeafletData, Publisher
from lmets_docs.source.textfile import read_text
from lmets_docs.source.yamlsrc import Lines, line_of, parse_yaml


def _words(text: str) -> list[str]:
    return text.split()


NUMBER_WORDS = {
    # Number words CLDR's rules do not give on their own (``scan_words.number_words`` gives
    # the rest, in every language it knows): a respelling must never say a number.
    "en": frozenset(_words("hundred thousand million double triple treble nought")),
    "cy": frozenset(_words("deg ugain hugain cant mil")),
}
INVISIBLE = dict.fromkeys([0x00AD, 0x034F, 0x180E, *range(0x200B, 0x2010), 0x2060, 0xFEFF])
"""Characters a speech engine reads through: soft hyphen, zero-width (non-)joiners and spaces."""
_PART = re.compile(r"[^\W\d_]+")
"""A run of letters: hyphens, dashes, no-break hyphens, minus signs and dots part them."""


def language_problems(path: Path, data: LeafletData, lang: str) -> list[Problem]:
    """Return the problems of ``leaflet.yaml`` that only building ``lang`` would meet."""
    problems = missing_words(path, data.facts, lang, data.publisher)
    lines = _lines(path)
    if not problems:
        problems += [Problem(path, line_of(lines, loc), message)
                     for loc, message in _lexicon_in_facts(data, lang)]
    return problems


def lexicon_problems(path: Path, data: LeafletData) -> list[Problem]:
    """Return lexicon entries whose respelling holds digits or number words."""
    lines = _lines(path)
    problems = []
    for tag, entries in data.pronunciation.items():
        for word, respelling in entries.items():
            if says_number(respelling, tag):
                problems.append(Problem(path, line_of(lines, ("pronunciation", tag, word)), (
                    f"pronunciation.{tag}.{word}: the respelling {respelling!r} says a number; "
                    "a lexicon may change how a word sounds, never a number")))
    return problems


def says_number(respelling: str, tag: str) -> bool:
    """Say whether a respelling says a number: a digit, or number words however joined.

    Read as a speech engine would: compatibility forms folded (fullwidth digits and letters,
    superscripts), invisible characters dropped (a soft hyphen or a zero-width space inside
    "two"), any case. Inside a word joined by hyphens or dashes, "oh-two-oh" (two number
    words in a row) and "sev-en-teen" (the parts spell one) say a number; the one syllable
    in "ex-ten-sion" does not.
    """
    text = unicodedata.normalize("NFKC", respelling).translate(INVISIBLE).casefold()
    if re.search(r"\d", text):
        return True
    words = number_words_of(tag)
    return any(_token_says_number(_PART.findall(token), words) for token in text.split())


def _token_says_number(parts: list[str], words: frozenset[str]) -> bool:
    if "".join(parts) in words:
        return True
    return any(a in words and b in words for a, b in itertools.pairwise(parts))


@cache
def number_words_of(tag: str) -> frozenset[str]:
    """Return the language's number words: CLDR's (through its number rules) and ours."""
    try:
        phrases = number_words(tag)
    except ValueError:  # an unknown tag is reported elsewhere
        phrases = {}
    cldr = {phrase[0] for phrase in phrases if len(phrase) == 1}
    language = tag.split("-", maxsplit=1)[0].casefold()
    return frozenset(cldr | NUMBER_WORDS.get(language, frozenset()))


def _lines(path: Path) -> Lines:
    text, _problems = read_text(path)
    return parse_yaml(text, path)[1] if text is not None else {}


def missing_words(path: Path, facts: Facts, lang: str, publisher: Publisher) -> list[Problem]:
    """Return a problem for each name or note (the publisher's name too) given per language
    but not in ``lang``."""
    lines = _lines(path)
    return [Problem(path, line_of(lines, loc), message)
            for loc, message in _missing_words(facts, lang, publisher)]


def publisher_languages(path: Path, data: LeafletData, has: list[str]) -> list[Problem]:
    """Return a problem for each language the publisher's name is given in that the leaflet
    (with texts ``has``) has no text for: a slip such as ``cy-GB`` for ``cy`` is never printed.
    """
    if isinstance(data.publisher.name, str):
        return []
    bases = {lang.split("-", maxsplit=1)[0] for lang in has}
    lines = _lines(path)
    return [Problem(path, line_of(lines, ("publisher", "name", tag)),
                    f"publisher.name: '{tag}' is not a language of this leaflet (its texts: "
                    f"{', '.join(f'{lang}.md' for lang in sorted(has)) or 'none'}); give the "
                    "name for the leaflet's languages")
            for tag in data.publisher.name if tag not in has and tag not in bases]


def _missing_words(facts: Facts, lang: str, publisher: Publisher
                   ) -> Iterator[tuple[tuple[str, ...], str]]:
    if localized(publisher.name, lang) is None:
        yield ("publisher", "name"), (
            f"publisher.name: no {lang} text; give one text for every language or add "
            f"'{lang}: ...' to its languages")
    for contact_id, contact in facts.contacts.items():
        where = ("facts", "contacts", contact_id)
        fields = [("name", contact.name), ("note", contact.note)]
        fields += [("hours.note", contact.hours.note)] if contact.hours else []
        for field, value in fields:
            if value is not None and localized(value, lang) is None:
                loc = (*where, *field.split("."))
                yield loc, (
                    f"{'.'.join(loc)}: no {lang} text; give one text for every language or "
                    f"add '{lang}: ...' to its languages")


def _lexicon_in_facts(data: LeafletData, lang: str) -> Iterator[tuple[tuple[str, ...], str]]:
    tag = lang if lang in data.pronunciation else lang.split("-", maxsplit=1)[0]
    lexicon = data.pronunciation.get(tag, {})
    if not lexicon:
        return
    facts = FactFormatter(data.facts, data.publisher, lang)
    for word in lexicon:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        for value in facts.values.values():
            if pattern.search(value.spoken):
                yield ("pronunciation", tag, word), (
                    f"pronunciation.{tag}.{word}: the word is part of the fact {value.name} "
                    f"({value.spoken!r}); a lexicon must never change how a fact is said")
                break
