"""Read a translated DOCX: its source map, body paragraphs, the bookmarks each holds, its links,
styles and the headers and footers (whose locked facts are checked too).

The XML is read directly (as ``check`` does), because python-docx's text skips content
controls, where the facts are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.sourcemap import SourceMap, read_source_map
from lmets_docs.ooxml.names import W
from lmets_docs.ooxml.package import Element, Package
from lmets_docs.ooxml.parts import MAIN, relationships

HEADERS_FOOTERS = re.compile(r"word/(header|footer)(\d*)\.xml")
TRACKED = (f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")
EXCERPT = 60


@dataclass(frozen=True)
class DocParagraph:
    """One body paragraph: its number (from 1), XML, style name, bookmarks started in it, text."""

    number: int
    element: Element
    style: str
    bookmarks: tuple[str, ...]
    text: str

    def place(self, unit: str | None = None) -> str:
        """Return how a message names this paragraph: ``paragraph 12 (chemotherapy.3, "…")``."""
        inside = [part for part in (unit, excerpt(self.text) if self.text.strip() else None)
                  if part]
        return f"paragraph {self.number}" + (f" ({', '.join(inside)})" if inside else "")

    def has_picture(self) -> bool:
        """Say whether the paragraph holds a drawing (a picture)."""
        return self.element.find(f".//{W}drawing") is not None


@dataclass
class DocxText:
    """What an import reads from a DOCX."""

    path: Path
    source_map: SourceMap
    paragraphs: list[DocParagraph]
    holders: dict[str, DocParagraph]
    links: dict[str, str]
    styles: dict[str, str]
    parts: list[tuple[str, Element]] = field(default_factory=list)
    """(place, root) of the body, headers and footers: where locked facts can be."""

    def paragraph_of(self, element: Element | None) -> DocParagraph | None:
        """Return the body paragraph of an XML paragraph element, if it is one."""
        return next((p for p in self.paragraphs if p.element is element), None)

    def unit_at(self, paragraph: DocParagraph) -> str | None:
        """Return the id of the source unit a paragraph holds (its innermost), if any."""
        ids = [u.id for u in self.source_map.units
               if u.shape != "list" and self.holders.get(u.bookmark) is paragraph]
        return ids[-1] if ids else None


def excerpt(text: str) -> str:
    """Return a short quoted excerpt of a text, whitespace folded."""
    folded = " ".join(text.split())
    return repr(folded if len(folded) <= EXCERPT else folded[:EXCERPT - 1] + "…")


def read_document(package: Package) -> DocxText:
    """Return the source map, body, links and styles of an open DOCX."""
    source_map = read_source_map(package)
    name = main_part(package)
    root = package.xml(name)
    body = root.find(f"{W}body") if root is not None else None
    if body is None:
        raise ImportDocxError(f"{package.path}: not a Word document: it has no {name} body")
    refuse_tracked_changes(package.path, body)
    styles = style_names(package)
    paragraphs = body_paragraphs(body, styles)
    return DocxText(package.path, source_map, paragraphs, holders(body, paragraphs),
                    hyperlinks(package, name), styles, [("body", body), *extra_parts(package)])


def main_part(package: Package) -> str:
    """Return the name of the main document part (from the package relationships)."""
    for rel in relationships(package, "").values():
        if rel.kind == "officeDocument":
            return rel.target
    if MAIN in package.names:
        return MAIN
    raise ImportDocxError(f"{package.path}: not a Word document (no {MAIN})")


def hyperlinks(package: Package, part: str) -> dict[str, str]:
    """Return the web addresses of a part's hyperlinks, by relationship id."""
    return {rid: rel.target for rid, rel in relationships(package, part).items()
            if rel.kind == "hyperlink"}


def style_names(package: Package) -> dict[str, str]:
    """Return style id → style name, lower case (Word writes built-in names so)."""
    root = package.xml("word/styles.xml")
    names = {}
    for style in root.iterfind(f"{W}style") if root is not None else ():
        name = style.find(f"{W}name")
        if name is not None:
            names[str(style.get(f"{W}styleId"))] = str(name.get(f"{W}val", "")).lower()
    return names


def extra_parts(package: Package) -> Iterator[tuple[str, Element]]:
    """Yield ("footer 1", root) for every header and footer part."""
    for name in sorted(package.names):
        match = HEADERS_FOOTERS.fullmatch(name)
        root = package.xml(name) if match else None
        if match and root is not None:
            yield f"{match.group(1)} {match.group(2) or 1}", root


def refuse_tracked_changes(path: Path, body: Element) -> None:
    """Refuse a document with tracked changes: someone has to accept or reject them first."""
    change = next(body.iter(*TRACKED), None)
    if change is None:
        return
    number = _paragraph_number(body, change)
    raise ImportDocxError(
        f"{path}: paragraph {number}: the DOCX has tracked changes; accept or reject them "
        "all in Word (Review, Accept All Changes) and save it again before importing")


def _paragraph_number(body: Element, node: Element) -> int:
    holder = node if node.tag == f"{W}p" else next(node.iterancestors(f"{W}p"), None)
    paragraphs = [p for p in body.iter(f"{W}p")]
    return paragraphs.index(holder) + 1 if holder in paragraphs else 0


def body_paragraphs(body: Element, styles: dict[str, str]) -> list[DocParagraph]:
    """Return the body's paragraphs in order (tables' too; text boxes' are refused later)."""
    found = []
    for number, p in enumerate(_paragraphs(body), start=1):
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = str(style.get(f"{W}val")) if style is not None else ""
        marks = tuple(str(b.get(f"{W}name")) for b in p.iter(f"{W}bookmarkStart"))
        found.append(DocParagraph(number, p, styles.get(style_id, style_id.lower()), marks,
                                  paragraph_text(p)))
    return found


def _paragraphs(body: Element) -> Iterator[Element]:
    for p in body.iter(f"{W}p"):
        if next(p.iterancestors(f"{W}txbxContent"), None) is None:
            yield p


def paragraph_text(p: Element) -> str:
    """Return the text Word shows for a paragraph (tabs and breaks as spaces)."""
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if next(node.iterancestors(f"{W}txbxContent"), None) is None:
            parts.append(node.text or "" if node.tag == f"{W}t" else " ")
    return "".join(parts)


def holders(body: Element, paragraphs: list[DocParagraph]) -> dict[str, DocParagraph]:
    """Return bookmark name → the paragraph its start is in (or, between paragraphs, the next)."""
    by_element = {p.element: p for p in paragraphs}
    found: dict[str, DocParagraph] = {}
    for start in body.iter(f"{W}bookmarkStart"):
        holder = next(start.iterancestors(f"{W}p"), None)
        if holder is None:
            holder = next(iter(start.itersiblings(f"{W}p")), None)
        paragraph = by_element.get(holder) if holder is not None else None
        if paragraph is not None:
            found.setdefault(str(start.get(f"{W}name")), paragraph)
    return found
