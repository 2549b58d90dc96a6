"""Say a YAML parser's complaint in a clinic's words: what is wrong on the line, and the fix.

PyYAML says what its grammar expected ("found character '\\t' that cannot start any token",
"mapping values are not allowed here"); the person who typed ``leaflet.yaml`` needs to hear
"a tab indents this line" or "this line is indented more than the line above it". The most
common mistakes (tabs, indentation, a colon in a value, a quote or bracket left open) get
plain words; the parser's own words follow, for whoever knows YAML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_TAB = "cannot start any token"
QUOTE_REACH = 50
"""Lines looked back through for a quote left open."""
NO_COLON = ("this line has no ':' after its key: write key: value (if it goes on from the "
            "line above, join the two)")
Said = tuple[int, str]
"""The line (0-based, in the text) a message is about, and the message."""


def plain_words(exc: Any, text: str) -> Said | None:
    """Return the line and plain words for a YAML error, or None to keep the parser's words."""
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", "") or "")
    if mark is None:
        return None
    lines = text.splitlines() or [""]
    for clue, explain in _EXPLAIN:
        if clue in problem or clue in str(getattr(exc, "context", "") or ""):
            said = explain(exc, lines, mark.line, mark.column)
            if said is not None and clue == _TAB:  # the plain words say all of it
                return said
            if said is not None:
                return said[0], f"{said[1]} (YAML: {_detail(exc)})"
    return None


def _detail(exc: Any) -> str:
    """Return the parser's own words (what it was reading: what it found)."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    return f"{context}: {problem}" if context and problem else problem or context


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _tab(_exc: Any, lines: list[str], row: int, column: int) -> Said:
    found = _line(lines, row)[column:column + 1]
    if found != "\t":
        return row, (f"a value cannot start with {found!r} in YAML, which keeps that mark for "
                     "itself: put the whole value in quotes (\"...\")")
    before = _line(lines, row)[:column]
    if not before.strip(" \t"):
        return row, "a tab indents this line: indent with spaces, never tabs (YAML allows only "\
                    "spaces for indenting; most editors can turn tabs into spaces)"
    return row, "a tab stands in this line outside quotes: use a space instead, or put the "\
                "value in quotes"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _above(lines: list[str], row: int) -> int:
    """Return the index of the nearest line above ``row`` that holds something (not a comment)."""
    for index in range(row - 1, -1, -1):
        if _line(lines, index).strip() and not _line(lines, index).lstrip().startswith("#"):
            return index
    return -1


def _colon(_exc: Any, lines: list[str], row: int, column: int) -> Said:
    line = _line(lines, row)
    above = _above(lines, row)
    if above >= 0 and _indent(line) == _indent(lines[above]) and ":" not in lines[above]:
        return above, NO_COLON
    if ": " in line[:column].strip() or above < 0 or _indent(line) <= _indent(lines[above]):
        return row, "a value holds ': ' (a colon and a space), which YAML reads as a new key: "\
                    "put the whole value in quotes (\"...\")"
    return row, (f"this line is indented more than line {above + 1}, which already has a value:"
                 f" line it up with the keys it belongs with (or is line {above + 1} indented "
                 "too little?)")


def _block_end(_exc: Any, lines: list[str], row: int, column: int) -> Said:
    line = _line(lines, row)
    if (opened := _open_quote(lines, row)) is not None:
        return opened, ("a quote opened on this line is never closed: end the value with the "
                        "same quote mark")
    if column > _indent(line):  # the line goes on after a value that has ended
        return row, ("this line goes on after its value's closing quote: put the whole value "
                     "in one pair of quotes (inside '...' write a ' as '')")
    above = _above(lines, row)
    spaces = f"{_indent(line)} spaces"
    if above >= 0:
        spaces += f"; line {above + 1} has {_indent(lines[above])}"
    return row, (f"this line's indentation ({spaces}) does not match the lines above it: keys "
                 "of one mapping, and the '-' items of one list, start in the same column; "
                 "check the spaces before this line and the lines above it")


def _open_quote(lines: list[str], row: int) -> int | None:
    """Return the nearest line above ``row`` whose double quotes do not pair up, if any."""
    for index in range(row - 1, max(row - QUOTE_REACH, -1), -1):
        text = _line(lines, index).split(" #", 1)[0].replace('\\"', "")
        if text.count('"') % 2:
            return index
    return None


def _no_colon(exc: Any, lines: list[str], row: int, _column: int) -> Said:
    start = exc.context_mark.line if getattr(exc, "context_mark", None) else row
    return start, NO_COLON


def _unclosed(exc: Any, lines: list[str], row: int, _column: int) -> Said | None:
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "context_mark", None)
    if mark is None:
        return None
    if "quoted" in context:
        return mark.line, "a quote opened on this line is never closed: end the value with the "\
                          "same quote mark"
    opened = _open_bracket(lines, mark.line, mark.column, context)
    if opened is None:
        return None
    line, bracket = opened
    closing = "]" if bracket == "[" else "}"
    return line, (f"a '{bracket}' opened on this line is not closed with '{closing}' (or a ',' "
                  f"is missing between its items) before line {row + 1}")


def _open_bracket(lines: list[str], row: int, column: int, context: str
                  ) -> tuple[int, str] | None:
    """Return the line and bracket of a flow collection left open: where the parser says it
    began ("flow sequence", "flow mapping"), or else the last bracket at or above ``row``."""
    if "sequence" in context or "mapping" in context:
        return row, "[" if "sequence" in context else "{"
    for index in range(min(row, len(lines) - 1), max(row - QUOTE_REACH, -1), -1):
        text = _line(lines, index)[: column if index == row else None]
        found = max(text.rfind("["), text.rfind("{"))
        if found >= 0:
            return index, text[found]
    return None


_EXPLAIN: tuple[tuple[str, Callable[[Any, list[str], int, int], Said | None]], ...] = (
    (_TAB, _tab),
    ("mapping values are not allowed here", _colon),
    ("expected <block end>", _block_end),
    ("could not find expected ':'", _no_colon),
    ("while scanning a quoted scalar", _unclosed),
    ("while parsing a flow", _unclosed),
)
