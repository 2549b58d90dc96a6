"""Read the rest of what a DOCX shows or says: notes, comments, alt text, fields, links, chunks.

Word shows far more than the body's paragraphs: comments in the margin, footnotes and
endnotes, the alternative text a screen reader reads for a picture, the codes behind fields
(a ``HYPERLINK "tel:…"`` dials what it says, not what its result shows), the targets of
links, parts imported whole (``altChunk``: Word renders an HTML or text file in place) and,
with tracked changes shown, deleted text. Each becomes a passage for the number and date
finders; a tracked deletion of a fact, a bad link target, a link's printed address that is
not its target and an imported part that cannot be read are findings of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lxml import etree

from lmets_docs.check.facts import manifest_region
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.links import (
    link_findings,
    link_passage,
    named_links,
    same_address,
)
from lmets_docs.check.seen import carries_facts, unseen
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import Manifest
from lmets_docs.ooxml.names import CHART, LINK_ADDRESS_TAG, A, R, W
from lmets_docs.ooxml.package import parse_xml
from lmets_docs.ooxml.parts import Element, Relationship
from lmets_docs.scan import dates, phone_numbers
from lmets_docs.text import printed_address

if TYPE_CHECKING:
    from lmets_docs.check.docx import Docx

R_ID = f"{R}id"
NOTES = {"footnotes": f"{W}footnote", "endnotes": f"{W}endnote", "comments": f"{W}comment"}
DRAWN_TEXT = (f"{A}t", f"{CHART}v")
"""DrawingML text runs and chart values (titles, labels, the numbers behind a chart)."""
TABLE_ALT = (f"{W}tblCaption", f"{W}tblDescription")
"""A table's title and description: its alternative text."""
ALT_ATTRIBUTES = ("descr", "title", "alt")
PREFIX_MAPPING = re.compile(r"""xmlns:(\w+)=['"]([^'"]*)['"]""")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings and isolates: the writer isolates an address in right-to-left text."""
HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"([^"]+)"', re.IGNORECASE)
HTML_TYPES = ("text/html", "application/xhtml+xml")
WORD_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",)


def read_more(docx: Docx, text: ArtifactText, manifest: Manifest) -> None:
    """Add every other text of the DOCX to ``text``, and what is wrong with it to its findings."""
    counters: dict[str, int] = {}
    for kind, name, root in docx.parts:
        counters[kind] = counters.get(kind, 0) + 1
        prefix = "" if kind == "body" else f"{kind.rstrip('s')} {counters[kind]}, "
        part = _Part(docx, text, manifest, name, prefix)
        if kind in NOTES:
            part.notes(root, NOTES[kind], kind.rstrip("s"))
        part.scan(root)
    for number, (kind, name, root) in enumerate(docx.graphic_roots, start=1):
        words = " ".join(t.text or "" for t in root.iter(DRAWN_TEXT)) if root is not None else ""
        if words.strip():
            text.passages.append(Passage(f"{kind} {number} ({name})", words))
    for name in docx.embedded:
        text.findings.append(error(text.path, f"embedded object {name}", "Word shows this "
                                   "embedded object, which check cannot read; paste its text "
                                   "into the document instead", "docx-embedded-object"))


class _Part:
    """One part being read: where its passages and findings go, and how to name places."""

    def __init__(
        self, docx: Docx, text: ArtifactText, manifest: Manifest, name: str, prefix: str
    ) -> None:
        self.docx, self.text, self.manifest = docx, text, manifest
        self.rels: dict[str, Relationship] = docx.rels.get(name, {})
        self.prefix = prefix
        self.numbers: dict[Element, int] = {}

    def add(self, place: str, content: str) -> None:
        if content.strip():
            self.text.passages.append(Passage(place, content))

    def place(self, node: Element) -> str:
        """Return "paragraph N" for the paragraph holding ``node`` (prefixed outside the body)."""
        para = next(node.iterancestors(f"{W}p"), None)
        if para is None:
            return self.prefix.rstrip(", ") or "document"
        return f"{self.prefix}paragraph {self.numbers.get(para, 0)}"

    def notes(self, root: Element, tag: str, label: str) -> None:
        for note in root.iter(tag):
            content = " ".join(_shown(p) for p in note.iter(f"{W}p"))
            self.add(f"{label} {note.get(f'{W}id', '?')}", content)

    def scan(self, root: Element) -> None:
        self.numbers = {p: n for n, p in enumerate(root.iter(f"{W}p"), start=1)}
        for number, node in enumerate(_described(root), start=1):
            content = " ".join(_alt(node))
            place = f"{self.prefix}image {number} alternative text"
            self.add(place, content)
            if node.tag not in TABLE_ALT and carries_facts(content, self.manifest):
                self.text.findings.append(
                    unseen(self.text.path, place, content, "docx-unseen-text"))
        self.fields(root)
        self.links(root)
        self.fact_links(root)
        self.deletions(root)
        self.chunks(root)
        self.bindings(root)

    def fields(self, root: Element) -> None:
        codes: dict[str, list[str]] = {}
        for node in root.iter(f"{W}instrText", f"{W}fldSimple"):
            code = node.text if node.tag == f"{W}instrText" else node.get(f"{W}instr")
            codes.setdefault(self.place(node), []).append(code or "")
        for place, parts in codes.items():
            code = "".join(parts)
            self.add(f"{place}, field code", code)
            for target in HYPERLINK_FIELD.findall(code):
                self.link(f"{place}, field code", target)

    def links(self, root: Element) -> None:
        for node in root.iter(f"{W}hyperlink"):
            rel = self.rels.get(str(node.get(R_ID, "")))
            if rel is not None and rel.external:
                self.link(self.place(node), rel.target)
                self.printed_address(node, rel.target)
                self.dialled(node, rel.target)
                self.addressed(node, rel.target)

    def printed_address(self, link: Element, target: str) -> None:
        """Prove the address printed after a link's words (" (www.nhs.uk/…)", in its locked
        control) is the link's target: a reader of the paper types what is printed."""
        want = f" ({printed_address(target, '')})"
        for sdt in link.iter(f"{W}sdt"):
            tag = sdt.find(f"{W}sdtPr/{W}tag")
            if tag is None or tag.get(f"{W}val") != LINK_ADDRESS_TAG:
                continue
            shown = BIDI_CONTROLS.sub("", "".join(t.text or "" for t in sdt.iter(f"{W}t")))
            if shown.lstrip(" ") != want.lstrip(" "):  # a fact's: its space before the control
                self.text.findings.append(error(
                    self.text.path, self.place(link), f"the address printed after the "
                    f"link's words, {shown.strip()!r}, is not its target {target!r}",
                    "docx-link-text"))

    def fact_links(self, root: Element) -> None:
        """Prove each fact printed as a link (``forum.name``, ``check.links.named_links``)
        is followed by a link to its address that prints it, " (address)", in its locked
        ``link-address`` control: a reader of the paper types what is printed."""
        named = named_links(self.manifest)
        for sdt in root.iter(f"{W}sdt"):
            name = _tag_value(sdt).removeprefix("fact:")
            if name not in named or not _tag_value(sdt).startswith("fact:"):
                continue
            words, link = named[name]
            address = printed_address(link, "")
            after = _link_after(sdt)
            rel = self.rels.get(str(after.get(R_ID, ""))) if after is not None else None
            shown = [BIDI_CONTROLS.sub("", "".join(t.text or "" for t in control.iter(f"{W}t")))
                     .strip() for control in (after.iter(f"{W}sdt") if after is not None else ())
                     if _tag_value(control) == LINK_ADDRESS_TAG]
            if rel is None or not same_address(rel.target, link):
                problem = (f"is not followed by a link to its address {link!r}" if rel is None
                           else f"is followed by a link to {rel.target!r}, not to its "
                           f"address {link!r}")
            elif shown != [f"({address})"]:
                said = repr(shown[0]) if shown else "no address"
                problem = f"is followed by {said}, not its address ({address})"
            else:
                continue
            self.text.findings.append(error(
                self.text.path, self.place(sdt), f"{name} ({words!r}) {problem}: a reader "
                "of the paper cannot find it", "docx-fact-link"))

    def dialled(self, link: Element, target: str) -> None:
        """Prove a ``tel:`` link over a number dials that number: a link to another
        contact's number is a fact, yet not the one the reader sees."""
        numbers = {_folded(f.printed) for f in self.manifest.facts.values() if f.link == target}
        shown = _folded("".join(t.text or "" for t in link.iter(f"{W}t")))
        if numbers and any(c.isdigit() for c in shown) and shown not in numbers:
            self.text.findings.append(error(
                self.text.path, self.place(link), f"the link over {shown!r} dials {target!r}, "
                f"which is {' or '.join(sorted(numbers))!r}", "docx-link-text"))

    def addressed(self, link: Element, target: str) -> None:
        """Prove a ``mailto:`` or web link over a contact's email or web address opens the
        address shown: a link to another contact's address is a fact, yet not the one the
        reader sees and types."""
        shown = _folded("".join(t.text or "" for t in link.iter(f"{W}t")))
        addresses = {_folded(f.printed) for f in self.manifest.facts.values()  # shown as such
                     if f.link and _folded(f.printed) == _folded(printed_address(f.link, ""))}
        opens = _folded(printed_address(target, ""))
        if opens and shown in addresses and shown != opens:
            self.text.findings.append(error(
                self.text.path, self.place(link), f"the link over {shown!r} opens "
                f"{target!r}, not the address shown", "docx-link-text"))

    def link(self, place: str, target: str) -> None:
        passage = link_passage(place, target)
        if passage is not None:
            self.text.passages.append(passage)
            self.text.findings += link_findings(self.text.path, place, target, self.manifest)

    def deletions(self, root: Element) -> None:
        for node in root.iter(f"{W}del"):
            removed = "".join(t.text or "" for t in node.iter(f"{W}delText", f"{W}delInstrText"))
            if not removed.strip():
                continue
            place = f"{self.place(node)}, tracked deletion"
            self.add(place, removed)
            self.text.findings += _deleted_facts(self.text, place, removed, self.manifest)

    def chunks(self, root: Element) -> None:
        for node in root.iter(f"{W}altChunk"):
            rel = self.rels.get(str(node.get(R_ID, "")))
            name = rel.target if rel is not None else "?"
            place = f"{self.place(node)}, imported part {name}"
            if name not in self.docx.chunks:
                self.text.findings.append(error(self.text.path, place, "the imported part "
                                                "(altChunk) is missing", "docx-imported-part"))
                continue
            kind, data = self.docx.chunks[name]
            content = _chunk_text(self.text, name, kind, data)
            if content is None:
                self.text.findings.append(error(
                    self.text.path, place, f"Word shows this imported part ({kind or 'no type'}"
                    "), which check cannot read; remove it or paste its text into the document",
                    "docx-imported-part"))
            else:
                self.add(place, content)


    def bindings(self, root: Element) -> None:
        for node in root.iter(f"{W}dataBinding"):
            place = f"{self.place(node)}, bound content control"
            value = _bound_value(self.docx.stores, node)
            if value is None:
                self.text.findings.append(error(
                    self.text.path, place, "Word fills this content control from custom XML "
                    "that check cannot find or read; remove the data binding",
                    "docx-data-binding"))
            else:
                self.add(place, value)


