"""A small library of leaflets made from the seed, for the batch tests and benchmark."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

from lmets_docs import progress

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
SEED_ID = "leptomeningeal-metastases"


def make_library(dest: Path, count: int, prefix: str = "leaflet") -> list[Path]:
    """Write ``count`` variants of the seed under ``dest``: own id, title and opening line.

    The rest of the text is the seed's, as a library's leaflets share their boilerplate.
    """
    folders = []
    for number in range(1, count + 1):
        folders.append(variant(dest, f"{prefix}-{number:02d}", number))
    return folders


def variant(dest: Path, leaflet_id: str, number: int) -> Path:
    """Write one variant of the seed as ``dest/<leaflet_id>``; return its folder."""
    folder = dest / leaflet_id
    shutil.copytree(SEED, folder)
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        f"id: {SEED_ID}", f"id: {leaflet_id}", 1), encoding="utf-8")
    text = folder / "en-GB.md"
    source = text.read_text(encoding="utf-8")
    source = source.replace("title: Treatment for leptomeningeal metastases",
                            f"title: Treatment for leptomeningeal metastases, part {number}", 1)
    source = source.replace("There are no set guidelines",
                            f"This is part {number} of the series. There are no set guidelines",
                            1)
    text.write_text(source, encoding="utf-8")
    return folder


@contextlib.contextmanager
def leaflets_made() -> Iterator[list[tuple[int, int]]]:
    """Collect a library build's progress reported meanwhile: (leaflets made, leaflets in all)."""
    steps: list[tuple[int, int]] = []

    class Steps(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            step = getattr(record, "progress", None)
            if isinstance(step, progress.Step) and step.label == "leaflets":
                steps.append((step.done, step.total))

    logger = logging.getLogger(progress.LOGGER)
    handler, level = Steps(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield steps
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
