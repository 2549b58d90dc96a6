"""Parse YAML while remembering the line of every value, so errors can say ``file:line``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from lmets_docs.errors import Problem

Lines = dict[tuple[str | int, ...], int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates and times as strings, for pydantic to check with a location."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, Lines, list[Problem]]:
    """Return (data, line of each key path, problems); data is None if the YAML is malformed."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, {}, [Problem(path, line, f"malformed YAML: {reason}")]
    finally:
        loader.dispose()
    lines: Lines = {}
    if node is not None:
        _walk(node, (), lines, first_line)
    return data, lines, []


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
