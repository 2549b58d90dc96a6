"""The one exception tree of lmets-docs; only the CLI turns these into messages."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in a user's input, located as precisely as it can be."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {self.message}"


SAME_SAID = 5
"""How many problems with the same message in one file are said one by one (``said``)."""


def said(problems: Iterable[Problem], first: int = SAME_SAID) -> list[str]:
    """Return the lines that say ``problems``: each one, but of the same message in one file
    (a 99,000-row table is 99,000 "tables are not supported") only the first ``first``, then
    ``file: and N more like it (lines A to B)`` in place of the rest."""
    problems = list(problems)
    groups: dict[tuple[Path, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.message), []).append(problem)
    lines = []
    shown: dict[tuple[Path, str], int] = {}
    for problem in problems:
        key = (problem.file, problem.message)
        index = shown[key] = shown.get(key, -1) + 1
        if index < first:
            lines.append(str(problem))
        if index == first - 1 and len(groups[key]) > first:
            rest = groups[key][first:]
            numbers = [p.line for p in rest if p.line]
            where = f" (lines {min(numbers)} to {max(numbers)})" if numbers else ""
            lines.append(f"{problem.file}: and {len(rest)} more like it{where}")
    return lines


class LmetsError(Exception):
    """Base of every error lmets-docs raises on purpose."""


class ContentError(LmetsError):
    """The leaflet source has one or more problems; nothing is built from it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(said(problems)))


class UnsafeFileError(LmetsError):
    """A source file is not a regular file inside its folder, or is too large to read."""


class BuildError(LmetsError):
    """A writer could not produce an artifact (an engine failed, a resource was refused)."""


class TagTreeError(BuildError):
    """The PDF's structure tree is not what the page's layout says (a house template whose
    contact box's lines are not the box's own paragraphs): what is wrong, without the
    template, which the writer names."""


class DiskFullError(BuildError):
    """A file could not be written: the disk is full (said once per build, in the README's
    words: ``not written: the disk is full``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: not written: the disk is full")

    def __reduce__(self) -> tuple[type[DiskFullError], tuple[str]]:
        return (DiskFullError, (self.path,))  # a writer process's error crosses a pipe


def is_disk_full(exc: BaseException) -> bool:
    """Say whether an error is a full disk (ENOSPC), itself or the error it was raised from."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DiskFullError) or (isinstance(seen, OSError)
                                               and seen.errno == errno.ENOSPC):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def raise_if_disk_full(exc: BaseException, path: object) -> None:
    """Raise DiskFullError naming ``path`` if ``exc`` is a full disk (else return)."""
    if is_disk_full(exc):
        raise DiskFullError(str(path)) from exc


class NotUpdatedError(BuildError):
    """Formats were not written: why (the message), and the leaflet languages that keep their
    previous outputs for it (``kept``: said after the reasons)."""

    def __init__(self, reasons: str, kept: list[str]) -> None:
        self.kept = kept
        super().__init__(reasons)

    def __reduce__(self) -> tuple[type[NotUpdatedError], tuple[str, list[str]]]:
        return (NotUpdatedError, (str(self), self.kept))


class NarrationError(BuildError):
    """A speech engine could not narrate the leaflet."""


class StoreError(BuildError):
    """The shared store of finished artifacts cannot be reached, read or written."""


class CheckError(LmetsError):
    """The artifacts could not be read for checking (missing manifest, unreadable file)."""


class ImportDocxError(LmetsError):
    """A translated DOCX (or XLIFF file) was refused; nothing was written."""


class ImportXliffError(ImportDocxError):
    """A translated XLIFF file was refused; nothing was written."""


class ExportError(LmetsError):
    """A file for translators (XLIFF) could not be made or written."""
