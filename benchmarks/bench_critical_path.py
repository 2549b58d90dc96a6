"""Show where a cold build's time goes on this machine's cores, whatever else the machine runs.

Run from the repository root:
    .venv/bin/python benchmarks/bench_critical_path.py [--runs 3] [--long]

A cold build (``build --tts espeak``, PDF + DOCX + audio, into an empty folder) is run under a
sampler that reads every thread of the build's process tree every few milliseconds and counts
those Linux calls runnable (state R: running, or waiting for a core). That count, capped at
the cores, is what the build asks of the machine at that moment: it does not depend on what
else the machine runs (other work stretches the phases, it does not change their shape), so it
can be measured on a busy machine where wall-clock ratios cannot. Printed, as medians of
``--runs`` builds:

- ``alone at the start``: how long the build's first process runs with nothing beside it
  (Python's start, the imports, loading and validating the sources) before a writer starts;
- ``slack``: core-seconds during which fewer of the build's threads were runnable than there
  are cores (a core the build left idle), at the start, between, and at the end;
- the CPU of each kind of process: the command line's own, the writer processes', espeak-ng's
  (its servers and the child each piece is spoken in), the rest;
- an estimate for an idle machine, from above: (CPU + slack) / cores, since each core either
  runs the build or is left idle by it (on a busy machine both figures only grow), against
  the engines' CPU, which their wall one after another cannot be below;
- the floor: on an idle machine no schedule of this work ends before ``start CPU + (CPU -
  start CPU) / cores`` (the start alone, then every other CPU-second spread over every core),
  against the engines' CPU measured in the same run (WeasyPrint, python-docx, espeak-ng,
  lameenc one after another, as ``bench_targets.py`` runs them): what the build's CPU would
  have to be for 0.8x of them.

With ``--long`` the leaflet 8 times the seed's length is measured too (as in ``bench_targets``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import engines
from bench_targets import THREE_FORMATS, TIMES, longer
from engines import SEED, run

CORES = len(os.sched_getaffinity(0))
TICK = os.sysconf("SC_CLK_TCK")
PERIOD_S = 0.004
BUCKET_S = 0.05
"""How long a stretch of samples counts as one moment (demand is averaged over it)."""


@dataclass
class Sampled:
    """What the sampler saw of one build: runnable threads per sample, CPU per process."""

    times: list[float] = field(default_factory=list)
    runnable: list[int] = field(default_factory=list)
    """How many of the build's threads were runnable at each sample."""
    others: list[int] = field(default_factory=list)
    """How many of those were not the command line's own process."""
    root_cpu: list[float] = field(default_factory=list)
    """The command line's own CPU seconds at each sample."""
    cpu: dict[int, float] = field(default_factory=dict)
    """The last CPU seconds seen of each process, by pid."""
    reaped: dict[int, float] = field(default_factory=dict)
    """The CPU seconds of each process's children it has waited for (espeak-ng's pieces)."""
    parent: dict[int, int] = field(default_factory=dict)
    kind: dict[int, str] = field(default_factory=dict)
    wall: float = 0.0
    total_cpu: float = 0.0


def children(pid: int) -> list[int]:
    """Return the pids of a process's children (every thread's)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listed:
                found += [int(c) for c in listed.read().split()]
    except OSError:
        pass
    return found


def tree(root: int) -> list[int]:
    """Return a process and all its descendants."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children(pid)
    return found


def threads_runnable(pid: int) -> tuple[int, float, float, int]:
    """Return how many of a process's threads are runnable, its CPU seconds so far, its
    waited-for children's, and its parent's pid."""
    count, cpu, reaped, parent = 0, 0.0, 0.0, 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            count += fields[0] == "R"
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        reaped = (int(fields[13]) + int(fields[14])) / TICK
        parent = int(fields[1])
    except (OSError, IndexError, ValueError):
        pass
    return count, cpu, reaped, parent


