"""The writers: one package per format, each exposing ``WRITER``; what a writer returns.

Which module writes which format is in ``lmets_docs.formats`` (the one table of formats).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lmets_docs.model import Leaflet
    from lmets_docs.options import BuildOptions


@dataclass
class WriterResult:
    """What a writer made: files by role (paths relative to the language folder), and more."""

    files: dict[str, str]
    engines: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


class Writer(Protocol):
    """A format writer: turns one leaflet in one language into files under ``out_dir``."""

    name: str

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write this format's files into ``out_dir`` (an empty temporary folder)."""
        ...
