"""Tell which parts of a translation were made from source text that has changed since.

An import records in the translation's front matter the language it was translated from
(``translated_from``) and a fingerprint of each unit's source text then (``source_units``).
Loading a translation compares them with the current source: units whose text is unchanged
match even when the source's positional ids shifted (a paragraph inserted, split or moved:
``importer.align``), and every unit left over is stale. Each stale translation gets one
warning naming the parts and where they are in the source, and the list in the model, for
the manifest (``details.stale_translation``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from lmets_docs.model import Block, BulletList, Figure, Leaflet, StaleUnit
from lmets_docs.ooxml.ids import REFERENCES_NOTE_ID, TITLE_ID, Unit, units

FRONT_MATTER = re.compile(r"\A\ufeff?---\n(.*?)\n---\s*$", re.DOTALL | re.MULTILINE)
FINGERPRINT_HEX = 12
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (the same YAML, read about ten times faster)."""
UNIT_KEYS = {("title", TITLE_ID): "title", ("note", REFERENCES_NOTE_ID): "references-note"}
"""Unit ids that are not a block's id; a section's is ``section:<id>``."""
SHOWN = 5
"""The most stale parts a warning names."""
if TYPE_CHECKING:
    from lmets_docs.importer.align import Alignment

Loader = Callable[[str], Leaflet | None]


def unit_key(kind: str, unit_id: str) -> str:
    """Return a unit's id as translators' files name it: a block's own id, ``section:<id>``."""
    if (kind, unit_id) in UNIT_KEYS:
        return UNIT_KEYS[(kind, unit_id)]
    return unit_id if kind in ("block", "item") else f"{kind}:{unit_id}"


def fingerprint(text: str) -> str:
    """Return a short fingerprint of a unit's source text (facts as ``{{ name }}``)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:FINGERPRINT_HEX]


def read_front_matter(path: Path) -> Mapping[str, Any]:
    """Return a language file's front matter as a mapping (empty if it has none or is bad)."""
    match = FRONT_MATTER.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    try:
        front = yaml.load(match.group(1), Loader=SAFE_LOADER) if match else None
    except yaml.YAMLError:
        return {}
    return front if isinstance(front, dict) else {}


def mark_stale(leaflets: list[Leaflet], load: Loader) -> list[Leaflet]:
    """Return the leaflets, each translation with its stale parts and a warning about them."""
    loaded = {leaflet.lang: leaflet for leaflet in leaflets}
    return [_marked(leaflet, loaded, load) for leaflet in leaflets]


def _marked(leaflet: Leaflet, loaded: Mapping[str, Leaflet], load: Loader) -> Leaflet:
    front = read_front_matter(leaflet.source_file)
    lang, recorded = front.get("translated_from"), front.get("source_units")
    if not isinstance(lang, str) or not isinstance(recorded, dict) or lang == leaflet.lang:
        return leaflet
    source = loaded.get(lang) or load(lang)
    if source is None:  # the source has problems of its own, said when it is loaded
        return leaflet
    stale = stale_units(source, {str(k): str(v) for k, v in recorded.items()})
    if not stale:
        return leaflet
    return dataclasses.replace(leaflet, stale=tuple(stale),
                               warnings=(*leaflet.warnings, warning(leaflet, source, stale)))


def stale_units(source: Leaflet, recorded: Mapping[str, str]) -> list[StaleUnit]:
    """Return the source's units whose text is not one a recorded fingerprint was made of."""
    now = [Unit(u.kind, u.id, "", fingerprint(u.text)) for u in units(source)
           if u.shape != "list"]
    alignment = recorded_alignment(now, recorded)
    return [StaleUnit(unit_key(u.kind, u.id), place(source, u), source.source_file.name,
                      line_of(source, u)) for u in now if alignment.changed(u)]


def recorded_alignment(now: list[Unit], recorded: Mapping[str, str]) -> Alignment:
    """Return which recorded unit (``unit key: fingerprint``) each current unit came from;
    ``now``'s texts are fingerprints."""
    from lmets_docs.importer.align import align, same_id  # noqa: PLC0415 (importer imports source)

    then = [Unit(*kind_and_id(key), "", value) for key, value in recorded.items()]
    return align(then, now, same_id)


def kind_and_id(key: str) -> tuple[str, str]:
    """Return the (kind, id) a unit key names; a list item's is given as a block's."""
    named = {value: kind_id for kind_id, value in UNIT_KEYS.items()}
    if key in named:
        return named[key]
    kind, _, rest = key.partition(":")
    return (kind, rest) if rest and kind == "section" else ("block", key)


def warning(leaflet: Leaflet, source: Leaflet, stale: list[StaleUnit]) -> str:
    """Return the warning for a translation with stale parts."""
    named = ", ".join(f"{s.place} ({s.file}:{s.line})" if s.line else s.place
                      for s in stale[:SHOWN])
    more = f" and {len(stale) - SHOWN} more" if len(stale) > SHOWN else ""
    parts = "1 part" if len(stale) == 1 else f"{len(stale)} parts"
    return (f"{leaflet.source_file}: {leaflet.source_file.name} was translated from an older "
            f"{source.source_file.name}: {parts} changed since ({named}{more}); the "
            f"{leaflet.lang} leaflet gives the older translation, or the {source.lang} text, "
            "there. Translate them with "
            f"lmets-docs export-xliff {source.source_dir} --to {leaflet.lang} (or the DOCX "
            "built from the source) and import the translation again")


def place(leaflet: Leaflet, unit: Unit) -> str:
    """Return where a unit is, as a reader finds it: ``section 'Diet' paragraph 2``."""
    if unit.kind == "title":
        return "the title"
    if unit.kind == "note":
        return "the note above the references"
    for where, blocks in _regions(leaflet):
        if unit.kind == "section" and where == f"section {unit.id}":
            return f"the heading of {_named(leaflet, unit.id)}"
        for number, block in enumerate(blocks, start=1):
            found = _in_block(block, unit, number)
            if found:
                return f"{_named(leaflet, where)} {found}" if where else f"the introduction {found}"
    return unit.id


def _regions(leaflet: Leaflet) -> Iterable[tuple[str, tuple[Block, ...]]]:
    yield "", leaflet.intro
    for section in leaflet.sections:
        yield f"section {section.id}", section.blocks


def _named(leaflet: Leaflet, where: str) -> str:
    section_id = where.removeprefix("section ")
    title = next((s.title for s in leaflet.sections if s.id == section_id), section_id)
    return f"section {title!r}"


def _in_block(block: Block, unit: Unit, number: int) -> str | None:
    if isinstance(block, BulletList):
        index = next((i for i, item in enumerate(block.items, 1) if item.id == unit.id), 0)
        return f"list {number} item {index}" if index else None
    if block.id != unit.id:
        return None
    return f"picture {number}" if isinstance(block, Figure) else f"paragraph {number}"


def line_of(leaflet: Leaflet, unit: Unit) -> int:
    """Return the line of a unit in its file (0 if unknown: the title, the note)."""
    for section in leaflet.sections:
        if unit.kind == "section" and section.id == unit.id:
            return section.line
    for block in (*leaflet.intro, *(b for s in leaflet.sections for b in s.blocks)):
        ids = {block.id} | ({i.id for i in block.items} if isinstance(block, BulletList) else set())
        if unit.kind in ("block", "item") and unit.id in ids:
            return block.line
    return 0
