"""Measure the CPU cost of the library rule (``check.library``) and its source twin.

Usage: ``python benchmarks/bench_library_rule.py OUTPUT_DIR [CONTENT_DIR]``. Reports the CPU
time (``time.process_time``) of the library rule over every manifest under OUTPUT_DIR, beside
the cost of finding those manifests and of the per-leaflet languages comparison measured in the
same run (the ratio is what to read on a shared machine); with CONTENT_DIR, the cost of
``validate``'s library warnings over the leaflets loaded from it, beside the cost of loading.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lmets_docs.check import find_manifests
from lmets_docs.check.languages import language_findings
from lmets_docs.check.library import library_findings
from lmets_docs.source.library import library_warnings
from lmets_docs.source.loader import discover, load_folder

ROUNDS = 20


def cpu(run: Callable[[], Any]) -> float:
    """Return the mean CPU seconds of ``ROUNDS`` runs."""
    start = time.process_time()
    for _ in range(ROUNDS):
        run()
    return (time.process_time() - start) / ROUNDS


def main(out: Path, content: Path | None) -> None:
    """Print the costs, in CPU milliseconds per run."""
    folders = find_manifests([out])
    rule = cpu(lambda: library_findings(folders))
    languages = cpu(lambda: language_findings(folders))
    found = cpu(lambda: find_manifests([out]))
    print(f"{len(folders)} language folders: library rule {rule * 1000:.2f} ms CPU; "
          f"languages comparison {languages * 1000:.2f} ms; finding manifests "
          f"{found * 1000:.2f} ms; rule / languages = {rule / languages:.2f}")
    if content is not None:
        leaflets = [x for folder in discover([content]) for x in load_folder(folder)]
        warn = cpu(lambda: library_warnings(leaflets))
        start = time.process_time()
        for folder in discover([content]):
            load_folder(folder)
        load = time.process_time() - start
        print(f"{len(leaflets)} leaflet languages: validate's library warnings "
              f"{warn * 1000:.2f} ms CPU; loading them {load * 1000:.0f} ms; "
              f"ratio {warn / load:.4f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
