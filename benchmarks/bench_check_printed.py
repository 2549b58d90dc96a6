"""Time what ``check`` pays to read a PDF's running footer and what its pages print.

Run from the repository root on built leaflet folders (each holds a manifest.json and a PDF):

    .venv/bin/python benchmarks/bench_check_printed.py [--runs 15] FOLDER ...

In one process, medians of ``--runs`` turns, CPU time (``time.process_time`` plus the
children's, from ``getrusage``: pdftotext). The new work is timed alone, beside the step it
belongs to, so that a loaded machine's noise does not hide it:

- **footer, links**: each page's running footer and link texts read from pdfium's text pages
  (``check.pdf_footer.footer_text``, ``check.pdf_links.page_links``), beside the whole pdfium
  pass they are part of (``check.pdf.page_chars``, in the aside child);
- **printed**: the addresses joined across their line breaks and the printed-address rule
  (``check.printed``) on pdftotext's pages, beside ``check.pdf.read`` (in this process);
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

import pypdfium2 as pdfium

from lmets_docs.check import pdf, pdf_footer, pdf_links, printed
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


def main() -> None:
    """Print each folder's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args()
    for folder in args.folders:
        print(figures(folder, args.runs), flush=True)


def figures(folder: Path, runs: int) -> str:
    """Return one built folder's figures, in words."""
    manifest = read_manifest(folder)
    name, entry = next((n, e) for n, e in manifest.artifacts.items() if n.startswith("pdf"))
    path = folder / entry.files["pdf"]
    document = pdfium.PdfDocument(str(path))
    pages = [(page, page.get_textpage()) for page in document]
    footer = cpu(lambda: [(pdf_footer.footer_text(p, t), pdf_links.page_links(p, t))
                          for p, t in pages], runs)
    chars = cpu(lambda: pdf.page_chars(path), runs)
    patterns = printed.address_patterns(manifest)
    texts = pdf.page_texts(path)
    read = cpu(lambda: pdf.read(path, entry, manifest), runs)
    joins = cpu(lambda: list(printed.unprinted(
        path, [printed.join_addresses(t, patterns) for t in texts], [], manifest)), runs)
    again = cpu(lambda: printed.continuous_pages(path, pdf.page_texts, patterns), runs)
    return (f"{folder} ({name}, {len(pages)} pages)\n"
            f"  footer, links {footer * 1000:6.1f} ms CPU, of the pdfium pass's "
            f"{chars * 1000:6.1f} ms (aside child)\n"
            f"  printed       {joins * 1000:6.1f} ms CPU, of reading the PDF's "
            f"{read * 1000:6.1f} ms (this process)\n"
            f"  continuous    {again * 1000:6.1f} ms CPU, only when a fact is otherwise missing")


if __name__ == "__main__":
    main()