def _bound_value(stores: dict[str, Element], binding: Element) -> str | None:
    """Return the text Word shows in a bound content control: its XPath in the custom XML."""
    store = stores.get(str(binding.get(f"{W}storeItemID", "")).upper())
    if store is None:
        return None
    mappings = dict(PREFIX_MAPPING.findall(str(binding.get(f"{W}prefixMappings", ""))))
    try:
        found = store.xpath(str(binding.get(f"{W}xpath", "")), namespaces=mappings)
    except etree.XPathError:
        return None
    items = found if isinstance(found, list) else [found]
    return " ".join(str(i) if isinstance(i, str) else "".join(i.itertext()) for i in items)


def _shown(para: Element) -> str:
    """Return a paragraph's shown text (deleted text excluded)."""
    return "".join(node.text or "" if node.tag == f"{W}t" else " "
                   for node in para.iter(f"{W}t", f"{W}tab", f"{W}br"))


def _described(root: Element) -> Iterator[Element]:
    """Yield the drawing, VML and table elements that carry alternative text."""
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in TABLE_ALT or any(_attribute(node, a) for a in ALT_ATTRIBUTES):
            yield node


def _attribute(node: Element, local: str) -> str:
    """Return an attribute by its local name, whatever its namespace ("" if absent)."""
    for key, value in node.attrib.items():
        if key == local or key.endswith(f"}}{local}"):
            return str(value)
    return ""


