"""Name the bookmarks that tie each part of a DOCX back to the source's stable ids.

Word bookmark names are at most 40 characters, start with a letter and use only letters,
digits and underscores. A source id is turned into one by a fixed rule (``chemotherapy.3`` →
``blk_chemotherapy_3``); a name that would be too long, or that two ids would share, ends in
a short hash of the id instead. The full list goes into the document (``source map``), so an
importer never has to reverse the rule, with each unit's shape and source text (facts as
``{{ name }}``), so that an importer can tell what changed in the source since.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    GlossaryTerm,
    Inline,
    Leaflet,
    Link,
    Paragraph,
    Strong,
    Text,
)

MAX_NAME = 40
PREFIXES = {"title": "doc_", "section": "sec_", "block": "blk_", "item": "blk_", "note": "doc_"}
TITLE_ID = "title"
REFERENCES_NOTE_ID = "references_note"


@dataclass(frozen=True)
class Unit:
    """One translatable unit: kind (title, section, block, item, note), id, shape, source text."""

    kind: str
    id: str
    shape: str
    text: str

    @property
    def key(self) -> tuple[str, str]:
        """Return (kind, id), the unit's key in the source."""
        return self.kind, self.id


@dataclass(frozen=True)
class Anchor:
    """One translatable unit and its bookmark, as the writer names it and the source map keeps it.

    Shape and text are empty in DOCX files made before the source map recorded them.
    """

    kind: str
    id: str
    bookmark: str
    shape: str = ""
    text: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Return (kind, id), the unit's key in the source."""
        return self.kind, self.id


def plain_name(kind: str, source_id: str) -> str:
    """Return the readable bookmark name for an id (may be too long or shared)."""
    return PREFIXES[kind] + re.sub(r"[^0-9A-Za-z]+", "_", source_id).strip("_")


def hashed_name(kind: str, source_id: str) -> str:
    """Return a bookmark name of at most 40 characters that ends in a hash of the id."""
    digest = hashlib.sha1(f"{kind}:{source_id}".encode()).hexdigest()[:8]
    return f"{plain_name(kind, source_id)[:MAX_NAME - 9]}_{digest}"


def units(leaflet: Leaflet) -> list[Unit]:
    """Return every translatable unit of a leaflet, in reading order."""
    found = [Unit("title", TITLE_ID, "title", leaflet.title)]
    found += _blocks(leaflet.intro)
    for section in leaflet.sections:
        found.append(Unit("section", section.id, "heading", section.title))
        found += _blocks(section.blocks)
    if leaflet.references_note:
        found.append(Unit("note", REFERENCES_NOTE_ID, "note", leaflet.references_note))
    return found


def _blocks(blocks: tuple[Block, ...]) -> list[Unit]:
    found: list[Unit] = []
    for block in blocks:
        if isinstance(block, BulletList):
            items = [Unit("item", i.id, "item", source_text(i.inlines)) for i in block.items]
            found.append(Unit("block", block.id, "list", "\n".join(i.text for i in items)))
            found += items
        elif isinstance(block, Figure):
            found.append(Unit("block", block.id, "figure", block.alt))
        elif isinstance(block, Paragraph):
            found.append(Unit("block", block.id, "paragraph", source_text(block.inlines)))
    return found


def source_text(inlines: tuple[Inline, ...]) -> str:
    """Return inline content as plain text with each fact as ``{{ name }}``, spaces folded."""
    return " ".join("".join(_text(item) for item in inlines).split())


def _text(item: Inline) -> str:
    if isinstance(item, FactRef):
        return f"{{{{ {item.name} }}}}"
    if isinstance(item, Strong | Link):
        return "".join(_text(child) for child in item.children)
    return item.text if isinstance(item, Text | GlossaryTerm) else ""


def anchors(leaflet: Leaflet) -> dict[tuple[str, str], Anchor]:
    """Return every unit's anchor, keyed by (kind, id), with unique valid bookmark names."""
    wanted = units(leaflet)
    counts = Counter(plain_name(unit.kind, unit.id) for unit in wanted)
    result = {}
    for unit in wanted:
        name = plain_name(unit.kind, unit.id)
        if len(name) > MAX_NAME or counts[name] > 1:
            name = hashed_name(unit.kind, unit.id)
        result[(unit.kind, unit.id)] = Anchor(unit.kind, unit.id, name, unit.shape, unit.text)
    return result
