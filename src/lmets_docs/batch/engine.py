"""Build a batch on a Dask cluster: the local build, with its run step on the cluster."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.batch.cluster import LOCAL, is_remote
from lmets_docs.batch.run import ClusterRun
from lmets_docs.batch.store import Store
from lmets_docs.build.report import BuildReport
from lmets_docs.options import BuildOptions


@dataclass
class BatchReport(BuildReport):
    """A build's report, and which formats came from the store rather than a task."""

    from_store: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)


def build_batch(
    paths: Iterable[Path],
    options: BuildOptions,
    scheduler: str = LOCAL,
    store: str | None = None,
) -> BatchReport:
    """Build every leaflet under ``paths`` on a Dask cluster, through the store.

    Raise ContentError before anything is made on bad input, and BuildError (after every
    other leaflet language is installed) when a format could not be made.
    """
    from lmets_docs.build import build  # noqa: PLC0415 (the writers' registry and pydantic)

    if is_remote(scheduler):  # the workers run elsewhere: no path may depend on our folder
        paths = [Path(p).resolve() for p in paths]
        options = _absolute(options)
    run = ClusterRun(scheduler, Store(store or str(options.cache)))
    report = build(paths, options, run=run)
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(BuildReport)}
    return BatchReport(**fields, from_store=run.from_store, ran=run.ran)


def _absolute(options: BuildOptions) -> BuildOptions:
    return dataclasses.replace(
        options,
        out=options.out.resolve(),
        templates=options.templates.resolve() if options.templates else None,
        voice=options.voice.resolve() if options.voice else None,
        cache_dir=options.cache_dir.resolve() if options.cache_dir else None,
    )
