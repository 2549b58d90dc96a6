"""Read a built DOCX back: the text a reader sees and the accessibility rules it breaks.

The document is read through ``ooxml.document`` (the one DOCX reader ``check`` and the
importer share); this module holds what ``check`` makes of it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from lmets_docs.check import bounds, docx_text, footer, numbered
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.shown import read_as_shown
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.ooxml.document import open_document, paragraph_text
from lmets_docs.ooxml.names import NS, WP, W
from lmets_docs.ooxml.package import Package
from lmets_docs.ooxml.parts import Element, Relationship, content_type, relationships
from lmets_docs.ooxml.styles import HELPLINE_BOX_STYLE, HELPLINE_NUMBER_STYLE, REVIEW_DATES_STYLE

SOURCE_HASH_PROPERTY = "lmets:source_hash"
READ_ERRORS: tuple[type[Exception], ...] = (etree.LxmlError,)
"""What reading a corrupt or foreign file raises (a finding, not a crash)."""
TYPED_BULLET = re.compile("^\\s*[\u2022\u00b7\u25aa\u25e6\u2023\u2013*-]\\s")
HEADING = re.compile(r"^heading (\d)$", re.IGNORECASE)
PROPERTIES = ("dc:subject", "dc:description", "cp:keywords")
"""Document properties Word shows (File > Info) besides the title, which is checked itself."""
TEXT_PARTS = ("header", "footer", "footnotes", "endnotes", "comments")
"""The kinds of part, besides the main document, whose text Word shows."""
GRAPHIC_PARTS = ("chart", "diagramData")
"""Parts drawn in the page whose words are DrawingML text: charts and SmartArt."""
EMBEDDED_PARTS = ("oleObject", "package")
"""Embedded objects (a spreadsheet, another document): Word shows them; check cannot read them."""
IMAGE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|bmp|tiff?|emf|wmf)$", re.IGNORECASE)


class Docx:
    """The parts of a DOCX that ``check`` reads, parsed once (through ``ooxml.document``).

    Headers, footers, notes and comments are the parts the main document's relationships
    name, as Word finds them; ``parts`` lists every part that holds text a reader sees.
    """

    def __init__(self, path: Path) -> None:
        with open_document(path) as doc:
            self.doc = doc
            self.document: Element = doc.root
            self.styles = doc.styles
            self.core = doc.core
            self.parts: list[tuple[str, str, Element]] = [("body", doc.main, doc.root)]
            for kind in TEXT_PARTS:
                self.parts += [(kind, name, root) for name, root in doc.related(kind)]
            package = doc.package
            self.rels = {name: relationships(package, name) for _k, name, _r in self.parts}
            self.chunks = _chunks(package, self.rels)
            self.embedded = [name for _kind, name in _targets(package, self.rels, EMBEDDED_PARTS)]
            self.graphic_roots = [(kind, name, package.xml(name))
                                  for kind, name in _targets(package, self.rels, GRAPHIC_PARTS)]
            bound = any(root.find(f".//{W}dataBinding") is not None for _k, _n, root in self.parts)
            self.stores = doc.data_stores() if bound else {}
            self.body: Element = doc.body
            self.numbering: Element | None = next(
                (root for _name, root in doc.related("numbering")), None)
        self.headers = [root for kind, _n, root in self.parts if kind == "header"]
        self.footers = [root for kind, _n, root in self.parts if kind == "footer"]

    def paragraphs(self) -> Iterator[tuple[int, str, str]]:
        """Yield (number, style name, text) for every body paragraph, content controls included."""
        for p in self.doc.paragraphs():
            yield p.number, self.doc.style_name(p.style_id or "Normal"), p.text

    def custom_property(self, name: str) -> str | None:
        """Return a custom document property's value, or None."""
        return self.doc.custom_property(name)


class _Last:
    """The DOCX parsed last in this process, by its path and the SHA-256 of its bytes."""

    lock = threading.Lock()
    key: tuple[str, bytes] | None = None
    docx: Docx | None = None


def parsed(path: Path) -> Docx:
    """Return the DOCX at ``path`` parsed, once for ``read`` and ``accessibility`` together.

    ``check`` reads a file's text and then proves its rules, one right after the other: the
    parse (0.013 s of CPU for the seed's DOCX, a third of its check) is kept for the one file
    parsed last, and used again while the file holds the same bytes (hashing them: 40 µs).
    """
    key = (str(path), hashlib.sha256(path.read_bytes()).digest())
    with _Last.lock:
        if _Last.key == key and _Last.docx is not None:
            return _Last.docx
    docx = Docx(path)
    with _Last.lock:
        _Last.key, _Last.docx = key, docx
    return docx


