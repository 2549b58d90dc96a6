"""What the braille edition costs in CPU, against liblouis's own command on the same text.

For the seed and a leaflet 8 times its length (``bench_targets.longer``), medians of
``--runs``, CPU time (user + system), the leaflet already loaded where it says "in process":

- the writer in process: transcribe (liblouis through its binding) and write the BRF and
  its preview;
- the checker in process: read the BRF back (three readings), its rules and the facts;
- a cold ``lmets-docs build --format braille`` in a fresh process (its start, imports,
  loading, writing, checking and installing), from ``getrusage(RUSAGE_CHILDREN)``;
- ``lou_translate unicode.dis,en-ueb-g2.ctb`` alone, one process over the same text (every
  paragraph, item and line of furniture), from ``getrusage(RUSAGE_CHILDREN)``: the engine
  alone, as a script would run it, without layout, facts read back or pages.

Run: ``.venv/bin/python benchmarks/bench_braille.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from lmets_docs.check.braille import accessibility, read
from lmets_docs.check.facts import fact_findings
from lmets_docs.manifest import ArtifactEntry, Manifest, read_manifest
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.braille import WRITER, tables_of, transcribe
from lmets_docs.writers.braille.content import Block

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_targets import longer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
TODAY = dt.date(2022, 6, 1)


def cpu(action: Callable[[], object]) -> float:
    """Return the CPU seconds (this process and its children) an action takes."""
    before = time.process_time(), _children()
    action()
    return time.process_time() - before[0] + _children() - before[1]


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_text(leaflet: Leaflet, options: BuildOptions) -> str:
    """Return the text the braille edition writes, one block a line (for lou_translate)."""
    from lmets_docs import furniture  # noqa: PLC0415
    from lmets_docs.i18n import messages  # noqa: PLC0415
    from lmets_docs.text import formatter  # noqa: PLC0415
    from lmets_docs.writers.braille import cells, content  # noqa: PLC0415

    tables = tables_of(leaflet)
    make = content.Pieces(tables, formatter(leaflet),
                          lambda name, text: cells.fact_piece(tables, name, text))
    _ = messages(leaflet.lang, options.templates)
    blocks: list[Block] = content.document(leaflet, _, make, furniture.overdue_notice(
        _, leaflet, options.today))
    return "\n".join("".join(p.text for p in block.pieces) for block in blocks) + "\n"


def measure(folder: Path, runs: int) -> dict[str, float]:
    """Return the median CPU seconds of each contender on one leaflet."""
    leaflet = load_leaflet(folder, "en-GB")
    options = BuildOptions(templates=None, today=TODAY, check=False)
    text = plain_text(leaflet, options)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        built = _cold(folder, out / "built")
        manifest = read_manifest(built)
        entry = manifest.artifacts["braille"]
        brf = built / entry.files["brf"]
        for turn in range(runs):
            target = out / f"w{turn}"
            target.mkdir()
            times.setdefault("writer", []).append(
                cpu(partial(WRITER.write, leaflet, target, options)))
            times.setdefault("checker", []).append(cpu(lambda: _check(brf, entry, manifest)))
            times.setdefault("cold build", []).append(
                cpu(partial(_cold, folder, out / f"c{turn}")))
            times.setdefault("lou_translate", []).append(cpu(lambda: _lou(text)))
    pages = len(transcribe(leaflet, options, tables_of(leaflet)))
    return {"pages": pages, **{k: statistics.median(v) for k, v in times.items()}}


def _check(brf: Path, entry: ArtifactEntry, manifest: Manifest) -> None:
    text = read(brf, entry, manifest)
    accessibility(brf, entry, manifest)
    fact_findings(text, manifest)


def _cold(folder: Path, out: Path) -> Path:
    subprocess.run([str(ROOT / ".venv/bin/lmets-docs"), "-q", "build", str(folder), "--format",
                    "braille", "--today", "2022-06-01", "--out", str(out)],  # not overdue
                   check=True, capture_output=True)
    return out / "leptomeningeal-metastases" / "en-GB"


def _lou(text: str) -> None:
    subprocess.run(["lou_translate", "--forward", "unicode.dis,en-ueb-g2.ctb"], input=text,
                   text=True, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    """Measure both leaflets and print one row per contender."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args(argv).runs
    with tempfile.TemporaryDirectory() as tmp:
        leaflets = {"seed": SEED, "8x seed": longer(SEED, Path(tmp) / "long", 8)}
        for name, folder in leaflets.items():
            got = measure(folder, runs)
            lou = got["lou_translate"]
            print(f"{name} ({got['pages']:.0f} braille pages), CPU s, median of {runs}:")
            for what in ("writer", "checker", "cold build", "lou_translate"):
                print(f"  {what:14} {got[what]:7.3f} s  ({got[what] / lou:5.1f}x lou_translate)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