def _alt(node: Element) -> list[str]:
    if node.tag in TABLE_ALT:
        return [str(node.get(f"{W}val", ""))]
    return [v for a in ALT_ATTRIBUTES if (v := _attribute(node, a).strip())]


def _deleted_facts(
    text: ArtifactText, place: str, removed: str, manifest: Manifest
) -> list[Finding]:
    """Return an error when a tracked deletion removes a fact, a phone number or a date."""
    facts = [f.printed for f in manifest.facts.values() if f.printed and f.printed in removed]
    numbers = [m.raw_string for m in phone_numbers(removed, manifest_region(manifest),
                                                   lang=manifest.lang)]
    days = [raw for raw, _day in dates(removed, manifest.lang)]
    what = facts or numbers or days
    if not what:
        return []
    return [error(text.path, place, f"a tracked deletion removes {what[0]!r}: accepting it "
                  "takes a fact out of the leaflet; reject the change or rebuild",
                  "docx-tracked-deletion")]


def _chunk_text(text: ArtifactText, name: str, kind: str, data: bytes) -> str | None:
    """Return the text of an imported part, or None for a kind check cannot read."""
    lowered = name.lower()
    if kind in HTML_TYPES or lowered.endswith((".htm", ".html", ".xhtml")):
        from lxml import html  # noqa: PLC0415 (only for an imported HTML part: rare)

        try:
            return str(html.document_fromstring(data).text_content())
        except (etree.ParserError, ValueError):  # empty or not HTML at all
            return None
    if kind == "text/plain" or lowered.endswith(".txt"):
        return data.decode("utf-8-sig", "replace")
    if kind in WORD_TYPES:
        root = parse_xml(text.path, name, data)
        return " ".join(_shown(p) for p in root.iter(f"{W}p"))
    return None


def _link_after(node: Element) -> Element | None:
    """Return the hyperlink right after ``node`` (bidi controls and spaces between them
    apart), or None."""
    for sibling in node.itersiblings():
        if sibling.tag == f"{W}hyperlink":
            return sibling
        if sibling.tag != f"{W}r" or BIDI_CONTROLS.sub("", "".join(
                t.text or "" for t in sibling.iter(f"{W}t"))).strip():
            return None
    return None


def _tag_value(sdt: Element) -> str:
    """Return a content control's tag ("fact:forum.name", "link-address"), or ""."""
    tag = sdt.find(f"{W}sdtPr/{W}tag")
    return str(tag.get(f"{W}val", "")) if tag is not None else ""


def _folded(text: str) -> str:
    """Return text without bidi controls, its spaces (no-break ones too) folded to one."""
    return " ".join(BIDI_CONTROLS.sub("", text).split())
