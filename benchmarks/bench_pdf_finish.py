"""Time the PDF's finishing step (pikepdf, ``writers/pdf/tags``) against the whole pdf writer.

Run from the repository root:  .venv/bin/python benchmarks/bench_pdf_finish.py [--runs 5]

For the seed leaflet and the long test leaflet, in large and giant print, in this one run:
- writer: ``WRITER.write`` (templates, WeasyPrint's layout, moving late sections, writing the
  PDF, finishing its tags);
- finishing: ``pdf_tags.finish_pdf`` on the bytes WeasyPrint wrote for the same layout
  (open with pikepdf, merge split elements, mark artifacts, reorder content, save);
- layout passes: how many times the writer laid the page out (one, plus one per section
  moved off the foot of a page), reported because each pass costs a WeasyPrint layout.
Target: finishing under 10 % of the writer's time (medians). Both run in this process
(WeasyPrint starts no other), so their CPU time is what they cost; it is the verdict's
measure because the development machine's two cores are shared, and wall-clock time is shown
beside it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import PDF_OPTIONS, WRITER, fetcher, lay_out
from lmets_docs.writers.pdf import layout as pdf_layout
from lmets_docs.writers.pdf import tags as pdf_tags
from lmets_docs.writers.pdf.template import render_page

ROOT = Path(__file__).resolve().parent.parent
LEAFLETS = {"seed": ROOT / "content" / "leptomeningeal-metastases",
            "long": ROOT / "tests" / "data" / "long-leaflet"}
PROFILES: tuple[Profile, ...] = ("large", "giant")
BAR = 0.10


@dataclass(frozen=True)
class Timing:
    """Median CPU and wall-clock seconds of one task."""

    cpu: float
    wall: float


def median_time(runs: int, task: Callable[[], object]) -> Timing:
    """Return the median CPU and wall-clock times of ``runs`` runs of a task, after a warm-up."""
    task()
    cpu, wall = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        task()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return Timing(statistics.median(cpu), statistics.median(wall))


def raw(leaflet: Leaflet, options: BuildOptions) -> tuple[bytes, tuple[int, ...], int]:
    """Return WeasyPrint's bytes, the page breaks' cut depths and the sections moved."""
    page = render_page(leaflet, options)
    html = weasyprint.HTML(string=page.html, base_url=page.base_url,
                           url_fetcher=fetcher(page, leaflet))
    document, pushed = lay_out(html)
    data: bytes = document.write_pdf(**PDF_OPTIONS)
    return data, pdf_layout.cut_depths(document.pages), len(pushed)


def case(runs: int, folder: Path, name: str, profile: Profile) -> tuple[Timing, Timing, int]:
    """Return the writer's and the finishing's median times, and the sections moved."""
    leaflet = load_leaflet(LEAFLETS[name], "en-GB")
    options = BuildOptions(out=folder, profile=profile, templates=None)
    data, cuts, pushed = raw(leaflet, options)
    finish = median_time(runs, lambda: pdf_tags.finish_pdf(data, cuts, folder / "f.pdf"))
    writer = median_time(runs, lambda: WRITER.write(leaflet, folder, options))
    return writer, finish, pushed


def main() -> int:
    """Measure every case, print the table and PASS or FAIL; return 1 on a FAIL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    worst = 0.0
    print(f"{'':17} {'CPU time':^26}  {'wall clock':^26}")
    print(f"{'leaflet':8} {'profile':8} {'writer':>8} {'finish':>8} {'share':>7}  "
          f"{'writer':>8} {'finish':>8} {'share':>7} {'layouts':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in LEAFLETS:
            for profile in PROFILES:
                writer, finish, pushed = case(runs, Path(tmp), name, profile)
                worst = max(worst, finish.cpu / writer.cpu)
                print(f"{name:8} {profile:8} {writer.cpu:7.3f}s {finish.cpu:7.3f}s "
                      f"{finish.cpu / writer.cpu:6.1%}  {writer.wall:7.3f}s {finish.wall:7.3f}s "
                      f"{finish.wall / writer.wall:6.1%} {1 + pushed:8d}")
    verdict = "PASS" if worst < BAR else "FAIL"
    print(f"{verdict}: finishing costs at most {worst:.1%} of the writer's CPU time "
          f"(target < {BAR:.0%}); medians of {runs}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
