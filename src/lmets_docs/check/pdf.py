"""Read a built PDF back: its text per page, and the PDF/UA and large-print rules it can prove."""

from __future__ import annotations

import ctypes
import itertools
import logging
import math
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.options import PRINT_PROFILES

MAIN_ROLE = "pdf"
SOURCE_HASH_KEY = "/lmets-source-hash"
log = logging.getLogger(__name__)
SIZE_TOLERANCE = 0.05


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return the PDF's text, one passage per page, and the source hash in its metadata."""
    passages = [Passage(f"page {n}", text) for n, text in enumerate(page_texts(path), start=1)]
    with pikepdf.open(path) as pdf:
        source_hash = pdf.docinfo.get(SOURCE_HASH_KEY)
    return ArtifactText(path, passages, str(source_hash) if source_hash is not None else None)


def page_texts(path: Path) -> list[str]:
    """Return each page's text in reading (logical) order.

    poppler's pdftotext returns right-to-left scripts in logical order, as a screen reader
    reads them; pdfplumber gives visual order, which would garble Urdu and Arabic.
    """
    tool = shutil.which("pdftotext")
    if tool is None:
        log.info("pdftotext (poppler-utils) not found; reading the PDF with pdfplumber")
        with pdfplumber.open(path) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    result = subprocess.run(
        [tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8").split("\f")[:-1]


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the PDF/UA and large-print rules the file breaks."""
    findings: list[Finding] = []
    with pikepdf.open(path) as pdf:
        findings += _catalogue(path, pdf, manifest)
        findings += _structure(path, pdf)
        findings += _bookmarks(path, pdf, manifest)
        findings += _fonts(path, pdf)
    giant = entry.details.get("profile") == "giant"
    findings += _sizes(path, PRINT_PROFILES["giant" if giant else "large"].min_pt)
    return findings


def _catalogue(path: Path, pdf: pikepdf.Pdf, manifest: Manifest) -> Iterator[Finding]:
    root: Any = pdf.Root
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        yield error(
            path, "catalogue", "the PDF is not tagged (/MarkInfo /Marked true)", "pdf-tagged"
        )
    if str(root.get("/Lang", "")) != manifest.lang:
        yield error(
            path,
            "catalogue",
            f"document language is {str(root.get('/Lang', '')) or 'unset'!r}, "
            f"expected {manifest.lang!r}",
            "pdf-lang",
        )
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        yield error(path, "catalogue", "DisplayDocTitle is not set", "pdf-display-title")
    with pdf.open_metadata() as xmp:
        title = str(xmp.get("dc:title", ""))
        part = str(xmp.get("pdfuaid:part", ""))
    if title != manifest.title:
        yield error(
            path, "metadata", f"title is {title!r}, expected {manifest.title!r}", "pdf-title"
        )
    if part != "1":
        yield error(path, "metadata", "no PDF/UA-1 identification (pdfuaid:part)", "pdf-ua-id")


def _elements(node: Any) -> Iterator[Any]:
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _structure(path: Path, pdf: pikepdf.Pdf) -> Iterator[Finding]:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        yield error(path, "structure", "no structure tree (/StructTreeRoot)", "pdf-structure")
        return
    elements = list(_elements(tree))
    levels = [
        int(str(e.S)[2:]) for e in elements if str(e.S)[:2] == "/H" and str(e.S)[2:].isdigit()
    ]
    if not levels or levels[0] != 1:
        yield error(path, "structure", f"headings must start at H1 (found {levels[:1]})", "pdf-h1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            yield error(
                path,
                "structure",
                f"heading level skipped: H{before} then H{after}",
                "pdf-heading-order",
            )
    for element in elements:
        if str(element.S) == "/Figure" and not str(element.get("/Alt", "")).strip():
            yield error(path, "structure", "a Figure has no alternative text", "pdf-figure-alt")


def _bookmarks(path: Path, pdf: pikepdf.Pdf, manifest: Manifest) -> Iterator[Finding]:
    with pdf.open_outline() as outline:
        titles = [item.title for item in _walk_outline(outline.root)]
    for section in manifest.sections:
        if section["title"] not in titles:
            yield error(
                path, "bookmarks", f"no bookmark for section {section['title']!r}", "pdf-bookmarks"
            )


def _walk_outline(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk_outline(item.children)


def _fonts(path: Path, pdf: pikepdf.Pdf) -> Iterator[Finding]:
    seen: set[str] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in page.resources.get("/Font", {}).values():
            for face in [font, *font.get("/DescendantFonts", [])]:
                name = str(face.get("/BaseFont", "?"))
                descriptor = face.get("/FontDescriptor")
                if descriptor is None or name in seen:
                    continue
                seen.add(name)
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    yield error(
                        path, f"page {number}", f"font {name} is not embedded", "pdf-font-embedded"
                    )
                italic = int(descriptor.get("/Flags", 0)) & 64 or float(
                    descriptor.get("/ItalicAngle", 0)
                )
                if italic or "italic" in name.lower() or "oblique" in name.lower():
                    yield error(path, f"page {number}", f"italic font {name} is used", "pdf-italic")


def _sizes(path: Path, minimum: float) -> Iterator[Finding]:
    for number, chars in enumerate(char_sizes(path), start=1):
        small = [(char, size) for char, size in chars if size < minimum - SIZE_TOLERANCE]
        if small:
            sample = "".join(char for char, _ in small[:20])
            yield error(
                path,
                f"page {number}",
                f"{len(small)} characters under {minimum:g} pt "
                f"(smallest {min(size for _, size in small):.1f} pt: {sample!r})",
                "pdf-min-size",
            )


def char_sizes(path: Path) -> list[list[tuple[str, float]]]:
    """Return, per page, each visible character and its size in points as printed.

    pdfium (pypdfium2) is a dozen times faster than pdfminer here. The size is the font size
    times the character's vertical scale on the page, so a 16 pt font under a 0.75 page
    transform (WeasyPrint's px to pt) counts as 12 pt, as a reader would measure it.
    """
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [_page_sizes(page) for page in pdf]
    finally:
        pdf.close()


def _page_sizes(page: pdfium.PdfPage) -> list[tuple[str, float]]:
    text = page.get_textpage()
    matrix = pdfium_c.FS_MATRIX()
    out = []
    for index in range(text.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(text.raw, index))
        if char.strip():
            pdfium_c.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix))
            scale = math.hypot(matrix.c, matrix.d)
            out.append((char, pdfium_c.FPDFText_GetFontSize(text.raw, index) * scale))
    return out
