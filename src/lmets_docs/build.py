"""Build leaflets: load and validate everything, run the writers, move results into place.

Read top to bottom, like a recipe: discover → load → plan (what is already up to date) →
write (in parallel, into a temporary folder) → move into place → manifest. A leaflet whose
writers did not all succeed keeps its previous outputs untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lmets_docs import __version__, writers
from lmets_docs.errors import BuildError, LmetsError
from lmets_docs.manifest import (
    ArtifactEntry,
    FactEntry,
    Manifest,
    now,
    previous_manifest,
    sha256_file,
    write_manifest,
)
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.review import review_status
from lmets_docs.source import discover, load_folder
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent


@dataclass
class Job:
    """One leaflet in one language: where it goes, what is up to date, what must be written."""

    leaflet: Leaflet
    folder: Path
    keys: dict[str, str]
    reused: dict[str, ArtifactEntry]
    todo: list[str]
    tmp: Path
    results: dict[str, WriterResult] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    """What a build did: the language folders written, and what was rebuilt or reused."""

    folders: list[Path] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(paths: Iterable[Path], options: BuildOptions) -> BuildReport:
    """Build every leaflet under ``paths``; raise ContentError before writing on bad input."""
    leaflets = load_all(paths, options)
    formats = options.formats or writers.available()
    jobs = [plan(leaflet, formats, options) for leaflet in leaflets]
    run_writers(jobs, options)
    report = BuildReport()
    for job in jobs:
        finish(job, options, report)
    failures = [f for job in jobs for f in job.failures]
    if failures:
        raise BuildError("\n".join(failures))
    return report


def load_all(paths: Iterable[Path], options: BuildOptions) -> list[Leaflet]:
    """Load and validate every leaflet first, so nothing is built if any source is bad."""
    folders = discover(paths)
    return [leaflet for folder in folders for leaflet in load_folder(folder, options.langs or None)]


def plan(leaflet: Leaflet, formats: Iterable[str], options: BuildOptions) -> Job:
    """Decide which formats are already up to date (same inputs, files intact)."""
    folder = options.out / leaflet.id / leaflet.lang
    previous = previous_manifest(folder)
    keys, reused, todo = {}, {}, []
    for name in formats:
        keys[name] = artifact_key(leaflet, name, options)
        entry = previous.artifacts.get(name) if previous else None
        if entry and entry.key == keys[name] and _intact(folder, entry):
            reused[name] = entry
        else:
            todo.append(name)
    tmp = options.out / leaflet.id / f".tmp-{leaflet.lang}-{uuid.uuid4().hex[:8]}"
    return Job(leaflet, folder, keys, reused, todo, tmp)


def artifact_key(leaflet: Leaflet, name: str, options: BuildOptions) -> str:
    """Return the hash of every input of one format: source, code, templates, options."""
    writer_options = _writer_option_names(name)
    parts = [
        leaflet.source_hash,
        name,
        __version__,
        code_hash(),
        templates_hash(options.templates),
        options.fingerprint(*writer_options),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _writer_option_names(name: str) -> tuple[str, ...]:
    # Option names are part of the key; reading them imports the writer, so keep them here.
    return {"pdf": ("profile",), "docx": ("profile",), "audio": ("tts", "speech_rate")}.get(
        name, ()
    )


@cache
def code_hash() -> str:
    """Return a hash of the package's code and templates (a code change rebuilds)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".css", ".j2", ".po", ".txt"}:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def templates_hash(folder: Path | None) -> str:
    """Return a hash of a user's template overrides (empty when there are none)."""
    if folder is None or not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def _intact(folder: Path, entry: ArtifactEntry) -> bool:
    for role, rel in entry.files.items():
        path = folder / rel
        if not path.is_file() or sha256_file(path) != entry.sha256.get(role):
            return False
    return True


def run_writers(jobs: list[Job], options: BuildOptions) -> None:
    """Run every pending writer, in parallel processes when there is more than one."""
    tasks = [(job, name) for job in jobs for name in job.todo]
    for job in jobs:
        if job.todo:
            job.tmp.mkdir(parents=True, exist_ok=True)
    if len(tasks) <= 1 or options.jobs <= 1:
        for job, name in tasks:
            _collect(job, name, lambda j=job, n=name: write_one(n, j.leaflet, j.tmp, options))
        return
    with ProcessPoolExecutor(max_workers=min(options.jobs, len(tasks))) as pool:
        futures: list[tuple[Job, str, Future[WriterResult]]] = [
            (job, name, pool.submit(write_one, name, job.leaflet, job.tmp, options))
            for job, name in _heaviest_first(tasks)
        ]
        for job, name, future in futures:
            _collect(job, name, future.result)


