"""Find the characters of a leaflet's source that no font of the PDF can draw (``validate``).

``build`` refuses such a character when it fills the PDF's page (``writers.pdf.fonts.prove``),
which needs WeasyPrint; ``validate`` reads the same font stack (``fontstack``: the families'
``cmap`` tables through fontTools, fontconfig for the system's) and reports every one at
once, each with its ``file:line``, before anything is printed. What is read is what a page
prints: each text file's body, and the values (not the keys or comments) of
``leaflet.yaml`` and of each text file's front matter, found with PyYAML's scanner.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from lmets_docs import fontstack
from lmets_docs.errors import Problem
from lmets_docs.libraryfiles import LEAFLET_FILE
from lmets_docs.source.textfile import read_text

MAX_REPORTED = 50
"""The most characters reported per file (a pasted block of emoji is one mistake)."""
HINT = ("write it in words (a screen reader and the narration say words best) or leave it "
        "out: the PDF cannot print it, and `build` refuses it")


def undrawable(folders: Iterable[Path]) -> list[Problem]:
    """Return a problem for each line and character of the leaflets' sources (``leaflet.yaml``
    and every ``<lang>.md``) that no font of the PDF's stack draws."""
    drawn = fontstack.drawable()
    problems: list[Problem] = []
    for folder in folders:
        for path in sorted([folder / LEAFLET_FILE, *folder.glob("*.md")]):
            if path.is_file() and not path.name.startswith("."):
                problems += list(_file_problems(path, drawn))[:MAX_REPORTED]
    return problems


def _file_problems(path: Path, drawn: frozenset[int]) -> Iterator[Problem]:
    """Yield a problem for each character no font draws, once per line of ``path``."""
    text, _problems = read_text(path)
    if text is None:  # the loader reports why
        return
    for line, words in printed_text(text, path.suffix == ".md"):
        for char in dict.fromkeys(words):
            if fontstack.draws(char) and ord(char) not in drawn:
                yield Problem(path, line, _message(char))


def _message(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    missing = [name for name in fontstack.FALLBACKS if fontstack.family_faces(name) is None]
    where = f" (not installed: {', '.join(missing)})" if missing else ""
    return f"no font has a glyph for {char!r} (U+{ord(char):04X} {name}){where}; {HINT}"


def printed_text(text: str, markdown: bool) -> Iterator[tuple[int, str]]:
    """Yield (line, text) for what a page may print of a source file: a Markdown file's
    body line by line, and the values of its front matter or of a YAML file."""
    lines = text.split("\n")
    if not markdown:
        yield from _yaml_values(text, 0)
        return
    end = _front_matter_end(lines)
    if end:
        yield from _yaml_values("\n".join(lines[1:end]), 1)
    yield from ((number, line) for number, line in enumerate(lines[end:], start=end + 1))


def _front_matter_end(lines: list[str]) -> int:
    """Return the index of the line closing a front matter (``---`` … ``---``), else 0."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), 0)


def _yaml_values(text: str, offset: int) -> Iterator[tuple[int, str]]:
    """Yield (line, value) for each scalar of a YAML text, line by line; nothing for a text
    PyYAML cannot scan (the loader reports it)."""
    try:
        tokens = list(yaml.scan(text))
    except yaml.YAMLError:
        return
    for token in tokens:
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark, token.end_mark
            for number, line in enumerate(text[start.index:end.index].split("\n")):
                yield offset + start.line + number + 1, line
