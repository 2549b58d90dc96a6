"""Read a DOCX the one way ``check`` and the importer share: main part, styles, paragraphs, parts.

The package is opened with the zip-bomb-safe reader (``ooxml.package``) and parts are found by
relationships (``ooxml.parts``), as Word finds them. The XML is read directly because
python-docx's ``paragraph.text`` skips text inside content controls, which is exactly where the
locked facts live. What each side makes of it (findings, a translated leaflet) stays with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from lmets_docs.errors import ImportDocxError
from lmets_docs.ooxml.names import DS, NS, W
from lmets_docs.ooxml.package import Element, Package, open_package
from lmets_docs.ooxml.parts import MAIN, related, relationships

STYLES = "word/styles.xml"
CORE = "docProps/core.xml"
CUSTOM = "docProps/custom.xml"
CUSTOM_XML_ITEM = re.compile(r"customXml/item\d+\.xml")
TEXT_NODES = (f"{W}t", f"{W}tab", f"{W}br", f"{W}cr")
TEXT_BOX = f"{W}txbxContent"


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph: its number (from 1), XML, style id ("" if none) and text."""

    number: int
    element: Element
    style_id: str
    text: str


class Document:
    """An open DOCX: its main part and body, styles, properties and related parts.

    Use it as a context manager (or call ``close``); parts other than the main document,
    the styles and the properties are read when asked for.
    """

    def __init__(self, package: Package) -> None:
        self.package = package
        self.path = package.path
        self.main = main_part(package)
        root = package.xml(self.main)
        body = root.find(f"{W}body") if root is not None else None
        if body is None:
            raise ImportDocxError(f"{package.path}: not a Word document: it has no "
                                  f"{self.main} body")
        self.root: Element = root
        self.body: Element = body
        self.styles: Element | None = package.xml(STYLES)
        self.style_names = style_names(self.styles)
        self.core: Element | None = package.xml(CORE)
        self.custom: Element | None = package.xml(CUSTOM)

    def __enter__(self) -> Document:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the package (parts already read stay readable)."""
        self.package.__exit__(None, None, None)

    def style_name(self, style_id: str) -> str:
        """Return a style's name as the styles part writes it (its id if it has none)."""
        return self.style_names.get(style_id, style_id)

    def paragraphs(self, *, text_boxes: bool = True) -> list[Paragraph]:
        """Return the body's paragraphs in order, tables' included, text boxes' if asked."""
        found = []
        for number, p in enumerate(body_paragraphs(self.body, text_boxes), start=1):
            style = p.find(f"{W}pPr/{W}pStyle")
            style_id = str(style.get(f"{W}val")) if style is not None else ""
            found.append(Paragraph(number, p, style_id, paragraph_text(p, text_boxes=text_boxes)))
        return found

    def related(self, kind: str) -> list[tuple[str, Element]]:
        """Return (name, root) of the parts of one kind the main part relates to, in id order."""
        return [(name, self.package.xml(name)) for name in related(self.package, kind, self.main)]

    def custom_property(self, name: str) -> str | None:
        """Return a custom document property's value, or None."""
        for prop in self.custom.iterfind("op:property", NS) if self.custom is not None else ():
            if prop.get("name") == name:
                return "".join(prop.itertext()).strip()
        return None

    def data_stores(self) -> dict[str, Element]:
        """Return the custom XML parts content controls may be bound to, by their item id."""
        found: dict[str, Element] = {}
        for item, data in self.related("customXml"):
            for props in related(self.package, "customXmlProps", item):
                root = self.package.xml(props)
                item_id = root.get(f"{DS}itemID") if root is not None else None
                if item_id and data is not None:
                    found[str(item_id).upper()] = data
        return found

    def custom_xml(self) -> Iterator[tuple[str, Element]]:
        """Yield (name, root) of every ``customXml/itemN.xml`` part, related or not, by name."""
        return custom_xml(self.package)


def open_document(path: Path) -> Document:
    """Open ``path`` as a DOCX through the zip-bomb-safe reader; close it on failure."""
    package = open_package(path)
    try:
        return Document(package)
    except BaseException:
        package.__exit__(None, None, None)
        raise


def custom_xml(package: Package) -> Iterator[tuple[str, Element]]:
    """Yield (name, root) of every ``customXml/itemN.xml`` part, related or not, by name.

    The source map is found so (not by relationship): a program that re-saves the DOCX may
    keep the part but drop the relationship.
    """
    for name in sorted(n for n in package.names if CUSTOM_XML_ITEM.fullmatch(n)):
        root = package.xml(name)
        if root is not None:
            yield name, root


def main_part(package: Package) -> str:
    """Return the name of the main document part (from the package relationships)."""
    for rel in relationships(package, "").values():
        if rel.kind == "officeDocument" and not rel.external and rel.target in package.names:
            return rel.target
    if MAIN in package.names:
        return MAIN
    raise ImportDocxError(f"{package.path}: not a Word document (no {MAIN})")


def style_names(styles: Element | None) -> dict[str, str]:
    """Return style id → style name, as the styles part writes them."""
    names = {}
    for style in styles.iterfind(f"{W}style") if styles is not None else ():
        name = style.find(f"{W}name")
        if name is not None:
            names[str(style.get(f"{W}styleId"))] = str(name.get(f"{W}val", ""))
    return names


def body_paragraphs(part: Element, text_boxes: bool = True) -> Iterator[Element]:
    """Yield a part's paragraphs in document order, skipping text boxes' unless asked."""
    for p in part.iter(f"{W}p"):
        if text_boxes or not in_text_box(p):
            yield p


def in_text_box(node: Element) -> bool:
    """Say whether a node lies inside a text box."""
    return next(node.iterancestors(TEXT_BOX), None) is not None


def paragraph_text(p: Element, *, text_boxes: bool = True) -> str:
    """Return the text Word shows for a paragraph (tabs and breaks as spaces)."""
    parts = []
    for node in p.iter(*TEXT_NODES):
        if text_boxes or not in_text_box(node):
            parts.append(node.text or "" if node.tag == f"{W}t" else " ")
    return "".join(parts)
