"""Time the narration against its floor: espeak-ng alone, one process, saying the same words.

Run: ``.venv/bin/python benchmarks/bench_audio.py [leaflet folder] [--repeat N]``

Measured in one run, each the median of N repeats: the writer with an empty speech cache
(cold) with two espeak-ng processes at a time and with one, the writer with everything
cached, the synthesis step alone (one espeak-ng process per paragraph, empty cache), and
``espeak-ng -w`` speaking the transcript in one process. Ratios are to that floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.speech.cache import SpeechCache
from lmets_docs.writers import WriterResult
from lmets_docs.writers.audio import narrate
from lmets_docs.writers.audio.narrate import Narrator
from lmets_docs.writers.audio.script import build_script

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "leptomeningeal-metastases"


def timed(run: Callable[[], object], repeat: int) -> float:
    """Return the median wall-clock seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def writer_run(folder: Path, work: Path, workers: int, cache: Path | None) -> WriterResult:
    """Narrate the leaflet with espeak-ng into a fresh folder, with a given (or a new) cache."""
    leaflet = load_leaflet(folder, "en-GB")
    engine = espeak.create(leaflet.lang, "normal")
    engine.workers = workers
    out = Path(tempfile.mkdtemp(dir=work))
    options = BuildOptions(out=out, tts="espeak", today=dt.date(2022, 6, 1), templates=None,
                           cache_dir=cache or out / "cache")
    return narrate(leaflet, out / "w", options, engine)


def synthesis_run(folder: Path, work: Path, workers: int) -> None:
    """Synthesize every segment of the script into an empty cache, and nothing else."""
    leaflet = load_leaflet(folder, "en-GB")
    engine = espeak.create(leaflet.lang, "normal")
    engine.workers = workers
    script = build_script(leaflet, dt.date(2022, 6, 1), duration_s=300)
    Narrator(engine, SpeechCache(Path(tempfile.mkdtemp(dir=work)))).prepare(script.chapters)


def floor_run(transcript: Path, work: Path) -> None:
    """Say the whole transcript with one espeak-ng process writing a WAV file."""
    engine = espeak.create("en-GB", "normal")
    subprocess.run([espeak.EXECUTABLE, "-v", engine.voice, "-s", str(engine.speed), "-b", "1",
                    "-f", str(transcript), "-w", str(work / "floor.wav")], check=True)


def spoken_text(result: WriterResult, out: Path) -> str:
    """Return the transcript without its chapter markers: exactly the words said."""
    text = (out / result.files["transcript"]).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("## "))


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SEED)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warm = writer_run(args.folder, work, 2, work / "warm-cache")  # imports, voice lookup
        out = next(work.glob("*/w"))
        transcript = work / "transcript.txt"
        transcript.write_text(spoken_text(warm, out), encoding="utf-8")
        figures = {
            "floor: espeak-ng -w, one process": timed(lambda: floor_run(transcript, work),
                                                      args.repeat),
            "cold, 2 espeak-ng at a time": timed(
                lambda: writer_run(args.folder, work, 2, None), args.repeat),
            "cold, 1 espeak-ng at a time": timed(
                lambda: writer_run(args.folder, work, 1, None), args.repeat),
            "cached (nothing synthesized)": timed(
                lambda: writer_run(args.folder, work, 2, work / "warm-cache"), args.repeat),
            "synthesis alone, 2 at a time": timed(
                lambda: synthesis_run(args.folder, work, 2), args.repeat),
            "synthesis alone, 1 at a time": timed(
                lambda: synthesis_run(args.folder, work, 1), args.repeat),
        }
    report(figures, warm)
    return 0


def report(figures: dict[str, float], result: WriterResult) -> None:
    """Print the timings, their ratios to the floor, and what the narration measured."""
    floor = figures["floor: espeak-ng -w, one process"]
    details = result.details
    print(f"narration: {details['duration_s']:.1f} s of audio, {details['words']} words, "
          f"{details['speech_wpm']} wpm speaking, {details['wpm']} wpm overall, "
          f"{details['loudness_lufs']} LUFS, {details['true_peak_dbtp']} dBTP")
    for name, seconds in figures.items():
        print(f"{name:<36} {seconds:7.2f} s   x{seconds / floor:5.2f} of the floor")
    two, one = figures["cold, 2 espeak-ng at a time"], figures["cold, 1 espeak-ng at a time"]
    print(f"two processes at a time vs one: {one / two:.2f}x as fast")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
