"""Check what can only be checked per language: words in each language, a safe lexicon.

Words in ``leaflet.yaml`` (a contact's name or note, an hours note) are one text for every
language or one per language; a language with none of its own is refused rather than given
another language's words. The pronunciation lexicon changes only how words are said, so an
entry that could change a fact (a respelling with a number in it, or a word that occurs in
a fact's spoken form) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lmets_docs.errors import Problem
from lmets_docs.facts import FactFormatter, localized
from lmets_docs.schema import LeafletData
from lmets_docs.source.textfile import read_text
from lmets_docs.source.yamlsrc import Lines, line_of, parse_yaml


def _words(text: str) -> list[str]:
    return text.split()


NUMBER_WORDS = {
    # Number words, per language: a respelling must never say a number. Syllables inside a
    # hyphenated respelling ("ex-ten-sion") are not words.
    "en": frozenset(_words(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
        "sixty seventy eighty ninety hundred thousand double treble")),
    "cy": frozenset(_words(
        "dim un dau dwy tri tair pedwar pedair pump chwech saith wyth naw deg ugain cant mil")),
}


def language_problems(path: Path, data: LeafletData, lang: str) -> list[Problem]:
    """Return the problems of ``leaflet.yaml`` that only building ``lang`` would meet."""
    lines = _lines(path)
    problems = [Problem(path, line_of(lines, loc), message)
                for loc, message in _missing_words(data, lang)]
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
            words = NUMBER_WORDS.get(tag.split("-", maxsplit=1)[0], frozenset())
            numbers = [w for w in respelling.lower().split() if w.strip(".,;:!?") in words]
            if re.search(r"\d", respelling) or numbers:
                problems.append(Problem(path, line_of(lines, ("pronunciation", tag, word)), (
                    f"pronunciation.{tag}.{word}: the respelling {respelling!r} says a number; "
                    "a lexicon may change how a word sounds, never a number")))
    return problems


def _lines(path: Path) -> Lines:
    text, _problems = read_text(path)
    return parse_yaml(text, path)[1] if text is not None else {}


def _missing_words(data: LeafletData, lang: str) -> Iterator[tuple[tuple[str, ...], str]]:
    for contact_id, contact in data.facts.contacts.items():
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