def _targets(
    package: Package, rels: dict[str, dict[str, Relationship]], kinds: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Return (kind, part name) of every part of those kinds that a text part relates to."""
    found = {
        (rel.kind, rel.target)
        for part in rels.values()
        for rel in part.values()
        if rel.kind in kinds and not rel.external and rel.target in package.names
    }
    return sorted(found)


def _chunks(
    package: Package, rels: dict[str, dict[str, Relationship]]
) -> dict[str, tuple[str, bytes]]:
    """Return each imported part (``altChunk``) by name: its content type and its bytes."""
    targets = {
        rel.target
        for part in rels.values()
        for rel in part.values()
        if rel.kind == "aFChunk" and not rel.external and rel.target in package.names
    }
    return {name: (content_type(package, name), package.read(name)) for name in sorted(targets)}


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return all the text a reader of the DOCX sees, and its source hash.

    Body paragraphs, headers and footers, then what ``docx_text`` finds besides: notes,
    comments, alternative text, field codes, link targets, imported parts, tracked deletions.
    """
    docx = parsed(path)
    passages = [Passage(f"paragraph {n}", text) for n, _style, text in docx.paragraphs() if text]
    for kind, parts in (("header", docx.headers), ("footer", docx.footers)):
        for index, part in enumerate(parts, start=1):
            text = " ".join(paragraph_text(p) for p in part.iter(f"{W}p"))
            passages.append(Passage(f"{kind} {index}", text))
    if docx.core is not None:
        for tag in PROPERTIES:
            found = docx.core.findtext(tag, "", NS)
            passages.append(Passage(f"properties {tag.split(':')[1]}", found))
    artifact = ArtifactText(path, passages, docx.custom_property(SOURCE_HASH_PROPERTY))
    docx_text.read_more(docx, artifact, manifest)
    return read_as_shown(artifact)


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the accessibility rules of STANDARDS.md that the DOCX breaks."""
    docx = parsed(path)
    findings = list(_properties(path, docx, manifest))
    findings += _headings(path, docx, manifest)
    findings += _bullets(path, docx)
    findings += _images(path, docx)
    findings += _captions(path, docx)
    findings += _footer(path, docx, manifest)
    findings += _first_page(path, docx, manifest, entry)
    findings += _fact_controls(path, docx, manifest)
    findings += numbered.docx_findings(path, docx.body, docx.numbering, docx.styles,
                                       entry.details)
    return findings


def _properties(path: Path, docx: Docx, manifest: Manifest) -> Iterator[Finding]:
    title = docx.core.findtext("dc:title", "", NS) if docx.core is not None else ""
    language = docx.core.findtext("dc:language", "", NS) if docx.core is not None else ""
    if title != manifest.title:
        yield error(
            path, "properties", f"title is {title!r}, expected {manifest.title!r}", "docx-title"
        )
    if language != manifest.lang:
        yield error(
            path, "properties", f"language is {language!r}, expected {manifest.lang!r}", "docx-lang"
        )
    lang = (
        docx.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        if docx.styles is not None
        else None
    )
    values = set(lang.attrib.values()) if lang is not None else set()
    if manifest.lang not in values:
        yield error(
            path, "styles", f"no w:lang {manifest.lang!r} in the style defaults", "docx-w-lang"
        )


def _headings(path: Path, docx: Docx, manifest: Manifest) -> Iterator[Finding]:
    levels: list[tuple[int, int]] = []
    styled: dict[str, tuple[int, str]] = {}
    for number, style, text in docx.paragraphs():
        match = HEADING.match(style)
        if match:
            levels.append((number, int(match.group(1))))
        styled.setdefault(" ".join(text.split()), (number, style))
    if not levels or levels[0][1] != 1:
        yield error(path, "headings", "the first heading must be Heading 1", "docx-heading-order")
    for (_, before), (number, after) in itertools.pairwise(levels):
        if after > before + 1:
            yield error(
                path,
                f"paragraph {number}",
                f"heading level skipped: Heading {before} then Heading {after}",
                "docx-heading-order",
            )
    for section in manifest.sections:
        number, style = styled.get(section["title"], (0, ""))
        if not number:
            yield error(
                path, "headings", f"section {section['title']!r} is missing", "docx-section"
            )
        elif not HEADING.match(style):
            yield error(
                path,
                f"paragraph {number}",
                f"section heading {section['title']!r} is in style {style!r}, not a heading style",
                "docx-heading-style",
            )


def _bullets(path: Path, docx: Docx) -> Iterator[Finding]:
    for number, style, text in docx.paragraphs():
        if TYPED_BULLET.match(text) and "list" not in style.lower():
            yield error(
                path,
                f"paragraph {number}",
                f"typed bullet in style {style!r}: use List Bullet",
                "docx-typed-bullet",
            )


def _images(path: Path, docx: Docx) -> Iterator[Finding]:
    for number, doc_pr in enumerate(docx.document.iter(f"{WP}docPr"), start=1):
        descr = (doc_pr.get("descr") or "").strip()
        if not descr or IMAGE_NAME.search(descr):
            yield error(
                path,
                f"image {number}",
                f"alternative text {descr!r} is missing or a file name",
                "docx-alt-text",
            )


def _captions(path: Path, docx: Docx) -> Iterator[Finding]:
    """Check every body picture has its caption under it, saying its alternative text.

    A printed DOCX shows no alternative text: the caption (Word's Caption style, in the
    paragraph after the picture's) is how a reader of the paper gets the description.
    """
    paragraphs = docx.doc.paragraphs()
    for index, para in enumerate(paragraphs):
        for doc_pr in para.element.iter(f"{WP}docPr"):
            descr = " ".join((doc_pr.get("descr") or "").split())
            after = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if after is None or docx.doc.style_name(after.style_id).lower() != "caption":
                yield error(path, f"paragraph {para.number}", "the picture has no caption "
                            f"under it (a paragraph in the Caption style saying {descr!r})",
                            "docx-caption")
            elif " ".join(after.text.split()) != descr:
                yield error(path, f"paragraph {after.number}",
                            f"the picture's caption {' '.join(after.text.split())!r} is not "
                            f"its alternative text {descr!r}", "docx-caption")


def _footer(path: Path, docx: Docx, manifest: Manifest) -> Iterator[Finding]:
    """Check the footer says the main contact's number and hours (or its name without a
    number), as the writer prints them: "Helpline: <number>, <hours>"."""
    want = footer.expected(manifest, "hours unbroken")
    footers = " ".join(" ".join(paragraph_text(p) for p in f.iter(f"{W}p")) for f in docx.footers)
    folded = " ".join(footers.split())
    for name, printed in (want.required if want else {}).items():
        if not bounds.holds(folded, " ".join(printed.split())):
            what = "the helpline" if name.endswith(".phone") else name
            yield error(path, "footer", f"{what} {printed!r} is not in the footer",
                        "docx-footer-helpline")


BOX_STYLES = frozenset(s.lower() for s in (HELPLINE_BOX_STYLE, HELPLINE_NUMBER_STYLE))
CONTACT_FIELDS = ("name", "phone", "hours", "email", "web", "note")
"""A contact's facts, each a line of the helpline box (``furniture.contact``)."""
REVIEW_DATES = ("review.last_reviewed", "review.next_review_due")


def _first_page(path: Path, docx: Docx, manifest: Manifest, entry: ArtifactEntry
                ) -> Iterator[Finding]:
    """Check the helpline box under the title gives every contact's facts, and the review
    dates under it both dates, as the writer printed them (read from the paragraphs in their
    styles, whether or not their content controls are still there).

    A DOCX made before the box (its manifest does not say ``helpline_box``) is not asked for it.
    """
    if not entry.details.get("helpline_box"):
        return
    box, dates = [], []
    for _number, style, text in docx.paragraphs():
        if style.lower() in BOX_STYLES:
            box.append(text)
        elif style.lower() == REVIEW_DATES_STYLE.lower():
            dates.append(text)
    for where, texts, names, pdf in (
        ("helpline box", box, [n for n in manifest.facts if n.startswith("contacts.")
                               and n.rsplit(".", 1)[-1] in CONTACT_FIELDS], CONTACTS_IN_PDF),
        ("review dates", dates, [n for n in REVIEW_DATES if n in manifest.facts], DATES_IN_PDF),
    ):
        folded = " ".join(" ".join(texts).split())
        for name in names:
            printed = " ".join(manifest.facts[name].printed.split())
            if not bounds.holds(folded, printed):
                yield error(path, where, f"{name} {printed!r} is not in the {where} under "
                            f"the title ({pdf})", "docx-first-page")


CONTACTS_IN_PDF = ("the large-print PDF gives the main contact on its first page, the rest "
                   "after the text")
DATES_IN_PDF = "as the large-print PDF's first page gives them"


def _fact_controls(path: Path, docx: Docx, manifest: Manifest) -> Iterator[Finding]:
    """Compare every locked fact box (content control tagged ``fact:<name>``) with its fact."""
    parts = [
        ("body", docx.document),
        *(("footer", f) for f in docx.footers),
        *(("header", h) for h in docx.headers),
    ]
    for where, part in parts:
        for number, sdt in enumerate(part.iter(f"{W}sdt"), start=1):
            tag = sdt.find("w:sdtPr/w:tag", NS)
            name = str(tag.get(f"{W}val", "")) if tag is not None else ""
            if not name.startswith("fact:") or name[5:] not in manifest.facts:
                continue
            expected = manifest.facts[name[5:]].printed
            found = "".join(t.text or "" for t in sdt.iterfind("w:sdtContent//w:t", NS))
            if found != expected:
                yield error(
                    path,
                    f"{where}, fact box {number} ({name[5:]})",
                    f"{name[5:]} reads {found!r}, the leaflet says {expected!r}",
                    "fact-box",
                )
