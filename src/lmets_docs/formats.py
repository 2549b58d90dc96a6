"""The formats registry: one row per output format, read by the CLI, the build, the stamp and check.

Each row names the format's writer module (it exposes ``WRITER``) and checker module (it
exposes ``read`` and ``accessibility``), the options its output depends on, the formats whose
files it reuses, how its artifact is named in the manifest, and the file role that checking
starts from. Adding a format is one new package under ``writers/`` (and its checker) plus one
row here: nothing else names a format.

This module imports only the standard library and ``options``: the CLI reads it for ``--help``,
and planning a build must not import WeasyPrint or the audio stack. Modules are imported only
when their format is built or checked.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from lmets_docs.options import LARGE_PRINT_MIN_PT

if TYPE_CHECKING:  # the CLI imports this registry for its choices: keep that import light
    from lmets_docs.options import BuildOptions, Profile
    from lmets_docs.writers import Writer


@dataclass(frozen=True)
class Format:
    """One output format: where its code is, what its output depends on, how it is named."""

    name: str
    writer: str
    """The module exposing ``WRITER``."""
    checker: str | None
    """The module exposing ``read`` and ``accessibility`` (None: nothing checks it)."""
    main_role: str = ""
    """The file role checking reads first (the manifest names files by role)."""
    options: tuple[str, ...] = ()
    """The build options its output depends on: part of its "up to date" key."""
    needs: tuple[str, ...] = ()
    """The formats whose files it reuses; a build of it builds them too, first."""
    profile: Profile | None = None
    """Its print profile when none is chosen; set for a format with one artifact per profile."""
    slow: bool = False
    """Start it first: it takes longest (the narration)."""
    heard: bool = False
    """``--listen`` hears this format's files with the offline recogniser."""
    default: bool = True
    """Built when no ``--format`` is given (False: only when asked for by name)."""
    languages: str | None = None
    """The module exposing ``unsupported(lang)``: why the format cannot be made in a
    language, or None (None here: it can be made in every language)."""


FORMATS: Mapping[str, Format] = MappingProxyType({
    row.name: row
    for row in (
        Format("pdf", "lmets_docs.writers.pdf", "lmets_docs.check.pdf", "pdf",
               options=("profile",), profile="large"),
        Format("docx", "lmets_docs.writers.docx", "lmets_docs.check.docx", "docx",
               options=("profile",)),
        Format("audio", "lmets_docs.writers.audio", "lmets_docs.check.audio", "narration",
               options=("tts", "speech_rate", "voice", "listen"), slow=True, heard=True),
        # The web page and the talking book carry the narration: they reuse its MP3s and its
        # timing map (``audio/timings.json``) instead of narrating again.
        Format("html", "lmets_docs.writers.html.page", "lmets_docs.check.html", "page",
               options=("tts", "speech_rate", "voice"), needs=("audio",)),
        Format("epub", "lmets_docs.writers.epub", "lmets_docs.check.epub", "book",
               options=("tts", "speech_rate", "voice"), needs=("audio",)),
        # Braille is embossed for a patient who asks for it: built on request (--format
        # braille), and only in the languages liblouis has a table for.
        Format("braille", "lmets_docs.writers.braille", "lmets_docs.check.braille", "brf",
               default=False, languages="lmets_docs.brf"),
    )
})


def all_options() -> tuple[str, ...]:
    """Return every option some format's output depends on, each once, in table order."""
    return tuple(dict.fromkeys(o for row in FORMATS.values() for o in row.options))


def needs(name: str) -> tuple[str, ...]:
    """Return the formats whose files format ``name`` reuses (none for an unknown name)."""
    row = FORMATS.get(name)
    return row.needs if row else ()


def with_needs(formats: Iterable[str]) -> tuple[str, ...]:
    """Return the formats asked for and those they need, each once, the needed ones first."""
    out: dict[str, None] = {}
    for name in formats:
        out.update(dict.fromkeys(needs(name)))
        out[name] = None
    return tuple(out)


def narrates(formats: Iterable[str]) -> bool:
    """Return whether building ``formats`` (none: the default ones) synthesizes speech."""
    names = tuple(formats) or tuple(name for name, row in FORMATS.items() if row.default)
    return any("tts" in FORMATS[name].options for name in with_needs(names) if name in FORMATS)


def artifact_name(name: str, options: BuildOptions) -> str:
    """Return the manifest's name for what format ``name`` writes with these options.

    Each print profile's PDF is its own artifact (``pdf`` for large print, ``pdf-giant``), so
    building giant print keeps the large-print PDF and the manifest lists both.
    """
    row = FORMATS.get(name)
    if row is None or row.profile is None:
        return name
    profile = profile_of(row, options)
    return name if profile == row.profile else f"{name}-{profile}"


def profile_of(row: Format, options: BuildOptions) -> str:
    """Return the print profile a profiled format uses: its own unless a larger one is asked for."""
    default = row.profile or "clear"
    profile = options.print_profile(default=default)
    return profile.name if profile.min_pt >= LARGE_PRINT_MIN_PT else default


def pdf_profile(options: BuildOptions) -> str:
    """Return the print profile the PDF uses: large print unless a larger one is asked for."""
    return profile_of(FORMATS["pdf"], options)


def format_of(artifact: str) -> str:
    """Return the format of a manifest's artifact name (``pdf-giant`` is a ``pdf``)."""
    return artifact.split("-", maxsplit=1)[0]


def available() -> tuple[str, ...]:
    """Return the formats built by default whose writer module is installed."""
    return tuple(name for name, row in FORMATS.items()
                 if row.default and importlib.util.find_spec(row.writer))


def unsupported(name: str, lang: str) -> str | None:
    """Return why format ``name`` cannot be made in language ``lang``, or None if it can."""
    row = FORMATS.get(name)
    if row is None or row.languages is None:
        return None
    reason: str | None = importlib.import_module(row.languages).unsupported(lang)
    return reason


def load(name: str) -> Writer:
    """Import and return the writer for a format name."""
    module = importlib.import_module(FORMATS[name].writer)
    writer: Writer = module.WRITER
    return writer
