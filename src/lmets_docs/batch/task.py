"""One task of a batch, as a worker runs it: one format of one leaflet in one language.

The worker writes the format into a private temporary folder (after copying in, from the
store, the files of the formats it reuses), checks it as the local build does, and keeps the
files and the record in the store. It returns the record; it never writes into the output
folder, which only the machine that installs touches (all or nothing, per language).
"""

from __future__ import annotations

import dataclasses
import gc
import tempfile
from pathlib import Path

from lmets_docs.batch.store import Record, Store, StoredFinding
from lmets_docs.build.plan import Produced
from lmets_docs.build.run import produce
from lmets_docs.check.findings import Finding, Severity
from lmets_docs.errors import StoreError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions


@dataclasses.dataclass(frozen=True)
class TaskSpec:
    """What a worker needs to make one artifact: the leaflet, the format, where it will go."""

    leaflet: Leaflet
    name: str
    key: str
    folder: Path
    """The language folder the files will be installed in (findings name them there)."""
    options: BuildOptions
    store: str


def run_task(spec: TaskSpec, *needed: Record) -> Record:
    """Make one artifact on a worker, keep it in the store, and return its record."""
    store = Store(spec.store)
    options = worker_options(spec.options, store)
    with tempfile.TemporaryDirectory(prefix="lmets-task-") as tmp:
        work = Path(tmp)
        for record in needed:
            if not store.get_artifact(record, work):
                raise StoreError(f"{store.url}: the {record.name} files this needs are gone "
                                 "from the store")
        produced = produce(spec.name, spec.leaflet, work, spec.folder, spec.key, options,
                           flush=False)
        record = to_record(spec.name, produced, spec.folder)
        store.put_artifact(spec.key, record, work)
    give_back_memory()
    return record


def give_back_memory() -> None:
    """Return the freed heap to the system after a task: a worker lives for the whole batch.

    Once per task, not at every free (which is what Dask's ``MALLOC_TRIM_THRESHOLD_`` does,
    at 2.2 times the narration's CPU). Only glibc has ``malloc_trim``; elsewhere, nothing.
    """
    import ctypes  # noqa: PLC0415

    gc.collect()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the process's own libc
    if trim is not None:
        trim(0)


def worker_options(options: BuildOptions, store: Store) -> BuildOptions:
    """Return the options a task runs with: one writer at a time, speech kept in the store."""
    cache = store.folder or options.cache_dir
    return dataclasses.replace(options, jobs=1, cache_dir=cache)


def to_record(name: str, produced: Produced, folder: Path) -> Record:
    """Return the store's record of a produced format, paths relative to its folder."""
    stored = []
    for finding in produced.findings:
        inside = finding.file.is_relative_to(folder)
        where = finding.file.relative_to(folder) if inside else finding.file
        stored.append(StoredFinding(finding.severity.value, where.as_posix(), finding.place,
                                    finding.message, finding.code, inside))
    checked = [p.relative_to(folder).as_posix() for p in produced.checked
               if p.is_relative_to(folder)]
    return Record(name, produced.entry, stored, checked)


def from_record(record: Record, folder: Path) -> Produced:
    """Return a stored format as the local build's ``Produced``, its paths under ``folder``."""
    findings = [
        Finding(Severity(f.severity), folder / f.file if f.inside else Path(f.file), f.place,
                f.message, f.code)
        for f in record.findings
    ]
    return Produced(record.entry, findings, [folder / rel for rel in record.checked])
