"""Say what changed in the source since a DOCX was made from it, as a unified diff.

The DOCX writer records each unit's source text (facts as ``{{ name }}``) and each fact's
printed form in the source map; the same are computed from the current source and compared
line by line, one line per unit.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

from lmets_docs.facts import FactFormatter
from lmets_docs.importer.align import Imported
from lmets_docs.importer.read import excerpt
from lmets_docs.importer.sourcemap import SourceMap
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import Unit, units
from lmets_docs.source.stale import line_of, place

log = logging.getLogger(__name__)
NO_TEXT = "(this DOCX does not record its source text: it was made by an older lmets-docs)"


def stale_warning(source_map: SourceMap, source: Leaflet, docx: str,
                  kind: str = "DOCX") -> str | None:
    """Return (and log) a warning with what changed, if the file is from an older source.

    What changed means what the translator translated from: a unit's text (its facts as
    ``{{ name }}``) or a fact as the source's language prints it. A change to anything else
    in the source's files (a name or note added for another language, a picture, a reference,
    the pronunciation lexicon) changes the source's hash but not what the file says, so it is
    only logged (``-v``).
    """
    if source_map.source_hash == source.source_hash:
        return None
    changed = what_changed(source_map, source)
    if not changed:  # only what a translation does not say: other languages' words, images …
        log.info("%s: the source's files changed since the %s was made, but none of its text "
                 "or facts in %s (only other languages' names or notes, pictures, references, "
                 "pronunciation or the like)", docx, kind, source_map.lang)
        return None
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


def to_translate_warning(imported: Imported, source: Leaflet, target: Path,
                         kind: str) -> str | None:
    """Return (and log) what an import from an older source could not translate, if any.

    Units renumbered or moved in the source since keep their translation (matched by their
    text); a unit new in the source holds its source text, and one whose text changed keeps
    its older translation (or, if its facts changed, the source text) until translated again.
    """
    todo = imported.to_translate(source)
    alignment = imported.alignment
    if not todo and not alignment.dropped and not alignment.moved():
        return None
    lines = [f"  {place(source, u)} ({source.source_file.name}:{line_of(source, u)}): "
             f"{_state(imported, u, source.lang)}: {excerpt(u.text)}" for u in todo]
    message = (f"{target}: imported; {len(todo)} of the {kind}'s parts are new or changed in "
               f"{source.source_file.name} since it was made, and need translating"
               + (" (lmets-docs validate and build will say so until they are):" if todo else "."))
    notes = [f"  {alignment.moved()} parts renumbered or moved in the source kept their "
             "translation"] if alignment.moved() else []
    notes += [f"  {len(alignment.dropped)} translated parts are no longer in the source and "
              "were left out"] if alignment.dropped else []
    text = "\n".join([message, *lines, *notes])
    log.warning("%s", text)
    return text


def _state(imported: Imported, unit: Unit, lang: str) -> str:
    if unit.key not in imported.origins:
        return f"new, it holds the {lang} text until translated" \
            if unit.key not in imported.alignment.then_of else \
            f"changed (its facts too), it holds the {lang} text until translated"
    return "changed, it keeps the older translation until translated again"
