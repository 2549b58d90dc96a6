"""Read the source map the DOCX writer stored: which leaflet, language and source version the
document was made from, which bookmark holds which unit, and each unit's and fact's text then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lmets_docs.errors import ImportDocxError
from lmets_docs.ooxml.ids import Anchor
from lmets_docs.ooxml.names import SM
from lmets_docs.ooxml.package import Element, Package

__all__ = ["Anchor", "SourceMap", "read_source_map"]
ITEM = re.compile(r"customXml/item\d+\.xml")


@dataclass(frozen=True)
class SourceMap:
    """Where a DOCX came from, and where each source unit is in it."""

    leaflet: str
    lang: str
    source_hash: str
    units: tuple[Anchor, ...]
    facts: Mapping[str, str] = field(default_factory=dict)

    def by_key(self) -> dict[tuple[str, str], Anchor]:
        """Return the units by (kind, id)."""
        return {unit.key: unit for unit in self.units}


def read_source_map(package: Package) -> SourceMap:
    """Return the DOCX's source map; refuse a DOCX that has none (not made by lmets-docs)."""
    for name in sorted(n for n in package.names if ITEM.fullmatch(n)):
        root = package.xml(name)
        if root is not None and root.tag == f"{SM}sourceMap":
            return _source_map(root)
    raise ImportDocxError(
        f"{package.path}: this DOCX has no lmets-docs source map, so its paragraphs cannot be "
        "matched to the leaflet: translate a DOCX made by 'lmets-docs build' (the program that "
        "last saved it may have dropped the map)")


def _source_map(root: Element) -> SourceMap:
    units = tuple(
        Anchor(str(a.get("kind", "")), str(a.get("id", "")), str(a.get("bookmark", "")),
                str(a.get("shape", "")), a.text or "")
        for a in root.iterfind(f"{SM}anchor"))
    facts = {str(f.get("name", "")): f.text or "" for f in root.iterfind(f"{SM}fact")}
    return SourceMap(str(root.get("leaflet", "")), str(root.get("lang", "")),
                     str(root.get("sourceHash", "")), units, facts)
