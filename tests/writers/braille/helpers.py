"""Build braille editions for the tests and read them back (real liblouis, no fakes)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lmets_docs import brf
from lmets_docs.build import build
from lmets_docs.check import Report, check
from lmets_docs.check.braille import pages
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.conftest import BEFORE_DUE


def build_braille(source: Path, options: BuildOptions, *formats: str) -> Path:
    """Build ``source`` (a leaflet folder) in braille (and ``formats``); return the output."""
    asked = ("braille", *formats)
    build([source], dataclasses.replace(options, formats=asked, jobs=1))
    return options.out


def brf_file(out: Path, leaflet: str, lang: str) -> Path:
    """Return a built BRF by the manifest's record of it."""
    folder = out / leaflet / lang
    entry = read_manifest(folder).artifacts["braille"]
    return folder / entry.files["brf"]


def brf_pages(path: Path) -> list[list[str]]:
    """Return the BRF's pages as lines of Braille ASCII."""
    return pages(path)


def checked(out: Path, allow_edited: bool = True) -> Report:
    """Return ``check``'s report on everything under ``out``."""
    return check([out], today=BEFORE_DUE, allow_edited=allow_edited)


def codes(report: Report) -> set[str]:
    """Return the codes of the report's errors."""
    return {f.code for f in report.errors}


def cells(text: str, table: str, uncontracted: bool = False) -> str:
    """Return text in Braille ASCII as liblouis writes it with ``table``."""
    return brf.to_ascii(brf.translate(text, table, [uncontracted] * len(text))[0])
