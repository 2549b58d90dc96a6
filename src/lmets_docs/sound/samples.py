"""Sound for the narration: decode, trim, pause, and master to the loudness standard.

Every track is brought to -19 LUFS integrated (mono podcast practice, measured as ITU-R
BS.1770 and pyloudnorm do: see ``sound.loudness``) and held under a true-peak ceiling. True
peak is measured the BS.1770-4 way, at 4x the sample rate through the Recommendation's own
interpolating filter (``sound.truepeak``). The limiter works a little under -1 dBTP because
MP3 encoding adds a fraction of a decibel to the peaks. Its gain is worked out only around
the peaks that need it (a track's loud stretches), not over the whole track.
"""

from __future__ import annotations

import miniaudio
import numpy as np
import numpy.typing as npt

from lmets_docs.errors import NarrationError
from lmets_docs.sound.loudness import loudness_of_parts
from lmets_docs.sound.truepeak import peaks_above, peaks_of_parts

Samples = npt.NDArray[np.float32]

TARGET_LUFS = -19.0
TOLERANCE_LU = 2.0
CEILING_DBTP = -1.0
LIMIT_DBTP = -2.0
"""Where the limiter holds the peaks before encoding: 1 dB of room for the MP3's overshoot."""
SILENCE_DBFS = -50.0
SILENCE = 10 ** (SILENCE_DBFS / 20)
"""A sample louder than this (linear) is sound: for trimming and for a track's silent ends."""
QUIET_PIECE = 1 << 12
"""How many samples ``quiet_for`` looks at a time (0.19 s at 22050 Hz)."""
KEEP_S = 0.03
"""Sound kept around a clip's speech when its own leading and trailing silence is trimmed."""
PCM_PIECE = 1 << 16
HOLD_S = 0.01
"""How far ahead and behind the limiter looks, so that it ramps its gain instead of clicking."""


def decode(audio: bytes, rate: int, what: str) -> Samples:
    """Decode WAV or MP3 bytes to mono float samples at ``rate``; NarrationError if corrupt."""
    try:
        decoded = miniaudio.decode(audio, output_format=miniaudio.SampleFormat.FLOAT32,
                                   nchannels=1, sample_rate=rate)
    except miniaudio.DecodeError as exc:
        raise NarrationError(f"{what}: the audio cannot be decoded ({exc}); the engine or the "
                             "cache gave something that is not WAV or MP3") from exc
    return np.frombuffer(decoded.samples, dtype=np.float32)


def wav_length(audio: bytes, rate: int) -> int | None:
    """Return how many samples ``decode`` gives for a mono WAV at ``rate``, from its header.

    None when that is not known without decoding: not a WAV, or not mono at ``rate``.
    """
    if audio[:4] != b"RIFF":
        return None
    try:
        info = miniaudio.wav_get_info(audio)
    except miniaudio.DecodeError:
        return None
    if info.nchannels != 1 or info.sample_rate != rate:
        return None
    return int(info.num_frames)


TRIMMING = f"{SILENCE_DBFS:g} dBFS, {KEEP_S:g} s kept, miniaudio {miniaudio.__version__}"
"""What decides where ``trim`` cuts: a record of a cut made otherwise is not used."""


def trim(samples: Samples, rate: int) -> Samples:
    """Return the samples without their leading and trailing silence (keeping a few ms)."""
    start, stop = trimmed(samples, rate)
    return samples[start:stop]


def trimmed(samples: Samples, rate: int) -> tuple[int, int]:
    """Return where ``trim`` cuts the samples: (first kept, first not kept); (0, 0) if silent.

    The first and the last sample above the silence level are looked for from each end, so
    the speech between them is never looked at.
    """
    first = quiet_for(samples)
    if first == samples.size:
        return 0, 0
    last = samples.size - 1 - quiet_for(samples[::-1])
    keep = int(KEEP_S * rate)
    return max(0, first - keep), min(samples.size, last + keep)


def quiet_for(samples: Samples) -> int:
    """Return how many samples pass before the first one above the silence level.

    A piece at a time: speech starts within a second, so the rest is never looked at.
    """
    for start in range(0, samples.size, QUIET_PIECE):
        loud = np.flatnonzero(np.abs(samples[start:start + QUIET_PIECE]) > SILENCE)
        if loud.size:
            return start + int(loud[0])
    return samples.size


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


