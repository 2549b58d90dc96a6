"""Time what laying a page out again for a running footer that does not fit costs.

Run from the repository root:  .venv/bin/python benchmarks/bench_pdf_footer.py [--runs 5]

For the seed leaflet (its footer fits) and the busy clinic (its long hours do not), in large
and giant print, in this one run: the pdf writer's CPU time (median of ``--runs``), how many
times it laid the page out (``weasyprint.HTML.render`` calls), what one layout costs alone,
and the footer's form; and the
CPU time of the test a leaflet that fits pays (``pdf_layout.footer_overflows`` on its
laid-out pages). CPU time (``time.process_time``; WeasyPrint runs in this process) is the
measure, since the machine's cores are shared.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import weasyprint

from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.writers.pdf import PDF_OPTIONS, WRITER
from lmets_docs.writers.pdf import layout as pdf_layout
from lmets_docs.writers.pdf.template import render_page

ROOT = Path(__file__).resolve().parent.parent
LEAFLETS = {"seed": ROOT / "content" / "leptomeningeal-metastases",
            "busy clinic": ROOT / "tests" / "data" / "busy-clinic"}
PROFILES: tuple[Profile, ...] = ("large", "giant")


def cpu(runs: int, task: Callable[[], object]) -> float:
    """Return the median CPU seconds of ``runs`` runs of a task, after a warm-up."""
    task()
    times = []
    for _ in range(runs):
        start = time.process_time()
        task()
        times.append(time.process_time() - start)
    return statistics.median(times)


def layouts(task: Callable[[], object]) -> int:
    """Return how many times a task laid a page out with WeasyPrint."""
    calls: list[object] = []
    render = weasyprint.HTML.render

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(self)
        return render(self, *args, **kwargs)

    weasyprint.HTML.render = counted
    try:
        task()
    finally:
        weasyprint.HTML.render = render
    return len(calls)


def row(name: str, profile: Profile, runs: int, out: Path) -> str:
    """Return one leaflet's line: writer CPU, layouts, footer form, the fitting test's CPU."""
    leaflet = load_leaflet(LEAFLETS[name], "en-GB")
    options = BuildOptions(out=out, profile=profile, templates=None)
    forms: list[str] = []

    def write() -> None:
        forms.append(WRITER.write(leaflet, out, options).details["footer"])

    writer, count = cpu(runs, write), layouts(write)
    page = render_page(leaflet, options)
    html = weasyprint.HTML(string=page.html, base_url=page.base_url)
    one = cpu(runs, lambda: html.render(**PDF_OPTIONS))
    pages = html.render(**PDF_OPTIONS).pages
    test = cpu(runs * 20, lambda: pdf_layout.footer_overflows(pages))
    return (f"{name:12} {profile:6} writer {writer:6.3f} s CPU  layouts {count} "
            f"(one: {one:5.3f} s)  footer {forms[-1]:15} fit test {test * 1000:6.3f} ms CPU "
            f"({len(pages)} pages)")


def main() -> None:
    """Print one line per leaflet and profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        for name in LEAFLETS:
            for profile in PROFILES:
                print(row(name, profile, runs, Path(folder)))


if __name__ == "__main__":
    main()
