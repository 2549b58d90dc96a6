"""Scan the words of the YAML files that a leaflet prints and says for typed facts.

A contact's ``note`` (and its hours' ``note``), in ``leaflet.yaml`` or in the library's
``contacts.yaml``, is printed in every format and read aloud, as the body's text is; a
glossary definition (a language file's front matter) too. A phone number, email address,
opening hours or date typed there would reach the patient unproved: ``check`` reads the
contact boxes as facts, and a stale helpline in a note is just what a search-and-replace
misses. So each is scanned as a block of the body is (``typed.problems``, ``hour_warnings``),
and what it finds is said at the line of the YAML that holds the words, in the words' name.
A note holds no placeholders (``{{ … }}`` stays as typed), so it gives no fact: the text does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from lmets_docs.errors import Problem
from lmets_docs.hours import Localized, localized
from lmets_docs.invisible import visible
from lmets_docs.libraryfiles import LEAFLET_FILE, contacts_files
from lmets_docs.schema import LeafletData
from lmets_docs.source.textfile import read_text
from lmets_docs.source.typed import Facts, scan_block
from lmets_docs.source.yamlsrc import Lines, line_of, parse_yaml


@dataclasses.dataclass(frozen=True)
class Words:
    """Words of a YAML file that the leaflet prints: where they are, and what they are."""

    path: Path
    line: int
    name: str
    """How a message names them: ``facts.contacts.helpline.note.cy``, or
    ``contacts.hope_line.note`` in ``contacts.yaml``."""
    text: str
    raw_lines: list[str]
    """The file's lines, for the scan's reading of markup as typed."""


@dataclasses.dataclass
class Found:
    """What the scan of a leaflet's YAML words found."""

    problems: list[Problem] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)


def note_findings(folder: Path, data: LeafletData, yaml_text: str, lang: str,
                  facts: Facts) -> Found:
    """Scan each contact's note (and hours note) in ``lang`` for typed facts; ``yaml_text`` is
    ``leaflet.yaml`` as the loader read it (its lines, not the file's now: a watch's author
    may have saved since)."""
    found = Found()
    for words in contact_notes(folder, data, yaml_text, lang):
        scan(words, words.name, "note", facts, found)
    return found


def scan(words: Words, label: str, noun: str, facts: Facts, found: Found) -> None:
    """Scan one text as a block of the body; record what it finds at its own line."""
    problems, warnings = scan_block(words.path, [(visible(words.text), words.line)],
                                    words.raw_lines, facts, partial(in_words, label, noun))
    found.problems += problems
    found.warnings += warnings


def in_words(label: str, noun: str, message: str) -> str:
    """Say a problem of the body's text found in words that hold no facts (a note, a
    definition): where it is, and that the fact belongs in the text."""
    said = message.replace("typed in the text", f"typed in the {noun}").replace(
        "written here as", "written in the leaflet's text as")
    return (f"{label}: {said} (a {noun} holds no facts, nor a {{{{ … }}}}: delete it from the "
            f"{noun}; the text or a contact of its own gives it)")


def contact_notes(folder: Path, data: LeafletData, yaml_text: str,
                  lang: str) -> Iterator[Words]:
    """Yield each contact's note and hours note in ``lang``, with the file and line that
    hold it: ``leaflet.yaml`` (``yaml_text``), or the ``contacts.yaml`` of a contact the
    leaflet names."""
    notes = [(key, field, value) for key, contact in data.facts.contacts.items()
             for field, value in (
                 (("note",), contact.note),
                 (("hours", "note"), contact.hours.note if contact.hours else None))
             if value is not None and localized(value, lang)]
    if not notes:
        return
    own = _parsed(folder / LEAFLET_FILE, yaml_text)
    for key, field, value in notes:
        path, lines, raw_lines, at = _source(folder, own, key)
        loc = [*at, *field, *_language_key(value, lang)]
        line = line_of(lines, loc) or line_of(lines, [*at, *field]) or line_of(lines, at) or 1
        yield Words(path, line, ".".join(loc), str(localized(value, lang)), raw_lines)


Parsed = tuple[Any, Lines, list[str]]
"""A YAML file as read: its data, the line of each key, and its lines of text."""


def _parsed(path: Path, text: str | None = None) -> Parsed:
    """Parse a YAML file: ``text``, or the file as read now."""
    if text is None:
        text, _problems = read_text(path)
    if text is None:
        return None, {}, []
    raw, lines, _problems = parse_yaml(text, path)
    return raw, lines, text.splitlines()


def _source(folder: Path, own: Parsed, key: str) -> tuple[Path, Lines, list[str], list[str]]:
    """Return the file that writes out a contact, its lines, and the contact's place in it."""
    raw, lines, raw_lines = own
    # As parsed, not as validated (a stand-in's may be of any shape): never a traceback.
    facts = raw.get("facts") if isinstance(raw, dict) else None
    contacts = facts.get("contacts") if isinstance(facts, dict) else None
    named = contacts.get(key) if isinstance(contacts, dict) else None
    if isinstance(named, str):  # a shared contact: the nearest contacts.yaml that has it
        for path in contacts_files(folder):
            shared, shared_lines, shared_raw = _parsed(path)
            given = shared.get("contacts") if isinstance(shared, dict) else None
            if isinstance(given, dict) and named in given:
                return path, shared_lines, shared_raw, ["contacts", named]
    return folder / LEAFLET_FILE, lines, raw_lines, ["facts", "contacts", key]


def _language_key(value: Localized, lang: str) -> list[str]:
    """Return the key of ``value`` that gives its words in ``lang`` (none for one text)."""
    if isinstance(value, str):
        return []
    return [lang] if value.get(lang) else [lang.split("-", maxsplit=1)[0]]
