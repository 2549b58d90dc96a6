"""Run a build's jobs on a Dask cluster, through the shared store.

The plan (``build.plan``) gives each leaflet language its jobs, each format keyed by its
artifact key. Here, a format whose key is in the store is copied from it (verified) and not
run; every other format becomes one Dask task named ``<format>-<artifact key>``, and a
format that reuses another's files (``formats.needs``) is a task that depends on that one.
As the tasks finish, their files are copied from the store into the job's stage; the local
build then writes each manifest and installs each language folder in one step, as always.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lmets_docs import formats, progress
from lmets_docs.batch.cluster import connect
from lmets_docs.batch.store import Record, Store
from lmets_docs.batch.task import TaskSpec, from_record, run_task
from lmets_docs.build.failures import failed, waited_for
from lmets_docs.build.plan import Job
from lmets_docs.build.run import Installer
from lmets_docs.errors import LmetsError
from lmets_docs.options import BuildOptions

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)



@dataclass
class ClusterRun:
    """The ``run`` step of a build (``build.build(..., run=...)``) on a Dask cluster."""

    scheduler: str
    store: Store
    from_store: list[str] = field(default_factory=list)
    """``<leaflet>/<lang>/<format>`` copied from the store instead of being made."""
    ran: list[str] = field(default_factory=list)
    """``<leaflet>/<lang>/<format>`` made by a task on the cluster."""

    def __call__(self, jobs: list[Job], options: BuildOptions,
                 installed: Installer | None = None) -> None:
        """Fill every job's stage and results, from the store or from the cluster.

        ``installed`` is given each job made on the cluster as soon as its last task is in
        (the build installs the others when this returns).
        """
        for job in jobs:
            job.stage.open()
        batch = _Batch(self, options)
        for job in jobs:
            batch.plan(job)
        if not batch.pending:  # everything was in the store: no cluster to start
            self._tell(len(jobs), len(jobs))
            return
        with connect(self.scheduler, options.jobs) as client:
            batch.run(client, jobs, installed)

    def _tell(self, done: int, total: int) -> None:
        """Report leaflet languages done (``lmets_docs.progress``: only the CLI draws it)."""
        progress.leaflets(done, total)


class _Batch:
    """One run's futures: which job and format each is, how many each job still waits for."""

    def __init__(self, run: ClusterRun, options: BuildOptions) -> None:
        self.run_ = run
        self.options = options
        self.pending: list[tuple[Job, str]] = []
        self.futures: dict[str, tuple[Job, str, Future[Record]]] = {}
        self.waiting: dict[int, int] = {}
        self.failed: dict[int, set[str]] = {}

    def plan(self, job: Job) -> None:
        """Take each format of a job from the store, or mark it to be made (needs first)."""
        self.waiting[id(job)] = 0
        self.failed[id(job)] = set()
        for name in sorted(job.todo, key=lambda n: bool(formats.needs(n))):
            if not self._from_store(job, name):
                self.pending.append((job, name))
                self.waiting[id(job)] += 1

    def run(self, client: Client, jobs: list[Job], installed: Installer | None) -> None:
        """Submit every format still to make, then take the results as they come."""
        from distributed import as_completed  # noqa: PLC0415 (the optional extra)

        submitted: dict[tuple[int, str], Future[Record]] = {}
        for job, name in self.pending:
            needed = [self._needed(job, need, submitted) for need in formats.needs(name)]
            submitted[(id(job), name)] = self._submit(client, job, name, needed)
        done = sum(1 for job in jobs if not self.waiting[id(job)])
        self.run_._tell(done, len(jobs))
        for future in as_completed(list(submitted.values())):  # type: ignore[no-untyped-call]
            job, name, _ = self.futures[future.key]
            self._collect(job, name, future)
            self.waiting[id(job)] -= 1
            if not self.waiting[id(job)]:
                done += 1
                self.run_._tell(done, len(jobs))
                if installed is not None:
                    installed(job)

    def _from_store(self, job: Job, name: str) -> bool:
        store = self.run_.store
        record = store.get_record(job.keys[name])
        if record is None or not store.get_artifact(record, job.tmp):
            return False
        job.results[name] = from_record(record, job.folder)
        self.run_.from_store.append(_label(job, name))
        return True

    def _needed(self, job: Job, need: str, submitted: dict[tuple[int, str], Future[Record]]) -> Any:
        """Return what a task needs of another format: its future, or its stored record."""
        if (id(job), need) in submitted:
            return submitted[(id(job), need)]
        entry = job.results[need].entry if need in job.results else job.reused[need].model_copy()
        record = Record(need, entry)
        if need in job.reused:  # up to date in the output: the worker finds it in the store
            self.run_.store.put_artifact(job.keys[need], record, job.folder)
        return record

    def _submit(self, client: Client, job: Job, name: str, needed: list[Any]) -> Future[Record]:
        key = f"{name}-{job.keys[name]}"
        spec = TaskSpec(job.leaflet, name, job.keys[name], job.folder, self.options,
                        self.run_.store.url)
        future = client.submit(run_task, spec, *needed, key=key)
        self.futures[key] = (job, name, future)
        return future

    def _collect(self, job: Job, name: str, future: Future[Record]) -> None:
        """Copy a finished task's files into the job's stage, or record why it failed."""
        where = f"{job.leaflet.id} ({job.leaflet.lang}) {name}"
        try:
            record: Record = future.result()
        except Exception as exc:  # a writer's error or bug must not lose the other leaflets
            self.failed[id(job)].add(name)
            if (needs := [n for n in formats.needs(name) if self._failed(job, n)]):
                waited_for(job, name, needs)
            else:
                failed(job, name, exc, self._why(name, exc))
            return
        if not self.run_.store.get_artifact(record, job.tmp):
            job.failures.append(f"{where}: its files are missing or damaged in the store")
            return
        job.results[name] = from_record(record, job.folder)
        self.run_.ran.append(_label(job, name))

    def _why(self, name: str, exc: BaseException) -> str:
        if isinstance(exc, LmetsError):
            return str(exc)
        log.debug("task %s failed", name, exc_info=exc)
        return f"internal error: {exc.__class__.__name__}: {exc}"


    def _failed(self, job: Job, need: str) -> bool:
        ran = self.futures.get(f"{need}-{job.keys[need]}")
        return need in self.failed[id(job)] or (ran is not None and ran[2].status == "error")


def _label(job: Job, name: str) -> str:
    return f"{job.leaflet.id}/{job.leaflet.lang}/{name}"
