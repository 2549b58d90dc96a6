"""Find the font files of the PDF's font stack and the characters each can draw.

Shared by the PDF writer (``writers.pdf.fonts`` chooses the faces a page needs) and by
``validate`` (``source.drawable``), which must not import WeasyPrint: the families come from
fontpkg packages (pip) or, for scripts no fontpkg package covers, from the system through
fontconfig; what a face draws is its ``cmap``, read with fontTools.
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
import logging
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import fontpkg
from fontTools.ttLib import TTFont, TTLibError

from lmets_docs.errors import BuildError

log = logging.getLogger(__name__)

LATIN = "Atkinson Hyperlegible"
WEIGHTS = (400, 700)
FONTPKG_MODULES: Mapping[str, str] = MappingProxyType({
    LATIN: "fontpkg_atkinson_hyperlegible", "Noto Sans": "fontpkg_noto_sans",
    "Noto Sans Arabic": "fontpkg_noto_sans_arabic",
})
"""Families installed with pip (the fontpkg-* dependencies), by the module of each package;
the other families come from the system."""
FALLBACKS = ("Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans Bengali",
             "Noto Sans Gurmukhi", "Noto Sans Devanagari", "Noto Sans Symbols",
             "Noto Sans Symbols2", "Noto Sans Math")
"""The families after Atkinson Hyperlegible, in order; the last three (in fonts-noto-core) draw
arrows, ticks, stars and the other signs leaflets use ("→", "✓", "★", "≈")."""
FC_WEIGHTS = {400: 80, 700: 200}
"""fontconfig's numbers for the CSS weights (FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD)."""
NO_GLYPH_NEEDED = frozenset({"Cc", "Cf", "Zl", "Zp"})
"""Controls and format characters (bidi marks, joiners, soft hyphen) are never drawn."""

@dataclass(frozen=True)
class FontFace:
    """One font file declared with ``@font-face`` for one weight."""

    family: str
    weight: int
    path: Path

    @property
    def url(self) -> str:
        """Return the file's ``file://`` URL."""
        return self.path.resolve().as_uri()


def draws(ch: str) -> bool:
    """Say whether a character is drawn with a glyph (controls and format marks are not)."""
    return unicodedata.category(ch) not in NO_GLYPH_NEEDED


def family_faces(family: str) -> tuple[FontFace, ...] | None:
    """Return a family's regular and bold faces, or None when it is not installed."""
    if family in FONTPKG_MODULES:
        try:
            found = fontpkg_family(family)
            return tuple(FontFace(family, w, fontpkg.select_file(found, w, "normal").path)
                         for w in WEIGHTS)
        except fontpkg.FontpkgError as exc:
            log.info("pdf: font %s is not installed (%s)", family, exc)
            return None
    files = system_files(family)
    if not files:
        return None
    return tuple(FontFace(family, w, _nearest(files, FC_WEIGHTS[w])) for w in WEIGHTS)


@cache
def fontpkg_family(family: str) -> fontpkg.Family:
    """Return a fontpkg family as its package (a dependency of lmets-docs) describes it.

    ``fontpkg.family`` would first read the entry points of every installed distribution to
    find the package (0.017 s of CPU in each process that prints, measured); the family is
    read from the same ``metadata.json`` with fontpkg's own ``family_from_metadata``. Should
    the package be missing or unreadable, fontpkg looks for the family its own way.
    """
    try:
        root = importlib.resources.files(importlib.import_module(FONTPKG_MODULES[family]))
        metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        return fontpkg.family_from_metadata(metadata, root)
    except (ImportError, OSError, ValueError, KeyError, TypeError):
        return fontpkg.family(family)


def _nearest(files: Mapping[int, Path], weight: int) -> Path:
    return files[min(files, key=lambda found: abs(found - weight))]


@cache
def system_files(family: str) -> Mapping[int, Path]:
    """Return the upright font files fontconfig has for ``family``, by fontconfig weight."""
    command = ["fc-list", "--format", "%{weight}\t%{style}\t%{file}\n", f":family={family}"]
    try:
        listing = subprocess.run(command, capture_output=True, text=True, timeout=30,
                                 check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("pdf: cannot ask fontconfig for %s (%s)", family, exc)
        return {}
    return MappingProxyType(dict(_upright(listing)))


def _upright(listing: str) -> Iterator[tuple[int, Path]]:
    for line in listing.splitlines():
        weight, style, file = [*line.split("\t"), "", ""][:3]
        if weight.isdigit() and file and not any(s in style for s in ("Italic", "Oblique")):
            yield int(weight), Path(file)


def coverage(faces: Iterable[FontFace]) -> frozenset[int]:
    """Return the code points every one of ``faces`` has a glyph for."""
    maps = [cmap(face.path) for face in faces]
    return frozenset.intersection(*maps) if maps else frozenset()


@cache
def cmap(path: Path) -> frozenset[int]:
    """Return the code points a font file maps to glyphs (read with fontTools)."""
    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, TTLibError) as exc:
        raise BuildError(f"cannot read the font {path}: {exc}") from exc


def drawable() -> frozenset[int]:
    """Return every code point some installed family of the stack draws (upright, in both
    weights): the same for every language, which only orders the families."""
    stacks = (family_faces(name) for name in (LATIN, *FALLBACKS))
    return frozenset().union(*(coverage(faces) for faces in stacks if faces is not None))
