"""Read a source text file, turning every way it can be unreadable into a ``Problem``.

Besides encoding and size, two things are refused with their line: control characters
(NUL, ESC, form feed, DEL …: invisible, not allowed in the DOCX's XML, and read aloud as
nothing) and lines so long that no author wrote them (checked before any parsing, so the
cost of what follows stays linear).
"""

from __future__ import annotations

import re
from pathlib import Path

from lmets_docs.errors import Problem, UnsafeFileError
from lmets_docs.source.files import read_file

MAX_SOURCE_BYTES = 1_000_000
MAX_LINE_CHARS = 10_000
"""About 1,500 words: a whole paragraph on one line fits; a generated flood does not."""
MAX_REPORTED = 10
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Characters no leaflet text may hold: C0 and C1 controls but tab and line ends, DEL, and
the two non-characters XML refuses."""
NAMES = {"\x00": "NUL", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
         "\x1b": "ESC", "\x7f": "DEL"}


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Return the file's text, or None with the problems that stopped it being read."""
    text, _raw, problems = read_source(path)
    return text, problems


def read_source(path: Path) -> tuple[str | None, bytes, list[Problem]]:
    """Return the file's text (or None) and problems as ``read_text`` does, and the bytes
    they were read from (empty if none): what the source's hash is taken of, so that a
    file saved again meanwhile is not hashed as it is now but as it was read."""
    try:
        raw = read_file(path, MAX_SOURCE_BYTES)
    except UnsafeFileError as exc:
        return None, b"", [Problem(path, None, str(exc))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, raw, [
            Problem(
                path,
                line,
                f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            )
        ]
    if not text.strip():
        return None, raw, [Problem(path, None, "file is empty")]
    problems = line_problems(text, path)
    return (None if problems else text), raw, problems


def line_problems(text: str, path: Path) -> list[Problem]:
    """Return a problem for each line with a control character or too many characters."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            problems.append(Problem(path, number, f"line is too long ({len(line)} characters; "
                                    f"at most {MAX_LINE_CHARS}): break it into lines"))
        elif (found := CONTROL.search(line.removesuffix("\r"))) is not None:
            problems.append(Problem(path, number, control_message(found.group(), found.start())))
        if len(problems) == MAX_REPORTED:
            break
    return problems


def control_message(char: str, column: int | None = None) -> str:
    """Return what to say about a control character found in the text."""
    code = f"U+{ord(char):04X}"
    label = f"{NAMES[char]} ({code})" if char in NAMES else code
    where = f" at column {column + 1}" if column is not None else ""
    return (f"this line has a control character, {label}{where}: invisible characters are "
            "not allowed in a leaflet; delete it")
