"""Time the seed's PDF + DOCX build and a watched edit at several commits, in turns.

Run from the repository root:
    .venv/bin/python benchmarks/bench_commits.py [--runs 6] COMMIT [COMMIT ...]

For the question "did something between these commits make a build slower?". Each commit's
``src``, ``content`` and ``templates`` are taken out with ``git archive`` into a work folder
and compiled (as ``engines.compiled`` does for the working tree); the command line then runs
with ``PYTHONPATH`` at that commit's ``src``, on that commit's seed. Two contenders per commit,
the commits taking turns so that a busy moment of the shared machine hits them alike:

- ``build --format pdf --format docx --tts espeak --today 2022-06-01`` into an empty folder,
  in a new process (as ``bench_targets``' "pdf+docx build");
- a one-paragraph edit under ``lmets-docs watch`` (PDF, DOCX and audio: ``bench_targets``'
  "edit while watching"), one watch per commit kept open across the turns.

Compare the CPU columns (user + system of the process tree) while other work runs on the
machine: wall times there move with its load. Each commit's outputs are described too (the
PDF's pages, the narration's length and its first chapter's, which the edit re-encodes): a
writer that prints or says more is slower on purpose, not by accident.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import engines
from bench_targets import copy_of, edited
from engines import ROOT, Run, run
from watching import Watcher

SEED = Path("content") / "leptomeningeal-metastases"
TAKEN = ("src", "content", "templates")
"""What is taken out of each commit: the code, the seed, the house templates."""


class Commit:
    """One commit's code and seed, taken out into ``work``, and its watch."""

    def __init__(self, commit: str, work: Path) -> None:
        self.name = commit
        self.work = work
        work.mkdir(parents=True)
        tree = subprocess.run(["git", "-C", str(ROOT), "archive", commit, *TAKEN],
                              capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=tree, check=True)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(work / "src")], check=True)
        self.env = {**os.environ, "PYTHONPATH": str(work / "src")}
        self.seed = work / SEED
        self.turn = 0
        self.log = work / "last.log"
        watched = copy_of(self.seed, work / "watched" / self.seed.name)
        self.watch_out = work / "watched-out"
        self.watcher = Watcher(watched, self.watch_out, "--format", "pdf", "--format", "docx",
                               "--format", "audio", env=self.env)

    def print_formats(self) -> Run:
        """Build the PDF and the DOCX of the seed into an empty folder."""
        self.turn += 1
        out = self.work / f"pd-{self.turn}"
        try:
            return run(engines.build(self.seed, out, "--format", "pdf", "--format", "docx"),
                       self.log, env=self.env)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def watched_edit(self) -> Run:
        """Write one edit under the running watch; time it until the watch has built it."""
        self.turn += 1
        return self.watcher.edit(functools.partial(edited, turn=self.turn))

    def outputs(self) -> str:
        """Describe what the watched build made: the PDF's pages, the narration's length."""
        manifest = json.loads(next(self.watch_out.glob("*/*/manifest.json")).read_text())
        made = manifest["artifacts"]
        audio = made["audio"]["details"]
        return (f"PDF {made['pdf']['details']['pages']} pages, narration "
                f"{audio['duration_s']:.0f} s, first chapter "
                f"{audio['chapters'][0]['end_ms'] / 1000:.0f} s")


def line(name: str, runs: list[Run]) -> str:
    """Return a contender's medians and minima: CPU first, then wall."""
    cpu, wall = [r.cpu for r in runs], [r.seconds for r in runs]
    return (f"{name:22} CPU {statistics.median(cpu):6.3f} (min {min(cpu):.3f})  "
            f"wall {statistics.median(wall):6.3f} (min {min(wall):.3f})")


def main(argv: list[str]) -> int:
    """Take out each commit, time its contenders in turns, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=6, help="turns per contender")
    parser.add_argument("commits", nargs="+", help="commits (or branches) to compare")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        commits = [Commit(c, Path(tmp) / f"{n}-{c.replace('/', '_')}")
                   for n, c in enumerate(args.commits)]
        results: dict[str, dict[str, list[Run]]] = {
            c.name: {"pdf+docx build": [], "edit while watching": []} for c in commits}
        try:
            for _ in range(args.runs):
                for commit in commits:
                    results[commit.name]["pdf+docx build"].append(commit.print_formats())
                    results[commit.name]["edit while watching"].append(commit.watched_edit())
        finally:
            for commit in commits:
                commit.watcher.stop()
        print(f"{args.runs} turns; load average {load[0]:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after (CPU: user + system of the process tree, s)")
        for commit in commits:
            print(f"{commit.name}: {commit.outputs()}")
            for name, runs in results[commit.name].items():
                print("  " + line(name, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
