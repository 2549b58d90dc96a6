"""Read a built PDF back: text, character sizes, fonts, structure tree, outline, metadata.

Test helpers only; they use pdfplumber for text and pypdf for the PDF's objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, TextStringObject

from lmets_docs.text import fold

PAGE_LABEL = re.compile(r"Page \d+ of \d+")


def page_texts(path: Path) -> list[str]:
    """Return the text of every page, whitespace folded."""
    with pdfplumber.open(path) as pdf:
        return [fold(page.extract_text() or "") for page in pdf.pages]


def body_text(path: Path, footer: str) -> str:
    """Return the text of the whole PDF without its page labels and footers, folded."""
    text = " ".join(page_texts(path))
    return fold(PAGE_LABEL.sub(" ", text.replace(footer, " ")))


def char_sizes(path: Path) -> list[tuple[int, str, float]]:
    """Return (page number, character, size in points) for every character of the PDF."""
    with pdfplumber.open(path) as pdf:
        return [(c["page_number"], c["text"], float(c["size"]))
                for page in pdf.pages for c in page.chars]


def hyperlinks(path: Path) -> list[str]:
    """Return the URI of every link annotation, in page order."""
    with pdfplumber.open(path) as pdf:
        return [str(link["uri"]) for page in pdf.pages for link in page.hyperlinks]


@dataclass
class PdfFont:
    """One font a page uses, read from its dictionaries."""

    name: str
    embedded: bool
    italic_angle: float
    flags: int


def fonts(path: Path) -> list[PdfFont]:
    """Return every font used on any page (descendant fonts of Type0 fonts included)."""
    found: dict[str, PdfFont] = {}
    for page in PdfReader(path).pages:
        resources: Any = page.get("/Resources")
        font_dict: Any = resources.get_object().get("/Font") if resources else None
        for ref in font_dict.get_object().values() if font_dict else ():
            for font in _descendants(ref.get_object()):
                found[str(font["/BaseFont"])] = _font(font)
    return list(found.values())


def _descendants(font: Any) -> Iterator[Any]:
    if font.get("/Subtype") == "/Type0":
        for child in font["/DescendantFonts"]:
            yield child.get_object()
    else:
        yield font


def _font(font: Any) -> PdfFont:
    found = font.get("/FontDescriptor")
    descriptor: Any = found.get_object() if found is not None else DictionaryObject()
    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return PdfFont(str(font["/BaseFont"]), embedded, float(descriptor.get("/ItalicAngle", 0)),
                   int(descriptor.get("/Flags", 0)))


def glyph_ids(path: Path) -> set[int]:
    """Return every glyph id shown with a two-byte (Identity-H) font; 0 is .notdef."""
    ids: set[int] = set()
    reader = PdfReader(path)
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        for operands, operator in content.operations:
            if operator in (b"Tj", b"TJ", b"'", b'"'):
                ids.update(_ids(operands))
    return ids


def _ids(operands: list[Any]) -> Iterator[int]:
    for operand in operands:
        if isinstance(operand, ArrayObject):
            yield from _ids(list(operand))
        elif isinstance(operand, bytes | TextStringObject):
            data = operand if isinstance(operand, bytes) else operand.get_original_bytes()
            yield from (int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2))


@dataclass
class StructElem:
    """One element of the structure tree."""

    tag: str
    alt: str | None
    kids: list[StructElem] = field(default_factory=list)

    def walk(self) -> Iterator[StructElem]:
        """Yield this element and every element under it, in document order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()


def structure(path: Path) -> StructElem | None:
    """Return the root (``Document``) of the structure tree, or None if it has none."""
    root: Any = PdfReader(path).trailer["/Root"]
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return None
    kids = list(_elements(tree.get_object().get("/K")))
    return kids[0] if len(kids) == 1 else StructElem("(root)", None, kids)


def _elements(node: Any) -> Iterator[StructElem]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject | list):
        for item in node:
            yield from _elements(item)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        alt = node.get("/Alt")
        yield StructElem(str(node["/S"]).lstrip("/"), None if alt is None else str(alt),
                         list(_elements(node.get("/K"))))


def outline_titles(path: Path) -> list[str]:
    """Return the titles of the bookmarks, depth first."""
    def titles(items: list[Any]) -> Iterator[str]:
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield str(item.title)

    return list(titles(PdfReader(path).outline))


def catalog(path: Path) -> Any:
    """Return the document catalogue (``/Lang``, ``/ViewerPreferences`` …)."""
    return PdfReader(path).trailer["/Root"].get_object()


def info(path: Path) -> dict[str, str]:
    """Return the document information dictionary (title, author, subject …)."""
    metadata: Any = PdfReader(path).metadata or {}
    return {str(k): str(v) for k, v in metadata.items()}


def xmp(path: Path) -> str:
    """Return the XMP metadata packet as text."""
    stream = catalog(path)["/Metadata"].get_object()
    return str(stream.get_data().decode("utf-8"))
