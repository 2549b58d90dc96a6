"""What a build did: the report the command line shows and the stamp repeats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lmets_docs.check.findings import Finding
    from lmets_docs.errors import Problem


@dataclass
class BuildReport:
    """What a build did: folders written, formats rebuilt or reused, what checking them found."""

    folders: list[Path] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checked: list[Path] = field(default_factory=list)
    rejected: list[Path] = field(default_factory=list)
    """Folders whose new files failed their check: not installed, the old outputs kept."""
    problems: list[Problem] = field(default_factory=list)
    """Problems in the content that kept leaflet languages from being built (``blocked``)."""
    blocked: list[str] = field(default_factory=list)
    """The leaflet languages not built for a problem, as ``folder (lang)``."""
    old_facts: list[tuple[str, Path, list[str]]] = field(default_factory=list)
    """Those whose kept outputs give a fact that changed since (``kept.old_facts_kept``)."""
    overdue: list[Path] = field(default_factory=list)
    """Folders installed or found up to date whose leaflet is past its review date today: an
    error (as ``check`` says), though their outputs stay installed (their first page says it
    is out of date)."""

    @classmethod
    def joined(cls, reports: Iterable[BuildReport]) -> BuildReport:
        """Return one report of several (one per leaflet language), in their order."""
        whole = cls()
        for report in reports:
            for each in fields(cls):
                getattr(whole, each.name).extend(getattr(report, each.name))
        return whole
