"""Time the pdf writer and the build's check of its PDF, stage by stage, in CPU seconds.

Run from the repository root:  .venv/bin/python benchmarks/bench_pdf_stages.py [--runs 3]
[--today YYYY-MM-DD]

For the seed and a leaflet 8 times its length (``bench_targets.longer``), each run in a fresh
process as a build meets it (imports included): import the writer (WeasyPrint, pikepdf), write
the PDF (``WRITER.write``: templates, layouts, WeasyPrint's ``write_pdf``, pikepdf's finish),
import the checker, and check the PDF as ``build`` does (``check_artifact``, not thorough).
The stages are the named functions' own CPU time (wrapped where they are called from), the
rest of each step is "other"; the cyclic garbage collector's time is shown apart (it is
inside the stages too). CPU time (this process and its children, such as pdftotext) is the
measure: the machine's two cores are shared. Medians of ``--runs`` processes.
``--today``: the build's date; before the seed's review date no out-of-date notice is printed
and its references section is moved to a new page, which took a second layout before.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_targets import longer  # noqa: E402
from engines import SEED  # noqa: E402

CHILD = r"""
import datetime as dt, gc, json, resource, sys, time
from pathlib import Path
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
spent, gc_time, started = {}, [0.0], [0.0]
def collected(phase, info):
    if phase == "start":
        started[0] = cpu()
    else:
        gc_time[0] += cpu() - started[0]
gc.callbacks.append(collected)
def wrap(module, name, label):
    real = getattr(module, name, None)
    if real is None:
        return
    def timed(*args, **kwargs):
        start = cpu()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + cpu() - start
    setattr(module, name, timed)
def step(label, task):
    before, start = dict(spent), cpu()
    result = task()
    inner = sum(v - before.get(k, 0.0) for k, v in spent.items())
    spent[label + ": other"] = cpu() - start - inner
    spent[label] = cpu() - start
    return result
source, out, today = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
leaflet = load_leaflet(source, "en-GB")
options = BuildOptions(out=out, templates=None,
                       **({"today": dt.date.fromisoformat(today)} if today else {}))
gc_time[0] = 0.0
def import_writer():
    import lmets_docs.writers.pdf as writer
    return writer
W = step("1 import writer", import_writer)
import weasyprint
from lmets_docs.writers.pdf import tags
wrap(W, "render_page", "  templates")
wrap(weasyprint.HTML, "render", "  WeasyPrint layout")
wrap(weasyprint.document.Document, "write_pdf", "  WeasyPrint write_pdf")
wrap(tags, "finish_pdf", "  pikepdf finish")
gc_before = gc_time[0]
result = step("2 write", lambda: W.WRITER.write(leaflet, out, options))
spent["  (garbage collector, inside write)"] = gc_time[0] - gc_before
from lmets_docs.build.run import make_manifest  # the build has it: not the check's cost
def import_check():
    from lmets_docs.check import check_artifact, pdf
    return check_artifact, pdf
check_artifact, P = step("3 import check", import_check)
from lmets_docs.check import pdf_text, pdf_tags
from lmets_docs.check.findings import Report
from lmets_docs.manifest import ArtifactEntry, sha256_file
import lmets_docs.check as C
wrap(P, "page_texts", "  pdftotext")
wrap(P, "_pdftotext_pages", "  pdftotext")  # since read() starts pdftotext first
wrap(pdf_text, "read_more", "  pikepdf: other texts")
for name in ("page_chars", "char_sizes", "text_margins"):
    wrap(P, name, "  pdfium: sizes and margins")
wrap(C, "sha256_file", "  sha256")
wrap(C, "fact_findings", "  facts")
name = result.files["pdf"]
entry = ArtifactEntry(files={"pdf": name}, sha256={"pdf": sha256_file(out / name)}, key="x",
                      engines=result.engines, warnings=[], details=result.details)
manifest = make_manifest(leaflet, {"pdf": entry}, options)
gc_before = gc_time[0]
findings = step("4 check", lambda: check_artifact(out, "pdf", entry, manifest, Report(),
                                                   thorough=False))
spent["  (garbage collector, inside check)"] = gc_time[0] - gc_before
errors = [f.line() for f in findings if f.severity.value == "error"]
print(json.dumps({"spent": spent, "pages": result.details["pages"],
                  "moved": result.details["sections_on_new_page"], "errors": errors}))
"""


@dataclass(frozen=True)
class Figures:
    """One run's CPU seconds per stage, and what the writer made."""

    spent: dict[str, float]
    pages: int
    moved: list[str]
    errors: list[str]


def run_once(source: Path, out: Path, today: str) -> Figures:
    """Write and check one leaflet's PDF in a fresh process, into ``out``; return its figures."""
    out.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", CHILD, str(source), str(out), today],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return Figures(**json.loads(done.stdout.splitlines()[-1]))


def main() -> int:
    """Measure both leaflets and print each stage's median CPU time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--today", default="")
    args = parser.parse_args()
    print(f"load average {Path('/proc/loadavg').read_text().split()[0]}; CPU seconds, medians "
          f"of {args.runs} fresh processes; today {args.today or 'the real date'}")
    table: dict[str, dict[str, float]] = {}
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        leaflets = {"seed": SEED, "8x seed": longer(SEED, Path(tmp) / "long", 8)}
        for name, source in leaflets.items():
            runs = [run_once(source, Path(tmp) / f"{name}-{n}", args.today)
                    for n in range(args.runs)]
            # A stage may run in one process and not another (the rules are checked in a
            # child only when a core is idle): missing counts as no time spent there.
            names = {k for r in runs for k in r.spent}
            table[name] = {k: statistics.median(r.spent.get(k, 0.0) for r in runs)
                           for k in names}
            notes.append(f"{name}: {runs[0].pages} pages, sections moved by the writer "
                         f"{runs[0].moved}, check errors {runs[0].errors}")
    stages = sorted({k for row in table.values() for k in row}, key=_order)
    print(f"{'stage':42}" + "".join(f"{name:>10}" for name in table))
    for stage in stages:
        print(f"{stage:42}" + "".join(f"{row.get(stage, 0.0):10.3f}" for row in table.values()))
    total = {name: sum(v for k, v in row.items() if k[:1].isdigit() and ":" not in k)
             for name, row in table.items()}
    print(f"{'writer + check, imports included':42}"
          + "".join(f"{total[name]:10.3f}" for name in table))
    print("\n".join(notes))
    return 0


def _order(stage: str) -> tuple[int, int, str]:
    """Sort the sub-stages under their step: 1 import, 2 write, 3 import check, 4 check."""
    steps = {"templates": 2, "WeasyPrint": 2, "pikepdf finish": 2, "(garbage collector, "
             "inside write)": 2, "(garbage collector, inside check)": 4, "pdftotext": 4,
             "pikepdf: other": 4, "pdfium": 4, "sha256": 4, "facts": 4}
    if stage[:1].isdigit():
        number = int(stage[0])
        return number, 0 if ":" not in stage else 2, stage
    for prefix, number in steps.items():
        if stage.strip().startswith(prefix):
            return number, 1, stage
    return 9, 1, stage


if __name__ == "__main__":
    sys.exit(main())
