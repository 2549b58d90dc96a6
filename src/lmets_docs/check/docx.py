"""Read a built DOCX back from its XML: body, headers, footers, properties and styles.

The XML is read directly (zipfile + lxml) because python-docx's ``paragraph.text`` skips text
inside content controls, which is exactly where the locked facts live.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from lmets_docs.check import docx_text
from lmets_docs.check.facts import main_phone
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.ooxml.names import DS, NS, WP, W
from lmets_docs.ooxml.package import Package, open_package
from lmets_docs.ooxml.parts import (
    MAIN,
    Element,
    Relationship,
    content_type,
    related,
    relationships,
)

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
    """The parts of a DOCX that ``check`` reads, parsed once (through the zip-bomb-safe reader).

    Headers, footers, notes and comments are the parts the main document's relationships
    name, as Word finds them; ``parts`` lists every part that holds text a reader sees.
    """

    def __init__(self, path: Path) -> None:
        with open_package(path) as package:
            document = package.xml(MAIN)
            if document is None:
                raise ValueError(f"no {MAIN}: not a Word document")
            self.document: Element = document
            self.styles = package.xml("word/styles.xml")
            self.core = package.xml("docProps/core.xml")
            self.custom = package.xml("docProps/custom.xml")
            self.parts: list[tuple[str, str, Element]] = [("body", MAIN, document)]
            for kind in TEXT_PARTS:
                self.parts += [(kind, n, package.xml(n)) for n in related(package, kind)]
            self.rels = {name: relationships(package, name) for _k, name, _r in self.parts}
            self.chunks = _chunks(package, self.rels)
            self.embedded = [name for _kind, name in _targets(package, self.rels, EMBEDDED_PARTS)]
            self.graphic_roots = [(kind, name, package.xml(name))
                                  for kind, name in _targets(package, self.rels, GRAPHIC_PARTS)]
            bound = any(root.find(f".//{W}dataBinding") is not None for _k, _n, root in self.parts)
            self.stores = _stores(package) if bound else {}
        self.headers = [root for kind, _n, root in self.parts if kind == "header"]
        self.footers = [root for kind, _n, root in self.parts if kind == "footer"]
        self.style_names = self._style_names()

    def _style_names(self) -> dict[str, str]:
        if self.styles is None:
            return {}
        return {
            str(s.get(f"{W}styleId")): str(s.find("w:name", NS).get(f"{W}val"))
            for s in self.styles.iterfind("w:style", NS)
            if s.find("w:name", NS) is not None
        }

    def paragraphs(self) -> Iterator[tuple[int, str, str]]:
        """Yield (number, style name, text) for every body paragraph, content controls included."""
        body = self.document.find("w:body", NS)
        for number, para in enumerate(body.iter(f"{W}p"), start=1):
            style = para.find("w:pPr/w:pStyle", NS)
            style_id = str(style.get(f"{W}val")) if style is not None else "Normal"
            yield number, self.style_names.get(style_id, style_id), paragraph_text(para)

    def custom_property(self, name: str) -> str | None:
        """Return a custom document property's value, or None."""
        if self.custom is None:
            return None
        for prop in self.custom.iterfind("op:property", NS):
            if prop.get("name") == name:
                return "".join(prop.itertext()).strip()
        return None


def _stores(package: Package) -> dict[str, Element]:
    """Return the custom XML parts content controls may be bound to, by their item id."""
    found: dict[str, Element] = {}
    for item in related(package, "customXml"):
        for props in related(package, "customXmlProps", item):
            root = package.xml(props)
            item_id = root.get(f"{DS}itemID") if root is not None else None
            data = package.xml(item)
            if item_id and data is not None:
                found[str(item_id).upper()] = data
    return found


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


def paragraph_text(para: Element) -> str:
    """Return the text Word shows for a paragraph (tabs and breaks as spaces)."""
    parts = []
    for node in para.iter(f"{W}t", f"{W}tab", f"{W}br"):
        parts.append(node.text or "" if node.tag == f"{W}t" else " ")
    return "".join(parts)


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return all the text a reader of the DOCX sees, and its source hash.

    Body paragraphs, headers and footers, then what ``docx_text`` finds besides: notes,
    comments, alternative text, field codes, link targets, imported parts, tracked deletions.
    """
    docx = Docx(path)
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
    return artifact


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the accessibility rules of STANDARDS.md that the DOCX breaks."""
    docx = Docx(path)
    findings = list(_properties(path, docx, manifest))
    findings += _headings(path, docx, manifest)
    findings += _bullets(path, docx)
    findings += _images(path, docx)
    findings += _footer(path, docx, manifest)
    findings += _fact_controls(path, docx, manifest)
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


def _footer(path: Path, docx: Docx, manifest: Manifest) -> Iterator[Finding]:
    main = main_phone(manifest)
    phone = manifest.facts.get(main) if main else None
    footers = " ".join(" ".join(paragraph_text(p) for p in f.iter(f"{W}p")) for f in docx.footers)
    if phone and phone.printed not in footers:
        yield error(
            path,
            "footer",
            f"the helpline {phone.printed!r} is not in the footer",
            "docx-footer-helpline",
        )


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
