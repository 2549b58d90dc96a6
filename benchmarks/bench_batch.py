"""Time a batch of 16 leaflets: --jobs 1 against --jobs 2, and the local build against Dask.

Run from the repository root:  .venv/bin/python benchmarks/bench_batch.py [--runs 1]
[--leaflets 16]

The library is 16 variants of the seed (each its own id, title and opening sentence; the rest
of the text shared, as a library's boilerplate is), written into a temporary folder. Each
contender builds all of it cold (PDF, DOCX and audio, espeak-ng, an empty output folder, an
empty speech cache or store), in a fresh process as a user starts it, the contenders taking
turns so that a slow moment of the shared machine hits them alike; figures are medians of
``--runs`` turns:

(a) the local build, ``--jobs 1``;
(b) the local build, ``--jobs 2`` (target: at least 1.8 times as fast as (a));
(c) ``--scheduler dask --jobs 2``: a LocalCluster of two worker processes started by the
    command (its start-up included), through a store in the output's ``.cache``;
(d) (c)'s command again into a new output folder with (c)'s store: every format comes from the
    store, no task runs, no cluster starts.

Memory: the timed builds are never sampled (reading a process's memory takes CPU, which a
build using both cores pays in wall time and one using one core hardly does: the bias
``bench_targets`` removed at its stop 27). Every memory figure comes from builds of their own
each turn, not judged for speed, whose process tree (the CLI, its writer processes or Dask's
scheduler, nanny and worker processes, espeak-ng) is sampled every 0.1 s:

(e) (b)'s command again;
(f) (c)'s command again, with a new store.

Where a core is left idle: (g) (b)'s command again, its process tree sampled as
``bench_critical_path`` samples a cold build (every thread's state every few milliseconds, the
threads Linux calls runnable counted, which other work on the machine stretches but does not
reshape). Printed: its CPU, the core-seconds it left a core idle at the start (the command
line alone: Python's start and the imports, before the first writer process is forked),
between (the library's loading beside the early writer process, hand-overs) and at the end
(after the last moment both cores were busy: the last tasks, the last install), the bound
for an idle machine, (CPU + idle core-seconds) / cores, and how many idle core-seconds the
speed target leaves at that CPU. Not timed against (a): the sampler takes CPU of its own.

Their figures are the largest resident set of one process (what ``RUSAGE_CHILDREN`` reports,
the measure the 400 MB target was set with), the largest sum of resident sets over the tree at
one moment, and the largest sum of proportional sets (PSS, ``/proc/PID/smaps_rollup``). A sum
of resident sets counts every page shared by the processes forked from the CLI (Python, the
imports made before the fork) once per process; PSS counts a shared page once in all.

CPU: each contender's CPU seconds (user + system) are those of the process tree, from
``RUSAGE_CHILDREN`` (a process counts once it has been waited for; the CLI waits for its
writer processes and espeak-ng servers). On a shared machine other work stretches the wall
time of a build using both cores more than that of one using one; its CPU seconds hardly move.
The load average before and after is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_critical_path as cores  # noqa: E402
import engines  # noqa: E402

from tests.library import make_library  # noqa: E402 (the tests' library of variants)

CLI = Path(sys.executable).parent / "lmets-docs"
SPEEDUP_BAR = 1.8
MEMORY_BAR_MB = 400
THREE_FORMATS = ("--format", "pdf", "--format", "docx", "--format", "audio")
SAMPLE_S = 0.1
SAMPLED = "local, --jobs 2, memory sampled"
SAMPLED_DASK = "dask LocalCluster, --jobs 2, memory sampled"
CORES_SAMPLED = "local, --jobs 2, cores sampled"


@dataclass(frozen=True)
class Run:
    """One build: wall and CPU seconds and, if its memory was sampled, its peaks in MB.

    ``process_mb`` is the largest resident set of one process, ``tree_mb`` the largest sum of
    resident sets over the tree, ``tree_pss_mb`` the largest sum of proportional sets; all 0
    for a timed (unsampled) build.
    """

    seconds: float
    cpu: float
    process_mb: float = 0.0
    tree_mb: float = 0.0
    tree_pss_mb: float = 0.0

    @property
    def sampled(self) -> bool:
        """Whether the build's memory was sampled."""
        return self.tree_mb > 0


