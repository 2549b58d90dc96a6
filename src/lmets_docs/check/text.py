"""What a reader extracts from an artifact: passages of text with their place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.check.findings import Finding


@dataclass(frozen=True)
class Passage:
    """A piece of an artifact's text and where a person would find it."""

    place: str
    text: str


@dataclass
class ArtifactText:
    """The text of an artifact as read back from the file, and the source hash it carries."""

    path: Path
    passages: list[Passage]
    source_hash: str | None
    spoken: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    """Problems the reader met in the file itself (a tracked deletion, a hidden number …)."""
    continuous: Callable[[], str] | None = None
    """The pages read on without their running headers and footers, for a fact a page break
    splits (a PDF's; ``check.printed``); called only when a fact is not found otherwise."""

    def full_text(self) -> str:
        """Return every passage joined, whitespace folded."""
        return " ".join(" ".join(p.text.split()) for p in self.passages)
