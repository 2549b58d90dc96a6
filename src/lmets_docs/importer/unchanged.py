"""Warn of a part whose source changed and whose translation was confirmed without a change.

After the source changed, ``export-xliff`` pre-fills each changed unit with its old
translation, marked *initial*; a CAT tool's "confirm" sets it *translated* with one click, and
an old DOCX imported again has the old text too. Imported, the translation then records the
new source's fingerprint and stops being stale, while it still says what the old source said
("two types" where the source now says "three"). Such a unit is imported (a source change
need not change every language's words: a typo, English punctuation, a rewording the
translation already had), but each is named in a warning, so that someone reads it against
the new source; ``validate`` no longer can.
"""

from __future__ import annotations

from pathlib import Path

from lmets_docs.errors import ContentError
from lmets_docs.importer.align import Imported
from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import units
from lmets_docs.source import load_folder
from lmets_docs.source.stale import unit_key


def unchanged_since_stale(path: Path, source: Leaflet, imported: Imported) -> list[str]:
    """Return a warning for each unit the translation being replaced had as stale (its
    source changed since) that is now imported as translated, word for word as before."""
    translated = imported.leaflet
    target = translated.source_file
    if not target.is_file():
        return []
    try:
        old = load_folder(target.parent, [translated.lang])[0]
    except ContentError:  # the old translation does not load: nothing to compare
        return []
    stale = {unit.id: unit for unit in old.stale}
    if not stale:
        return []
    before = {unit_key(u.kind, u.id): u.text for u in units(old)}
    now = {u.key: u.text for u in units(source)}
    warnings = []
    for unit in units(translated):
        key = unit_key(unit.kind, unit.id)
        if (key in stale and before.get(key) == unit.text
                and imported.origins.get(unit.key) == now.get(unit.key)):
            warnings.append(
                f"{path}: {key} ({stale[key].place}, {stale[key].file}:{stale[key].line}) is "
                f"marked translated but is word for word the translation made before its "
                f"{source.lang} source changed; read it against the new source and correct "
                "it if the change matters (a number, a dose, a name)")
    return warnings
