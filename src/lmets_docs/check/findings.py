"""Findings of ``check``: one per problem, with the file and the place in it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from lmets_docs.i18n import messages


class Severity(Enum):
    """How bad a finding is: errors fail ``check``; warnings are shown."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in a built artifact (or its manifest)."""

    severity: Severity
    file: Path
    place: str
    message: str
    code: str

    def as_warning(self) -> Finding:
        """Return the same finding as a warning."""
        return Finding(Severity.WARNING, self.file, self.place, self.message, self.code)

    def line(self) -> str:
        """Return the finding as one line: ``severity: place: message [code]``."""
        where = f"{self.place}: " if self.place else ""
        return f"  {self.severity.value}: {where}{self.message} [{self.code}]"


def error(file: Path, place: str, message: str, code: str) -> Finding:
    """Return an error finding."""
    return Finding(Severity.ERROR, file, place, message, code)


def warning(file: Path, place: str, message: str, code: str) -> Finding:
    """Return a warning finding."""
    return Finding(Severity.WARNING, file, place, message, code)


@dataclass
class Report:
    """Every finding of a check run, and the files that were read."""

    findings: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    heard: dict[Path, list[str]] = field(default_factory=dict)
    """``--listen``: what the recogniser heard, per narration (one line per fact clip …)."""

    @property
    def errors(self) -> list[Finding]:
        """Return the findings that fail the check."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Return the findings that are only warnings."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def summary(self) -> str:
        """Return the one-line summary (plurals through the message catalogue's ngettext)."""
        words = messages("en")
        errors = words.ngettext("{count} error", "{count} errors", len(self.errors))
        warnings = words.ngettext("{count} warning", "{count} warnings", len(self.warnings))
        files = words.ngettext("{count} file", "{count} files", len(self.files))
        return f"check: {errors}, {warnings} in {files}"

    def text(self, findings: list[Finding] | None = None) -> str:
        """Return the readable report: findings (all, or those given) by file, then the summary."""
        shown = self.findings if findings is None else findings
        lines: list[str] = []
        for file in dict.fromkeys(f.file for f in shown):
            lines.append(str(file))
            lines += [f.line() for f in shown if f.file == file]
        for file, heard in self.heard.items():
            lines.append(f"{file}: listened")
            lines += [f"  {line}" for line in heard]
        lines.append(self.summary())
        return "\n".join(lines)

    def to_json(self) -> str:
        """Return the report as JSON for CI."""
        return json.dumps(
            {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "files": [str(f) for f in self.files],
                "findings": [
                    {
                        "severity": f.severity.value,
                        "file": str(f.file),
                        "place": f.place,
                        "message": f.message,
                        "code": f.code,
                    }
                    for f in self.findings
                ],
                "heard": {str(file): lines for file, lines in self.heard.items()},
            },
            indent=2,
            ensure_ascii=False,
        )
