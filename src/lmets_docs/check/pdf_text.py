"""Read what else a PDF shows or says, and catch text a screen reader hears but no one sees.

Beyond the page text (``pdftotext``), a reader meets: link targets (a phone dials the
``tel:`` URI, not the text over it), notes and link descriptions (``/Contents``), bookmarks,
document properties, and the alternative text of the structure (``/Alt``, ``/ActualText``,
``/E``) that a screen reader reads *instead of* the content. Each becomes a passage.

What a sighted reader sees is the text the page draws. So the content streams are walked:
alternative text that carries a phone number, a date or a fact over content that draws no
text at all (a footer redrawn as vector shapes, a picture of a number) is reported, as the
two audiences may be told different things and nothing can prove the shapes; and text drawn
invisibly (render modes 3 and 7, as under a scanned page) is reported too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pikepdf

from lmets_docs.check.findings import Finding, error
from lmets_docs.check.links import link_findings, link_passage
from lmets_docs.check.seen import carries_facts, unseen
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import Manifest

ALT_KEYS = ("/ActualText", "/Alt", "/E")
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
STATE = frozenset({"q", "Q", "Tr", "Ts", "BDC", "BMC", "EMC"})
WALKED = " ".join(sorted(TEXT_SHOWING | STATE | {"Do"}))
"""The operators the walk follows; pikepdf hands over only these (half of a page's)."""
INVISIBLE_MODES = frozenset({3, 7})
MAX_FORM_DEPTH = 8


def read_more(pdf: pikepdf.Pdf, text: ArtifactText, manifest: Manifest) -> bool:
    """Add the PDF's other texts to ``text``, and text told but not shown to its findings.

    Return whether any text is drawn raised or lowered from its line (a text rise, ``Ts``:
    WeasyPrint places Arabic vowel marks so), which pdftotext reads as another line.
    """
    for number, page in enumerate(pdf.pages, start=1):
        _annotations(number, page, text, manifest)
    names: Any = pdf.Root.get("/Names", {})
    if "/EmbeddedFiles" in names:
        text.findings.append(_attachment(text, "document"))
    with pdf.open_outline() as outline:
        titles = [item.title for item in _outline(outline.root)]
    text.passages.append(Passage("bookmarks", " | ".join(titles)))
    for key in ("/Subject", "/Keywords"):
        if key in pdf.docinfo:
            text.passages.append(Passage(f"properties {key[1:]}", str(pdf.docinfo[key])))
    drawn = _walk_pages(pdf, text)
    for place, alt, mcids in _alternatives(pdf):
        text.passages.append(Passage(place, alt))
        if mcids is not None and not (mcids & drawn.text) and carries_facts(alt, manifest):
            text.findings.append(_unseen(text, place, alt))
    for place, alt, shown in drawn.told:
        text.passages.append(Passage(place, alt))
        if not shown and carries_facts(alt, manifest):
            text.findings.append(_unseen(text, place, alt))
    return drawn.risen


def _unseen(text: ArtifactText, place: str, alt: str) -> Finding:
    return unseen(text.path, place, alt, "pdf-unseen-text")


def _annotations(number: int, page: pikepdf.Page, text: ArtifactText, manifest: Manifest) -> None:
    for index, annotation in enumerate(page.obj.get("/Annots", []), start=1):
        place = f"page {number}, {str(annotation.get('/Subtype', '/Annot'))[1:]} {index}"
        if "/Contents" in annotation:
            text.passages.append(Passage(f"{place} description", str(annotation.Contents)))
        for key, what in (("/V", "value"), ("/TU", "tooltip")):
            value = _field_entry(annotation, key)
            if value:
                text.passages.append(Passage(f"{place} {what}", value))
        if annotation.get("/Subtype") == "/FileAttachment":
            text.findings.append(_attachment(text, place))
        action = annotation.get("/A")
        uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
        if uri is None:
            continue
        passage = link_passage(place, str(uri))
        if passage is not None:
            text.passages.append(passage)
            text.findings += link_findings(text.path, place, str(uri), manifest)


def _field_entry(annotation: Any, key: str) -> str:
    """Return a form field's value or tooltip, from the widget or the field it belongs to."""
    node, seen = annotation, 0
    while isinstance(node, pikepdf.Dictionary) and seen < MAX_FORM_DEPTH:
        if key in node and isinstance(node[key], pikepdf.String):
            return str(node[key])
        node, seen = node.get("/Parent"), seen + 1
    return ""


def _attachment(text: ArtifactText, place: str) -> Any:
    return error(text.path, place, "the PDF carries an attached file, which a reader can open "
                 "and check cannot read; remove it", "pdf-attachment")


def _outline(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _outline(item.children)


def _alternatives(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str, set[tuple[int, int]] | None]]:
    """Yield each structure element's alternative text, and the marked content it stands for.

    The content is given as (page number, MCID) pairs of the element and its descendants;
    None when the element points to no page content (nothing to compare).
    """
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    for element in _elements(tree):
        for key in ALT_KEYS:
            if key in element and str(element[key]).strip():
                mcids = _mcids(element, pages, None)
                where = f"structure {str(element.get('/S', '/?'))[1:]} {key[1:]}"
                yield where, str(element[key]), mcids or None


def _elements(node: Any, seen: set[tuple[int, int]] | None = None) -> Iterator[Any]:
    """Yield every structure element under ``node`` once (a hostile tree may loop)."""
    seen = set() if seen is None else seen
    for kid in _kids(node):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and _first_visit(kid, seen):
            yield kid
            yield from _elements(kid, seen)


def _first_visit(node: Any, seen: set[tuple[int, int]]) -> bool:
    if node.objgen == (0, 0):
        return True
    if node.objgen in seen:
        return False
    seen.add(node.objgen)
    return True


def _kids(node: Any) -> list[Any]:
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _mcids(node: Any, pages: dict[tuple[int, int], int], page: int | None) -> set[
        tuple[int, int]]:
    """Return (page number, MCID) of every piece of marked content under a structure element."""
    found: set[tuple[int, int]] = set()
    stack, seen = [(node, page)], set[tuple[int, int]]()
    while stack:
        element, where = stack.pop()
        if "/Pg" in element:
            where = pages.get(element.Pg.objgen, where)
        for kid in _kids(element):
            if isinstance(kid, int) and where is not None:
                found.add((where, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                kid_page = pages.get(kid.Pg.objgen, where) if "/Pg" in kid else where
                found.update([(kid_page, int(kid.MCID))] if kid_page is not None else [])
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid and _first_visit(kid, seen):
                stack.append((kid, where))
    return found


@dataclass
class _Drawn:
    """What the pages draw: the marked content that shows text, and the alternative text
    of marked content itself (with whether that content drew text)."""

    text: set[tuple[int, int]] = field(default_factory=set)
    told: list[tuple[str, str, bool]] = field(default_factory=list)
    risen: bool = False


def _walk_pages(pdf: pikepdf.Pdf, text: ArtifactText) -> _Drawn:
    drawn = _Drawn()
    forms: dict[tuple[int, int], bool] = {}
    hidden = _hidden_layers(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        walker = _Walker(number, forms, hidden)
        walker.run(pikepdf.parse_content_stream(page, WALKED), page.obj.get("/Resources"), 0)
        drawn.text |= walker.shown
        drawn.told += walker.told
        drawn.risen |= walker.risen
        if walker.invisible:
            text.findings.append(error(
                text.path, f"page {number}", f"{walker.invisible} pieces of text are drawn "
                "invisibly (render mode 3 or 7, or in a layer the viewer hides): a screen "
                "reader and a search read them, a sighted reader does not", "pdf-invisible-text"))
    return drawn


@dataclass
class _Mark:
    """An open marked-content sequence: its MCID, its own alternative text, what it drew."""

    mcid: int | None
    alt: str
    drew_text: bool = False
    hidden: bool = False


class _Walker:
    """Walk one page's content: which marked content draws visible text, which is invisible."""

    def __init__(
        self, number: int, forms: dict[tuple[int, int], bool], hidden: set[tuple[int, int]]
    ) -> None:
        self.number, self.forms, self.hidden = number, forms, hidden
        self.marks: list[_Mark] = []
        self.modes: list[int] = [0]
        self.shown: set[tuple[int, int]] = set()
        self.told: list[tuple[str, str, bool]] = []
        self.invisible = 0
        self.risen = False

    def run(self, instructions: list[Any], resources: Any, depth: int) -> bool:
        """Follow the instructions; return whether they draw any visible text."""
        drew = False
        for instruction in instructions:
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            if self._draws_text(operator, operands, resources, depth):
                drew |= self._text()
            else:
                self._state(operator, operands, resources)
        return drew

    def _draws_text(self, operator: str, operands: Any, resources: Any, depth: int) -> bool:
        if operator in TEXT_SHOWING:
            return _has_text(operands)
        return operator == "Do" and self._form_text(operands, resources, depth)

    def _text(self) -> bool:
        if self.modes[-1] in INVISIBLE_MODES or any(m.hidden for m in self.marks):
            self.invisible += 1
            return False
        for mark in self.marks:
            mark.drew_text = True
        return True

    def _state(self, operator: str, operands: Any, resources: Any) -> None:
        if operator == "q":
            self.modes.append(self.modes[-1])
        elif operator == "Q" and len(self.modes) > 1:
            self.modes.pop()
        elif operator == "Tr" and operands:
            self.modes[-1] = int(operands[0])
        elif operator == "Ts" and operands and isinstance(operands[0], int | Decimal):
            self.risen |= operands[0] != 0
        elif operator in ("BDC", "BMC"):
            self.marks.append(_open_mark(operands, resources, self.hidden))
        elif operator == "EMC" and self.marks:
            self._close(self.marks.pop())

    def _close(self, mark: _Mark) -> None:
        if mark.drew_text and mark.mcid is not None:
            self.shown.add((self.number, mark.mcid))
        if mark.alt:
            place = f"page {self.number}, marked content ActualText"
            self.told.append((place, mark.alt, mark.drew_text))

    def _form_text(self, operands: Any, resources: Any, depth: int) -> bool:
        """Return whether the Form XObject named by ``Do`` draws visible text."""
        xobjects: Any = (
            resources.get("/XObject", {}) if isinstance(resources, pikepdf.Dictionary) else {})
        form = xobjects.get(str(operands[0])) if operands else None
        if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != "/Form":
            return False
        if form.objgen not in self.forms or form.objgen == (0, 0):
            self.forms[form.objgen] = depth < MAX_FORM_DEPTH and self.run(
                pikepdf.parse_content_stream(form, WALKED), form.get("/Resources", resources),
                depth + 1)
        return self.forms[form.objgen]


def _has_text(operands: Any) -> bool:
    for operand in operands:
        if isinstance(operand, pikepdf.String) and bytes(operand):
            return True
        if isinstance(operand, pikepdf.Array) and any(
                isinstance(o, pikepdf.String) and bytes(o) for o in operand):
            return True
    return False


def _open_mark(operands: Any, resources: Any, hidden: set[tuple[int, int]]) -> _Mark:
    """Return the marked-content sequence a BDC or BMC opens, with its MCID and alt text."""
    props: Any = operands[1] if len(operands) > 1 else None
    if isinstance(props, pikepdf.Name) and isinstance(resources, pikepdf.Dictionary):
        named: Any = resources.get("/Properties", {})
        props = named.get(str(props))
    if not isinstance(props, pikepdf.Dictionary):
        return _Mark(None, "")
    alt = next((str(props[k]) for k in ALT_KEYS if k in props and str(props[k]).strip()), "")
    mcid = int(props.MCID) if "/MCID" in props else None
    layer = str(operands[0]) == "/OC" and _layer_hidden(props, hidden)
    return _Mark(mcid, alt, hidden=layer)


def _hidden_layers(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Return the optional-content groups (layers) a viewer hides when it opens the file."""
    properties: Any = pdf.Root.get("/OCProperties")
    default = properties.get("/D") if isinstance(properties, pikepdf.Dictionary) else None
    if not isinstance(default, pikepdf.Dictionary):
        return set()
    groups = {g.objgen for g in properties.get("/OCGs", [])}
    shown = {g.objgen for g in default.get("/ON", [])}
    off = {g.objgen for g in default.get("/OFF", [])}
    if str(default.get("/BaseState", "/ON")) == "/OFF":
        off |= groups - shown
    return off


def _layer_hidden(props: Any, hidden: set[tuple[int, int]]) -> bool:
    """Say whether a layer (or every layer of a membership dictionary) is hidden."""
    if str(props.get("/Type", "")) == "/OCMD":
        members = props.get("/OCGs", [])
        members = list(members) if isinstance(members, pikepdf.Array) else [members]
        return bool(members) and all(m.objgen in hidden for m in members)
    return props.objgen in hidden