def measure(command: list[str], log: Path, sample: bool = False) -> Run:
    """Run a command; return its times, and its memory peaks if ``sample``.

    Without ``sample`` nothing reads the tree while it runs: the process just waits for it.
    """
    before = _children_cpu()
    start = time.perf_counter()
    process_mb = tree_mb = tree_pss_mb = 0.0
    with log.open("wb") as out:
        proc = psutil.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        if not sample:
            proc.wait()
        while proc.poll() is None:
            tree = _tree(proc)
            sizes = _rss(tree)
            process_mb = max(process_mb, *sizes, 0.0)
            tree_mb = max(tree_mb, sum(sizes))
            tree_pss_mb = max(tree_pss_mb, sum(map(_pss_mb, tree)))
            time.sleep(SAMPLE_S)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - before
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text(errors='replace')}")
    return Run(seconds, cpu, process_mb, tree_mb, tree_pss_mb)


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def _rss(tree: list[psutil.Process]) -> list[float]:
    sizes = []
    for each in tree:
        try:
            sizes.append(each.memory_info().rss / 2**20)
        except psutil.Error:
            continue
    return sizes


def _pss_mb(process: psutil.Process) -> float:
    """Return a process's proportional set in MB (0 once it has ended)."""
    try:
        with open(f"/proc/{process.pid}/smaps_rollup", encoding="ascii") as rollup:
            found = re.search(r"^Pss:\s+(\d+) kB", rollup.read(), re.MULTILINE)
    except OSError:
        return 0.0
    return int(found.group(1)) / 1024 if found else 0.0


class Bench:
    """The library, a work folder, and the four contenders."""

    def __init__(self, work: Path, leaflets: int) -> None:
        self.work = work
        self.content = work / "content"
        make_library(self.content, leaflets)
        self.log = work / "last.log"
        self.turn = 0

    def command(self, out: Path, *extra: str) -> list[str]:
        """Return the CLI command building the library offline into ``out``."""
        return [str(CLI), "-q", "build", str(self.content), "--tts", "espeak", *THREE_FORMATS,
                "--today", "2022-06-01", "--out", str(out), *extra]  # not overdue: exit 0

    def fresh(self, name: str) -> Path:
        """Return an output folder that does not exist yet."""
        self.turn += 1
        return self.work / f"{name}-{self.turn}"

    def local(self, jobs: int, sample: bool = False) -> Run:
        """Build the library with the local build (sampling its memory with ``sample``)."""
        out = self.fresh(f"local{jobs}")
        try:
            return measure(self.command(out, "--jobs", str(jobs)), self.log, sample)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def local_cores(self) -> cores.Shape:
        """Build the library at ``--jobs 2``, sampling where its cores are left idle."""
        out = self.fresh("local-cores")
        try:
            return cores.shape(cores.sample(self.command(out, "--jobs", "2")))
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def cluster_sampled(self) -> Run:
        """Build through a LocalCluster with a new store, sampling the tree's memory."""
        out = self.fresh("dask-sampled")
        try:
            return measure(self.command(out, "--jobs", "2", "--scheduler", "dask"), self.log,
                           sample=True)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def cluster(self) -> tuple[Run, Run]:
        """Build through a LocalCluster, then again from its store into a new folder."""
        out, again = self.fresh("dask"), self.fresh("again")
        store = out / ".cache"
        try:
            cold = measure(self.command(out, "--jobs", "2", "--scheduler", "dask"), self.log)
            warm = measure(self.command(again, "--jobs", "2", "--scheduler", "dask",
                                        "--store", str(store)), self.log)
            return cold, warm
        finally:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(again, ignore_errors=True)


