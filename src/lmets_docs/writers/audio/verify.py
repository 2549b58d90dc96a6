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

import miniaudio
import numpy as np

from lmets_docs.errors import NarrationError
from lmets_docs.writers.audio.loudness import loudness_of_parts
from lmets_docs.writers.audio.mp3 import BITRATE_KBPS, Track
from lmets_docs.writers.audio.sound import (
    CEILING_DBTP,
    SILENCE_DBFS,
    TARGET_LUFS,
    TOLERANCE_LU,
    Samples,
    peaks_of_parts,
    to_db,
)

MIN_SILENCE_S = 0.5


def decode_file(path: Path, rate: int) -> Samples:
    """Decode an MP3 file to mono float samples; NarrationError if it cannot be read."""
    try:
        decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32,
                                        nchannels=1, sample_rate=rate)
    except miniaudio.DecodeError as exc:
        raise NarrationError(f"{path}: the MP3 just written cannot be decoded ({exc})") from exc
    return np.frombuffer(decoded.samples, dtype=np.float32)


def edge_silence(samples: Samples, rate: int) -> tuple[float, float]:
    """Return the seconds of silence at the start and at the end."""
    loud = np.abs(samples) > 10 ** (SILENCE_DBFS / 20)
    if not loud.any():
        return samples.size / rate, samples.size / rate
    return int(loud.argmax()) / rate, int(loud[::-1].argmax()) / rate


def level_problems(name: str, level: float, peak: float, edges: tuple[float, float]) -> list[str]:
    """Return what is wrong with a file's sound against STANDARDS.md, if anything."""
    problems = []
    if abs(level - TARGET_LUFS) > TOLERANCE_LU:
        problems.append(f"{name}: loudness {level:.1f} LUFS, outside {TARGET_LUFS:.0f} ± "
                        f"{TOLERANCE_LU:.0f}")
    if peak > CEILING_DBTP:
        problems.append(f"{name}: true peak {peak:.1f} dBTP, above {CEILING_DBTP:.0f} dBTP")
    if min(edges) < MIN_SILENCE_S:
        problems.append(f"{name}: only {min(edges):.2f} s of silence at an end")
    return problems


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
