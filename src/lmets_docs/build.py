"""Build leaflets: load and validate everything, run the writers, move results into place.

Read top to bottom, like a recipe: stamp (has anything changed at all?) → discover → load →
plan (what is already up to date) → write and check (in parallel, into a new folder beside the
old one) → manifest → swap the new folder in (``install``) → stamp. A leaflet language whose
writers did not all succeed, or whose new files fail their check, keeps its previous outputs
untouched: the swap is one atomic step, so a killed build or a full disk cannot leave a mixture.
Each format is checked as ``lmets-docs check`` would check it (not thoroughly) by the process
that wrote it, as soon as it is written, so the reading back of one format overlaps the writing
of the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lmets_docs import __version__, writers
from lmets_docs.errors import BuildError, ContentError, LmetsError, Problem
from lmets_docs.i18n import messages
from lmets_docs.install import Stage, carry_over, clean_files, clean_stale, swap, sync_tree
from lmets_docs.manifest import (
    MANIFEST,
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
from lmets_docs.review import DUE_SOON_DAYS, ReviewState, review_status
from lmets_docs.source import discover, load_folder
from lmets_docs.stamp import STAMPS, BuildReport, Built, Stamp, code_hash, templates_hash
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult

if TYPE_CHECKING:
    from lmets_docs.check.findings import Finding

log = logging.getLogger(__name__)


@dataclass
class Produced:
    """One format as its worker made it: its manifest entry, and what checking it found."""

    entry: ArtifactEntry
    findings: list[Finding] = field(default_factory=list)
    checked: list[Path] = field(default_factory=list)


@dataclass
class Job:
    """One leaflet in one language: where it goes, what is up to date, what must be written."""

    leaflet: Leaflet
    folder: Path
    keys: dict[str, str]
    reused: dict[str, ArtifactEntry]
    todo: list[str]
    stage: Stage
    results: dict[str, Produced] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def tmp(self) -> Path:
        """Return the folder the new outputs are written into, beside the installed one."""
        return self.stage.path


def build(
    paths: Iterable[Path],
    options: BuildOptions,
    run: Callable[[list[Job], BuildOptions], None] | None = None,
) -> BuildReport:
    """Build every leaflet under ``paths``; raise ContentError before writing on bad input.

    ``run`` fills each job's stage and results (default: :func:`run_writers`, here); a batch
    on a cluster passes its own (``lmets_docs.batch``).
    """
    paths = list(paths)
    clean_stale(options.out)
    stamp = Stamp(paths, options)
    if (unchanged := stamp.fresh()) is not None:
        return unchanged
    leaflets = load_all(paths, options)
    clean_files(options.cache)
    clean_files(options.out / STAMPS)
    formats = writers.with_needs(options.formats or writers.available())
    jobs = [plan(leaflet, formats, options) for leaflet in leaflets]
    report = BuildReport()
    try:
        stamp.forget()
        (run or run_writers)(jobs, options)
        for job in jobs:
            finish(job, options, report)
    except OSError as exc:  # the output folder: read-only, full, or not a folder
        where = exc.filename or options.out
        raise BuildError(f"{where}: cannot write the outputs ({exc.strerror or exc})") from exc
    finally:
        for job in jobs:  # a stage left by an error above; finished ones are closed already
            job.stage.close()
    failures = [f for job in jobs for f in job.failures]
    if failures:
        raise BuildError("\n".join(failures))
    if not any(f.severity.value == "error" for f in report.findings):
        stamp.record([built(job, options) for job in jobs])
    return report


def load_all(paths: Iterable[Path], options: BuildOptions) -> list[Leaflet]:
    """Load and validate every leaflet first, so nothing is built if any source is bad.

    Every folder is read, and all their problems are reported together.
    """
    leaflets: list[Leaflet] = []
    problems: list[Problem] = []
    for folder in discover(paths):
        try:
            leaflets += load_folder(folder, options.langs or None)
        except ContentError as exc:
            problems += exc.problems
    if problems:
        raise ContentError(problems)
    for warning in (w for leaflet in leaflets for w in leaflet.warnings):
        log.warning("%s", warning)
    return leaflets


def plan(leaflet: Leaflet, formats: Iterable[str], options: BuildOptions) -> Job:
    """Decide which formats are already up to date (same inputs, files intact)."""
    folder = options.out / leaflet.id / leaflet.lang
    previous = previous_manifest(folder)
    keys: dict[str, str] = {}
    reused, todo = {}, []
    for name in formats:
        keys[name] = artifact_key(leaflet, name, options, keys)
        entry = previous.artifacts.get(writers.artifact_name(name, options)) if previous else None
        if entry and entry.key == keys[name] and _intact(folder, entry):
            reused[name] = entry
        else:
            todo.append(name)
    return Job(leaflet, folder, keys, reused, todo, Stage(folder))


def artifact_key(
    leaflet: Leaflet, name: str, options: BuildOptions, keys: dict[str, str] | None = None
) -> str:
    """Return the hash of every input of one format: source, code, templates, options, day.

    Of the day, only whether the review is overdue counts: every format says so. A format
    that reuses another's files (``writers.NEEDS``) includes that format's key.
    """
    writer_options = writers.OPTIONS.get(name, ())
    parts = [
        leaflet.source_hash,
        name,
        __version__,
        code_hash(),
        templates_hash(options.templates),
        options.fingerprint(*writer_options),
        f"overdue={review_status(leaflet.facts.review, options.today).overdue}",
        *((keys or {}).get(need, need) for need in writers.NEEDS.get(name, ())),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _intact(folder: Path, entry: ArtifactEntry) -> bool:
    for role, rel in entry.files.items():
        path = folder / rel
        if not path.is_file() or sha256_file(path) != entry.sha256.get(role):
            return False
    return True


def run_writers(jobs: list[Job], options: BuildOptions) -> None:
    """Run every pending writer, in parallel processes when there is more than one.

    A format that reuses another's files (``writers.NEEDS``) starts when those are written.
    """
    tasks = [(job, name) for job in jobs for name in job.todo]
    for job in jobs:
        job.stage.open()
        if job.todo:
            _bring_needed(job)
    if len(tasks) <= 1 or options.jobs <= 1:
        for job, name in _heaviest_first(tasks):
            if not _needs_failed(job, name):
                _collect(job, name, lambda j=job, n=name: _produce(j, n, options))
        return
    with ProcessPoolExecutor(max_workers=min(options.jobs, len(tasks))) as pool:
        first = [(j, n) for j, n in _heaviest_first(tasks) if not writers.NEEDS.get(n)]
        later = [(j, n) for j, n in tasks if writers.NEEDS.get(n)]
        futures = {(id(j), n): (j, n, pool.submit(_produce, j, n, options)) for j, n in first}
        for job, name in later:  # after what they need: the narration is submitted first
            for need in writers.NEEDS[name]:
                if (ran := futures.pop((id(job), need), None)) is not None:
                    _collect(job, need, ran[2].result)
            if not _needs_failed(job, name):
                futures[(id(job), name)] = (job, name, pool.submit(_produce, job, name, options))
        for job, name, future in futures.values():
            _collect(job, name, future.result)


def _produce(job: Job, name: str, options: BuildOptions) -> Produced:
    return produce(name, job.leaflet, job.tmp, job.folder, job.keys[name], options)


def _bring_needed(job: Job) -> None:
    # A format that is up to date but needed by one being written is linked into the
    # temporary folder, where the writer finds it as if it had just been written.
    needed = {need for name in job.todo for need in writers.NEEDS.get(name, ())}
    for need in needed & set(job.reused):
        for rel in job.reused[need].files.values():
            (job.tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(job.folder / rel, job.tmp / rel)


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def _needs_failed(job: Job, name: str) -> bool:
    have = set(job.results) | set(job.reused)
    missing = [n for n in writers.NEEDS.get(name, ()) if n not in have]
    if missing:
        job.failures.append(
            f"{job.leaflet.id} ({job.leaflet.lang}) {name}: not written, because "
            f"{', '.join(missing)} failed"
        )
    return bool(missing)


def _heaviest_first(tasks: list[tuple[Job, str]]) -> list[tuple[Job, str]]:
    # Narration takes longest; start it first so the other writers fill the second core.
    # What reuses the narration comes last.
    return sorted(tasks, key=lambda task: (task[1] != "audio", bool(writers.NEEDS.get(task[1]))))


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


def produce(
    name: str, leaflet: Leaflet, tmp: Path, folder: Path, key: str, options: BuildOptions
) -> Produced:
    """Write one format into ``tmp`` (in this process or a worker), hash it, and check it.

    Findings name the files where they will be, in ``folder``.
    """
    result = write_one(name, leaflet, tmp, options)
    entry = ArtifactEntry(
        files=result.files,
        sha256={role: sha256_file(tmp / rel) for role, rel in result.files.items()},
        key=key,
        engines=result.engines,
        warnings=result.warnings,
        details=result.details,
    )
    if options.listen and name == "audio":
        listen_new(leaflet, entry, tmp, options)
    if not options.check:
        return Produced(entry)
    return Produced(entry, *check_one(leaflet, name, entry, tmp, folder, options))


def listen_new(leaflet: Leaflet, entry: ArtifactEntry, tmp: Path, options: BuildOptions) -> None:
    """Hear the narration just written (``--listen``); BuildError if a fact was heard wrong.

    What was heard goes into the manifest; a narration heard wrong is never installed.
    """
    from lmets_docs.listen.hear import listen  # noqa: PLC0415 (the optional extra)

    heard = listen(tmp, entry, make_manifest(leaflet, {"audio": entry}, options))
    entry.details["listened"] = heard.lines()
    wrong = [f.line().strip() for f in heard.findings if f.severity.value == "error"]
    if wrong:
        raise BuildError("the narration was heard wrong, so it is not installed:\n"
                         + "\n".join(wrong))


def check_one(
    leaflet: Leaflet,
    name: str,
    entry: ArtifactEntry,
    tmp: Path,
    folder: Path,
    options: BuildOptions,
) -> tuple[list[Finding], list[Path]]:
    """Check one format's new files as ``check`` would (not thoroughly).

    Return the findings and the files read, named where they will be once in ``folder``.
    """
    from lmets_docs.check import check_artifact  # noqa: PLC0415 (readers, only to check)
    from lmets_docs.check.findings import Report  # noqa: PLC0415

    read = Report()
    manifest = make_manifest(leaflet, {name: entry}, options)
    findings = check_artifact(tmp, name, entry, manifest, read, thorough=False)
    return (
        [dataclasses.replace(f, file=_moved(f.file, tmp, folder)) for f in findings],
        [_moved(path, tmp, folder) for path in read.files],
    )


def _moved(path: Path, tmp: Path, folder: Path) -> Path:
    return folder / path.relative_to(tmp) if path.is_relative_to(tmp) else path


def write_one(name: str, leaflet: Leaflet, tmp: Path, options: BuildOptions) -> WriterResult:
    """Run one writer (in this process or a worker) and time it."""
    start = time.perf_counter()
    result = writers.load(name).write(leaflet, tmp, options)
    log.info(
        "%s: %s (%s) written in %.1f s", name, leaflet.id, leaflet.lang, time.perf_counter() - start
    )
    return result


def finish(job: Job, options: BuildOptions, report: BuildReport) -> None:
    """Install a job's complete new folder in one step, or keep the old outputs as they are."""
    try:
        if job.failures:
            _keep(job, "not updated")
            return
        for produced in job.results.values():
            report.findings += produced.findings
            report.checked += produced.checked
        if any(f.severity.value == "error" for p in job.results.values() for f in p.findings):
            _keep(job, "not installed: checking the new files found errors")
            report.rejected.append(job.folder)
            return
        manifest = _complete(job, options)
        swap(job.stage)
        report.folders.append(job.folder)
        report.written += [f"{job.leaflet.id}/{job.leaflet.lang}/{n}" for n in job.results]
        report.reused += [f"{job.leaflet.id}/{job.leaflet.lang}/{n}" for n in job.reused]
        report.warnings += manifest.warnings
    finally:
        job.stage.close()


