"""Say where a translation came from, in its front matter: the language and version of the
source it was translated from, and a fingerprint of each unit's source text then.

The fingerprints let a later export for translators (XLIFF) tell which units' source changed
since the translation was made, so that only those go back to the translator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lmets_docs.importer.sourcemap import Anchor, SourceMap
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import units
from lmets_docs.source.stale import fingerprint, read_front_matter, unit_key

__all__ = ["fingerprint", "front_matter", "read_front_matter", "source_units", "unit_key"]
HAND_WRITTEN = ("glossary",)
"""Front matter an import does not make but keeps when it replaces a language file."""


def source_units(units: Iterable[Anchor]) -> dict[str, str]:
    """Return unit id → fingerprint for every unit with recorded text (lists have none)."""
    return {unit_key(u.kind, u.id): fingerprint(u.text) for u in units
            if u.text and u.shape != "list"}


def front_matter(translated: Leaflet, source_map: SourceMap, target: Path,
                 origins: Mapping[tuple[str, str], str] | None = None) -> dict[str, Any]:
    """Return the front matter: title, language, where it was translated from, the note, and
    the glossary the language file being replaced has (definitions are written by hand).

    ``origins`` gives, by current unit, the source text its translation was made from; a
    unit without one holds the source's text and gets no fingerprint (it is stale).
    """
    values: dict[str, Any] = {"title": translated.title, "lang": translated.lang}
    if translated.lang != source_map.lang:
        values |= {"translated_from": source_map.lang, "source_hash": source_map.source_hash}
        fingerprints = source_units(source_map.units) if origins is None else {
            unit_key(*u.key): fingerprint(origins[u.key]) for u in units(translated)
            if u.key in origins}
        if fingerprints:
            values["source_units"] = fingerprints
    else:  # the same language edited: keep what the file said it was translated from
        values |= existing_provenance(target)
    if translated.references_note:
        values["references_note"] = translated.references_note
    return values | hand_written(target)


def hand_written(path: Path) -> dict[str, Any]:
    """Return what the translator wrote by hand in a language file (its glossary), to keep."""
    front = read_front_matter(path)
    return {key: front[key] for key in HAND_WRITTEN if front.get(key)}


def existing_provenance(path: Path) -> dict[str, Any]:
    """Return ``translated_from``, ``source_hash`` and ``source_units`` from a language file."""
    front = read_front_matter(path)
    return {key: front[key] for key in ("translated_from", "source_hash", "source_units")
            if front.get(key)}
