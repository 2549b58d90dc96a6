"""The units a translator's file says it was made from, checked before they are trusted.

A DOCX's source map (and an XLIFF file's sources) record each unit's id, shape and source
text when the file was made; the import matches them to the current source (``align``). A
record that cannot be true is refused, naming the first thing wrong: an id given twice, an id
or shape lmets-docs never writes, or, in a file that says it was made from the current
version of the source, a text that is not that version's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.sourcemap import SourceMap
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import PREFIXES, Unit, units

SAFE_ID = re.compile(r"[\w.\-]{1,200}")
SHAPES = {"title": ("title",), "section": ("heading",), "block": ("paragraph", "list", "figure"),
          "item": ("item",), "note": ("note",)}
"""The shapes each kind of unit can have."""
EDITED = "the {kind} was edited, so its parts cannot be matched to the source safely"


def docx_units(source_map: SourceMap, source: Leaflet, path: object) -> list[Unit]:
    """Return the units a DOCX was made from, as its source map records them.

    A DOCX made by a version of lmets-docs that did not record shapes and texts was made
    from units the same as the current source's (the import then matches by id only).
    """
    if not source_map.units or not all(a.shape for a in source_map.units):
        return units(source)
    then = [Unit(a.kind, a.id, a.shape, a.text) for a in source_map.units]
    check_record(then, source, source_map.source_hash, path, "DOCX's source map")
    return then


def check_record(then: Sequence[Unit], source: Leaflet, source_hash: str, path: object,
                 kind: str) -> None:
    """Refuse a record of units that lmets-docs cannot have written."""
    problem = _bad_unit(then) or _twice(then)
    if problem is None and source_hash == source.source_hash:
        problem = _not_this_version(then, source)
    if problem:
        raise ImportDocxError(f"{path}: {problem}: {EDITED.format(kind=kind)}; translate a "
                              "file made by lmets-docs from the current source")


def _bad_unit(then: Sequence[Unit]) -> str | None:
    for unit in then:
        if unit.kind not in PREFIXES or unit.shape not in SHAPES[unit.kind]:
            return f"unit {unit.id[:80]!r} has kind {unit.kind[:20]!r} and shape " \
                   f"{unit.shape[:20]!r}, which lmets-docs never writes"
        if not SAFE_ID.fullmatch(unit.id):
            return f"unit id {unit.id[:80]!r} is not an id lmets-docs writes"
    return None


def _twice(then: Sequence[Unit]) -> str | None:
    twice = [key for key, count in Counter(u.key for u in then).items() if count > 1]
    return f"{twice[0][0]} {twice[0][1]!r} is recorded twice" if twice else None


def _not_this_version(then: Sequence[Unit], source: Leaflet) -> str | None:
    """Return what differs, in a record that says it was made from the current source."""
    then = [u for u in then if u.shape != "list"]
    now = [u for u in units(source) if u.shape != "list"]
    for old, new in zip(then, now, strict=False):
        if (old.key, old.shape, old.text) != (new.key, new.shape, new.text):
            return (f"{old.kind} {old.id} is recorded as {old.text[:60]!r}, but the file says "
                    f"it was made from the current {source.source_file.name}, which has "
                    f"{new.kind} {new.id} {new.text[:60]!r} there")
    if len(then) != len(now):
        return (f"the file records {len(then)} parts, but says it was made from the current "
                f"{source.source_file.name}, which has {len(now)}")
    return None
