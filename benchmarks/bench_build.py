"""Time whole builds against their engines, the unchanged rebuild, and the peak memory.

Run from the repository root:  .venv/bin/python benchmarks/bench_build.py [--runs 5]

Everything is measured in this one run, each contender in fresh processes as a user meets it
(process start and imports included), the contenders taking turns so that a slow moment of
the machine hits them alike; figures are medians of ``--runs`` turns:

(a) cold build: ``lmets-docs build <seed> --tts espeak --out <empty folder>`` (the speech
    cache lives in that folder, so it is empty too), the post-build check included, of the
    three formats PDF, DOCX and audio, and of all five (the web page and the EPUB too, which
    reuse the narration: their bar is 1.2 times the three formats' build);
(b) the engines alone, one after another, on the same work: WeasyPrint printing the pdf
    writer's HTML (PDF/UA-1, tagged), espeak-ng speaking the built transcript into one WAV,
    lameenc encoding that WAV as the writer encodes (64 kbps, LAME quality 5), pandoc
    turning the Markdown into a DOCX; the floor is the sum of their medians;
(c) ``--format pdf --format docx`` against pandoc → DOCX plus pandoc → HTML → WeasyPrint;
(d) the cold build's command again, nothing changed;
(e) the largest resident set of a cold build's processes (the CLI, its writer processes,
    espeak-ng): ``RUSAGE_CHILDREN`` of a small parent started for that one build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import engines
from engines import ROOT, SEED, Run, run

from lmets_docs import __version__

ENGINES = ("WeasyPrint, the writer's HTML", "espeak-ng, transcript to WAV", "lameenc, WAV to MP3",
           "pandoc, Markdown to DOCX")
PANDOC_ROUTE = ("pandoc, Markdown to DOCX", "pandoc, Markdown to HTML", "WeasyPrint, pandoc's HTML")
MEMORY_BAR_MB = 400
UNCHANGED_BAR = 0.05
FIVE_FORMATS_BAR = 1.2
THREE_FORMATS = ("--format", "pdf", "--format", "docx", "--format", "audio")


def build_command(out: Path, *extra: str) -> list[str]:
    """Return the CLI command building the seed leaflet offline into ``out``."""
    return engines.build(SEED.relative_to(ROOT), out, *extra)


class Bench:
    """The work folder, the inputs every contender shares, and the contenders."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.turn = 0
        self.log = work / "last.log"
        self.warm = work / "warm"
        run(build_command(self.warm), self.log)  # also the folder the unchanged rebuild reuses
        self.html, self.base_url = engines.page_html(SEED, work)
        self.transcript = engines.transcript(self.warm, work)
        self.wav = work / "speech.wav"
        self.espeak()

    def fresh(self, name: str) -> Path:
        """Return a folder that does not exist yet."""
        self.turn += 1
        return self.work / f"{name}-{self.turn}"

    def cold(self) -> Run:
        """Build the PDF, the DOCX and the narration into an empty folder."""
        return run(build_command(self.fresh("cold"), *THREE_FORMATS), self.log)

    def cold_five(self) -> Run:
        """Build every format (the web page and the EPUB too) into an empty folder."""
        return run(build_command(self.fresh("five")), self.log)

    def print_formats(self) -> Run:
        """Build the PDF and the DOCX into an empty folder."""
        return run(build_command(self.fresh("pd"), "--format", "pdf", "--format", "docx"),
                   self.log)

    def unchanged(self) -> Run:
        """Build again what was built, nothing changed."""
        return run(build_command(self.warm), self.log)

    def weasyprint(self, html: Path, base_url: str) -> Run:
        """Print an HTML file with WeasyPrint, with the writer's PDF options."""
        return run(engines.weasyprint(html, base_url, self.fresh("pdf")), self.log)

    def espeak(self) -> Run:
        """Say the transcript with one espeak-ng process, into a WAV file."""
        return run(engines.espeak_ng(self.transcript, self.wav), self.log)

    def lameenc(self) -> Run:
        """Encode the WAV as the audio writer encodes."""
        return run(engines.lameenc(self.wav, self.fresh("mp3")), self.log)

    def pandoc(self, suffix: str) -> Run:
        """Convert the leaflet's Markdown with pandoc (standalone HTML, or a DOCX)."""
        return run(engines.pandoc(SEED / "en-GB.md", self.work / f"pandoc.{suffix}"), self.log)

    def contenders(self) -> dict[str, Callable[[], Run]]:
        """Return every contender by name."""
        return {
            "cold build": self.cold,
            "cold build, all five formats": self.cold_five,
            "unchanged rebuild": self.unchanged,
            ENGINES[0]: lambda: self.weasyprint(self.html, self.base_url),
            ENGINES[1]: self.espeak,
            ENGINES[2]: self.lameenc,
            ENGINES[3]: lambda: self.pandoc("docx"),
            "pdf+docx build": self.print_formats,
            PANDOC_ROUTE[1]: lambda: self.pandoc("html"),
            PANDOC_ROUTE[2]: lambda: self.weasyprint(self.work / "pandoc.html",
                                                     self.work.as_uri() + "/"),
        }


