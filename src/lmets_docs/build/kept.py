"""Say what the previous outputs a build keeps give: an old fact, or a withdrawn leaflet.

A leaflet language with a problem in its content is not built, and its previous outputs are
kept (and published). After a change in the library's ``contacts.yaml`` they give the old
number: the build, which holds the output folder, says so beside its "not built" line, as
``check`` says it (``source-facts-changed``). And a leaflet folder in the output folder whose
source is gone from the library (withdrawn) stays published until someone removes it: the
build says so too (``check``'s ``source-withdrawn``), so that a nightly build that does not run
``check`` still says it. Manifests are read as plain JSON, only for the leaflet languages not
built and the leaflets in the output folder that this build did not load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lmets_docs.check.languages import Built, read_built, source_folder, stale_facts, withdrawn
from lmets_docs.libraryfiles import real_path

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
        entry = wanted.get((real_path(source), built["lang"])) if source else None
        entry = entry or (wanted.get((real_path(source), None)) if source else None)
        if entry is not None and (old := stale_facts(folder, built)) is not None:
            found.append((entry, folder, old))
    return found


def _key(entry: str) -> tuple[Path, str | None]:
    match = _BLOCKED.match(entry)
    if match:
        return real_path(Path(match["folder"])), match["lang"]
    return real_path(Path(entry)), None


def withdrawn_leaflets(out: Path, loaded: set[str]) -> list[tuple[Path, str]]:
    """Return each leaflet folder of the output folder whose source is gone from a library
    still there (not one of the ids just ``loaded``), with the warning that says so."""
    found = []
    for leaflet in sorted(out.iterdir()) if out.is_dir() else ():
        if leaflet.name.startswith(".") or leaflet.name in loaded or not leaflet.is_dir():
            continue
        for folder in sorted(p for p in leaflet.iterdir() if p.is_dir()):
            if (built := read_built(folder)) is not None:
                if withdrawn(folder, built):
                    found.append((leaflet, _withdrawn(leaflet, built)))
                break  # every language of a leaflet was built from one folder
    return found


def _withdrawn(leaflet: Path, built: Built) -> str:
    return (f"{leaflet}: the leaflet folder it was built from, {built['source_folder']}, is "
            "gone from the library (withdrawn, or moved), yet its outputs are still in the "
            f"output folder, and published with it: remove {leaflet} (and wherever it is "
            "published), or build the leaflet from where it is now (check: source-withdrawn)")
