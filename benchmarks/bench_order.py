"""Time a library build before and after a change of code: wall, CPU, and when leaflets install.

Run from the repository root:
  .venv/bin/python benchmarks/bench_order.py --before /work/main/src [--runs 1] [--leaflets 16]

The library is the batch benchmark's (``tests.library``: variants of the seed). Each contender
builds all of it cold (PDF, DOCX and audio, espeak-ng, an empty output folder and cache) in a
fresh process: "before" with ``PYTHONPATH`` set to the other code's ``src`` folder, "after" with
this checkout's; each at ``--jobs 1`` and ``--jobs 2``, taking turns so that a slow moment of
the shared machine hits them alike. Figures are medians of ``--runs`` turns:

- wall: the build's wall time; CPU: user + system time of the build and its children
  (``RUSAGE_CHILDREN``);
- first, half: seconds from the start until the first leaflet, and half the leaflets, were
  installed (their manifests' times): what a build killed then would have kept.

The load average before and after is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.library import make_library  # noqa: E402 (the tests' library of variants)

THREE_FORMATS = ("--format", "pdf", "--format", "docx", "--format", "audio")


@dataclass(frozen=True)
class Run:
    """One build: wall and CPU seconds, and when its first and half its leaflets installed."""

    wall: float
    cpu: float
    first: float
    half: float


def measure(src: Path, content: Path, out: Path, jobs: int) -> Run:
    """Build ``content`` into ``out`` with the code in ``src``; return what it took."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "lmets_docs", "build", str(content), "--out", str(out),
               "--tts", "espeak", "--jobs", str(jobs), "--today", "2022-06-01", "-q",
               "--templates", "none", *THREE_FORMATS]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start_wall, start = time.perf_counter(), time.time()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start_wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    installed = sorted(p.stat().st_mtime - start for p in out.glob("*/*/manifest.json"))
    return Run(wall, cpu, installed[0], installed[(len(installed) - 1) // 2])


def main() -> None:
    """Build the library with both codes, in turns, and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other code's src/")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--leaflets", type=int, default=16)
    args = parser.parse_args()
    contenders = {f"{name} --jobs {jobs}": (src, jobs)
                  for jobs in (1, 2) for name, src in (("before", args.before.resolve()),
                                                       ("after", ROOT / "src"))}
    results: dict[str, list[Run]] = {name: [] for name in contenders}
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as work:
        content = Path(work) / "content"
        make_library(content, args.leaflets)
        for _ in range(args.runs):
            for name, (src, jobs) in contenders.items():
                results[name].append(measure(src, content, Path(work) / "out", jobs))
    print(f"load average after: {os.getloadavg()}")
    for name, runs in results.items():
        median = {field: statistics.median(getattr(run, field) for run in runs)
                  for field in ("wall", "cpu", "first", "half")}
        print(f"{name}: wall {median['wall']:.1f} s, CPU {median['cpu']:.1f} s, first "
              f"installed at {median['first']:.1f} s, half at {median['half']:.1f} s")
    for name in ("before", "after"):
        one = statistics.median(r.wall for r in results[f"{name} --jobs 1"])
        two = statistics.median(r.wall for r in results[f"{name} --jobs 2"])
        print(f"{name}: --jobs 2 is {one / two:.2f}x as fast as --jobs 1 (wall)")


if __name__ == "__main__":
    main()