def kind_of(pid: int, root: int) -> str:
    """Name a process of the build: the command line's own, a writer, espeak-ng, or other."""
    if pid == root:
        return "command line"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            words = cmdline.read().split(b"\0")
    except OSError:
        return "other"
    program = Path(words[0].decode(errors="replace")).name
    if program.startswith("espeak") or any(w.endswith(b"espeak_server.py") for w in words):
        return "espeak-ng"
    return "writer" if any(b"lmets" in w for w in words) else "other"


def sample(command: list[str]) -> Sampled:
    """Run a command, sampling its process tree until it ends."""
    seen = Sampled()
    before = _children_cpu()
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ended = threading.Event()

    def wait() -> None:
        child.wait()
        ended.set()

    threading.Thread(target=wait, daemon=True).start()
    while not ended.is_set():
        _look(child.pid, seen, time.perf_counter() - start)
        time.sleep(PERIOD_S)
    seen.wall = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    seen.total_cpu = _children_cpu() - before  # exact: every process the sampler missed too
    return seen


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _look(root: int, seen: Sampled, now: float) -> None:
    total = others = 0
    for pid in tree(root):
        seen.kind.setdefault(pid, kind_of(pid, root))
        count, cpu, reaped, parent = threads_runnable(pid)
        total += count
        others += count if pid != root else 0
        seen.cpu[pid] = max(cpu, seen.cpu.get(pid, 0.0))
        seen.reaped[pid] = max(reaped, seen.reaped.get(pid, 0.0))
        seen.parent.setdefault(pid, parent)
    seen.times.append(now)
    seen.root_cpu.append(seen.cpu.get(root, 0.0))
    seen.runnable.append(total)
    seen.others.append(others)


@dataclass(frozen=True)
class Shape:
    """One build's critical-path figures."""

    wall: float
    cpu: float
    alone: float
    alone_cpu: float
    slack_start: float
    slack_middle: float
    slack_end: float
    by_kind: dict[str, float]

    @property
    def slack(self) -> float:
        """Return every core-second the build left idle."""
        return self.slack_start + self.slack_middle + self.slack_end

    @property
    def idle_estimate(self) -> float:
        """Return the wall this work would take on an idle machine, at most.

        Every core is either running the build or left idle by it: (CPU + slack) / cores.
        Measured on a busy machine both are larger (phases stretch, caches are shared), so
        this bounds the idle machine's wall from above.
        """
        return (self.cpu + self.slack) / CORES

    @property
    def floor(self) -> float:
        """Return the shortest wall any schedule on these cores could reach with this CPU.

        The start's CPU alone, then the rest spread over every core: on an idle machine.
        """
        return self.alone_cpu + max(0.0, self.cpu - self.alone_cpu) / CORES


def shape(seen: Sampled) -> Shape:
    """Return the figures of one sampled build."""
    at = next((n for n, o in enumerate(seen.others) if o), len(seen.times) - 1)
    first = seen.times[at] if seen.times else seen.wall
    demand = _demand(seen)
    middle_end = _last_busy(demand)
    slack = [(CORES - min(CORES, d)) * BUCKET_S for d in demand]
    cut = int(first / BUCKET_S)
    by_kind = cpu_by_kind(seen)
    alone_cpu = seen.root_cpu[at] if seen.root_cpu else 0.0
    cpu = max(seen.total_cpu, sum(by_kind.values()))
    return Shape(seen.wall, cpu, first, alone_cpu, sum(slack[:cut]),
                 sum(slack[cut:middle_end]), sum(slack[middle_end:]), by_kind)


def cpu_by_kind(seen: Sampled) -> dict[str, float]:
    """Return the CPU seconds of each kind of process, espeak-ng's pieces with their server.

    A piece is spoken in a child of its server that lives a few milliseconds (most are never
    sampled): its server's waited-for children count it. Those servers outlive the writer
    process that started them (it ends with ``os._exit``), so the build's own resource usage
    never counts them; here they are.
    """
    by_kind: dict[str, float] = {}
    for pid, used in seen.cpu.items():
        kind = seen.kind[pid]
        if kind == "espeak-ng" and seen.kind.get(seen.parent.get(pid, 0)) == "espeak-ng":
            continue  # a piece, counted with its server
        pieces = seen.reaped[pid] if kind == "espeak-ng" else 0.0
        by_kind[kind] = by_kind.get(kind, 0.0) + used + pieces
    return by_kind


