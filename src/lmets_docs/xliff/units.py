"""The translatable units of a leaflet with their content, in reading order, keyed as in files
for translators (``intro.1``, ``section:chemotherapy``, ``title``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lmets_docs.importer.provenance import unit_key
from lmets_docs.model import Block, BulletList, Figure, Inline, Leaflet, Paragraph
from lmets_docs.ooxml.ids import REFERENCES_NOTE_ID, TITLE_ID, units

Content = str | tuple[Inline, ...]
"""Plain text (title, heading, picture description, note) or inline content."""
KIND_NAMES = {"title": "the title", "heading": "a heading", "paragraph": "a paragraph",
              "item": "a list item", "figure": "the description of a picture (alt text)",
              "note": "the note above the references"}


@dataclass(frozen=True)
class LeafletUnit:
    """One unit: its key in the file, kind and id in the source, shape, source text, content."""

    key: str
    kind: str
    id: str
    shape: str
    text: str
    content: Content


def leaflet_units(leaflet: Leaflet) -> list[LeafletUnit]:
    """Return every translatable unit of a leaflet (lists are their items), in reading order."""
    found = contents(leaflet)
    return [LeafletUnit(unit_key(u.kind, u.id), u.kind, u.id, u.shape, u.text,
                        found[(u.kind, u.id)])
            for u in units(leaflet) if u.shape != "list"]


def contents(leaflet: Leaflet) -> dict[tuple[str, str], Content]:
    """Return each unit's content by (kind, id)."""
    found: dict[tuple[str, str], Content] = {("title", TITLE_ID): leaflet.title}
    found.update(_blocks(leaflet.intro))
    for section in leaflet.sections:
        found[("section", section.id)] = section.title
        found.update(_blocks(section.blocks))
    if leaflet.references_note:
        found[("note", REFERENCES_NOTE_ID)] = leaflet.references_note
    return found


def _blocks(blocks: tuple[Block, ...]) -> Iterator[tuple[tuple[str, str], Content]]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield ("block", block.id), block.inlines
        elif isinstance(block, BulletList):
            yield from ((("item", item.id), item.inlines) for item in block.items)
        elif isinstance(block, Figure):
            yield ("block", block.id), block.alt
