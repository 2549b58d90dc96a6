"""Time the pdf writer against WeasyPrint alone on the same HTML, and against pandoc + WeasyPrint.

Run from the repository root:  .venv/bin/python benchmarks/bench_pdf.py [--runs 5]

All figures come from the same run, so the ratios compare like with like on this machine:
- writer: ``WRITER.write`` on the seed leaflet (fill templates, WeasyPrint, metadata);
- template fill only: ``render_page`` (Jinja + the model's HTML);
- WeasyPrint alone: the HTML the writer makes, written to a file and printed by
  ``weasyprint.HTML(filename).write_pdf`` with the same PDF options (PDF/UA-1, tags);
- pandoc + WeasyPrint: ``pandoc en-GB.md -o x.html``, then WeasyPrint on that HTML.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import PDF_OPTIONS, WRITER
from lmets_docs.writers.pdf.template import render_page

SEED = Path(__file__).resolve().parent.parent / "content" / "leptomeningeal-metastases"


def timed(runs: int, tasks: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Return ``runs`` wall-clock timings of each task, run in turns after one warm-up each.

    Taking turns spreads the machine's slow moments over every contender alike.
    """
    times: dict[str, list[float]] = {name: [] for name in tasks}
    for task in tasks.values():
        task()
    for _ in range(runs):
        for name, task in tasks.items():
            start = time.perf_counter()
            task()
            times[name].append(time.perf_counter() - start)
    return times


def pandoc_then_weasyprint(folder: Path) -> None:
    """Convert the Markdown with pandoc, then print pandoc's HTML with WeasyPrint."""
    html = folder / "x.html"
    subprocess.run(["pandoc", str(SEED / "en-GB.md"), "-o", str(html)], check=True)
    weasyprint.HTML(filename=html).write_pdf(folder / "pandoc.pdf", **PDF_OPTIONS)


def measure(runs: int, folder: Path) -> dict[str, list[float]]:
    """Return the timings of every contender, measured in this run."""
    leaflet = load_leaflet(SEED, "en-GB")
    options = BuildOptions(out=folder, templates=None)
    page_file = folder / "page.html"
    page_file.write_text(render_page(leaflet, options).html, encoding="utf-8")
    tasks: dict[str, Callable[[], object]] = {
        "pdf writer": lambda: WRITER.write(leaflet, folder, options),
        "template fill only": lambda: render_page(leaflet, options),
        "WeasyPrint alone, same HTML": lambda: weasyprint.HTML(filename=page_file).write_pdf(
            folder / "alone.pdf", **PDF_OPTIONS),
    }
    if shutil.which("pandoc"):
        tasks["pandoc + WeasyPrint"] = lambda: pandoc_then_weasyprint(folder)
    return timed(runs, tasks)


def report(figures: dict[str, list[float]]) -> str:
    """Return the figures as a table, with each one's ratio to WeasyPrint alone."""
    base = statistics.median(figures["WeasyPrint alone, same HTML"])
    lines = [f"{'':30} {'median s':>9} {'min s':>7} {'vs WeasyPrint':>14}"]
    for name, times in figures.items():
        median = statistics.median(times)
        lines.append(f"{name:30} {median:9.3f} {min(times):7.3f} {median / base:13.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per contender")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(args.runs, Path(tmp))
    print(f"WeasyPrint {weasyprint.__version__}, {args.runs} runs each (after a warm-up)")
    print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
