"""The units a translator's file says it was made from, checked before they are trusted.

A DOCX's source map (and an XLIFF file's sources) record each unit's id, shape and source
text when the file was made; the import matches them to the current source (``align``). A
record that cannot be true is refused, naming everything wrong: a unit given twice, a kind or
shape lmets-docs never writes, or, in a file that says it was made from the current version of
the source (its source hash), a unit that version does not have, lacks, or has other text for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer.read import excerpt
from lmets_docs.importer.sourcemap import SourceMap
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import PREFIXES, Unit, units
from lmets_docs.source.stale import unit_key

SHAPES = {"title": ("title",), "section": ("heading",), "block": ("paragraph", "list", "figure"),
          "item": ("item",), "note": ("note",)}
"""The shapes each kind of unit can have."""
CONTEXT = 24
"""Characters shown before the first difference of two texts."""


def docx_units(source_map: SourceMap, source: Leaflet, path: object) -> list[Unit]:
    """Return the units a DOCX was made from, as its source map records them; refuse a map
    that lmets-docs cannot have written (``record_problems``), naming all that is wrong.

    A DOCX made by a version of lmets-docs that did not record shapes and texts was made
    from units the same as the current source's (the import then matches by id only).
    """
    if not source_map.units or not all(a.shape for a in source_map.units):
        return units(source)
    then = [Unit(a.kind, a.id, a.shape, a.text) for a in source_map.units]
    problems = record_problems(then, source, source_map.source_hash)
    if problems:
        lines = "\n".join(f"{path}: {problem}" for problem in problems)
        raise ImportDocxError(f"{path}: the DOCX's source map was edited, so its paragraphs "
                              "cannot be matched to the source safely; translate a DOCX made "
                              f"by lmets-docs from the current source:\n{lines}")
    return then


def record_problems(then: Sequence[Unit], source: Leaflet, source_hash: str) -> list[str]:
    """Return what is wrong with a record of units that lmets-docs cannot have written."""
    problems = [*_bad_units(then), *_twice(then)]
    if not problems and source_hash == source.source_hash:
        problems += _not_this_version(then, source)
    return problems


def _bad_units(then: Sequence[Unit]) -> Iterator[str]:
    for unit in then:
        if unit.kind not in PREFIXES or unit.shape not in SHAPES[unit.kind]:
            yield (f"{unit_key(unit.kind, unit.id)[:80]}: is recorded as a {unit.kind[:20]!r} "
                   f"of shape {unit.shape[:20]!r}, which lmets-docs never writes")


def _twice(then: Sequence[Unit]) -> Iterator[str]:
    for key, count in Counter(u.key for u in then).items():
        if count > 1:
            yield f"{unit_key(*key)[:80]}: is recorded {count} times"


def _not_this_version(then: Sequence[Unit], source: Leaflet) -> Iterator[str]:
    """Yield what differs, in a record that says it was made from the current source."""
    name = source.source_file.name
    old = {u.key: u for u in then if u.shape != "list"}
    now = {u.key: u for u in units(source) if u.shape != "list"}
    for key in (key for key in old if key not in now):
        yield (f"{unit_key(*key)[:80]}: is not a unit of {name}, although the file says it was "
               f"made from the current {name} (added, or its id changed); delete it")
    for key in (key for key in now if key not in old):
        yield (f"{unit_key(*key)}: is missing from the file, although it says it was made from "
               f"the current {name}; {name} has {excerpt(now[key].text)}")
    for key in (key for key in now if key in old):
        if old[key].text != now[key].text:
            yield (f"{unit_key(*key)}: its source text is not the current {name}'s, which the "
                   f"file says it was made from: {difference(old[key].text, now[key].text)}")


def difference(then: str, now: str) -> str:
    """Return two texts from a little before where they first differ, quoted and cut."""
    start = next((i for i, (a, b) in enumerate(zip(then, now, strict=False)) if a != b),
                 min(len(then), len(now)))
    start = max(0, start - CONTEXT)
    return f"the file has {excerpt(then[start:])}, the source {excerpt(now[start:])}"
