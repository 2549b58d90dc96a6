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
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lmets_docs import __version__
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.writers.audio.mp3 import BITRATE_KBPS, QUALITY
from lmets_docs.writers.pdf import PDF_OPTIONS
from lmets_docs.writers.pdf.template import render_page

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
CLI = Path(sys.executable).parent / "lmets-docs"
WEASYPRINT = """
import json, sys, weasyprint
weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(
    sys.argv[3], **json.loads(sys.argv[4]))
"""
MEASURE = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as log:
    start = time.perf_counter()
    code = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "max_rss_kb": peak}))
"""
LAMEENC = """
import sys, wave, lameenc
with wave.open(sys.argv[1]) as wav:
    rate, pcm = wav.getframerate(), wav.readframes(wav.getnframes())
encoder = lameenc.Encoder()
encoder.set_bit_rate(int(sys.argv[3]))
encoder.set_in_sample_rate(rate)
encoder.set_channels(1)
encoder.set_quality(int(sys.argv[4]))
with open(sys.argv[2], "wb") as mp3:
    mp3.write(encoder.encode(pcm) + encoder.flush())
"""
ENGINES = ("WeasyPrint, the writer's HTML", "espeak-ng, transcript to WAV", "lameenc, WAV to MP3",
           "pandoc, Markdown to DOCX")
PANDOC_ROUTE = ("pandoc, Markdown to DOCX", "pandoc, Markdown to HTML", "WeasyPrint, pandoc's HTML")
MEMORY_BAR_MB = 400
UNCHANGED_BAR = 0.05
FIVE_FORMATS_BAR = 1.2
THREE_FORMATS = ("--format", "pdf", "--format", "docx", "--format", "audio")


@dataclass(frozen=True)
class Run:
    """One process run: how long it took and the most memory one of its processes held."""

    seconds: float
    max_rss_mb: float


def run(command: list[str], log: Path) -> Run:
    """Run a command to completion; return its wall time and largest resident set."""
    # A small parent of its own: a child's peak counts the memory of whoever started it, up
    # to its exec (Linux), and this benchmark holds WeasyPrint.
    measured = subprocess.run([sys.executable, "-c", MEASURE, str(log), *command], cwd=ROOT,
                              capture_output=True, text=True, check=True)
    figures = json.loads(measured.stdout)
    if figures["code"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text(errors='replace')}")
    return Run(figures["seconds"], figures["max_rss_kb"] / 1024)  # Linux counts KiB


def build_command(out: Path, *extra: str) -> list[str]:
    """Return the CLI command building the seed leaflet offline into ``out``."""
    return [str(CLI), "build", str(SEED.relative_to(ROOT)), "--tts", "espeak", "--out", str(out),
            *extra]


class Bench:
    """The work folder, the inputs every contender shares, and the contenders."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.turn = 0
        self.log = work / "last.log"
        self.warm = work / "warm"
        run(build_command(self.warm), self.log)  # also the folder the unchanged rebuild reuses
        self.html, self.base_url = self._page()
        self.transcript = self._transcript()
        self.wav = work / "speech.wav"
        self.espeak()

    def _page(self) -> tuple[Path, str]:
        leaflet = load_leaflet(SEED, "en-GB")
        page = render_page(leaflet, BuildOptions(out=self.work, templates=None))
        path = self.work / "page.html"
        path.write_text(page.html, encoding="utf-8")
        return path, page.base_url

    def _transcript(self) -> Path:
        built = next(self.warm.glob("*/*/audio/transcript.txt"))
        lines = built.read_text(encoding="utf-8").splitlines()
        path = self.work / "transcript.txt"
        path.write_text("\n".join(x for x in lines if not x.startswith("## ")), encoding="utf-8")
        return path

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
        return run([sys.executable, "-c", WEASYPRINT, str(html), base_url,
                    str(self.fresh("pdf")), json.dumps(PDF_OPTIONS)], self.log)

    def espeak(self) -> Run:
        """Say the transcript with one espeak-ng process, into a WAV file."""
        engine = espeak.create("en-GB", "normal")
        return run([espeak.EXECUTABLE, "-v", engine.voice, "-s", str(engine.speed), "-b", "1",
                    "-f", str(self.transcript), "-w", str(self.wav)], self.log)

    def lameenc(self) -> Run:
        """Encode the WAV as the audio writer encodes."""
        return run([sys.executable, "-c", LAMEENC, str(self.wav), str(self.fresh("mp3")),
                    str(BITRATE_KBPS), str(QUALITY)], self.log)

    def pandoc(self, suffix: str) -> Run:
        """Convert the leaflet's Markdown with pandoc (standalone HTML, or a DOCX)."""
        target = self.work / f"pandoc.{suffix}"
        standalone = ["--standalone"] if suffix == "html" else []
        return run(["pandoc", str(SEED / "en-GB.md"), *standalone, "-o", str(target)], self.log)

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
    with tempfile.TemporaryDirectory() as tmp:
        results = take_turns(Bench(Path(tmp)).contenders(), args.runs)
    lines, passed = report(results)
    print(f"lmets-docs {__version__}, {len(os.sched_getaffinity(0))} cores, {dt.date.today()}, "
          f"{args.runs} runs each ({time.perf_counter() - started:.0f} s in all)")
    print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
