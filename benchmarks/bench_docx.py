"""Time the DOCX writer against pandoc turning the same Markdown into a DOCX, in one run.

Two comparisons, because pandoc always pays for a process start: the writer in this process
(imports done, the cost a multi-format build sees) and the writer in a fresh Python process
(start-up and imports included, like pandoc). Each figure is the median of ``--repeat`` runs.

    .venv/bin/python benchmarks/bench_docx.py [--repeat 15] [--leaflet content/<id>] [--lang en-GB]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.docx import WRITER

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
COLD_WRITE = """
import datetime as dt, sys
from pathlib import Path
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.docx import WRITER
out = Path(sys.argv[3])
WRITER.write(load_leaflet(Path(sys.argv[1]), sys.argv[2]), out,
             BuildOptions(out=out, today=dt.date(2022, 6, 1)))
"""


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Run ``action`` once to warm up, then ``repeat`` times; return the times in seconds."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def writer_in_process(leaflet: Leaflet, out: Path) -> Callable[[], object]:
    """Return an action that writes the DOCX with the already-imported writer."""
    options = BuildOptions(out=out, today=dt.date(2022, 6, 1))
    return lambda: WRITER.write(leaflet, out, options)


def writer_cold(folder: Path, lang: str, out: Path) -> Callable[[], object]:
    """Return an action that loads and writes the leaflet in a fresh Python process."""
    command = [sys.executable, "-c", COLD_WRITE, str(folder), lang, str(out)]
    return lambda: subprocess.run(command, check=True)


def pandoc(pandoc_path: str, source: Path, out: Path) -> Callable[[], object]:
    """Return an action that converts the language file to DOCX with pandoc."""
    command = [pandoc_path, "--quiet", "-f", "markdown", "-t", "docx", str(source), "-o",
               str(out / "pandoc.docx")]
    return lambda: subprocess.run(command, check=True)


def report(name: str, times: list[float]) -> float:
    """Print one row of figures and return the median."""
    median = statistics.median(times)
    print(f"{name:<28} median {median * 1000:8.1f} ms   min {min(times) * 1000:8.1f} ms   "
          f"max {max(times) * 1000:8.1f} ms")
    return median


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--leaflet", type=Path, default=SEED)
    parser.add_argument("--lang", default="en-GB")
    args = parser.parse_args(argv)
    pandoc_path = shutil.which("pandoc")
    if pandoc_path is None:
        print("pandoc is not installed", file=sys.stderr)
        return 1
    leaflet = load_leaflet(args.leaflet, args.lang)
    version = subprocess.run([pandoc_path, "--version"], check=True, capture_output=True,
                             text=True).stdout.splitlines()[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        print(f"{leaflet.id} ({leaflet.lang}), {args.repeat} runs each; {version}")
        warm = report("docx writer (in process)", timed(writer_in_process(leaflet, out),
                                                         args.repeat))
        cold = report("docx writer (new process)", timed(
            writer_cold(args.leaflet, args.lang, out), args.repeat))
        ref = report("pandoc markdown -> docx", timed(
            pandoc(pandoc_path, leaflet.source_file, out), args.repeat))
    print(f"ratio writer/pandoc: in process {warm / ref:.2f}, new process {cold / ref:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
