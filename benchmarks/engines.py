"""The engines a build is measured against, each run alone in a fresh process, and the runner.

Shared by ``bench_targets.py`` and ``bench_build.py``: both time whole builds against the
engines doing the same work (WeasyPrint printing the pdf writer's HTML, python-docx writing
the DOCX's paragraphs, espeak-ng saying the transcript, lameenc encoding its WAV as the audio
writer does, pandoc's route to a DOCX and a PDF), in the same run.

``run`` starts each command under a small parent of its own, which waits for it and gives
the wall time, the CPU time (the children's) and the largest process's peak resident set
(``ru_maxrss``: a child's peak counts the memory of whoever started it, up to its exec, and a
benchmark holds WeasyPrint, hence the small parent). With ``memory=True`` the parent also
samples the process tree every 20 ms while a thread waits for the command to end, for the
largest sums of the tree's resident and proportional sets. Sampling is for memory runs only,
never for the timed ones: reading every process's ``smaps_rollup`` 50 times a second takes
CPU, which a build using both cores pays in wall time (measured on an idle machine: a seed
cold build 2.46 → 3.08 s, medians of 5), while a one-process engine leaves the sampler a free
core (WeasyPrint alone 1.22 → 1.24 s): timed with the sampler, the build was judged 25 % slower
than it is.
"""

from __future__ import annotations

import compileall
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.writers.audio.mp3 import BITRATE_KBPS, QUALITY
from lmets_docs.writers.pdf import PDF_OPTIONS
from lmets_docs.writers.pdf.template import render_page

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
CLI = Path(sys.executable).parent / "lmets-docs"
MEASURE = r"""
import json, os, re, resource, subprocess, sys, threading, time
def tree(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found
def kb(pid, field):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return int(re.search(field + r":\s+(\d+)", f.read()).group(1))
    except (OSError, AttributeError):
        return 0
peak, ended = {"rss": 0, "pss": 0}, {}
SAMPLE = sys.argv.pop(1) == "sample"
def wait(child):
    child.wait()
    ended["at"] = time.perf_counter()
with open(sys.argv[1], "wb") as log:
    start = time.perf_counter()
    child = subprocess.Popen(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
    waiter = threading.Thread(target=wait, args=(child,))
    waiter.start()
    while SAMPLE and "at" not in ended:
        pids = tree(child.pid)
        peak["rss"] = max(peak["rss"], sum(kb(p, "Rss") for p in pids))
        peak["pss"] = max(peak["pss"], sum(kb(p, "Pss") for p in pids))
        time.sleep(0.02)
    waiter.join()
    seconds = ended["at"] - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": child.returncode, "seconds": seconds,
                  "cpu": use.ru_utime + use.ru_stime, "max_rss_kb": use.ru_maxrss,
                  "sum_rss_kb": peak["rss"], "sum_pss_kb": peak["pss"]}))
"""
WEASYPRINT = """
import json, sys, weasyprint
weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(
    sys.argv[3], **json.loads(sys.argv[4]))
"""
PYTHON_DOCX = """
import json, sys, docx
document = docx.Document()
names = {style.name for style in document.styles}
for style, text in json.load(open(sys.argv[1], encoding="utf-8")):
    document.add_paragraph(text, style=style if style in names else None)
document.save(sys.argv[2])
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
PARAGRAPHS = """
import json, sys, docx
document = docx.Document(sys.argv[1])
json.dump([(p.style.name, p.text) for p in document.paragraphs], open(sys.argv[2], "w"))
"""


@dataclass(frozen=True)
class Run:
    """One process run: wall time, CPU time, and memory (MB)."""

    seconds: float
    cpu: float
    max_rss_mb: float
    sum_rss_mb: float
    sum_pss_mb: float


def run(command: list[str], log: Path, memory: bool = False,
        env: Mapping[str, str] | None = None) -> Run:
    """Run a command in a small parent of its own; return its times and memory.

    The resident and proportional sets summed over its processes are sampled (and given)
    only with ``memory``; otherwise they are 0. ``env``: the command's environment (this
    process's by default).
    """
    sample = "sample" if memory else "time"
    measured = subprocess.run([sys.executable, "-c", MEASURE, sample, str(log), *command], cwd=ROOT,
                              capture_output=True, text=True, check=True, env=env)
    figures = json.loads(measured.stdout)
    if figures["code"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text(errors='replace')}")
    return Run(figures["seconds"], figures["cpu"], figures["max_rss_kb"] / 1024,  # Linux: KiB
               figures["sum_rss_kb"] / 1024, figures["sum_pss_kb"] / 1024)


def compiled() -> None:
    """Compile lmets-docs's own modules, as ``scripts/setup`` does, before anything is timed.

    The engines' libraries were compiled when pip installed them; an editable install leaves
    ours as source, and where ``PYTHONDONTWRITEBYTECODE`` is set every run would compile them
    again (about 0.3 s of CPU per build), which no installed copy pays.
    """
    if not compileall.compile_dir(ROOT / "src", quiet=1):
        raise RuntimeError("could not compile src/")


NOT_DUE = "2022-06-01"
"""A day before the seed's review fell due: an overdue leaflet is an error (exit status 1)."""