def main() -> None:
    """Measure, print the table and every target's PASS/FAIL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--leaflets", type=int, default=16)
    args = parser.parse_args()
    print(f"load average before: {_load()}  (cores: {len(os.sched_getaffinity(0))})")
    engines.compiled()
    results: dict[str, list[Run]] = {}
    shapes: list[cores.Shape] = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        bench = Bench(Path(tmp), args.leaflets)
        for _ in range(args.runs):
            contenders: list[tuple[str, Callable[[], Run]]] = [
                ("local, --jobs 1", lambda: bench.local(1)),
                ("local, --jobs 2", lambda: bench.local(2)),
            ]
            for name, contender in contenders:
                results.setdefault(name, []).append(contender())
            cold, warm = bench.cluster()
            results.setdefault("dask LocalCluster, --jobs 2", []).append(cold)
            results.setdefault("dask again, all from the store", []).append(warm)
            results.setdefault(SAMPLED, []).append(bench.local(2, sample=True))
            results.setdefault(SAMPLED_DASK, []).append(bench.cluster_sampled())
            shapes.append(bench.local_cores())
    print(f"load average after:  {_load()}")
    report(results, args.leaflets)
    idle_report(shapes, statistics.median(r.seconds for r in results["local, --jobs 1"]))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(results: dict[str, list[Run]], leaflets: int) -> None:
    """Print the figures and the targets."""
    turns = len(next(iter(results.values())))
    print(f"\n{leaflets} leaflets, PDF + DOCX + audio, cold; medians of {turns}")
    print(f"{'contender':44} {'seconds':>8} {'s/leaflet':>10} {'CPU s':>7} "
          f"{'max process MB':>15} {'max tree MB':>12} {'max tree PSS MB':>16}")
    median: dict[str, float] = {}
    for name, runs in results.items():
        median[name] = statistics.median(r.seconds for r in runs)
        sampled = all(r.sampled for r in runs)
        figures = [f"{max(getattr(r, f) for r in runs):.0f}" if sampled else "-"
                   for f in ("process_mb", "tree_mb", "tree_pss_mb")]
        print(f"{name:44} {median[name]:8.1f} {median[name] / leaflets:10.2f} "
              f"{statistics.median(r.cpu for r in runs):7.2f} "
              f"{figures[0]:>15} {figures[1]:>12} {figures[2]:>16}")
    one, two = median["local, --jobs 1"], median["local, --jobs 2"]
    dask = median["dask LocalCluster, --jobs 2"]
    memory = max(r.process_mb for name in (SAMPLED, SAMPLED_DASK) for r in results[name])
    print()
    _target(f"--jobs 2 is {one / two:.2f}x as fast as --jobs 1 (target >= {SPEEDUP_BAR}x; "
            "neither build sampled)", one / two >= SPEEDUP_BAR)
    _target(f"dask LocalCluster is {one / dask:.2f}x as fast as --jobs 1, "
            f"{two / dask:.2f}x the local --jobs 2 (no target; the cluster's start included)",
            None)
    _target(f"largest process {memory:.0f} MB, local or dask, --jobs 2 "
            f"(target <= {MEMORY_BAR_MB} MB)", memory <= MEMORY_BAR_MB)
    pss = max(r.tree_pss_mb for r in results[SAMPLED])
    _target(f"--jobs 2, all processes: PSS {pss:.0f} MB summed (target <= {MEMORY_BAR_MB} MB; "
            f"their RSS summed {max(r.tree_mb for r in results[SAMPLED]):.0f} MB counts each "
            "shared page once per process)", pss <= MEMORY_BAR_MB)


def idle_report(shapes: list[cores.Shape], one: float) -> None:
    """Print where the sampled ``--jobs 2`` builds left a core idle (medians), against what
    the speed target allows at their CPU (``one``: the ``--jobs 1`` build's seconds)."""
    def med(what: str) -> float:
        return statistics.median(float(getattr(shape, what)) for shape in shapes)

    allowed = cores.CORES * one / SPEEDUP_BAR - med("cpu")
    print(f"\n{CORES_SAMPLED} (medians of {len(shapes)}; load average now {_load()}):")
    print(f"  CPU {med('cpu'):.2f} s; core-seconds left idle: start {med('slack_start'):.2f} "
          f"(the command line alone for {med('alone'):.2f} s, {med('alone_cpu'):.2f} s of CPU), "
          f"middle {med('slack_middle'):.2f}, end {med('slack_end'):.2f}; "
          f"in all {med('slack'):.2f}")
    print(f"  on an idle machine at most (CPU + idle) / {cores.CORES} = "
          f"{med('idle_estimate'):.2f} s; {SPEEDUP_BAR}x of --jobs 1's {one:.1f} s leaves "
          f"{allowed:.2f} idle core-seconds at this CPU")


def _target(text: str, passed: bool | None) -> None:
    verdict = "INFO" if passed is None else "PASS" if passed else "FAIL"
    print(f"{verdict}  {text}")


if __name__ == "__main__":
    main()
