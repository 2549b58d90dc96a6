"""Name the bookmarks that tie each part of a DOCX back to the source's stable ids.

Word bookmark names are at most 40 characters, start with a letter and use only letters,
digits and underscores. A source id is turned into one by a fixed rule (``chemotherapy.3`` →
``blk_chemotherapy_3``); a name that would be too long, or that two ids would share, ends in
a short hash of the id instead. The full list goes into the document (``source map``), so an
importer never has to reverse the rule.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from lmets_docs.model import Block, BulletList, Leaflet

MAX_NAME = 40
PREFIXES = {"title": "doc_", "section": "sec_", "block": "blk_", "item": "blk_", "note": "doc_"}
TITLE_ID = "title"
REFERENCES_NOTE_ID = "references_note"


@dataclass(frozen=True)
class Anchor:
    """One translatable unit of the source: its kind, its stable id and its bookmark name."""

    kind: str
    id: str
    bookmark: str


def plain_name(kind: str, source_id: str) -> str:
    """Return the readable bookmark name for an id (may be too long or shared)."""
    return PREFIXES[kind] + re.sub(r"[^0-9A-Za-z]+", "_", source_id).strip("_")


def hashed_name(kind: str, source_id: str) -> str:
    """Return a bookmark name of at most 40 characters that ends in a hash of the id."""
    digest = hashlib.sha1(f"{kind}:{source_id}".encode()).hexdigest()[:8]
    return f"{plain_name(kind, source_id)[:MAX_NAME - 9]}_{digest}"


def units(leaflet: Leaflet) -> list[tuple[str, str]]:
    """Return (kind, id) of every translatable unit of a leaflet, in reading order."""
    found = [("title", TITLE_ID)]
    found += _blocks(leaflet.intro)
    for section in leaflet.sections:
        found.append(("section", section.id))
        found += _blocks(section.blocks)
    if leaflet.references_note:
        found.append(("note", REFERENCES_NOTE_ID))
    return found


def _blocks(blocks: tuple[Block, ...]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for block in blocks:
        found.append(("block", block.id))
        if isinstance(block, BulletList):
            found += [("item", item.id) for item in block.items]
    return found


def anchors(leaflet: Leaflet) -> dict[tuple[str, str], Anchor]:
    """Return every unit's anchor, keyed by (kind, id), with unique valid bookmark names."""
    wanted = units(leaflet)
    counts = Counter(plain_name(kind, uid) for kind, uid in wanted)
    result = {}
    for kind, uid in wanted:
        name = plain_name(kind, uid)
        if len(name) > MAX_NAME or counts[name] > 1:
            name = hashed_name(kind, uid)
        result[(kind, uid)] = Anchor(kind, uid, name)
    return result
