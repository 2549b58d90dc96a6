"""Tamper with a built narration's sound, keeping its tags: what an attacker or a bug would do.

The narration is decoded, a span of it replaced, and the result encoded again with the
writer's own encoder; the ID3 tag (transcript, chapters, source hash) is copied over as it
was, so only the sound tells the difference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import miniaudio
import numpy as np
import numpy.typing as npt
from mutagen.id3 import ID3

from lmets_docs.sound.samples import decode, to_pcm16, trim
from lmets_docs.speech import espeak
from lmets_docs.writers.audio.mp3 import encode

RATE = 22050
Audio = npt.NDArray[np.float32]


def decode_mp3(path: Path) -> Audio:
    """Return an MP3's sound as mono float samples at 22.05 kHz."""
    decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32,
                                    nchannels=1, sample_rate=RATE)
    return np.frombuffer(decoded.samples, dtype=np.float32).copy()


def rewrite(path: Path, samples: Audio) -> None:
    """Write ``samples`` as the MP3 at ``path``, keeping its ID3 tag exactly."""
    tags: Any = ID3(path)  # type: ignore[no-untyped-call]
    path.write_bytes(encode(to_pcm16(np.clip(samples, -1, 1)), RATE))
    tags.save(path, v2_version=3)


def span(ms_from: int, ms_to: int) -> slice:
    """Return the samples between two times in milliseconds."""
    return slice(round(ms_from * RATE / 1000), round(ms_to * RATE / 1000))


def spoken(text: str, slow: bool) -> Audio:
    """Return ``text`` said by espeak-ng as the narration says it (trimmed of silence)."""
    engine = espeak.create("en-GB", "normal")
    return trim(decode(engine.synthesize(text, slow=slow), RATE, "tamper"), RATE)


def matched(new: Audio, old: Audio, length: int) -> Audio:
    """Return ``new`` at the loudness of ``old``, cut or padded with silence to ``length``."""
    level = np.sqrt(np.mean(old**2)) / max(1e-9, float(np.sqrt(np.mean(new**2))))
    scaled = (new * level).astype(np.float32)[:length]
    return np.pad(scaled, (0, length - scaled.size))


def replace_end(samples: Audio, end_ms: int, said: str, instead: str, slow: bool) -> Audio:
    """Return the narration with the words ``said`` ending at ``end_ms`` re-said as ``instead``."""
    length = spoken(said, slow).size
    where = span(end_ms, end_ms)
    where = slice(where.start - length, where.start)
    out = samples.copy()
    out[where] = matched(spoken(instead, slow), samples[where], length)
    return out


def chapter_spans(path: Path) -> list[tuple[str, int, int]]:
    """Return each chapter's title, start and end in milliseconds, from the CHAP frames."""
    tags: Any = ID3(path)  # type: ignore[no-untyped-call]
    return [(str(c.sub_frames["TIT2"]), c.start_time, c.end_time) for c in tags.getall("CHAP")]
