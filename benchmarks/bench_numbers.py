"""Measure what comparing a translation's numbers with its source's costs, in CPU time.

Run: ``.venv/bin/python benchmarks/bench_numbers.py [leaflet folder ...] [--repeat N]``

For each leaflet folder (default: the seed, given a Welsh "translation" that is its English
text under ``translated_from: en-GB``, so every unit is compared; and the user test's
chemotherapy leaflet, ``tests/data/chemo-fever``, English, Arabic and Urdu), in one process:
the first comparison (its caches emptied: CLDR's separators, the spell-out tables), then the
median of N of the comparison alone (``check_numbers``) and of loading every language with
it (``load_folder``, as ``validate`` does). CPU time (``time.process_time``), not wall clock.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lmets_docs.scan_words import number_words
from lmets_docs.source import load_folder
from lmets_docs.source.numbercheck import check_numbers
from lmets_docs.source.numbers import _pattern, separators

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
FEVER = ROOT / "tests" / "data" / "chemo-fever"


def cpu(run: Callable[[], object]) -> float:
    """Return the CPU seconds one run takes."""
    start = time.process_time()
    run()
    return time.process_time() - start


def median_cpu(run: Callable[[], object], repeat: int) -> float:
    """Return the median CPU seconds of ``repeat`` runs."""
    return statistics.median(cpu(run) for _ in range(repeat))


def seed_with_translation(scratch: Path) -> Path:
    """Return a copy of the seed whose Welsh file is its English text, marked translated."""
    folder = scratch / SEED.name
    shutil.copytree(SEED, folder)
    english = (folder / "en-GB.md").read_text(encoding="utf-8")
    welsh = english.replace("lang: en-GB\n", "lang: cy\ntranslated_from: en-GB\n", 1)
    (folder / "cy.md").write_text(welsh, encoding="utf-8")
    return folder


def measure(folder: Path, repeat: int) -> None:
    """Print the first comparison's, the comparison's and the whole load's CPU time."""
    leaflets = load_folder(folder)
    by_lang = {leaflet.lang: leaflet for leaflet in leaflets}
    compare = lambda: check_numbers(leaflets, by_lang.get)  # noqa: E731
    for cached in (separators, _pattern, number_words):
        cached.cache_clear()
    first = cpu(compare)
    alone = median_cpu(compare, repeat)
    whole = median_cpu(lambda: load_folder(folder), repeat)
    units = sum(len(leaflet.all_blocks()) for leaflet in leaflets)
    print(f"{folder.name} ({', '.join(sorted(by_lang))}; {units} blocks): first comparison "
          f"{first * 1000:.1f} ms, comparison {alone * 1000:.2f} ms, load_folder with it "
          f"{whole * 1000:.1f} ms ({alone / whole:.1%} of it); CPU, median of {repeat}")


def main() -> None:
    """Measure each folder given, or the seed and the user test's leaflet."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folders = args.folders or [seed_with_translation(Path(scratch)), FEVER]
        for folder in folders:
            measure(folder, args.repeat)
    for lang in ("en-GB", "cy", "ar"):  # built only when a unit's digits differ
        number_words.cache_clear()
        print(f"spell-out table for {lang}, once per process: "
              f"{cpu(functools.partial(number_words, lang)) * 1000:.1f} ms CPU")


if __name__ == "__main__":
    main()
