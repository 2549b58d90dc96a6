"""The one exception tree of lmets-docs; only the CLI turns these into messages."""

from __future__ import annotations

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


class LmetsError(Exception):
    """Base of every error lmets-docs raises on purpose."""


class ContentError(LmetsError):
    """The leaflet source has one or more problems; nothing is built from it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnsafeFileError(LmetsError):
    """A source file is not a regular file inside its folder, or is too large to read."""


class BuildError(LmetsError):
    """A writer could not produce an artifact (an engine failed, a resource was refused)."""


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
