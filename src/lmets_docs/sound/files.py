"""Judge a written MP3 as a listener gets it: decode it, find its silent ends, name the misses.

Used by the audio writer (measuring what it wrote), ``check`` and ``listen``.
"""

from __future__ import annotations

from pathlib import Path

import miniaudio
import numpy as np

from lmets_docs.errors import NarrationError
from lmets_docs.sound.samples import (
    CEILING_DBTP,
    TARGET_LUFS,
    TOLERANCE_LU,
    Samples,
    quiet_for,
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
    return quiet_for(samples) / rate, quiet_for(samples[::-1]) / rate




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
