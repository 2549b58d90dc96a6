"""Say where a translation came from, in its front matter: the language and version of the
source it was translated from, and a fingerprint of each unit's source text then.

The fingerprints let a later export for translators (XLIFF) tell which units' source changed
since the translation was made, so that only those go back to the translator.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from lmets_docs.importer.sourcemap import Anchor, SourceMap
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import REFERENCES_NOTE_ID, TITLE_ID

FRONT_MATTER = re.compile(r"\A\ufeff?---\n(.*?)\n---\s*$", re.DOTALL | re.MULTILINE)
FINGERPRINT_HEX = 12
UNIT_KEYS = {("title", TITLE_ID): "title", ("note", REFERENCES_NOTE_ID): "references-note"}
"""Unit ids that are not a block's id; a section's is ``section:<id>``."""
HAND_WRITTEN = ("glossary",)
"""Front matter an import does not make but keeps when it replaces a language file."""


def unit_key(kind: str, unit_id: str) -> str:
    """Return a unit's id as translators' files name it: a block's own id, ``section:<id>``."""
    if (kind, unit_id) in UNIT_KEYS:
        return UNIT_KEYS[(kind, unit_id)]
    return unit_id if kind in ("block", "item") else f"{kind}:{unit_id}"


def fingerprint(text: str) -> str:
    """Return a short fingerprint of a unit's source text (facts as ``{{ name }}``)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:FINGERPRINT_HEX]


def source_units(units: Iterable[Anchor]) -> dict[str, str]:
    """Return unit id → fingerprint for every unit with recorded text (lists have none)."""
    return {unit_key(u.kind, u.id): fingerprint(u.text) for u in units
            if u.text and u.shape != "list"}


def front_matter(translated: Leaflet, source_map: SourceMap, target: Path) -> dict[str, Any]:
    """Return the front matter: title, language, where it was translated from, the note, and
    the glossary the language file being replaced has (definitions are written by hand)."""
    values: dict[str, Any] = {"title": translated.title, "lang": translated.lang}
    if translated.lang != source_map.lang:
        values |= {"translated_from": source_map.lang, "source_hash": source_map.source_hash}
        fingerprints = source_units(source_map.units)
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


def read_front_matter(path: Path) -> Mapping[str, Any]:
    """Return a language file's front matter as a mapping (empty if it has none or is bad)."""
    match = FRONT_MATTER.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    try:
        front = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return {}
    return front if isinstance(front, dict) else {}


def existing_provenance(path: Path) -> dict[str, Any]:
    """Return ``translated_from``, ``source_hash`` and ``source_units`` from a language file."""
    front = read_front_matter(path)
    return {key: front[key] for key in ("translated_from", "source_hash", "source_units")
            if front.get(key)}
