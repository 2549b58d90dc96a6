"""Time ``lmets-docs check`` on the built seed leaflet, per format and as a whole.

Run from the repository root, after ``scripts/setup`` has built the seed into ``output/``:

    .venv/bin/python benchmarks/bench_check.py [--runs 7] [--out output] [--baseline DIR]

Each figure is the median of ``--runs`` fresh processes (process start and imports included,
as a user meets them), as wall-clock time and as CPU time (user + system of the process; on
a busy machine the CPU time is the steadier figure): ``check`` of the whole built folder,
then ``check`` restricted to each format in turn, with a "today" before the review date
so that the overdue seed is timed like any other. ``--baseline DIR`` names the ``src``
folder of another version of the code (``git archive <commit> src | tar -x -C DIR``): the
two then take turns on the same ``output/`` and the ratio is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

TODAY = "2022-06-01"
# ``allow_edited`` only where the code has it, so that older code can be timed too.
SCRIPT = (
    "import sys, inspect, datetime as d; from pathlib import Path; "
    "from lmets_docs.check import check; "
    "kw = {{'allow_edited': True}} if 'allow_edited' in inspect.signature(check).parameters "
    "else {{}}; "
    "r = check([Path(sys.argv[1])], d.date.fromisoformat(sys.argv[2]){formats}, **kw); "
    "sys.exit(1 if r.errors else 0)"
)
FORMATS = (("all formats", None), ("pdf", "pdf"), ("docx", "docx"), ("audio", "audio"))


def run_once(out: Path, formats: str | None, src: Path | None) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one ``check`` in a fresh interpreter."""
    extra = f", formats=({formats!r},)" if formats else ""
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(formats=extra), str(out), TODAY],
                            check=False, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"check failed: {result.stderr.strip()[-400:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def main() -> None:
    """Print the median time of ``check`` as a whole and per format (and against a baseline)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("output"))
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    for label, formats in FORMATS:
        now: list[tuple[float, float]] = []
        base: list[tuple[float, float]] = []
        for _ in range(args.runs):  # the two versions take turns
            now.append(run_once(args.out, formats, None))
            if args.baseline:
                base.append(run_once(args.out, formats, args.baseline.resolve()))
        wall, cpu = _median(now)
        line = f"check {label:12} wall {wall:.2f} s, CPU {cpu:.2f} s"
        if base:
            bwall, bcpu = _median(base)
            line += (f"   baseline wall {bwall:.2f} s, CPU {bcpu:.2f} s"
                     f"   (CPU ratio {cpu / bcpu:.2f})")
        print(line, flush=True)


if __name__ == "__main__":
    main()