def _keep(job: Job, why: str) -> None:
    log.error("%s (%s): %s; the previous outputs are kept", job.leaflet.id, job.leaflet.lang, why)


def _complete(job: Job, options: BuildOptions) -> Manifest:
    """Make the stage the whole new folder: old files still wanted, the manifest; flush it."""
    previous = previous_manifest(job.folder)
    # Formats not asked for this time keep their entries while their files are intact;
    # so does the PDF of another print profile (each is its own artifact).
    names = {n: writers.artifact_name(n, options) for n in job.keys}
    entries = {
        n: e
        for n, e in (previous.artifacts.items() if previous else ())
        if n not in names.values() and _intact(job.folder, e)
    }
    entries.update({names[n]: e for n, e in job.reused.items()})
    entries.update({names[n]: produced.entry for n, produced in job.results.items()})
    rebuilt = {names[n] for n in job.results}
    replaced = {MANIFEST} | {
        rel for n, e in (previous.artifacts.items() if previous else ()) if n in rebuilt
        for rel in e.files.values()
    }
    carry_over(job.folder, job.tmp, replaced)
    manifest = make_manifest(job.leaflet, entries, options)
    if manifest.review["state"] == "overdue":
        log.warning("%s", manifest.warnings[0])
    write_manifest(job.tmp, manifest)
    sync_tree(job.tmp)
    return manifest


