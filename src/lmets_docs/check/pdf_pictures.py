"""Tell which picture a printed character belongs to, and name that picture in a message.

An SVG's labels are text in the PDF (WeasyPrint draws them as text), so a label smaller than
the print profile allows fails the size rule like any other text. WeasyPrint tags them inside
the picture's ``/Figure`` structure element: each marked-content id the Figure holds is one
of its children, and the Figure's ``/Alt`` is the picture's description. The PDF writer lists
its pictures (image id, file, description) in the manifest (``details.pictures``); the image's
line in ``leaflet.yaml`` is read from the leaflet folder the manifest names.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium_c

from lmets_docs.libraryfiles import LEAFLET_FILE
from lmets_docs.manifest import Manifest

BUFFER = 4096
"""Bytes for a structure element's type or alternative text (UTF-16)."""


def figure_ids(page: Any) -> dict[int, str]:
    """Return marked-content id → the alternative text of the /Figure holding it, on a page."""
    tree = pdfium_c.FPDF_StructTree_GetForPage(page)
    if not tree:
        return {}
    try:
        found: dict[int, str] = {}
        for index in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            _walk(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, index), found)
        return found
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)


def _walk(element: Any, found: dict[int, str]) -> None:
    if not element:
        return
    count = pdfium_c.FPDF_StructElement_CountChildren(element)
    if _text(pdfium_c.FPDF_StructElement_GetType, element) == "Figure":
        alt = _text(pdfium_c.FPDF_StructElement_GetAltText, element)
        for index in range(count):
            mcid = pdfium_c.FPDF_StructElement_GetChildMarkedContentID(element, index)
            if mcid >= 0:
                found[mcid] = alt
        found.update(dict.fromkeys(_own_ids(element), alt))
    for index in range(count):
        _walk(pdfium_c.FPDF_StructElement_GetChildAtIndex(element, index), found)


def _own_ids(element: Any) -> Iterator[int]:
    for index in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element)):
        mcid = pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, index)
        if mcid >= 0:
            yield mcid


def _text(getter: Any, element: Any) -> str:
    buffer = ctypes.create_string_buffer(BUFFER)
    length = getter(element, buffer, BUFFER)
    return buffer.raw[:max(length - 2, 0)].decode("utf-16-le", errors="replace")


def char_figure(textpage: Any, index: int, figures: Mapping[int, str]) -> str | None:
    """Return the alternative text of the picture character ``index`` is in (None if none)."""
    text_object = pdfium_c.FPDFText_GetTextObject(textpage, index)
    if not text_object:
        return None
    return figures.get(pdfium_c.FPDFPageObj_GetMarkedContentID(text_object))


def picture_name(manifest: Manifest, pictures: list[dict[str, str]], alt: str) -> str:
    """Return how a message names the picture described ``alt``: id, file, leaflet.yaml:LINE."""
    picture = next((p for p in pictures if " ".join(p["alt"].split()) == " ".join(alt.split())),
                   None)
    if picture is None:
        return f"the picture {alt!r}"
    place = _yaml_place(manifest, picture["image"])
    return f"the picture {picture['image']!r} ({picture['file']}{place})"


def _yaml_place(manifest: Manifest, image: str) -> str:
    if not manifest.source_folder:
        return ""
    from lmets_docs.source.yamlsrc import line_of, parse_yaml  # noqa: PLC0415 (only here)

    path = Path(manifest.source_folder) / LEAFLET_FILE
    try:
        _data, lines, _problems = parse_yaml(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError):
        return ""
    line = line_of(lines, ["images", image, "file"])
    return f", {path}:{line}" if line else ""
