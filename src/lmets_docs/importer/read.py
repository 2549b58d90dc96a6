"""Read a translated DOCX: its source map, body paragraphs, the bookmarks each holds, its links,
styles and the headers and footers (whose locked facts are checked too).

The DOCX is read through ``ooxml.document`` (the one reader ``check`` shares); this module
adds what an import needs on top: bookmarks, links, tracked changes refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.sourcemap import SourceMap, read_source_map
from lmets_docs.ooxml.document import Document
from lmets_docs.ooxml.names import W
from lmets_docs.ooxml.package import Element, Package
from lmets_docs.ooxml.parts import relationships

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
    comments: list[str] = field(default_factory=list)
    """Each comment, which the import drops: ``paragraph 9: comment by X: …``."""

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


def read_document(package: Package, source_map: SourceMap | None = None) -> DocxText:
    """Return the source map (``source_map`` for one it lost), body, links and styles of an
    open DOCX."""
    source_map = source_map or read_source_map(package)
    doc = Document(package)
    refuse_tracked_changes(package.path, doc.body)
    styles = {sid: name.lower() for sid, name in doc.style_names.items()}
    paragraphs = body_paragraphs(doc, styles)
    return DocxText(package.path, source_map, paragraphs, holders(doc.body, paragraphs),
                    hyperlinks(package, doc.main), styles, [("body", doc.body), *extra_parts(doc)],
                    comments(doc))


COMMENTS = "comments"
"""The kind of the relationship to a document's comments part."""
SHOWN_CHARS = 200
"""The most characters of a comment quoted."""


def comments(doc: Document) -> list[str]:
    """Return ``paragraph N: comment by X: text`` for each comment of the document (Word's
    and Writer's), in the order of its comments part; N is where its mark is in the body."""
    found = []
    marks = {str(node.get(f"{W}id")): node
             for node in doc.body.iter(f"{W}commentReference", f"{W}commentRangeStart")}
    for _name, root in doc.related(COMMENTS):
        for comment in root.iterfind(f"{W}comment") if root is not None else ():
            text = " ".join(" ".join(t.text or "" for t in p.iter(f"{W}t"))
                            for p in comment.iter(f"{W}p")).strip()
            text = " ".join(text.split())
            text = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
            mark = marks.get(str(comment.get(f"{W}id")))
            where = (f"paragraph {_paragraph_number(doc.body, mark)}" if mark is not None
                     else "no paragraph")
            author = comment.get(f"{W}author") or "someone"
            found.append(f"{where}: comment by {author}: {text}")
    return found


def hyperlinks(package: Package, part: str) -> dict[str, str]:
    """Return the web addresses of a part's hyperlinks, by relationship id."""
    return {rid: rel.target for rid, rel in relationships(package, part).items()
            if rel.kind == "hyperlink"}


def extra_parts(doc: Document) -> Iterator[tuple[str, Element]]:
    """Yield ("footer 1", root) for every footer and header the main part relates to."""
    for kind in ("footer", "header"):
        for index, (_name, root) in enumerate(doc.related(kind), start=1):
            yield f"{kind} {index}", root


def refuse_tracked_changes(path: Path, body: Element) -> None:
    """Refuse a document with tracked changes: someone has to accept or reject them first."""
    change = next(body.iter(*TRACKED), None)
    if change is None:
        return
    number = _paragraph_number(body, change)
    raise ImportDocxError(
        f"{path}: paragraph {number}: the DOCX has tracked changes; accept or reject them "
        "all (Word: Review, Accept All Changes; LibreOffice Writer: Edit, Track Changes, "
        "Accept All) and save it again as .docx before importing")


def _paragraph_number(body: Element, node: Element) -> int:
    holder = node if node.tag == f"{W}p" else next(node.iterancestors(f"{W}p"), None)
    paragraphs = [p for p in body.iter(f"{W}p")]
    return paragraphs.index(holder) + 1 if holder in paragraphs else 0


def body_paragraphs(doc: Document, styles: dict[str, str]) -> list[DocParagraph]:
    """Return the body's paragraphs in order (tables' too; text boxes' are refused later)."""
    return [DocParagraph(p.number, p.element, styles.get(p.style_id, p.style_id.lower()),
                         tuple(str(b.get(f"{W}name")) for b in p.element.iter(f"{W}bookmarkStart")),
                         p.text)
            for p in doc.paragraphs(text_boxes=False)]


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
