"""A writer whose import is slow, as WeasyPrint's is, and says which process imported it, when.

In a writer process, it dies instead of importing when ``LMETS_TEST_DIE_ON_IMPORT`` is set: a
writer process killed as it starts (by the kernel's OOM killer, say).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult

IMPORT_S = 0.3

if os.environ.get("LMETS_TEST_DIE_ON_IMPORT") and multiprocessing.parent_process() is not None:
    os.kill(os.getpid(), signal.SIGKILL)

IMPORTED = {"pid": os.getpid(), "start": time.monotonic()}
time.sleep(IMPORT_S)
IMPORTED["end"] = time.monotonic()


class PreparedWriter:
    """Write ``prepared.json``: when this module was imported, and by which process; then when
    and where the task ran."""

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write the record."""
        ran = {"pid": os.getpid(), "start": time.monotonic(), "imported": IMPORTED}
        (out_dir / "prepared.json").write_text(json.dumps(ran), encoding="utf-8")
        return WriterResult(files={"prepared": "prepared.json"}, engines={"prepared": "clock"})


WRITER = PreparedWriter()
