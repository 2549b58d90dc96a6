"""Time what safety costs: validating hostile sources, and the all-or-nothing install.

Run from the repository root:  .venv/bin/python benchmarks/bench_safety.py [--runs 5] [--old SRC]

(a) ``lmets-docs validate`` (a fresh process each time) on the minimal leaflet, on it with an
    800 KB line of links appended (refused now: longer than a line may be), and on it with
    1 MB of 9,000-character lines of links (the most a source may hold: accepted, so the cost
    must stay linear). With ``--old SRC`` (a ``src`` folder of an older commit, e.g. from
    ``git archive <commit> src | tar -x -C /tmp/old``), the same commands with that code, in
    turns with the current code (the older code must read today's leaflet format: with one
    from before the contacts change, every old run exits 1 at once).
(b) The install step of a build (``build.finish``: link the kept files, write the manifest,
    flush the new folder to disk, swap it in) for the seed leaflet's PDF + DOCX + audio, in
    this process, after the writers; its median share of the whole build, and the flush alone.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lmets_docs import build as build_module
from lmets_docs.build import finish as finish_module
from lmets_docs.options import BuildOptions, Profile

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal"
SEED = ROOT / "content" / "leptomeningeal-metastases"
LINK = "[link](https://example.org/a) "


def sources(work: Path) -> dict[str, Path]:
    """Write the three leaflets to validate; return them by name."""
    made = {}
    for name, extra in (("minimal", ""), ("800 KB line", "\n" + LINK * 27_000 + "\n"),
                        ("1 MB of 9,000-character lines",
                         "\n" + "\n\n".join([LINK * 300] * 105) + "\n")):
        folder = work / name.replace(" ", "-")
        shutil.copytree(MINIMAL, folder)
        with (folder / "en-GB.md").open("a", encoding="utf-8") as handle:
            handle.write(extra)
        made[name] = folder
    return made


def validate_seconds(folder: Path, src: Path | None) -> tuple[float, int]:
    """Return how long one ``validate`` process took, and its exit status."""
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lmets_docs", "validate", str(folder)],
                          capture_output=True, env=env, check=False, timeout=600)
    return time.perf_counter() - start, done.returncode


def bench_validate(runs: int, old: Path | None, work: Path) -> None:
    """Print the median validate time of each source, with the current and the old code."""
    codes: dict[str, Path | None] = {"now": None}
    if old:
        codes["old"] = old
    for name, folder in sources(work).items():
        for label, src in codes.items():
            times, status = [], 0
            for _ in range(runs):
                seconds, status = validate_seconds(folder, src)
                times.append(seconds)
            print(f"validate {name:32} {label}: {statistics.median(times):6.2f} s "
                  f"(exit {status})")


def timed(target: Any, name: str, spent: list[float]) -> None:
    """Wrap ``target.name`` so that each call's time is added to ``spent``."""
    original: Callable[..., Any] = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    setattr(target, name, wrapper)


def bench_install(runs: int, work: Path) -> None:
    """Print the install step's median time and share of a build, and the flush's."""
    finish: list[float] = []
    flush: list[float] = []
    timed(finish_module, "finish", finish)
    timed(finish_module, "sync_tree", flush)
    options = BuildOptions(out=work / "out", tts="espeak", templates=None, jobs=2,
                           today=dt.date(2022, 6, 1), cache_dir=work / "cache")
    totals = []
    for number in range(runs + 1):
        shutil.rmtree(options.out, ignore_errors=True)
        profile: Profile = ("large", "giant")[number % 2]
        start = time.perf_counter()
        build_module.build([SEED], dataclasses.replace(options, profile=profile))
        totals.append(time.perf_counter() - start)
    finish, flush, totals = finish[1:], flush[1:], totals[1:]  # the first warms the cache
    print(f"build (warm speech cache)        {statistics.median(totals):6.3f} s")
    print(f"  install step (build.finish)    {statistics.median(finish):6.3f} s "
          f"({100 * statistics.median(finish) / statistics.median(totals):.1f} %)")
    print(f"  of which flushing to disk      {statistics.median(flush):6.3f} s")
    print(f"  (swap: {'renameat2 RENAME_EXCHANGE' if _has_exchange() else 'two renames'})")


def _has_exchange() -> bool:
    return getattr(ctypes.CDLL(None), "renameat2", None) is not None


def main() -> None:
    """Run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old", type=Path, help="the src folder of an older commit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_validate(args.runs, args.old, Path(folder))
        bench_install(args.runs, Path(folder))


if __name__ == "__main__":
    main()
