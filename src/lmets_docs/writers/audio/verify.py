"""Measure the narration as a listener gets it: decode the written MP3s and check the sound.

Loudness and true peak are measured on the decoded files, not on the audio before encoding,
so the figures in the manifest are the files' own. A miss is reported as a warning with the
file and the figure, never silently kept. The narration is decoded once; its chapters are
stretches of it, measured in the same two passes (loudness, true peak) as the whole.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lmets_docs.sound.files import decode_file, edge_silence, level_problems
from lmets_docs.sound.loudness import loudness_of_parts
from lmets_docs.sound.samples import peaks_of_parts, to_db
from lmets_docs.writers.audio.mp3 import BITRATE_KBPS, Track


def measure(narration: Path, tracks: list[Track]) -> dict[str, Any]:
    """Return the decoded narration's figures per chapter and overall, with any problems.

    Each track is the narration's frames between two chapter marks, so its figures are
    measured on that stretch of the decoded narration (the files decode to the same samples).
    """
    rate = tracks[0].rate
    whole = decode_file(narration, rate)
    parts = [(track.start, track.end) for track in tracks] + [(0, whole.size)]
    # numpy's FFTs let go of the GIL: the two passes share the cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        peaks = pool.submit(peaks_of_parts, whole, parts)
        levels = loudness_of_parts(whole, rate, parts)
    peaks_db = [to_db(peak) for peak in peaks.result()]
    chapters, problems = [], []
    for track, level, peak in zip(tracks, levels[:-1], peaks_db[:-1], strict=True):
        part = whole[track.start:track.end]
        problems += level_problems(track.file, level, peak, edge_silence(part, rate))
        chapters.append({"title": track.title, "file": track.file, "start_ms": track.start_ms,
                         "end_ms": track.end_ms, "loudness_lufs": round(level, 2),
                         "true_peak_dbtp": round(peak, 2)})
    level, peak = levels[-1], peaks_db[-1]
    problems += level_problems(narration.name, level, peak, edge_silence(whole, rate))
    return {"duration_s": round(whole.size / rate, 3), "chapters": chapters,
            "loudness_lufs": round(level, 2), "true_peak_dbtp": round(peak, 2),
            "sample_rate": rate, "bitrate_kbps": BITRATE_KBPS, "problems": problems}
