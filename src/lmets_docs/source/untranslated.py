"""Warn when a translation would print and say words of ``leaflet.yaml`` in the source's language.

A contact's name and note, and an hours note, are one text for every language or one per
language (``{en-GB: ..., cy: ...}``). Given as one text, they are written in the language the
leaflet was written in, and a translation prints them, and its voice reads them, as they are:
a Welsh leaflet with "Call at once if your temperature is 37.5°C or higher." in English. The
translator cannot help (they are locked facts in the DOCX, protected placeholders in the
XLIFF), so each such text is said, with its line in ``leaflet.yaml``, for each language file
translated from another language (its front matter's ``translated_from``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lmets_docs.libraryfiles import LEAFLET_FILE
from lmets_docs.schema import LeafletData
from lmets_docs.source.textfile import read_text
from lmets_docs.source.yamlsrc import line_of, parse_yaml

SHOWN = 60
"""Characters of the text quoted in the warning."""


def untranslated_warnings(
    path: Path, data: LeafletData, lang: str, source: str | None
) -> list[str]:
    """Return a warning for each one-text word of ``leaflet.yaml`` (at ``path``) that the
    ``lang`` leaflet, translated from ``source``, would give in the source's language."""
    if not source or source == lang:
        return []
    text, _problems = read_text(path)
    lines = parse_yaml(text, path)[1] if text is not None else {}
    return [f"{path}:{line_of(lines, loc) or 1}: {_words(loc, words, lang, source)}"
            for loc, words in one_text_words(data)]


def words_outside(folder: Path, source: str, lang: str) -> list[str]:
    """Return the warnings for the one-text words of a leaflet folder that a translation from
    ``source`` into ``lang`` would keep (for ``export-xliff``: they are not in the file)."""
    from lmets_docs.source.loader import load_data  # noqa: PLC0415 (a cycle)

    data, _problems = load_data(folder)
    if data is None:  # the export has refused a wrong leaflet.yaml already
        return []
    path = folder / LEAFLET_FILE
    return [*untranslated_warnings(path, data, lang, source), *missing_in(path, data, lang)]


def missing_in(path: Path, data: LeafletData, lang: str) -> list[str]:
    """Return a warning for each word given per language but not in ``lang`` (a name given
    for en-GB and ar, exported for ur): without it the translation cannot be imported."""
    from lmets_docs.source.factcheck import missing_words  # noqa: PLC0415 (a cycle)

    return [f"{problem}; the {lang} translation cannot be imported or built until it has "
            f"one (it is not in the file for translators: ask the translator for it)"
            for problem in missing_words(path, data.facts, lang, data.publisher)]


def one_text_words(data: LeafletData) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield the location and text of each word of the facts given as one text for all."""
    for contact_id, contact in data.facts.contacts.items():
        where = ("facts", "contacts", contact_id)
        fields: list[tuple[str, ...]] = [("name",), ("note",)]
        values = [contact.name, contact.note]
        if contact.hours:
            fields.append(("hours", "note"))
            values.append(contact.hours.note)
        for field, value in zip(fields, values, strict=True):
            if isinstance(value, str):
                yield (*where, *field), value


def _words(loc: tuple[str, ...], words: str, lang: str, source: str) -> str:
    shown = words if len(words) <= SHOWN else words[: SHOWN - 1] + "…"
    key = loc[-1]
    return (f"{'.'.join(loc[1:])} is one text for every language, so the {lang} leaflet prints "
            f"and reads it in {source}: {shown!r}. Give it per language: "
            f"{key}: {{{source}: ..., {lang}: ...}} (the translator cannot change it in the "
            f"DOCX or XLIFF; if it is the same in {lang}, write it for both)")