def make_manifest(
    leaflet: Leaflet, entries: dict[str, ArtifactEntry], options: BuildOptions
) -> Manifest:
    """Return the manifest of one built leaflet language."""
    facts = formatter(leaflet)
    status = review_status(leaflet.facts.review, options.today)
    warnings = [*leaflet.warnings, *(w for entry in entries.values() for w in entry.warnings)]
    if status.overdue:
        warnings.insert(0, overdue_message(leaflet, -status.days_left))
    review = leaflet.facts.review
    return Manifest(
        leaflet=leaflet.id,
        lang=leaflet.lang,
        title=leaflet.title,
        publisher=leaflet.publisher.name,
        source_hash=leaflet.source_hash,
        built=now(),
        facts={
            n: FactEntry(printed=v.printed, spoken=v.spoken, link=v.link, value=v.value)
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


def built(job: Job, options: BuildOptions) -> Built:
    """Return what the stamp keeps about a finished job: its folder, formats and good days."""
    first, last = review_days(job.leaflet, options.today)
    return Built(job.folder, f"{job.leaflet.id}/{job.leaflet.lang}", tuple(job.keys), first, last)


def review_days(leaflet: Leaflet, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day on which the manifest says what it says today.

    The manifest records the review state; an overdue one also says how many days ago the
    review was due, so it is true for one day only. None: no limit on that side.
    """
    status = review_status(leaflet.facts.review, today)
    due = leaflet.facts.review.next_review_due
    soon = due - dt.timedelta(days=DUE_SOON_DAYS)
    if status.overdue:
        return today, today
    if status.state is ReviewState.DUE_SOON:
        return soon, due
    return None, soon - dt.timedelta(days=1)


def overdue_message(leaflet: Leaflet, days: int) -> str:
    """Return the loud warning for a leaflet whose next review date has passed."""
    due = formatter(leaflet).printed("review.next_review_due")
    ago = messages("en").ngettext("{count} day ago", "{count} days ago", days)
    return (
        f"{leaflet.source_file}: OUT OF DATE: the next review was due on {due} "
        f"({ago}); have the information reviewed before giving this leaflet to patients"
    )
