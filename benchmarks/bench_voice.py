"""Piper against espeak-ng, and what ``--listen`` costs and proves, on the seed leaflet.

Run: ``.venv/bin/python benchmarks/bench_voice.py [leaflet folder]``

Measured in one run, for each engine: its real-time factor (seconds of synthesis per second
of speech, every segment of the narration script, empty cache; Piper's model load apart),
then the seed narrated by the writer and heard back as ``check --listen`` does (wall-clock
and CPU seconds, the fact scoring and the chapter transcription apart), and the smallest
scoring margin over every fact clip: how much likelier the recogniser found the line as
written than its closest near miss (a log-probability; above 0 means heard as expected).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lmets_docs.listen import hear
from lmets_docs.listen.recogniser import load
from lmets_docs.manifest import ArtifactEntry
from lmets_docs.options import BuildOptions
from lmets_docs.sound.samples import decode, trim
from lmets_docs.source import load_leaflet
from lmets_docs.speech.base import Engine, create
from lmets_docs.writers.audio import narrate
from lmets_docs.writers.audio.script import build_script

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"
TODAY = dt.date(2022, 6, 1)
T = TypeVar("T")


def clocked(run: Callable[[], T]) -> tuple[T, float, float]:
    """Return what ``run`` returns, with its wall-clock and CPU seconds (this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def real_time_factor(engine: Engine, texts: list[tuple[str, bool]]) -> tuple[float, float]:
    """Return seconds of synthesis per second of speech, and the seconds of speech."""
    spent = said = 0.0
    for text, slow in texts:
        start = time.perf_counter()
        audio = engine.synthesize(text, slow)
        spent += time.perf_counter() - start
        said += trim(decode(audio, engine.sample_rate, "bench"), engine.sample_rate).size / (
            engine.sample_rate)
    return spent / said, said


def heard(folder: Path, entry: ArtifactEntry) -> dict[str, Any]:
    """Hear a narration as ``check --listen`` does; return timings and the smallest margin."""
    recogniser = load()
    sound = hear._decode(folder / entry.files["narration"])
    facts, f_wall, f_cpu = clocked(lambda: [hear.hear_fact(recogniser, sound, clip)
                                            for clip in entry.details["spoken_facts"]])
    chapters, c_wall, c_cpu = clocked(lambda: hear.hear_chapters(
        recogniser, folder / entry.files["narration"], sound, folder / entry.files["transcript"]))
    worst = min(facts, key=lambda h: h.margin)
    return {"facts_wall": f_wall, "facts_cpu": f_cpu, "chapters_wall": c_wall,
            "chapters_cpu": c_cpu, "clips": len(facts), "worst": worst,
            "all_expected": all(h.as_expected for h in facts),
            "wer": hear.whole_wer(chapters, folder / entry.files["transcript"])}


def measure(name: str, folder: Path, work: Path) -> dict[str, Any]:
    """Return every figure for one engine."""
    leaflet = load_leaflet(folder, "en-GB")
    engine, load_s, _ = clocked(lambda: create(name, leaflet.lang, "normal"))
    texts = [(s.speech, s.slow) for s in build_script(leaflet, TODAY, 300).segments()]
    if name == "piper":
        _, load_s, _ = clocked(lambda: engine.synthesize("Hello."))  # loads the model
    rtf, speech_s = real_time_factor(engine, texts)
    out = work / name
    options = BuildOptions(out=out, tts=name, today=TODAY, templates=None,  # type: ignore[arg-type]
                           cache_dir=out / "cache")
    result, narrate_s, _ = clocked(lambda: narrate(leaflet, out / "w", options, engine))
    entry = ArtifactEntry(files=result.files, sha256={}, key="", details=result.details)
    return {"engine": engine.label, "load_s": load_s, "rtf": rtf, "speech_s": speech_s,
            "narrate_s": narrate_s, "duration_s": result.details["duration_s"],
            "wpm": result.details["speech_wpm"], **heard(out / "w", entry)}


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SEED)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        load()  # the recogniser's model, verified, before anything is timed
        figures = {name: measure(name, args.folder, Path(tmp)) for name in ("espeak", "piper")}
    report(figures)
    return 0 if all(f["all_expected"] for f in figures.values()) else 1


def report(figures: dict[str, dict[str, Any]]) -> None:
    """Print the figures, Piper's against espeak-ng's, and the margins."""
    for f in figures.values():
        listen_wall = f["facts_wall"] + f["chapters_wall"]
        listen_cpu = f["facts_cpu"] + f["chapters_cpu"]
        print(f"{f['engine']}: real-time factor {f['rtf']:.3f} over {f['speech_s']:.0f} s of "
              f"speech (load {f['load_s']:.2f} s); narration {f['duration_s']:.0f} s at "
              f"{f['wpm']} wpm, written in {f['narrate_s']:.1f} s")
        print(f"  --listen: {listen_wall:.1f} s wall, {listen_cpu:.1f} s CPU ({f['clips']} fact "
              f"clips {f['facts_wall']:.1f} s, chapters {f['chapters_wall']:.1f} s); whole "
              f"narration word error rate {f['wer']:.0%}")
        worst = f["worst"]
        print(f"  smallest margin {worst.margin:.2f} ({worst.fact} at {worst.start_ms} ms: "
              f"{worst.expected!r} over {worst.closest!r}); all heard as expected: "
              f"{f['all_expected']}")
    piper, espeak = figures["piper"], figures["espeak"]
    print(f"Piper's real-time factor is {piper['rtf'] / espeak['rtf']:.1f}x espeak-ng's; "
          f"smallest margin over both voices "
          f"{min(piper['worst'].margin, espeak['worst'].margin):.2f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