def take_turns(contenders: dict[str, Callable[[], Run]], runs: int) -> dict[str, list[Run]]:
    """Run each contender ``runs`` times, in turns."""
    results: dict[str, list[Run]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, contender in contenders.items():
            results[name].append(contender())
    return results


def median(runs: list[Run]) -> float:
    """Return the median wall time."""
    return statistics.median(r.seconds for r in runs)


def report(results: dict[str, list[Run]]) -> tuple[list[str], bool]:
    """Return the table of figures and the targets, each with PASS or FAIL; True if all pass."""
    lines = [f"{'':46} {'median s':>9} {'min s':>7} {'max RSS MB':>11}"]
    for name, runs in results.items():
        lines.append(f"{name:46} {median(runs):9.3f} {min(r.seconds for r in runs):7.3f} "
                     f"{max(r.max_rss_mb for r in runs):11.0f}")
    floor = sum(median(results[name]) for name in ENGINES)
    route = sum(median(results[name]) for name in PANDOC_ROUTE)
    cold, prints = median(results["cold build"]), median(results["pdf+docx build"])
    unchanged = median(results["unchanged rebuild"])
    five = median(results["cold build, all five formats"])
    memory = max(r.max_rss_mb for r in results["cold build, all five formats"])
    targets = [
        ("1 cold build vs engines in sequence", f"{cold / floor:.2f}x", "<= 1.00x",
         cold <= floor),
        ("2 pdf+docx build vs the pandoc route", f"{prints / route:.2f}x", "<= 1.00x",
         prints <= route),
        ("3 unchanged rebuild / cold build", f"{unchanged / cold:.1%}", f"< {UNCHANGED_BAR:.0%}",
         unchanged < UNCHANGED_BAR * cold),
        ("4 peak memory of a cold build (five formats)", f"{memory:.0f} MB",
         f"< {MEMORY_BAR_MB} MB", memory < MEMORY_BAR_MB),
        ("5 five formats vs three (pdf, docx, audio)", f"{five / cold:.2f}x",
         f"<= {FIVE_FORMATS_BAR:.2f}x", five <= FIVE_FORMATS_BAR * cold),
    ]
    lines += [
        f"{'engines one after another (sum of medians)':46} {floor:9.3f}",
        f"{'pandoc to DOCX + pandoc to HTML to WeasyPrint':46} {route:9.3f}",
        "",
        f"{'target':46} {'measured':>12} {'bar':>10}",
        *(f"{name:46} {value:>12} {bar:>10}  {'PASS' if ok else 'FAIL'}"
          for name, value, bar, ok in targets),
    ]
    return lines, all(ok for *_, ok in targets)


def main(argv: list[str]) -> int:
    """Measure and print the figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="turns per contender")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engines.compiled()
    with tempfile.TemporaryDirectory() as tmp:
        results = take_turns(Bench(Path(tmp)).contenders(), args.runs)
    lines, passed = report(results)
    print(f"lmets-docs {__version__}, {len(os.sched_getaffinity(0))} cores, {dt.date.today()}, "
          f"{args.runs} runs each ({time.perf_counter() - started:.0f} s in all)")
    print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
