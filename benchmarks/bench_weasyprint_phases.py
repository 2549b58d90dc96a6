"""Where WeasyPrint's work goes, phase by phase, on the pdf writer's page and on pandoc's HTML.

Run from the repository root:  .venv/bin/python benchmarks/bench_weasyprint_phases.py [--runs 3]

For the seed and the leaflet 8 times its length (``bench_targets.longer``), the page the pdf
writer prints (``engines.page_html``) and pandoc's HTML linking the writer's style sheet (the
pandoc route of ``bench_targets``: the same fonts, page, type and spacing) are each printed by
WeasyPrint (``HTML(...).render`` then ``write_pdf``, the writer's PDF options) in a fresh
process, after one warm-up print in that process. Each phase is timed and its Python calls are
counted: parsing the HTML, the cascade (style sheets and selector matching), computed styles,
building the boxes, layout, text shaping (pango, ``split_first_line``), drawing, the PDF's tags,
its fonts (subsetting) and writing the file. The calls are counted (``sys.setprofile``) in a
print of their own: they do not depend on the machine's load, which the CPU times (medians of
``--runs`` prints, each in its own process) do.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import engines
import pydyf  # type: ignore[import-untyped]
import weasyprint
from bench_targets import TIMES, longer
from weasyprint import css, document
from weasyprint import pdf as wpdf
from weasyprint.layout import inline, preferred

from lmets_docs.writers.pdf import PDF_OPTIONS

PHASES = ("parse", "cascade", "styles", "boxes", "layout", "text shaping", "draw", "tags",
          "fonts", "pdf write", "other")


class Phases:
    """CPU time and Python calls per phase, each phase's own (a phase inside another pauses it)."""

    def __init__(self) -> None:
        self.cpu = dict.fromkeys(PHASES, 0.0)
        self.calls = dict.fromkeys(PHASES, 0.0)
        self.stack: list[list[Any]] = [["other", time.process_time()]]

    def enter(self, name: str) -> None:
        now = time.process_time()
        self.cpu[self.stack[-1][0]] += now - self.stack[-1][1]
        self.stack.append([name, now])

    def leave(self) -> None:
        now = time.process_time()
        name, started = self.stack.pop()
        self.cpu[name] += now - started
        self.stack[-1][1] = now

    def count(self, _frame: Any, event: str, _arg: Any) -> None:
        """Count a call into the phase running (a ``sys.setprofile`` function)."""
        if event in ("call", "c_call"):
            self.calls[self.stack[-1][0]] += 1

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        """Make ``owner.attr`` a phase of its own."""
        original: Callable[..., Any] = getattr(owner, attr)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.enter(name)
            try:
                return original(*args, **kwargs)
            finally:
                self.leave()
        setattr(owner, attr, wrapped)

    def wrap_generator(self, owner: Any, attr: str, name: str) -> None:
        """Make each step of the generator ``owner.attr`` makes a phase of its own."""
        original: Callable[..., Iterator[Any]] = getattr(owner, attr)

        def wrapped(*args: Any, **kwargs: Any) -> Iterator[Any]:
            made = original(*args, **kwargs)
            while True:
                self.enter(name)
                try:
                    item = next(made)
                except StopIteration:
                    return
                finally:
                    self.leave()
                yield item
        setattr(owner, attr, wrapped)


def instrument(phases: Phases) -> None:
    """Wrap WeasyPrint's functions of each phase (where they are called from)."""
    phases.wrap(weasyprint.HTML, "__init__", "parse")
    phases.wrap(document, "get_all_computed_styles", "cascade")
    phases.wrap(css.StyleFor, "set_computed_styles", "styles")
    phases.wrap(document, "build_formatting_structure", "boxes")
    phases.wrap_generator(document, "layout_document", "layout")
    for module in (inline, preferred):
        phases.wrap(module, "split_first_line", "text shaping")
    phases.wrap(document, "draw_page", "draw")
    phases.wrap(wpdf, "add_tags", "tags")
    phases.wrap(wpdf, "build_fonts_dictionary", "fonts")
    phases.wrap(pydyf.PDF, "write", "pdf write")


def child(html: str, base_url: str, count: bool) -> dict[str, float]:
    """Print ``html`` twice (a warm-up, then measured); return CPU s or calls per phase."""
    options = PDF_OPTIONS
    weasyprint.HTML(filename=html, base_url=base_url).render(**options).write_pdf(
        io.BytesIO(), **options)
    phases = Phases()
    instrument(phases)
    if count:
        sys.setprofile(phases.count)
    phases.stack[-1][1] = time.process_time()
    printed = weasyprint.HTML(filename=html, base_url=base_url).render(**options)
    printed.write_pdf(io.BytesIO(), **options)
    sys.setprofile(None)
    phases.cpu["other"] += time.process_time() - phases.stack[-1][1]
    return (phases.calls if count else phases.cpu) | {"pages": len(printed.pages)}


def measure(html: Path, base_url: str, count: bool) -> dict[str, float]:
    """Run ``child`` in a fresh process; return what it found."""
    command = [sys.executable, __file__, "--child", str(html), base_url,
               "count" if count else "time"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return found


def documents(work: Path) -> dict[str, tuple[Path, str]]:
    """Write the writer's page and pandoc's HTML of the seed and of the 8x leaflet."""
    found = {}
    for name, source in (("seed", engines.SEED),
                         (f"{TIMES}x seed", longer(engines.SEED, work / "long" / "src", TIMES))):
        folder = work / name.replace(" ", "-")
        folder.mkdir(parents=True, exist_ok=True)
        page, base_url = engines.page_html(source, folder)
        pandoc = folder / "pandoc.html"
        subprocess.run(engines.pandoc(source / "en-GB.md", pandoc,
                                      engines.style_sheet(page, folder)), check=True)
        found[f"{name}: writer's page"] = (page, base_url)
        found[f"{name}: pandoc's HTML"] = (pandoc, folder.as_uri() + "/")
    return found


def main(argv: list[str]) -> int:
    """Print the calls and the CPU per phase of each document."""
    if argv[:1] == ["--child"]:
        print(json.dumps(child(argv[1], argv[2], argv[3] == "count")))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="timed prints per document")
    args = parser.parse_args(argv)
    engines.compiled()
    with tempfile.TemporaryDirectory() as tmp:
        docs = documents(Path(tmp))
        calls = {name: measure(html, base, count=True) for name, (html, base) in docs.items()}
        times: dict[str, list[dict[str, float]]] = {name: [] for name in docs}
        for _ in range(args.runs):
            for name, (html, base) in docs.items():
                times[name].append(measure(html, base, count=False))
    for what, table in (("Python calls", {n: [c] for n, c in calls.items()}),
                        (f"CPU s (medians of {args.runs})", times)):
        print(f"\n{what:16}" + "".join(f"{n.split(': ')[0]:>16}" for n in docs))
        print(f"{'':16}" + "".join(f"{n.split(': ')[1][:15]:>16}" for n in docs))
        for phase in (*PHASES, "pages"):
            values = [statistics.median(r[phase] for r in table[n]) for n in docs]
            shown = "".join(f"{v:16.0f}" if what.startswith("Python") or phase == "pages"
                            else f"{v:16.3f}" for v in values)
            print(f"{phase:16}{shown}")
        sums = [statistics.median(sum(v for k, v in r.items() if k != "pages")
                                  for r in table[n]) for n in docs]
        print(f"{'all':16}" + "".join(f"{v:16.0f}" if what.startswith("Python") else
                                      f"{v:16.3f}" for v in sums))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
