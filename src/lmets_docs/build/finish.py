"""Finish a build: run the writers, install each complete new folder in one step, stamp it.

A leaflet language whose writers did not all succeed, or whose new files fail their check,
keeps its previous outputs untouched (``install``'s swap is one atomic step).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from lmets_docs import formats
from lmets_docs.build import failures
from lmets_docs.build.failures import not_updated
from lmets_docs.build.install import carry_over, swap, sync_tree
from lmets_docs.build.manifest import built, make_manifest
from lmets_docs.build.plan import Job, intact
from lmets_docs.build.report import BuildReport
from lmets_docs.build.run import Installer, run_writers
from lmets_docs.build.stamp import Stamp
from lmets_docs.errors import BuildError, is_disk_full
from lmets_docs.manifest import MANIFEST, Manifest, previous_manifest, write_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.review import due_soon_warning
from lmets_docs.speech.choose import said_once_per_build

log = logging.getLogger(__name__)
Run = Callable[[list[Job], BuildOptions, Installer], None]
"""The step that writes a build's jobs (``run.run_writers``; a batch's ``batch.run``)."""


def finish_all(jobs: list[Job], stamp: Stamp, options: BuildOptions, run: Run | None = None
               ) -> BuildReport:
    """Write every job, install those that succeeded, and stamp a build that found no error.

    ``run`` writes the jobs (default: ``run_writers``, in this machine's processes), and
    hands over each job whose formats have all ended, to be installed while it writes the
    others; a job it did not hand over is installed once it returns. The report lists the
    jobs in their order, whenever each was installed.
    """
    reports: dict[int, BuildReport] = {}
    said: set[str] = set()  # the warnings said once per build (``said_once_per_build``)

    def install(job: Job) -> None:
        if id(job) not in reports:
            reports[id(job)] = BuildReport()
            finish(job, options, reports[id(job)], said)

    try:
        stamp.forget()
        (run or run_writers)(jobs, options, install)
        for job in jobs:
            install(job)
    except OSError as exc:  # the output folder: read-only, full, or not a folder
        where = exc.filename or options.out
        if is_disk_full(exc):  # each leaflet language not installed is said after it
            for job in jobs:
                if not (id(job) in reports and reports[id(job)].folders):
                    job.disk_full = job.disk_full or str(where)
            raise not_updated(jobs) from exc
        raise BuildError(f"{where}: cannot write the outputs ({exc.strerror or exc})") from exc
    finally:
        for job in jobs:  # a stage left by an error above; finished ones are closed already
            job.stage.close()
    report = BuildReport.joined(reports[id(job)] for job in jobs)
    if any(job.failures or job.disk_full for job in jobs):
        raise not_updated(jobs)
    if not any(f.severity.value == "error" for f in report.findings):
        stamp.record([built(job, options) for job in jobs])
    return report


def finish(job: Job, options: BuildOptions, report: BuildReport,
           said: set[str] | None = None) -> None:
    """Install a job's complete new folder in one step, or keep the old outputs as they are.

    ``said``: the warnings of this build said once for all its jobs, so far.
    """
    try:
        if job.failures or job.disk_full:
            return  # said after its reasons, as the build ends (``failures.not_updated``)
        for produced in job.results.values():
            report.findings += produced.findings
            report.checked += produced.checked
        if any(f.severity.value == "error" for p in job.results.values() for f in p.findings):
            _keep(job, "not installed: checking the new files found errors")
            report.rejected.append(job.folder)
            return
        manifest = _complete(job, options, set() if said is None else said)
        swap(job.stage)
        report.folders.append(job.folder)
        report.written += [f"{job.leaflet.id}/{job.leaflet.lang}/{n}" for n in job.results]
        report.reused += [f"{job.leaflet.id}/{job.leaflet.lang}/{n}" for n in job.reused]
        report.warnings += manifest.warnings
        if manifest.review.get("state") == "overdue":  # judged today, written or not
            report.overdue.append(job.folder)
    finally:
        job.stage.close()


def _keep(job: Job, why: str) -> None:
    log.error("%s (%s): %s; %s", job.leaflet.id, job.leaflet.lang, why, failures.kept(job))


def _complete(job: Job, options: BuildOptions, said: set[str]) -> Manifest:
    """Make the stage the whole new folder: old files still wanted, the manifest; flush it."""
    previous = previous_manifest(job.folder)
    # Formats not asked for this time keep their entries while their files are intact;
    # so does the PDF of another print profile (each is its own artifact).
    names = {n: formats.artifact_name(n, options) for n in job.keys}
    entries = {
        n: e
        for n, e in (previous.artifacts.items() if previous else ())
        if n not in names.values() and intact(job.folder, e)
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
    say_unsaid(job, manifest, options.today, said)
    write_manifest(job.tmp, manifest)
    sync_tree(job.tmp, (rel for produced in job.results.values() for rel in produced.flushed))
    return manifest


def say_unsaid(job: Job, manifest: Manifest, today: dt.date, once: set[str]) -> None:
    """Say the warnings that hold now and were not said while building: an overdue or due-soon
    review, and those of the formats kept from the last build (a PDF's layout warning), as a
    build that finds everything up to date says them (``stamp.Stamp.fresh``).

    A warning the same for every leaflet language (``--tts auto``'s choice of voice) is said
    here, once per build: ``once`` holds those already said, and gets this one's.
    """
    said = {*job.leaflet.warnings, *(w for p in job.results.values() for w in p.entry.warnings
                                     if not said_once_per_build(w))}
    due = dt.date.fromisoformat(manifest.review["next_review_due"])
    soon = due_soon_warning(f"{manifest.leaflet} ({manifest.lang})", due,
                            manifest.facts["review.next_review_due"].printed, today)
    for warning in [*manifest.warnings, *([soon] if soon else [])]:
        if warning in said or warning in once:
            continue
        if said_once_per_build(warning):
            once.add(warning)
        log.warning("%s", warning)
