"""Read the source map the DOCX writer stored: which leaflet, language and source version the
document was made from, which bookmark holds which unit, and each unit's and fact's text then.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import ImportDocxError
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.document import custom_xml
from lmets_docs.ooxml.ids import Anchor, anchors
from lmets_docs.ooxml.names import SM
from lmets_docs.ooxml.package import Element, Package
from lmets_docs.text import formatter

__all__ = ["Anchor", "NoSourceMapError", "SourceMap", "made_from", "read_source_map", "rebuilt"]

log = logging.getLogger(__name__)


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


class NoSourceMapError(ImportDocxError):
    """The DOCX has no source map (a program that saved it dropped it, or lmets-docs never
    made it); its custom properties may still say where it came from (``rebuilt``)."""


def read_source_map(package: Package) -> SourceMap:
    """Return the DOCX's source map; NoSourceMapError if it has none."""
    for _name, root in custom_xml(package):
        if root.tag == f"{SM}sourceMap":
            return _source_map(root)
    raise NoSourceMapError(
        f"{package.path}: this DOCX has no lmets-docs source map, so its paragraphs cannot be "
        "matched to the leaflet: translate a DOCX made by 'lmets-docs build' (the program that "
        "last saved it may have dropped the map)")


def _lost(path: Path) -> str:
    return f"{path}: this DOCX has lost its lmets-docs source map (a save as .odt or .doc drops it)"


def made_from(path: Path, properties: Mapping[str, str | None]) -> tuple[str, str, str]:
    """Return the leaflet, language and source hash a DOCX's custom properties say it was
    made from; ImportDocxError if they are gone (with its source map)."""
    leaflet, lang, made = (properties.get(f"lmets:{k}") for k in ("leaflet", "lang",
                                                                 "source_hash"))
    if not (leaflet and lang and made):
        raise ImportDocxError(f"{_lost(path)}, and its custom properties (lmets:leaflet, "
                              "lmets:lang, lmets:source_hash) are gone too, so it cannot be "
                              "matched to the leaflet: copy the translation into a DOCX made "
                              "by 'lmets-docs build'")
    return leaflet, lang, made


def rebuilt(path: Path, properties: Mapping[str, str | None], source: Leaflet) -> SourceMap:
    """Return the source map a DOCX lost (saved as .odt or .doc, then as .docx again), made
    again from the current source: only when its custom properties survived and say it was
    made from this leaflet, language and source version (then the map would be the same);
    otherwise ImportDocxError saying exactly why not. The bookmarks still tie each paragraph
    to its unit; the import checks them as for any DOCX."""
    why = _lost(path)
    leaflet, lang, made = made_from(path, properties)
    if (leaflet, lang) != (source.id, source.lang):
        raise ImportDocxError(f"{why}; its properties say it was made from leaflet {leaflet!r} "
                              f"in {lang}, not {source.id!r} in {source.lang}")
    if made != source.source_hash:
        raise ImportDocxError(
            f"{why}, and it was made from an older version of the {lang} source "
            f"(source_hash {made[:12]}…, now {source.source_hash[:12]}…), so the map cannot be "
            "made again: copy the translation into a DOCX made by 'lmets-docs build' from the "
            "current source")
    log.warning("%s; made again from the current %s source, which has the same source_hash",
                why, lang)
    facts = {name: value.printed for name, value in formatter(source).values.items()}
    return SourceMap(source.id, source.lang, source.source_hash,
                     tuple(anchors(source).values()), facts)


def _source_map(root: Element) -> SourceMap:
    units = tuple(
        Anchor(str(a.get("kind", "")), str(a.get("id", "")), str(a.get("bookmark", "")),
                str(a.get("shape", "")), a.text or "")
        for a in root.iterfind(f"{SM}anchor"))
    facts = {str(f.get("name", "")): f.text or "" for f in root.iterfind(f"{SM}fact")}
    return SourceMap(str(root.get("leaflet", "")), str(root.get("lang", "")),
                     str(root.get("sourceHash", "")), units, facts)
