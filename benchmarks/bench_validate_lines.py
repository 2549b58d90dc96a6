"""Time ``validate`` of long files of long lines of links: is the cost linear, and how small?

Run from the repository root:
    .venv/bin/python benchmarks/bench_validate_lines.py [--runs 3] [--old SRC]

The minimal leaflet with 10, 40 and 80 lines of 300 links each (9,000 characters a line)
appended is validated in one process (the CLI in-process, after one warm-up run that loads
the caches); each size's CPU time is the fastest of ``--runs`` (load from other processes can
slow a run but not speed it up). It prints the seconds, the ratios to 10 lines (linear: 4 and
8), and, from one profiled run of 40 lines, how often babel parsed a locale and how often
the typed-fact scans ran. With ``--old SRC`` (a ``src`` folder of another commit, e.g. from
``git archive <commit> src | tar -x -C /tmp/old``) the same is measured for that code, in a
process of its own, in the same run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal"
LINE = "[link](https://example.org/a) " * 300
SIZES = (10, 40, 80)
COUNTED = {"parse": "babel Locale.parse", "spelled_numbers": "spelled-number scans",
           "month_dates": "month-name date scans"}


def leaflets(work: Path) -> dict[int, Path]:
    """Write the minimal leaflet with each number of long lines appended."""
    made = {}
    for lines in SIZES:
        folder = work / f"lines-{lines}"
        shutil.copytree(MINIMAL, folder)
        with (folder / "en-GB.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + "\n\n".join([LINE] * lines) + "\n")
        made[lines] = folder
    return made


def cpu_seconds(folder: Path) -> float:
    """Return the CPU time of one in-process ``validate`` of ``folder``."""
    from click.testing import CliRunner  # noqa: PLC0415 (after PYTHONPATH is in force)

    from lmets_docs.cli import cli  # noqa: PLC0415

    start = time.process_time()
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    if result.exit_code != 0:
        raise SystemExit(f"validate failed: {result.output}")
    return time.process_time() - start


def calls(folder: Path) -> dict[str, int]:
    """Return how often the counted functions ran in one profiled ``validate``."""
    profile = cProfile.Profile()
    profile.runcall(cpu_seconds, folder)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    found = dict.fromkeys(COUNTED.values(), 0)
    for (filename, _line, name), row in stats.items():
        if name in COUNTED and (name != "parse" or filename.endswith("babel/core.py")):
            found[COUNTED[name]] += row[1]
    return found


def measure(runs: int) -> dict[str, object]:
    """Measure this process's code: seconds per size (fastest of ``runs``) and call counts."""
    with tempfile.TemporaryDirectory() as work:
        made = leaflets(Path(work))
        cpu_seconds(made[SIZES[0]])
        seconds = {n: min(cpu_seconds(made[n]) for _ in range(runs)) for n in SIZES}
        return {"seconds": seconds, "calls": calls(made[40])}


def report(name: str, result: dict[str, object]) -> None:
    """Print one code's figures."""
    seconds = {int(k): float(v) for k, v in result["seconds"].items()}  # type: ignore[attr-defined]
    small = seconds[SIZES[0]]
    sizes = ", ".join(f"{n} lines {s:.2f} s (x{s / small:.1f})" for n, s in seconds.items())
    print(f"{name}: {sizes}")
    print(f"{name}: in one validate of 40 lines: {result['calls']}")


def main() -> None:
    """Measure, and print the figures (with the old code's, if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", type=Path, help="a src folder of another commit")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.runs)))
        return
    if args.old:
        env = dict(os.environ, PYTHONPATH=str(args.old))
        out = subprocess.run([sys.executable, __file__, "--json", "--runs", str(args.runs)],
                             env=env, capture_output=True, text=True, check=True).stdout
        report("old", json.loads(out))
    report("now", measure(args.runs))


if __name__ == "__main__":
    main()
