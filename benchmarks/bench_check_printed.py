"""Time what ``check`` pays to read a PDF's running footer and what its pages print.

Run from the repository root on built leaflet folders (each holds a manifest.json and a PDF):

    .venv/bin/python benchmarks/bench_check_printed.py [--runs 15] FOLDER ...

In one process, medians of ``--runs`` turns, CPU time (``time.process_time`` plus the children's,
from ``getrusage``: pdftotext), each step with
and without the new work, taking turns:

- **footer**: pdfium's pass over the pages (``check.pdf.page_chars``, the size and margin
  rules' reading, in the aside child) with each page's running footer read
  (``check.pdf_footer.footer_text``) and without;
- **printed**: ``check.pdf.read`` (pdftotext and pikepdf) with the addresses joined across
  their line breaks and the printed-address rule (``check.printed``), and without;
- **continuous**: reading the pages again without their running artifacts
  (``check.printed.continuous_pages``), which only a leaflet that otherwise misses a fact pays.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from lmets_docs.check import pdf, pdf_footer, printed
from lmets_docs.manifest import read_manifest


def cpu(work: Callable[[], object], runs: int) -> float:
    """Return the median CPU seconds of ``work``, its child processes' (pdftotext) included."""
    samples = []
    for _ in range(runs):
        start = time.process_time() + _children()
        work()
        samples.append(time.process_time() + _children() - start)
    return statistics.median(samples)


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def paired(work: Callable[[], object], without: Callable[[], None], again: Callable[[], None],
           runs: int) -> tuple[float, float]:
    """Return the median CPU seconds of ``work`` with the new work and without, in turns."""
    with_new, without_new = [], []
    for _ in range(runs):
        with_new.append(cpu(work, 1))
        without()
        without_new.append(cpu(work, 1))
        again()
    return statistics.median(with_new), statistics.median(without_new)


def main() -> None:
    """Print each folder's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args()
    footer_text, join, unprinted = (pdf_footer.footer_text, printed.join_addresses,
                                    printed.unprinted)

    def plain() -> None:
        pdf_footer.footer_text = lambda page, text: ""
        printed.join_addresses = lambda page, addresses=None: page
        printed.unprinted = lambda *args: iter(())

    def new() -> None:
        pdf_footer.footer_text, printed.join_addresses, printed.unprinted = (
            footer_text, join, unprinted)

    for folder in args.folders:
        print(figures(folder, args.runs, plain, new), flush=True)


def figures(folder: Path, runs: int, plain: Callable[[], None], new: Callable[[], None]) -> str:
    """Return one built folder's figures, in words."""
    manifest = read_manifest(folder)
    name, entry = next((n, e) for n, e in manifest.artifacts.items() if n.startswith("pdf"))
    path = folder / entry.files["pdf"]
    pages = len(pdf.page_chars(path))
    chars = paired(lambda: pdf.page_chars(path), plain, new, runs)
    read = paired(lambda: pdf.read(path, entry, manifest), plain, new, runs)
    patterns = printed.address_patterns(manifest)
    again = cpu(lambda: printed.continuous_pages(path, pdf.page_texts, patterns), runs)
    return (f"{folder} ({name}, {pages} pages)\n"
            f"  footer     pdfium pass {chars[0] * 1000:7.1f} ms CPU, without "
            f"{chars[1] * 1000:7.1f} ms: +{(chars[0] - chars[1]) * 1000:.1f} ms\n"
            f"  printed    read        {read[0] * 1000:7.1f} ms CPU, without "
            f"{read[1] * 1000:7.1f} ms: +{(read[0] - read[1]) * 1000:.1f} ms\n"
            f"  continuous (only when a fact is missing) {again * 1000:.1f} ms CPU")

if __name__ == "__main__":
    main()
