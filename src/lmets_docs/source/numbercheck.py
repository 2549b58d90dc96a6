"""Pair each unit of a loaded translation with its source unit, and compare their numbers.

A translation names its source in its front matter (``translated_from``) and fingerprints
each unit's source text (``source_units``): its units are paired with the current source's
by those fingerprints (``stale.recorded_alignment``), so a paragraph inserted in the source
since renumbers nothing. A unit whose source changed since is stale (warned of by
``stale``) and not compared: its older translation is of another text. Without fingerprints
(a language file written by hand) units are paired by id. Glossary definitions are paired
through the terms the paired units use. The comparison itself is ``samenumbers``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from lmets_docs.errors import Problem
from lmets_docs.model import BulletList, GlossaryTerm, Inline, Leaflet, Paragraph
from lmets_docs.ooxml.ids import Unit, units
from lmets_docs.source.samenumbers import (
    UnitPair,
    accepted_in,
    compare,
    message,
    where,
)
from lmets_docs.source.stale import (
    fingerprint,
    line_of,
    place,
    read_front_matter,
    recorded_alignment,
    unit_key,
)
from lmets_docs.text import glossary_terms

Loader = Callable[[str], Leaflet | None]


def check_numbers(leaflets: list[Leaflet], load: Loader) -> tuple[list[Leaflet], list[Problem]]:
    """Return the leaflets (each with its accepted differences) and the numbers' problems."""
    loaded = {leaflet.lang: leaflet for leaflet in leaflets}
    checked, problems = [], []
    for leaflet in leaflets:
        front = read_front_matter(leaflet.source_file)
        lang = front.get("translated_from")
        source = (loaded.get(lang) or load(lang)) if isinstance(lang, str) else None
        if source is None or lang == leaflet.lang:
            checked.append(leaflet)
            continue
        done, found = _checked(leaflet, source, front)
        checked.append(done)
        problems += found
    return checked, problems


def _checked(leaflet: Leaflet, source: Leaflet, front: Mapping[str, object]
             ) -> tuple[Leaflet, list[Problem]]:
    pairs = [*unit_pairs(leaflet, source, front.get("source_units")),
             *glossary_pairs(leaflet, source)]
    outcome = compare(pairs, source.lang, leaflet.lang, accepted_in(front))
    path = leaflet.source_file
    problems = [Problem(path, pair.line or None, message(pair, found, source.lang, leaflet.lang,
                                                         why))
                for pair, found, why in outcome.refused]
    warnings = [f"{where(path, pair.line)}: {pair.place} ({pair.key}): {said}"
                for pair, said in outcome.warnings]
    return dataclasses.replace(leaflet, numbers_accepted=outcome.accepted,
                               warnings=(*leaflet.warnings, *warnings)), problems


def unit_pairs(leaflet: Leaflet, source: Leaflet, recorded: object) -> Iterator[UnitPair]:
    """Yield each unit of the translation with the current source unit it was made from."""
    mine = {unit_key(u.kind, u.id): u for u in units(leaflet) if u.shape != "list"}
    now = [u for u in units(source) if u.shape != "list"]
    for unit, key in _paired(now, recorded):
        ours = mine.get(key)
        if ours is not None:
            yield UnitPair(key, place(leaflet, ours), unit_line(leaflet, ours), unit.text,
                           where(source.source_file, unit_line(source, unit)),
                           fingerprint(unit.text), ours.text)


def _paired(now: list[Unit], recorded: object) -> Iterator[tuple[Unit, str]]:
    """Yield each current source unit not changed since, with its unit's key in the translation."""
    if not isinstance(recorded, dict) or not recorded:
        yield from ((u, unit_key(u.kind, u.id)) for u in now)
        return
    prints = [Unit(u.kind, u.id, "", fingerprint(u.text)) for u in now]
    alignment = recorded_alignment(prints, {str(k): str(v) for k, v in recorded.items()})
    for unit, printed in zip(now, prints, strict=True):
        then = alignment.then_of.get(printed.key)
        if then is not None and not alignment.changed(printed):
            yield unit, unit_key(then.kind, then.id)


def unit_line(leaflet: Leaflet, unit: Unit) -> int:
    """Return a unit's line in the translation; the title's is its front matter line."""
    if unit.kind == "title":
        return _front_line(leaflet.source_file, "title:")
    if unit.kind == "item":
        return _item_line(leaflet, unit)
    return line_of(leaflet, unit)


_MARKER = re.compile(r"\s{0,3}[-*+]\s")


def _item_line(leaflet: Leaflet, unit: Unit) -> int:
    """Return the line of a list item: its list's line, then the item's own marker."""
    for block in leaflet.all_blocks():
        if isinstance(block, BulletList) and block.line:
            index = next((n for n, item in enumerate(block.items) if item.id == unit.id), -1)
            if index >= 0:
                return _nth_marker(leaflet.source_file, block.line, index) or block.line
    return 0


def _nth_marker(path: Path, start: int, index: int) -> int:
    """Return the line of the ``index``-th list marker from line ``start`` (0 if not found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[start - 1:]
    except (OSError, UnicodeDecodeError):
        return 0
    found = [n for n, text in enumerate(lines, start) if _MARKER.match(text)]
    return found[index] if index < len(found) else 0


def _front_line(path: Path, start: str) -> int:
    """Return the first line of a file that starts with ``start`` (0 if none)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, text in enumerate(lines, 1) if text.lstrip().startswith(start)), 0)


def glossary_pairs(leaflet: Leaflet, source: Leaflet) -> Iterator[UnitPair]:
    """Yield each glossary definition of the translation with its source's definition.

    A translated term is paired with the source term at the same place: the terms of a
    paired paragraph or list item, in order, when both have as many.
    """
    theirs, seen = _inlines(source), set()
    for unit_id, ours in _inlines(leaflet).items():
        for a, b in _same_count(glossary_terms(theirs.get(unit_id, ())), glossary_terms(ours)):
            there, here = source.definition(a), leaflet.definition(b)
            if there is None or here is None or here.term in seen:
                continue
            seen.add(here.term)
            yield UnitPair(f"glossary:{here.term}", f"the glossary definition of {here.term!r}",
                           _front_line(leaflet.source_file, f"{here.term}:"), there.definition,
                           where(source.source_file,
                                 _front_line(source.source_file, f"{there.term}:")),
                           fingerprint(there.definition), here.definition)


def _same_count(a: list[GlossaryTerm], b: list[GlossaryTerm]
                ) -> list[tuple[GlossaryTerm, GlossaryTerm]]:
    return list(zip(a, b, strict=True)) if len(a) == len(b) else []


def _inlines(leaflet: Leaflet) -> dict[str, tuple[Inline, ...]]:
    found: dict[str, tuple[Inline, ...]] = {}
    for block in leaflet.all_blocks():
        if isinstance(block, Paragraph):
            found[block.id] = block.inlines
        elif isinstance(block, BulletList):
            found |= {item.id: item.inlines for item in block.items}
    return found
