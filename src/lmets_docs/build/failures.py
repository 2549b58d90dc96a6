"""Say why leaflet languages were not updated: each reason, then the leaflet language.

A full disk fails every format that writes after it, in every leaflet language: said once
per build, in the words the README promises (``not written: the disk is full``), not once per
format with each writer's own words, nor as the formats that waited for one that failed.
"""

from __future__ import annotations

from collections.abc import Iterable

from lmets_docs.build.plan import Job
from lmets_docs.errors import DiskFullError, NotUpdatedError, is_disk_full
from lmets_docs.manifest import previous_manifest


def failed(job: Job, name: str, exc: BaseException, why: str) -> None:
    """Record that a format of a job was not written, and why (a full disk apart)."""
    if is_disk_full(exc):
        job.disk_full = job.disk_full or _where(exc)
    else:
        job.failures.append(f"{job.leaflet.id} ({job.leaflet.lang}) {name}: {why}")


def waited_for(job: Job, name: str, missing: Iterable[str]) -> None:
    """Record that a format was not written because formats it needs failed (unless a full
    disk stopped them: said as such)."""
    if not job.disk_full:
        job.failures.append(f"{job.leaflet.id} ({job.leaflet.lang}) {name}: not written, "
                            f"because {', '.join(missing)} failed")


def not_updated(jobs: Iterable[Job]) -> NotUpdatedError:
    """Return the error of a build whose jobs failed: a full disk once, and each job's own
    reasons; then (``kept``, said after them) each leaflet language not updated."""
    jobs = [job for job in jobs if job.failures or job.disk_full]
    full = next((job.disk_full for job in jobs if job.disk_full), None)
    lines = [f"not written: the disk is full ({full}); free some space and build again"
             ] if full else []
    lines += [failure for job in jobs for failure in job.failures]
    return NotUpdatedError("\n".join(lines), [
        f"{job.leaflet.id} ({job.leaflet.lang}): not updated; {kept(job)}" for job in jobs])


def kept(job: Job) -> str:
    """Say what a leaflet language not updated keeps: its previous outputs, or none."""
    return ("the previous outputs are kept" if previous_manifest(job.folder) is not None else
            "nothing is installed (it had no outputs before)")


def _where(exc: BaseException) -> str:
    if isinstance(exc, DiskFullError):
        return exc.path
    filename = getattr(exc, "filename", None)
    return str(filename) if filename else "a file"
