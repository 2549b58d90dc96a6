"""The pdf writer spares the garbage collector's work while printing, and leaves it as it was."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers.pdf import WRITER
from lmets_docs.writers.pdf.collector import fewer_collections
from tests.conftest import BEFORE_DUE


def test_printing_the_seed_takes_few_collections_and_restores_the_collector(
        seed_leaflet: Leaflet, tmp_path: Path) -> None:
    collections: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append(int(info["generation"]))

    before = gc.get_threshold(), gc.get_freeze_count()
    gc.callbacks.append(count)  # the interpreter holds this very list
    try:
        result = WRITER.write(seed_leaflet, tmp_path,
                              BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE))
    finally:
        gc.callbacks.remove(count)
    assert (tmp_path / result.files["pdf"]).read_bytes().startswith(b"%PDF-")
    # Python's default thresholds make about 45 collections here (measured), 10 of them full.
    assert len(collections) < 15
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_overlapping_prints_restore_the_collector_when_the_last_ends() -> None:
    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with fewer_collections():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with fewer_collections():
        thread.start()
        inside.wait(10)
    assert gc.get_threshold() != before  # the other print is still under way
    release.set()
    thread.join(10)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