def _demand(seen: Sampled) -> list[float]:
    """Return the build's mean demand for cores in each bucket of time."""
    buckets: dict[int, list[int]] = {}
    for moment, count in zip(seen.times, seen.runnable, strict=True):
        buckets.setdefault(int(moment / BUCKET_S), []).append(min(CORES, count))
    return [statistics.fmean(buckets.get(b, [0])) for b in range(max(buckets, default=0) + 1)]


def _last_busy(demand: list[float]) -> int:
    """Return the bucket after the last one in which the build used every core."""
    busy = [n for n, d in enumerate(demand) if d >= CORES - 0.25]
    return busy[-1] + 1 if busy else len(demand)


def engines_cpu(source: Path, work: Path) -> float:
    """Return the CPU of the four engines one after another on a leaflet's work."""
    warm = work / "warm"
    run(engines.build(source, warm, *THREE_FORMATS), work / "log")
    html, base_url = engines.page_html(source, work)
    words, wav = engines.transcript(warm, work), work / "speech.wav"
    commands = [engines.weasyprint(html, base_url, work / "engine.pdf"),
                engines.python_docx(engines.paragraphs(warm, work), work / "engine.docx"),
                engines.espeak_ng(words, wav), engines.lameenc(wav, work / "engine.mp3")]
    return sum(run(command, work / "log").cpu for command in commands)


def report(name: str, shapes: list[Shape], engine_cpu: float) -> list[str]:
    """Return one leaflet's lines: medians of every figure, and the floor against the engines."""
    def med(what: str) -> float:
        return statistics.median(float(getattr(s, what)) for s in shapes)

    kinds = sorted({k for s in shapes for k in s.by_kind})
    cpu_kinds = ", ".join(f"{k} {statistics.median(s.by_kind.get(k, 0.0) for s in shapes):.2f}"
                          for k in kinds)
    alone, alone_cpu = med("alone"), med("alone_cpu")
    # floor <= 0.8 x the engines (whose wall is about their CPU, one after another).
    needed = CORES * (0.8 * engine_cpu - alone_cpu) + alone_cpu
    return [
        f"{name}: wall {med('wall'):.2f} s, CPU {med('cpu'):.2f} s ({cpu_kinds})",
        f"  alone at the start {alone:.2f} s ({alone_cpu:.2f} s of CPU); slack (a core left "
        f"idle, core-s): start "
        f"{med('slack_start'):.2f}, middle {med('slack_middle'):.2f}, end {med('slack_end'):.2f}",
        f"  on an idle machine: at most (CPU + slack) / {CORES} = {med('idle_estimate'):.2f} s, "
        f"against the engines' at least their CPU, {engine_cpu:.2f} s: "
        f"{med('idle_estimate') / engine_cpu:.2f}x (bar 0.8x)",
        f"  floor (the start, then every core busy): {med('floor'):.2f} s; 0.8x of the engines "
        f"needs the build's CPU <= {needed:.2f} s (it is {med('cpu') / engine_cpu:.2f}x theirs)",
    ]


def leaflet_report(name: str, source: Path, work: Path, runs: int) -> list[str]:
    """Measure one leaflet's cold builds and its engines; return its lines."""
    work.mkdir(parents=True)
    engine_cpu = engines_cpu(source, work)
    shapes = [shape(sample(engines.build(source, work / f"cold-{n}", *THREE_FORMATS)))
              for n in range(runs)]
    return report(name, shapes, engine_cpu)


def main(argv: list[str]) -> int:
    """Measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="cold builds per leaflet")
    parser.add_argument("--long", action="store_true", help="also the leaflet 8x the seed")
    args = parser.parse_args(argv)
    engines.compiled()
    load = os.getloadavg()[0]
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines += leaflet_report("seed", SEED, work / "seed", args.runs)
        if args.long:
            long = longer(SEED, work / "long" / SEED.name, TIMES)
            lines += leaflet_report(f"{TIMES}x seed", long, work / "long-work", args.runs)
    print(f"{CORES} cores, load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"medians of {args.runs}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
