"""The writers registry: format name → module; each module exposes ``WRITER``.

Modules are imported only when their format is built, so a DOCX-only build never imports
WeasyPrint. Adding a format is adding one module and one line here.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from lmets_docs.options import LARGE_PRINT_MIN_PT

if TYPE_CHECKING:  # the CLI imports this registry for its choices: keep that import light
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


WRITERS: Mapping[str, str] = MappingProxyType(
    {
        "pdf": "lmets_docs.writers.pdf",
        "docx": "lmets_docs.writers.docx",
        "audio": "lmets_docs.writers.audio",
        "html": "lmets_docs.writers.html.page",
        "epub": "lmets_docs.writers.epub",
    }
)


# The options each format's output depends on: part of its "up to date" key. Kept here, not
# on the writers, so that planning a build does not import WeasyPrint or the audio stack.
OPTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "pdf": ("profile",),
        "docx": ("profile",),
        "audio": ("tts", "speech_rate", "voice", "listen"),
        "html": ("tts", "speech_rate", "voice"),  # they carry the narration
        "epub": ("tts", "speech_rate", "voice"),
    }
)


def artifact_name(name: str, options: BuildOptions) -> str:
    """Return the manifest's name for what format ``name`` writes with these options.

    Each print profile's PDF is its own artifact (``pdf`` for large print, ``pdf-giant``), so
    building giant print keeps the large-print PDF and the manifest lists both.
    """
    if name != "pdf":
        return name
    profile = pdf_profile(options)
    return name if profile == "large" else f"{name}-{profile}"


def pdf_profile(options: BuildOptions) -> str:
    """Return the print profile the PDF uses: large print unless a larger one is asked for."""
    profile = options.print_profile(default="large")
    return profile.name if profile.min_pt >= LARGE_PRINT_MIN_PT else "large"


def format_of(artifact: str) -> str:
    """Return the format of a manifest's artifact name (``pdf-giant`` is a ``pdf``)."""
    return artifact.split("-", maxsplit=1)[0]


# The formats whose files another format reuses: the web page and the talking book take the
# narration's MP3s and its timing map (``audio/timings.json``) instead of narrating again.
# A build of a format builds what it needs too, first, into the same folder.
NEEDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "html": ("audio",),
        "epub": ("audio",),
    }
)


def with_needs(formats: Iterable[str]) -> tuple[str, ...]:
    """Return the formats asked for and those they need, each once, the needed ones first."""
    out: dict[str, None] = {}
    for name in formats:
        out.update(dict.fromkeys(NEEDS.get(name, ())))
        out[name] = None
    return tuple(out)


def available() -> tuple[str, ...]:
    """Return the formats whose writer module is installed."""
    return tuple(name for name, module in WRITERS.items() if importlib.util.find_spec(module))


def load(name: str) -> Writer:
    """Import and return the writer for a format name."""
    module = importlib.import_module(WRITERS[name])
    writer: Writer = module.WRITER
    return writer