def _heaviest_first(tasks: list[tuple[Job, str]]) -> list[tuple[Job, str]]:
    # Narration takes longest; start it first so the other writers fill the second core.
    return sorted(tasks, key=lambda task: task[1] != "audio")


def _collect(job: Job, name: str, get: object) -> None:
    try:
        job.results[name] = get()  # type: ignore[operator]
    except LmetsError as exc:
        job.failures.append(f"{job.leaflet.id} ({job.leaflet.lang}) {name}: {exc}")
    except Exception as exc:  # a writer's bug must not lose the other leaflets' outputs
        log.debug("writer %s failed", name, exc_info=True)
        job.failures.append(
            f"{job.leaflet.id} ({job.leaflet.lang}) {name}: internal error: "
            f"{exc.__class__.__name__}: {exc}"
        )


def write_one(name: str, leaflet: Leaflet, tmp: Path, options: BuildOptions) -> WriterResult:
    """Run one writer (in this process or a worker) and time it."""
    start = time.perf_counter()
    result = writers.load(name).write(leaflet, tmp, options)
    log.info(
        "%s: %s (%s) written in %.1f s", name, leaflet.id, leaflet.lang, time.perf_counter() - start
    )
    return result


def finish(job: Job, options: BuildOptions, report: BuildReport) -> None:
    """Move a job's new files into place and write its manifest, or keep the old outputs."""
    try:
        if job.failures:
            log.error(
                "%s (%s): not updated; the previous outputs are kept",
                job.leaflet.id,
                job.leaflet.lang,
            )
            return
        job.folder.mkdir(parents=True, exist_ok=True)
        previous = previous_manifest(job.folder)
        # Formats not asked for this time keep their entries while their files are intact.
        entries = {
            n: e
            for n, e in (previous.artifacts.items() if previous else ())
            if n not in job.keys and _intact(job.folder, e)
        }
        entries.update(job.reused)
        for name, result in job.results.items():
            entries[name] = _install(job, name, result, previous)
        manifest = make_manifest(job.leaflet, entries, options)
        write_manifest(job.folder, manifest)
        report.folders.append(job.folder)
        report.written += [f"{job.leaflet.id}/{job.leaflet.lang}/{n}" for n in job.results]
        report.reused += [f"{job.leaflet.id}/{job.leaflet.lang}/{n}" for n in job.reused]
        report.warnings += manifest.warnings
    finally:
        shutil.rmtree(job.tmp, ignore_errors=True)
        _remove_empty(job.tmp.parent)


def _install(job: Job, name: str, result: WriterResult, previous: Manifest | None) -> ArtifactEntry:
    job.folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for role, rel in result.files.items():
        source, dest = job.tmp / rel, job.folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        hashes[role] = sha256_file(source)
        os.replace(source, dest)
    old = previous.artifacts.get(name) if previous else None
    for rel in set(old.files.values() if old else ()) - set(result.files.values()):
        (job.folder / rel).unlink(missing_ok=True)
    return ArtifactEntry(
        files=result.files,
        sha256=hashes,
        key=job.keys[name],
        engines=result.engines,
        warnings=result.warnings,
        details=result.details,
    )


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: other languages live there
        folder.rmdir()


def make_manifest(
    leaflet: Leaflet, entries: dict[str, ArtifactEntry], options: BuildOptions
) -> Manifest:
    """Return the manifest of one built leaflet language."""
    facts = formatter(leaflet)
    status = review_status(leaflet.facts.review, options.today)
    warnings = [w for entry in entries.values() for w in entry.warnings]
    if status.overdue:
        warnings.insert(0, overdue_message(leaflet, -status.days_left))
        log.warning("%s", warnings[0])
    review = leaflet.facts.review
    return Manifest(
        leaflet=leaflet.id,
        lang=leaflet.lang,
        title=leaflet.title,
        publisher=leaflet.publisher.name,
        source_hash=leaflet.source_hash,
        built=now(),
        facts={
            n: FactEntry(printed=v.printed, spoken=v.spoken, link=v.link)
            for n, v in facts.values.items()
        },
        review={
            "last_reviewed": review.last_reviewed.isoformat(),
            "next_review_due": review.next_review_due.isoformat(),
            "state": status.state.value,
        },
        sections=[{"id": s.id, "title": s.title} for s in leaflet.sections],
        artifacts=dict(sorted(entries.items())),
        warnings=warnings,
    )


def overdue_message(leaflet: Leaflet, days: int) -> str:
    """Return the loud warning for a leaflet whose next review date has passed."""
    due = formatter(leaflet).printed("review.next_review_due")
    return (
        f"{leaflet.source_file}: OUT OF DATE: the next review was due on {due} "
        f"({days} days ago); have the information reviewed before giving this leaflet to "
        "patients"
    )
