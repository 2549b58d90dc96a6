"""Say what the previous outputs a build keeps give: an old fact, or a withdrawn leaflet.

A leaflet language with a problem in its content is not built, and its previous outputs are
kept (and published). After a change in the library's ``contacts.yaml`` they give the old
number: the build, which holds the output folder, says so beside its "not built" line, as
``check`` says it (``source-facts-changed``). Manifests are read as plain JSON, only for the
leaflet languages not built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lmets_docs.check.languages import Built, read_built, source_folder, stale_facts

_BLOCKED = re.compile(r"^(?P<folder>.*) \((?P<lang>[^()]+)\)$")
"""A leaflet language not built, as the library says it: ``folder (lang)``, or a folder."""


def built_languages(out: Path) -> Iterator[tuple[Path, Built]]:
    """Yield each language folder of the output folder with its manifest (``OUT/<id>/<lang>``)."""
    for manifest in sorted(out.glob("*/*/manifest.json")):
        folder = manifest.parent
        if not folder.parent.name.startswith(".") and (built := read_built(folder)):
            yield folder, built


def old_facts_kept(out: Path, blocked: list[str]) -> list[tuple[str, Path, list[str]]]:
    """Return each leaflet language not built whose kept outputs give a fact that changed
    since they were built: (as ``blocked`` says it, its output folder, the changes known)."""
    wanted = {_key(entry): entry for entry in blocked}
    found = []
    for folder, built in built_languages(out) if blocked else ():
        source = source_folder(folder, built)
        entry = wanted.get((_real(source), built["lang"])) if source else None
        entry = entry or (wanted.get((_real(source), None)) if source else None)
        if entry is not None and (old := stale_facts(folder, built)) is not None:
            found.append((entry, folder, old))
    return found


def _key(entry: str) -> tuple[Path, str | None]:
    match = _BLOCKED.match(entry)
    return (_real(Path(match["folder"])), match["lang"]) if match else (_real(Path(entry)), None)


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
