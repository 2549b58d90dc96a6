"""Match the glossary terms used in a language file with the definitions in its front matter.

Definitions are text in the leaflet's language, so they live in that language's file (front
matter ``glossary:``), are written and reviewed with its translation, and differ per language.
A term used but not defined, or defined but not used, is a warning (the leaflet still builds;
the term is shown without an explanation). A definition is plain text and, like the body,
may not carry a phone number, an email address, opening hours or a date typed in: those are
facts (the loader scans each definition as a block of the body: ``loader._scan_front``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import Problem
from lmets_docs.model import GlossaryEntry, GlossaryTerm, glossary_key
from lmets_docs.source.yamlsrc import Lines, line_of

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Characters XML (so a DOCX) cannot hold, or that print as nothing."""


@dataclass
class Glossary:
    """The entries of one language file, and what matching them with the text found."""

    entries: dict[str, GlossaryEntry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Where:
    """The language file, its front matter's lines, and what a definition is checked against."""

    path: Path
    lines: Lines
    region: str
    lang: str

    def line(self, term: str | None = None) -> int | None:
        """Return the line of a glossary key (or of ``glossary:`` itself)."""
        return line_of(self.lines, ["glossary", term] if term else ["glossary"])

    def at(self, line: int | None, message: str) -> str:
        """Return a warning's text: ``file:line: message``."""
        return str(Problem(self.path, line, message))


def match_glossary(
    definitions: Mapping[str, str], used: list[tuple[GlossaryTerm, int]], where: Where
) -> Glossary:
    """Return the entries of the terms the text uses, with warnings and problems."""
    found = Glossary()
    defined = _defined(definitions, where, found)
    warned: set[str] = set()
    for term, line in used:
        if term.key in defined and term.key not in found.entries:
            written, text = defined[term.key]
            found.entries[term.key] = GlossaryEntry(written, text, "")
        elif term.key not in defined and term.key not in warned:
            warned.add(term.key)  # one warning per term, at its first use
            found.warnings.append(where.at(line, _undefined(term)))
    for key, (written, _text) in defined.items():
        if key not in found.entries:
            found.warnings.append(where.at(where.line(written), (
                f"glossary: '{written}' is defined but the text never uses it; mark it "
                f"where it is used, [{written}](glossary:), or delete the definition")))
    found.entries = _ordered(found.entries)
    return found


def _defined(
    definitions: Mapping[str, str], where: Where, found: Glossary
) -> dict[str, tuple[str, str]]:
    defined: dict[str, tuple[str, str]] = {}
    for written, text in definitions.items():
        key, line = glossary_key(written), where.line(written)
        if key in defined:
            found.problems.append(Problem(where.path, line, (
                f"glossary: '{written}' is defined twice (as '{defined[key][0]}' too)")))
            continue
        if CONTROL.search(written + text):
            found.problems.append(Problem(where.path, line, (
                f"glossary: the entry '{written}' has a control character (it could not be "
                "printed or saved in a DOCX); delete it")))
        defined[key] = (written, text)
    return defined


def _undefined(term: GlossaryTerm) -> str:
    name = term.term or term.text
    return (f"glossary term '{name}' has no definition; add it to the front matter: "
            f"glossary: {{{name}: \"...\"}}")


def _ordered(entries: dict[str, GlossaryEntry]) -> dict[str, GlossaryEntry]:
    """Return the entries in alphabetical order (case folded), each with its anchor."""
    ordered = sorted(entries.items(), key=lambda item: (item[0], item[1].term))
    return {key: GlossaryEntry(entry.term, entry.definition, f"glossary-{number}")
            for number, (key, entry) in enumerate(ordered, start=1)}
