"""Make the manifest of one built leaflet language, and what the stamp keeps about it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lmets_docs.build.stamp import Built
from lmets_docs.libraryfiles import LEAFLET_FILE, shared_name
from lmets_docs.manifest import ArtifactEntry, FactEntry, Manifest, facts_hash, now, sha256_file
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.review import overdue_message, review_days, review_status
from lmets_docs.text import formatter

if TYPE_CHECKING:
    from lmets_docs.build.plan import Job


def make_manifest(
    leaflet: Leaflet, entries: dict[str, ArtifactEntry], options: BuildOptions
) -> Manifest:
    """Return the manifest of one built leaflet language."""
    status = review_status(leaflet.facts.review, options.today)
    warnings = [*leaflet.warnings, *(w for entry in entries.values() for w in entry.warnings)]
    if status.overdue:
        warnings.insert(0, overdue_message(leaflet, -status.days_left))
    review = leaflet.facts.review
    return Manifest(
        leaflet=leaflet.id,
        lang=leaflet.lang,
        title=leaflet.title,
        publisher=leaflet.publisher_name,
        source_hash=leaflet.source_hash,
        built=now(),
        facts=fact_entries(leaflet),
        review={
            "last_reviewed": review.last_reviewed.isoformat(),
            "next_review_due": review.next_review_due.isoformat(),
            "state": status.state.value,
        },
        sections=[{"id": s.id, "title": s.title} for s in leaflet.sections],
        artifacts=dict(sorted(entries.items())),
        warnings=warnings,
        source_folder=str(leaflet.source_dir.resolve()) if leaflet.source_file.name else None,
        source_from_output=_from_output(leaflet, options),
        source_files=source_files(leaflet),
        facts_hash=facts_hash(fact_entries(leaflet)),
        hours={f"contacts.{key}.hours": contact.hours.model_dump_json(exclude={"note"})
               for key, contact in leaflet.facts.contacts.items() if contact.hours},
        details=stale_details(leaflet),
    )


def fact_entries(leaflet: Leaflet) -> dict[str, FactEntry]:
    """Return every fact of one leaflet language as it is printed, spoken and linked."""
    return {n: FactEntry(printed=v.printed, spoken=v.spoken, link=v.link, value=v.value)
            for n, v in formatter(leaflet).values.items()}


def source_files(leaflet: Leaflet) -> dict[str, str]:
    """Return the SHA-256 of the leaflet's ``leaflet.yaml``, language file and the library's
    shared files above it (``../contacts.yaml``, ``../../contacts.yaml``), by name."""
    files = (leaflet.source_dir / LEAFLET_FILE, leaflet.source_file)
    shared = {shared_name(f, leaflet.source_dir): sha256_file(f)
              for f in leaflet.shared_files if f.is_file()}
    return {f.name: sha256_file(f) for f in files if f.is_file()} | shared


def _from_output(leaflet: Leaflet, options: BuildOptions) -> str | None:
    """Return the leaflet folder as seen from its output language folder (``check`` looks
    there when the absolute path is not on this machine: a synced or moved copy)."""
    if not leaflet.source_file.name:
        return None
    out = (options.out / leaflet.id / leaflet.lang).resolve()
    return Path(os.path.relpath(leaflet.source_dir.resolve(), out)).as_posix()


def stale_details(leaflet: Leaflet) -> dict[str, Any]:
    """Return the manifest's record of a translation's stale parts and accepted differences
    in numbers (empty if none)."""
    found: dict[str, Any] = {"numbers_accepted": [
        {"id": a.id, "place": a.place, "source": list(a.source),
         "translation": list(a.translation), "reason": a.reason}
        for a in leaflet.numbers_accepted]} if leaflet.numbers_accepted else {}
    if not leaflet.stale:
        return found
    return found | {"stale_translation": {
        "source_file": leaflet.stale[0].file,
        "units": [{"id": s.id, "place": s.place, "line": s.line} for s in leaflet.stale]}}


def built(job: Job, options: BuildOptions) -> Built:
    """Return what the stamp keeps about a finished job: its folder, formats and good days."""
    first, last = review_days(job.leaflet.facts.review, options.today)
    return Built(job.folder, f"{job.leaflet.id}/{job.leaflet.lang}", tuple(job.keys), first, last)
