"""Sound for the narration: decode, trim, pause, and master to the loudness standard.

Every track is brought to -19 LUFS integrated (mono podcast practice, measured as ITU-R
BS.1770 and pyloudnorm do: see ``sound.loudness``) and held under a true-peak ceiling. True
peak is estimated the BS.1770 way, by looking between samples at 4x the sample rate; the 4x
signal comes from FFT resampling with numpy. The limiter works a little under -1 dBTP because
MP3 encoding adds a fraction of a decibel to the peaks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import miniaudio
import numpy as np
import numpy.typing as npt

from lmets_docs.errors import NarrationError
from lmets_docs.sound.loudness import Part, loudness_of_parts

Samples = npt.NDArray[np.float32]

TARGET_LUFS = -19.0
TOLERANCE_LU = 2.0
CEILING_DBTP = -1.0
LIMIT_DBTP = -2.0
"""Where the limiter holds the peaks before encoding: 1 dB of room for the MP3's overshoot."""
SILENCE_DBFS = -50.0
KEEP_S = 0.03
"""Sound kept around a clip's speech when its own leading and trailing silence is trimmed."""
HOLD_S = 0.01
"""How far ahead and behind the limiter looks, so that it ramps its gain instead of clicking."""
OVERSAMPLE = 4
CHUNK = 1 << 15
OVERLAP = 1024


def decode(audio: bytes, rate: int, what: str) -> Samples:
    """Decode WAV or MP3 bytes to mono float samples at ``rate``; NarrationError if corrupt."""
    try:
        decoded = miniaudio.decode(audio, output_format=miniaudio.SampleFormat.FLOAT32,
                                   nchannels=1, sample_rate=rate)
    except miniaudio.DecodeError as exc:
        raise NarrationError(f"{what}: the audio cannot be decoded ({exc}); the engine or the "
                             "cache gave something that is not WAV or MP3") from exc
    return np.frombuffer(decoded.samples, dtype=np.float32)


def trim(samples: Samples, rate: int) -> Samples:
    """Return the samples without their leading and trailing silence (keeping a few ms)."""
    loud = np.flatnonzero(np.abs(samples) > 10 ** (SILENCE_DBFS / 20))
    if loud.size == 0:
        return samples[:0]
    keep = int(KEEP_S * rate)
    return samples[max(0, loud[0] - keep): loud[-1] + keep]


def silence(seconds: float, rate: int) -> Samples:
    """Return digital silence."""
    return np.zeros(round(seconds * rate), dtype=np.float32)


def loudness(samples: Samples, rate: int) -> float:
    """Return the integrated loudness in LUFS (ITU-R BS.1770, gated), as pyloudnorm measures it."""
    return loudness_of_parts(samples, rate, [(0, samples.size)])[0]


def to_db(value: float) -> float:
    """Return a linear amplitude in decibels (-inf for zero)."""
    return float(20 * np.log10(value)) if value > 0 else float("-inf")


def from_db(db: float) -> float:
    """Return decibels as a linear amplitude."""
    return float(10 ** (db / 20))


def oversampled_peaks(samples: Samples) -> Samples:
    """Return, for each sample, the largest magnitude of the signal at 4x around it."""
    out = np.empty(samples.size, dtype=np.float32)
    for start, peaks in _peak_chunks(samples):
        out[start:start + peaks.size] = peaks
    return out


def peaks_of_parts(samples: Samples, parts: Sequence[Part]) -> list[float]:
    """Return the true peak (linear, at 4x) of each part (start, end), a chunk at a time."""
    found = [0.0] * len(parts)
    for start, peaks in _peak_chunks(samples):
        for number, (first, end) in enumerate(parts):
            lo, hi = max(first, start), min(end, start + peaks.size)
            if lo < hi:
                found[number] = max(found[number], float(peaks[lo - start:hi - start].max()))
    return found


def _peak_chunks(samples: Samples) -> Iterator[tuple[int, Samples]]:
    for start in range(0, samples.size, CHUNK):
        stop = min(samples.size, start + CHUNK)
        lo, hi = max(0, start - OVERLAP), min(samples.size, stop + OVERLAP)
        up = np.abs(_upsample(samples[lo:hi])[(start - lo) * OVERSAMPLE:(stop - lo) * OVERSAMPLE])
        # The largest of each sample's four (faster than a reshape and max over an axis).
        yield start, np.maximum(np.maximum(up[0::4], up[1::4]), np.maximum(up[2::4], up[3::4]))


def _upsample(chunk: Samples) -> Samples:
    spectrum = np.fft.rfft(chunk)
    return (np.fft.irfft(spectrum, chunk.size * OVERSAMPLE) * OVERSAMPLE).astype(np.float32)


def true_peak(samples: Samples) -> float:
    """Return the true peak in dBTP, estimated at 4x oversampling."""
    if samples.size == 0:
        return float("-inf")
    return to_db(peaks_of_parts(samples, [(0, samples.size)])[0])


def limit(samples: Samples, rate: int, ceiling_db: float) -> Samples:
    """Return the samples with their true peaks held under ``ceiling_db`` by a smooth gain."""
    ceiling = from_db(ceiling_db)
    peaks = oversampled_peaks(samples)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    if samples.size == 0 or need.min() >= 1.0:
        return samples
    radius = max(1, int(HOLD_S * rate))
    # The average of a running minimum over a window half as wide never exceeds the gain
    # each sample needs, and it ramps instead of jumping.
    gain = moving_average(running_min(need, radius), radius // 2)
    # The gain moves over milliseconds, so the peaks between samples scale with it.
    after = float((peaks * gain).max())
    if after > ceiling:
        gain = gain * np.float32(ceiling / after)
    limited: Samples = (samples * gain).astype(np.float32)
    return limited


def running_min(values: Samples, radius: int) -> Samples:
    """Return the minimum of each value's neighbourhood of ``radius`` on either side."""
    width = 2 * radius + 1
    table = np.pad(values, radius, constant_values=np.float32(1.0))
    span = 1
    while span * 2 <= width:
        table = np.minimum(table[:-span], table[span:])
        span *= 2
    # table[i] is the minimum of `span` values from i; two overlapping spans cover `width`.
    return np.minimum(table[:values.size], table[width - span:width - span + values.size])


def moving_average(values: Samples, radius: int) -> Samples:
    """Return the mean of each value's neighbourhood of ``radius`` on either side."""
    if radius < 1:
        return values
    padded = np.pad(values.astype(np.float64), radius, mode="edge")
    sums: npt.NDArray[np.float64] = np.cumsum(np.concatenate(([0.0], padded)))
    width = 2 * radius + 1
    means: Samples = ((sums[width:] - sums[:-width]) / width).astype(np.float32)
    return means


def master(samples: Samples, rate: int) -> Samples:
    """Return a track at the target loudness with its true peaks under the limit.

    The limiter touches only peaks, so it lowers the loudness by a tenth of a LU or so;
    the written files are measured again afterwards.
    """
    level = loudness(samples, rate)
    if not np.isfinite(level):
        return samples
    return limit((samples * from_db(TARGET_LUFS - level)).astype(np.float32), rate, LIMIT_DBTP)


def to_pcm16(samples: Samples) -> bytes:
    """Return the samples as 16-bit little-endian PCM (they are already under full scale)."""
    scaled = np.clip(np.round(samples * 32767.0), -32768, 32767)
    return scaled.astype("<i2").tobytes()
