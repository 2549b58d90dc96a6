"""A fault injected into the workers of a Dask cluster: one leaflet's writer falls over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from lmets_docs.errors import BuildError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult


class FailFor(WorkerPlugin):
    """Make every writer fail for one leaflet id, in each worker process, until removed."""

    name = "lmets-fail-for"

    def __init__(self, leaflet_id: str) -> None:
        self.leaflet_id = leaflet_id
        self.original: Any = None

    def setup(self, worker: Any) -> None:
        """Wrap ``build.run.write_one`` in the worker process."""
        from lmets_docs.build import run as build  # noqa: PLC0415

        self.original = original = build.write_one
        broken = self.leaflet_id

        def write_one(name: str, leaflet: Leaflet, tmp: Path,
                      options: BuildOptions) -> WriterResult:
            if leaflet.id == broken:
                (tmp / "partial.txt").write_text("partial", encoding="utf-8")
                raise BuildError("the engine fell over")
            return original(name, leaflet, tmp, options)

        build.write_one = write_one

    def teardown(self, worker: Any) -> None:
        """Put the writer back."""
        from lmets_docs.build import run as build  # noqa: PLC0415

        build.write_one = self.original