def build(source: Path, out: Path, *extra: str) -> list[str]:
    """Return the CLI command building ``source`` offline (espeak-ng) into ``out``."""
    return [str(CLI), "build", str(source), "--tts", "espeak", "--today", NOT_DUE, "--out",
            str(out), *extra]


def page_html(source: Path, work: Path) -> tuple[Path, str]:
    """Write the HTML the pdf writer prints for ``source`` (en-GB); return it and its base URL.

    The page is the one the timed builds print (``build``: ``--today`` ``NOT_DUE``): on the day
    the benchmark runs the seed is overdue, and its page would carry the out-of-date notice
    twice, one page more than the build prints.
    """
    leaflet = load_leaflet(source, "en-GB")
    today = dt.date.fromisoformat(NOT_DUE)
    page = render_page(leaflet, BuildOptions(out=work, templates=None, today=today))
    path = work / "page.html"
    path.write_text(page.html, encoding="utf-8")
    return path, page.base_url


def transcript(built: Path, work: Path) -> Path:
    """Write the words a build's narration says (its transcript without the chapter lines)."""
    lines = next(built.glob("*/*/audio/transcript.txt")).read_text(encoding="utf-8").splitlines()
    path = work / "transcript.txt"
    path.write_text("\n".join(x for x in lines if not x.startswith("## ")), encoding="utf-8")
    return path


def paragraphs(built: Path, work: Path) -> Path:
    """Write a build's DOCX paragraphs (style name, text) as JSON, for python-docx alone."""
    path = work / "paragraphs.json"
    docx = next(built.glob("*/*/*.docx"))
    subprocess.run([sys.executable, "-c", PARAGRAPHS, str(docx), str(path)], check=True)
    return path


def weasyprint(html: Path, base_url: str, pdf: Path) -> list[str]:
    """Return the command printing an HTML file with WeasyPrint, with the writer's options."""
    return [sys.executable, "-c", WEASYPRINT, str(html), base_url, str(pdf),
            json.dumps(PDF_OPTIONS)]


def python_docx(paragraphs_json: Path, docx: Path) -> list[str]:
    """Return the command writing those paragraphs with python-docx alone."""
    return [sys.executable, "-c", PYTHON_DOCX, str(paragraphs_json), str(docx)]


def espeak_ng(words: Path, wav: Path) -> list[str]:
    """Return the command saying a text file with one espeak-ng process, into a WAV file."""
    engine = espeak.create("en-GB", "normal")
    return [espeak.EXECUTABLE, "-v", engine.voice, "-s", str(engine.speed), "-b", "1",
            "-f", str(words), "-w", str(wav)]


def lameenc(wav: Path, mp3: Path) -> list[str]:
    """Return the command encoding a WAV as the audio writer encodes (bit rate, quality)."""
    return [sys.executable, "-c", LAMEENC, str(wav), str(mp3), str(BITRATE_KBPS), str(QUALITY)]


def pandoc(markdown: Path, target: Path, css: Path | None = None) -> list[str]:
    """Return the command converting Markdown with pandoc (standalone if HTML).

    With ``css``, the HTML links that style sheet after pandoc's own, so WeasyPrint prints
    pandoc's HTML with it.
    """
    standalone = ["--standalone"] if target.suffix == ".html" else []
    style = ["--css", css.as_uri()] if css is not None else []
    return ["pandoc", str(markdown), *standalone, *style, "-o", str(target)]


def style_sheet(page: Path, work: Path) -> Path:
    """Write the pdf writer's style sheet (its page's ``<style>``) to a file; return it.

    Given to pandoc's HTML, it makes the pandoc route print what the writer prints: the same
    page size, margins, large-print type and spacing, so both routes lay out as many pages.
    """
    html = page.read_text(encoding="utf-8")
    path = work / "large-print.css"
    path.write_text(html.split("<style>", 1)[1].split("</style>", 1)[0], encoding="utf-8")
    return path


def pages(pdf: Path) -> int:
    """Return how many pages a PDF has."""
    with pikepdf.open(pdf) as document:
        return len(document.pages)
