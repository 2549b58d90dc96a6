"""Measure what saying the prose's symbols in words costs a narration, in CPU time.

Run: ``.venv/bin/python benchmarks/bench_symbols.py [leaflet folder ...] [--repeat N]``

For each leaflet language, in one run, each the median of N repeats of ``process_time``:
the narration script (``build_script``) as built, and the same script with the symbols left
as written (``SymbolWords.say`` replaced by the identity): their difference is what the
normaliser adds to a build. Also, in a fresh process each, the first call's cost (CLDR's
unit names loaded from babel's locale data), which a build pays once per language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lmets_docs.model import Leaflet
from lmets_docs.source import load_folder
from lmets_docs.speech.symbols import SymbolWords
from lmets_docs.writers.audio.script import build_script

TODAY = dt.date(2022, 6, 1)
FIRST_CALL = """
import time
from lmets_docs.i18n import messages
from lmets_docs.speech.symbols import SymbolWords
words = SymbolWords({lang!r}, messages({lang!r}))
start = time.process_time()
words.say("Cool it below 60 °C; 1½ to 2 hours; ≥ 10 g")
print(time.process_time() - start)
"""


def median_cpu(action: Callable[[], object], repeat: int) -> float:
    """Return the median CPU time of ``action`` over ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def script_cpu(leaflet: Leaflet, repeat: int) -> tuple[float, float]:
    """Return the script's CPU time with the symbols said in words, and left as written."""
    said = median_cpu(lambda: build_script(leaflet, TODAY, 300.0), repeat)
    real = SymbolWords.say
    SymbolWords.say = lambda self, text: text  # type: ignore[method-assign]
    try:
        kept = median_cpu(lambda: build_script(leaflet, TODAY, 300.0), repeat)
    finally:
        SymbolWords.say = real  # type: ignore[method-assign]
    return said, kept


def first_call_cpu(lang: str) -> float:
    """Return the CPU time of the first symbol said in a fresh process (CLDR data loaded)."""
    out = subprocess.run([sys.executable, "-c", FIRST_CALL.format(lang=lang)],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def main() -> None:
    """Print, per leaflet language, the script's CPU time with and without the normaliser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path,
                        default=[Path("content/leptomeningeal-metastases")])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    print("leaflet (lang): script CPU with / without the normaliser, added; first call")
    for folder in args.folders:
        for leaflet in load_folder(folder, None):
            said, kept = script_cpu(leaflet, args.repeat)
            first = first_call_cpu(leaflet.lang)
            print(f"{leaflet.id} ({leaflet.lang}): {said * 1000:.2f} ms / {kept * 1000:.2f} ms, "
                  f"+{(said - kept) * 1000:.2f} ms ({said / kept - 1:+.1%}); "
                  f"first call {first * 1000:.1f} ms")


if __name__ == "__main__":
    main()
