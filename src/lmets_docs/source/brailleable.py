"""Find the characters of a translation that its braille table cannot write (``validate``).

``build --format braille`` refuses a character liblouis's table for the language has no
six-dot braille for (``writers.braille.cells``), and braille is built only when asked for;
``validate`` names each one beforehand, with its ``file:line``, as a warning (a leaflet never
embossed is not wrong). Each ``<lang>.md`` of a language with a braille table is read as a
page prints it (``drawable.printed_text``), and each character outside ASCII is written
alone with the language's main table (``brf.translate``, which writes Arabic's decimal sign
as the braille decimal point). ASCII is the Markdown and the facts' placeholders; the values
of ``leaflet.yaml`` are not read. Without liblouis nothing is said (``build`` says why).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from lmets_docs import brf
from lmets_docs.errors import BuildError, Problem
from lmets_docs.source.drawable import MAX_REPORTED, printed_text
from lmets_docs.source.textfile import read_text

UNWRITTEN = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf"))
"""Spaces and marks the braille writer does not write as cells of their own."""


def unbrailled(folders: Iterable[Path]) -> list[Problem]:
    """Return a problem for each line and character of the leaflets' translations that
    ``build --format braille`` would refuse; none when liblouis is not installed."""
    try:
        brf.louis()
    except BuildError:
        return []
    problems: list[Problem] = []
    for folder in folders:
        for path in sorted(folder.glob("*.md")):
            tables = brf.tables_for(path.stem)
            if tables is not None and path.is_file() and not path.name.startswith("."):
                problems += _file_problems(path, tables.main)[:MAX_REPORTED]
    return problems


def _file_problems(path: Path, table: str) -> list[Problem]:
    text, _problems = read_text(path)
    if text is None:  # the loader reports why
        return []
    return [Problem(path, line, _message(char, table))
            for line, words in printed_text(text, markdown=True)
            for char in dict.fromkeys(words) if not _writes(char, table)]


@cache
def _writes(char: str, table: str) -> bool:
    """Say whether ``table`` writes ``char`` in six-dot cells (ASCII and spaces: yes)."""
    if char.isascii() or unicodedata.category(char) in UNWRITTEN:
        return True
    return brf.six_dot(brf.translate(char, table)[0])


def _message(char: str, table: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return (f"liblouis's table {table} has no braille for {char!r} (U+{ord(char):04X} "
            f"{name}): `build --format braille` refuses it; write it in words or leave it out")