def true_peak(samples: Samples) -> float:
    """Return the true peak in dBTP, estimated at 4x oversampling (BS.1770-4 Annex 2)."""
    if samples.size == 0:
        return float("-inf")
    return to_db(peaks_of_parts(samples, [(0, samples.size)])[0])


def limit(samples: Samples, rate: int, ceiling_db: float) -> Samples:
    """Return the samples with their true peaks held under ``ceiling_db`` by a smooth gain."""
    return hold_peaks(samples.copy(), rate, ceiling_db)


def hold_peaks(samples: Samples, rate: int, ceiling_db: float) -> Samples:
    """Hold the samples' true peaks under ``ceiling_db`` by a smooth gain, in place; return them.

    The gain is 1 except within a few milliseconds of a peak above the ceiling (a track's
    loudest syllables, a few percent of it), so it is worked out there alone: only those
    peaks are kept, never one per sample of the track.
    """
    ceiling = from_db(ceiling_db)
    over, peaks = peaks_above(samples, ceiling)
    radius = max(1, int(HOLD_S * rate))
    where = near(over, radius + radius // 2, samples.size)
    if where.size == 0:
        return samples
    need = np.ones(where.size, dtype=np.float32)
    at = np.searchsorted(where, over)
    need[at] = np.float32(ceiling) / peaks
    # The average of a running minimum over a window half as wide never exceeds the gain
    # each sample needs, and it ramps instead of jumping.
    gain = moving_average(running_min(need, radius), radius // 2)
    samples[where] *= gain
    # The gain moves over milliseconds, so the peaks between samples scale with it (and no
    # other peak can reach the ceiling: the gain is never above 1).
    after = float((peaks * gain[at]).max())
    if after > ceiling:
        samples *= np.float32(ceiling / after)
    return samples


def near(over: npt.NDArray[np.intp], reach: int, size: int) -> npt.NDArray[np.intp]:
    """Return the indices within ``reach`` of any index in ``over`` (sorted), in order.

    Elsewhere the limiter's gain is exactly 1. The stretches are joined end to end: each
    begins and ends with ``reach`` samples that need no gain, so a window of ``reach`` on the
    joined stretches sees what it would see on the whole track.
    """
    if over.size == 0:
        return over
    breaks = np.flatnonzero(np.diff(over) > 2 * reach)
    starts = np.maximum(0, over[np.concatenate([[0], breaks + 1])] - reach)
    stops = np.minimum(size, over[np.concatenate([breaks, [over.size - 1]])] + reach + 1)
    lengths = stops - starts
    offsets = np.cumsum(lengths) - lengths
    where: npt.NDArray[np.intp] = np.arange(int(lengths.sum())) + np.repeat(starts - offsets,
                                                                           lengths)
    return where


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
    # A zero, then the values padded with their edge values; summed where they lie (memory:
    # a long track's float64 copies add up).
    sums = np.empty(values.size + 2 * radius + 1)
    sums[0] = 0.0
    sums[1:radius + 1] = values[0]
    sums[radius + 1:radius + 1 + values.size] = values
    sums[radius + 1 + values.size:] = values[-1]
    np.cumsum(sums, out=sums)
    width = 2 * radius + 1
    spans = sums[width:] - sums[:-width]
    spans /= width
    means: Samples = spans.astype(np.float32)
    return means


def master(samples: Samples, rate: int) -> Samples:
    """Return a track at the target loudness with its true peaks under the limit.

    The limiter touches only peaks, so it lowers the loudness by a tenth of a LU or so;
    the written files are measured again afterwards.
    """
    level = loudness(samples, rate)
    if not np.isfinite(level):
        return samples
    return hold_peaks(samples * np.float32(from_db(TARGET_LUFS - level)), rate, LIMIT_DBTP)


def to_pcm16(samples: Samples) -> bytes:
    """Return the samples as 16-bit little-endian PCM (they are already under full scale).

    A piece at a time, so a long track needs no float copy of itself on the way.
    """
    pcm = np.empty(samples.size, dtype="<i2")
    for start in range(0, samples.size, PCM_PIECE):
        scaled = samples[start:start + PCM_PIECE] * np.float32(32767.0)
        np.rint(scaled, out=scaled)
        np.clip(scaled, -32768, 32767, out=scaled)
        pcm[start:start + PCM_PIECE] = scaled
    return pcm.tobytes()
