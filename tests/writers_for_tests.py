"""Two small writers that plug into the registry, to test the build mechanism on its own."""

from __future__ import annotations

from pathlib import Path

from lmets_docs.errors import BuildError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.text import body_texts
from lmets_docs.writers import WriterResult


class TextWriter:
    """Write the leaflet's printed body text to ``<id>.txt``."""

    name = "txt"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write the body text, one block per line."""
        path = out_dir / f"{leaflet.id}.txt"
        path.write_text("\n".join(body_texts(leaflet)) + "\n", encoding="utf-8")
        return WriterResult(files={"txt": path.name}, engines={"txt": "plain"})


class FailingWriter:
    """Write half a file, then fail as an engine would."""

    name = "fail"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Fail after writing a partial file."""
        (out_dir / f"{leaflet.id}.txt").write_text("partial", encoding="utf-8")
        raise BuildError("the engine fell over")


WRITER = TextWriter()
FAILING = FailingWriter()
