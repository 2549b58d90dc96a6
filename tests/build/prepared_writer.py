"""A writer whose import is slow, as WeasyPrint's is, and says which process imported it, when.

In a writer process, it dies instead of importing when ``LMETS_TEST_DIE_ON_IMPORT`` is set: a
writer process killed as it starts (by the kernel's OOM killer, say). ``LMETS_TEST_FAIL``
makes the task fail: ``engine`` as an engine does, ``unpicklable`` with an error that cannot
be sent back to the build's process as it is.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

from lmets_docs.errors import BuildError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult

IMPORT_S = 0.3

if os.environ.get("LMETS_TEST_DIE_ON_IMPORT") and multiprocessing.parent_process() is not None:
    os.kill(os.getpid(), signal.SIGKILL)

IMPORTED = {"pid": os.getpid(), "start": time.monotonic()}
if started := os.environ.get("LMETS_TEST_IMPORT_STARTED"):  # told to the test, which waits
    Path(started).touch()
time.sleep(IMPORT_S)
IMPORTED["end"] = time.monotonic()


class UnpicklableError(Exception):
    """An error holding what pickle cannot take (a lock)."""

    def __init__(self) -> None:
        super().__init__("held a lock")
        self.lock = __import__("threading").Lock()


class PreparedWriter:
    """Write ``prepared.json``: when this module was imported, and by which process; then when
    and where the task ran."""

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write the record, or fail as ``LMETS_TEST_FAIL`` says."""
        if os.environ.get("LMETS_TEST_FAIL") == "engine":
            raise BuildError("the engine fell over")
        if os.environ.get("LMETS_TEST_FAIL") == "unpicklable":
            raise UnpicklableError
        ran = {"pid": os.getpid(), "start": time.monotonic(), "imported": IMPORTED}
        (out_dir / "prepared.json").write_text(json.dumps(ran), encoding="utf-8")
        return WriterResult(files={"prepared": "prepared.json"}, engines={"prepared": "clock"})


WRITER = PreparedWriter()
