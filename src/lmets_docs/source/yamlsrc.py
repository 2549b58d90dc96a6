"""Parse YAML while remembering the line of every value, so errors can say ``file:line``.

Safely, and at a cost linear in the text: only plain YAML types (``SafeLoader``), no tag but
``!!str`` on a value (``!!binary`` would smuggle a NUL past the control-character rule,
``!!int "0808"`` crash the constructor: a leaflet never needs one), no aliases
(``*name``: a leaflet never needs them, and nine lines of them make a billion values), at most
``MAX_DEPTH`` levels of nesting (so no RecursionError), no key twice in one mapping (YAML
would keep the last silently), no control character in a value, even one written as an
escape (``"\\x1b"``), and no invisible character a reader would not see (``invisible``: a bidi
control, a zero-width space), but for those a right-to-left language needs, in a text of that
language (the file's, or under a language's key: ``name: {ur: ...}``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.composer import ComposerError

from lmets_docs.errors import Problem
from lmets_docs.i18n import babel_locale
from lmets_docs.invisible import refused, refused_message
from lmets_docs.source.textfile import CONTROL, control_message
from lmets_docs.source.yamlwords import plain_words

Lines = dict[tuple[str | int, ...], int]
MAX_DEPTH = 16
"""Levels of nesting allowed; a leaflet uses five."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates and times as strings, for pydantic to check with a location.

    It refuses aliases and deep nesting while composing, before anything is expanded.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose one node, refusing an alias or a node nested too deep."""
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, f"an alias (*{event.anchor}) is not allowed in a "
                                "leaflet: write the value out", mark)
        if getattr(event, "tag", None) is not None and not (
                isinstance(event, yaml.ScalarEvent) and event.tag == f"{CORE}str"):
            raise ComposerError(None, None, f"a YAML tag ({_shown_tag(event.tag)}) is not "
                                "allowed in a leaflet: write the value plainly (in quotes to "
                                "keep it text)", mark)
        if self.depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _shown_tag(tag: str) -> str:
    """Return a tag as it is written: ``tag:yaml.org,2002:binary`` as ``!!binary``."""
    return "!!" + tag.removeprefix(CORE) if tag.startswith(CORE) else tag[:40]


CORE = "tag:yaml.org,2002:"


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


Parsed = tuple[Any, Lines, list[Problem]]
PARSED_KEPT = 32
"""How many parses this process keeps (``parse_yaml``): a library's leaflets, one at a time."""
PARSED_MAX_CHARS = 64 * 1024
"""A longer text is parsed each time it is asked for (a leaflet's is a few thousand)."""
_PARSED: dict[tuple[str, str, int, str | None], Parsed] = {}
_KEEPING = threading.Lock()


def parse_yaml(text: str, path: Path, first_line: int = 1,
               lang: str | None = None) -> Parsed:
    """Return (data, line of each key path, problems); data is None if the YAML is malformed.

    ``lang`` is the language of the file's text (a language file's front matter), for the
    invisible characters it may hold.

    Loading a leaflet parses its ``leaflet.yaml`` five times (the loader, three of the fact
    checks for its lines, the library file's warnings; the PDF's writer and checker again for
    a picture's line), each by PyYAML's pure-Python loader (3-6 ms for the seed's: 20 of
    the 51 ms its loading takes in a warm process): the last ``PARSED_KEPT`` parses are
    kept, by the whole text and what else they depend on, and each caller gets its own copy
    of the data (the lines and problems are new containers of the same immutable values). A
    writer process forked after loading has them too.
    """
    key = (text, str(path), first_line, lang)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _parse(text, path, first_line, lang)
        if len(text) <= PARSED_MAX_CHARS:
            with _KEEPING:  # a Dask worker's threads load leaflets side by side
                while _PARSED and len(_PARSED) >= PARSED_KEPT:
                    del _PARSED[next(iter(_PARSED))]  # the oldest
                _PARSED[key] = parsed
    data, lines, problems = parsed
    return _copied(data), dict(lines), list(problems)


def _copied(value: Any) -> Any:
    """Return a copy of parsed YAML that shares only immutable values (its scalars)."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _parse(text: str, path: Path, first_line: int, lang: str | None) -> Parsed:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        problems = _inspect(node, path, first_line, lang) if node is not None else []
        data = loader.construct_document(node) if node is not None and not problems else None
    except yaml.YAMLError as exc:
        return None, {}, [_yaml_problem(exc, text, path, first_line)]
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        return None, {}, [Problem(path, None, f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    if problems:
        return None, {}, problems
    lines: Lines = {}
    if node is not None:
        _walk(node, (), lines, first_line)
    return data, lines, []


def _yaml_problem(exc: yaml.YAMLError, text: str, path: Path, first_line: int) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        at = text[: exc.position].count("\n") + first_line
        return Problem(path, at, f"malformed YAML: {exc.reason}")
    if (plain := plain_words(exc, text)) is not None:
        return Problem(path, plain[0] + first_line, plain[1])
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + first_line if mark is not None else None
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem(path, line, f"malformed YAML: {reason}")


def _inspect(node: yaml.Node, path: Path, first: int, lang: str | None = None) -> list[Problem]:
    """Return a problem for each key given twice in a mapping, each control character and
    each invisible character the text's language may not hold."""
    problems: list[Problem] = []
    if isinstance(node, yaml.ScalarNode) and (found := CONTROL.search(str(node.value))):
        problems.append(Problem(path, node.start_mark.line + first, control_message(found.group())))
    elif isinstance(node, yaml.ScalarNode) and (hidden := refused(str(node.value), lang)):
        problems.append(Problem(path, node.start_mark.line + first,
                                refused_message(hidden[1], lang)))
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name, line = str(key.value), key.start_mark.line + first
            if name in seen:
                problems.append(Problem(path, line, f"{name}: this key is given twice (first on "
                                        f"line {seen[name]}); keep one"))
            seen.setdefault(name, line)
            inner = name if _language_tag(name) else lang
            problems += _inspect(key, path, first, lang) + _inspect(value, path, first, inner)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _inspect(item, path, first, lang)
    return problems


def _language_tag(key: str) -> bool:
    """Say whether a key is a language tag (``ur``, ``en-GB``): its value is in that language."""
    if not key.replace("-", "").isalpha() or len(key) > 35:
        return False
    try:
        babel_locale(key)
    except ValueError:
        return False
    return True


def _walk(node: yaml.Node, at: tuple[str | int, ...], lines: Lines, first: int) -> None:
    lines[at] = node.start_mark.line + first
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*at, str(key.value))] = key.start_mark.line + first
            _walk(value, (*at, str(key.value)), lines, first)
            lines[(*at, str(key.value))] = key.start_mark.line + first
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*at, index), lines, first)


def line_of(lines: Lines, loc: Sequence[str | int]) -> int | None:
    """Return the line of the longest known prefix of a location."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return None


def validation_problems(exc: ValidationError, path: Path, lines: Lines) -> list[Problem]:
    """Turn pydantic's errors into ``file:line: where: what`` problems."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = [part for part in error["loc"] if not _is_internal(part)]
        where = ".".join(str(part) for part in loc) or "(top level)"
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check its spelling)"
        problems.append(Problem(path, line_of(lines, loc), f"{where}: {message}"))
    return problems


def _is_internal(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))
