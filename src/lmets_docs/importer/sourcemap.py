"""Read the source map the DOCX writer stored: which leaflet, language and source version the
document was made from, which bookmark holds which unit, and each unit's and fact's text then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.package import Element, Package
from lmets_docs.writers.docx.package import SOURCE_MAP_NS

SM = f"{{{SOURCE_MAP_NS}}}"
ITEM = re.compile(r"customXml/item\d+\.xml")


@dataclass(frozen=True)
class MapUnit:
    """One unit as the DOCX writer recorded it (shape and text are empty in older DOCX files)."""

    kind: str
    id: str
    bookmark: str
    shape: str = ""
    text: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Return (kind, id), the unit's key in the source."""
        return self.kind, self.id


@dataclass(frozen=True)
class SourceMap:
    """Where a DOCX came from, and where each source unit is in it."""

    leaflet: str
    lang: str
    source_hash: str
    units: tuple[MapUnit, ...]
    facts: Mapping[str, str] = field(default_factory=dict)

    def by_key(self) -> dict[tuple[str, str], MapUnit]:
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
        MapUnit(str(a.get("kind", "")), str(a.get("id", "")), str(a.get("bookmark", "")),
                str(a.get("shape", "")), a.text or "")
        for a in root.iterfind(f"{SM}anchor"))
    facts = {str(f.get("name", "")): f.text or "" for f in root.iterfind(f"{SM}fact")}
    return SourceMap(str(root.get("leaflet", "")), str(root.get("lang", "")),
                     str(root.get("sourceHash", "")), units, facts)
