"""True peak as ITU-R BS.1770-4 Annex 2 measures it: 4x oversampling by its 48-tap FIR.

The Recommendation tabulates an order-48 interpolating filter in four phases of twelve taps;
a meter runs the signal through each phase and takes the largest magnitude of the four
outputs. This module does that with numpy, a chunk at a time so memory stays flat. The
filter's 48 taps put its outputs an eighth of a sample either side of the samples, never on
them, so the samples themselves are counted too: a true peak is never below the sample
peak. The limiter (``samples.limit``), the measurement of every written track
(``writers.audio.tracks``) and ``check`` all use this one estimator.

The filter is symmetric: phase 3 is phase 0 reversed and phase 2 is phase 1 reversed. So
for a window ``w`` of twelve samples, with ``s_k = w_k + w_(11-k)`` and ``d_k = w_k - w_(11-k)``,
phase 0 plus phase 3 is a 6-tap filter of ``s`` and phase 0 minus phase 3 one of ``d``; and
``max(|u + v|, |u - v|) = |u| + |v|`` gives the larger of the pair's magnitudes from those two.
Half the multiplications, done as two small matrix products (float32) per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]
Part = tuple[int, int]

PHASES = (
    (0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
     0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250,
     0.0148925781250, -0.0083007812500),
    (-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
     0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625,
     0.0330810546875, -0.0189208984375),
)
"""Phases 0 and 1 of BS.1770-4 Annex 2's interpolating filter (phases 3 and 2 are them reversed)."""
TAPS = 12
BEFORE = TAPS // 2
"""A sample's window: the six samples up to it and the six after; its four outputs fall
between it and the sample before."""
CHUNK = 1 << 14


def _pair_matrices() -> tuple[Samples, Samples]:
    """Return the 2x6 matrices giving (phase 0 ± phase 3, phase 1 ± phase 2) from s and d."""
    half = range(TAPS // 2)
    # Output = sum over the window w_k * h[11 - k] (convolution), so w_k meets tap 11 - k.
    sums = [[p[TAPS - 1 - k] + p[k] for k in half] for p in PHASES]
    diffs = [[p[TAPS - 1 - k] - p[k] for k in half] for p in PHASES]
    return np.array(sums, dtype=np.float32), np.array(diffs, dtype=np.float32)


SUMS, DIFFS = _pair_matrices()


def oversampled_peaks(samples: Samples) -> Samples:
    """Return, for each sample, the largest magnitude of it and the 4x signal just before it."""
    out = np.empty(samples.size, dtype=np.float32)
    for _chunk in _peak_chunks(samples, out):
        pass  # each chunk's peaks are written into out
    return out


def peaks_of_parts(samples: Samples, parts: Sequence[Part]) -> list[float]:
    """Return the true peak (linear) of each part (start, end), a chunk at a time."""
    found = [0.0] * len(parts)
    for start, peaks in _peak_chunks(samples):
        for number, (first, end) in enumerate(parts):
            lo, hi = max(first, start), min(end, start + peaks.size)
            if lo < hi:
                found[number] = max(found[number], float(peaks[lo - start:hi - start].max()))
    return found


def peaks_above(samples: Samples, level: float) -> tuple[npt.NDArray[np.intp], Samples]:
    """Return where the samples' peaks exceed ``level``, and those peaks (memory: only them)."""
    where, values = [np.zeros(0, dtype=np.intp)], [np.zeros(0, dtype=np.float32)]
    for start, peaks in _peak_chunks(samples):
        over = np.flatnonzero(peaks > level)
        where.append(over + start)
        values.append(peaks[over])
    return np.concatenate(where), np.concatenate(values)


def _peak_chunks(samples: Samples, out: Samples | None = None) -> Iterator[tuple[int, Samples]]:
    """Yield (first sample, peaks) chunk by chunk, into ``out`` if given (else one buffer).

    Zeros stand before and after the signal, as for a filter at rest.
    """
    s = np.empty((TAPS // 2, CHUNK), dtype=np.float32)
    d = np.empty_like(s)
    buffer = np.empty(CHUNK, dtype=np.float32) if out is None else out
    for start in range(0, samples.size, CHUNK):
        stop = min(samples.size, start + CHUNK)
        into = buffer[:stop - start] if out is None else out[start:stop]
        yield start, _chunk_peaks(_window(samples, start, stop), s, d, into)


def _window(samples: Samples, start: int, stop: int) -> Samples:
    """Return samples start - 6 … stop + 5 (zeros beyond the ends)."""
    frame = np.zeros(stop - start + TAPS - 1, dtype=np.float32)
    lo, hi = max(0, start - BEFORE), min(samples.size, stop + TAPS - 1 - BEFORE)
    frame[lo - (start - BEFORE):hi - (start - BEFORE)] = samples[lo:hi]
    return frame


def _chunk_peaks(frame: Samples, s: Samples, d: Samples, into: Samples) -> Samples:
    """Return each sample's peak from its padded frame into ``into``; s and d are scratch."""
    n = frame.size - (TAPS - 1)
    for k in range(TAPS // 2):
        np.add(frame[k:k + n], frame[TAPS - 1 - k:TAPS - 1 - k + n], out=s[k, :n])
        np.subtract(frame[k:k + n], frame[TAPS - 1 - k:TAPS - 1 - k + n], out=d[k, :n])
    plus, minus = SUMS @ s[:, :n], DIFFS @ d[:, :n]
    np.abs(plus, out=plus)
    np.abs(minus, out=minus)
    plus += minus
    np.maximum(plus[0], plus[1], out=into)
    into *= np.float32(0.5)
    return np.maximum(into, np.abs(frame[BEFORE:BEFORE + n]), out=into)
