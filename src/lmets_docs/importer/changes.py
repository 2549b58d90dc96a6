"""Say what changed in the source since a DOCX was made from it, as a unified diff.

The DOCX writer records each unit's source text (facts as ``{{ name }}``) and each fact's
printed form in the source map; the same are computed from the current source and compared
line by line, one line per unit.
"""

from __future__ import annotations

import difflib
import logging

from lmets_docs.facts import FactFormatter
from lmets_docs.importer.sourcemap import SourceMap
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import units

log = logging.getLogger(__name__)
NO_TEXT = "(this DOCX does not record its source text: it was made by an older lmets-docs)"


def stale_warning(source_map: SourceMap, source: Leaflet, docx: str,
                  kind: str = "DOCX") -> str | None:
    """Return (and log) a warning with what changed, if the file is from an older source."""
    if source_map.source_hash == source.source_hash:
        return None
    changed = what_changed(source_map, source) or (
        "(only leaflet.yaml or an image changed; none of the text or facts)")
    message = (f"{docx}: the {kind} was made from an older version of {source.source_file} "
               f"(source {source_map.source_hash[:12]}, now {source.source_hash[:12]}); the "
               "translation records the version it was made from. What changed in the source "
               f"since:\n{changed}")
    log.warning("%s", message)
    return message


def what_changed(source_map: SourceMap, source: Leaflet) -> str:
    """Return the unified diff of the source's units and facts, then and now."""
    if not any(unit.text for unit in source_map.units):
        return NO_TEXT
    then = [f"{u.kind} {u.id}: {u.text}" for u in source_map.units if u.shape != "list"]
    then += [f"fact {name}: {value}" for name, value in sorted(source_map.facts.items())]
    facts = FactFormatter(source.facts, source.publisher, source_map.lang)
    now = [f"{u.kind} {u.id}: {u.text}" for u in units(source) if u.shape != "list"]
    now += [f"fact {name}: {v.printed}" for name, v in sorted(facts.values.items())]
    diff = difflib.unified_diff(then, now, "source when the file was made", "source now",
                                lineterm="", n=1)
    return "\n".join(diff)
