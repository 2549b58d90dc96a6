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

Most of a narration is far below its peaks, and an output can never exceed its window's
largest sample times the sum of its phase's taps' magnitudes (``BOUND``). So the signal is
looked at in blocks of ``BLOCK`` samples: a block whose neighbourhood's largest sample times
``BOUND`` cannot exceed what is sought (the limiter's ceiling; a part's sample peak, which
its true peak never falls below) is skipped, and the result is the same to the bit as if
every sample had been filtered (each output is computed alone, whatever else is).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

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
BLOCK = 1 << 8
"""Samples per block of the skipping (at least ``TAPS``: a window reaches only the blocks
either side): small enough that speech's loud syllables leave most blocks out (measured on
a narration: 70 % skipped at 256, 0 % at 16384), large enough to batch."""


def _pair_matrices() -> tuple[Samples, Samples]:
    """Return the 2x6 matrices giving (phase 0 ± phase 3, phase 1 ± phase 2) from s and d."""
    half = range(TAPS // 2)
    # Output = sum over the window w_k * h[11 - k] (convolution), so w_k meets tap 11 - k.
    sums = [[p[TAPS - 1 - k] + p[k] for k in half] for p in PHASES]
    diffs = [[p[TAPS - 1 - k] - p[k] for k in half] for p in PHASES]
    return np.array(sums, dtype=np.float32), np.array(diffs, dtype=np.float32)


SUMS, DIFFS = _pair_matrices()


def _bound() -> float:
    """Return how far above its window's largest |sample| an output can be, with a margin.

    An output is (S.s + D.d) / 2 or (S.s - D.d) / 2: over k, (S_k + D_k) / 2 times w_k and
    (S_k - D_k) / 2 times w_(11-k) (or the other way round), so |output| <= M * sum over k
    of (|S_k + D_k| + |S_k - D_k|) / 2, the taps' magnitudes summed as the module's float32
    matrices hold them (2.02 for phases 1 and 2). The margin (1e-4) is far above float32's
    rounding (2**-24 a step, a dozen steps); the samples themselves (a factor 1) are below.
    """
    sums, diffs = SUMS.astype(np.float64), DIFFS.astype(np.float64)
    per_output = (np.abs(sums + diffs) + np.abs(sums - diffs)).sum(axis=1) / 2
    return max(1.0, float(per_output.max())) * (1 + 1e-4)


BOUND = _bound()


def oversampled_peaks(samples: Samples) -> Samples:
    """Return, for each sample, the largest magnitude of it and the 4x signal just before it."""
    out = np.empty(samples.size, dtype=np.float32)
    s = np.empty((TAPS // 2, CHUNK), dtype=np.float32)
    d = np.empty_like(s)
    for start in range(0, samples.size, CHUNK):
        stop = min(samples.size, start + CHUNK)
        _chunk_peaks(_window(samples, start, stop), s, d, out[start:stop])
    return out


def peaks_of_parts(samples: Samples, parts: Sequence[Part]) -> list[float]:
    """Return the true peak (linear) of each part (start, end), a batch of blocks at a time.

    A part's true peak is at least its largest sample (the samples are counted), so the
    blocks whose reach is no higher than that cannot hold it and are skipped.
    """
    largest = _block_largest(samples)
    reach = _reaches(largest)
    wanted = np.zeros(reach.size, dtype=bool)
    for first, end in parts:
        if first < end:
            lo, hi = first // BLOCK, -(-end // BLOCK)
            wanted[lo:hi] |= reach[lo:hi] > _part_largest(samples, largest, first, end)
    found = [0.0] * len(parts)
    for blocks, peaks in _block_peaks(samples, np.flatnonzero(wanted)):
        starts, tops = blocks * BLOCK, peaks.max(axis=1)
        for number, (first, end) in enumerate(parts):
            if first >= end:
                continue
            whole = (starts >= first) & (starts + BLOCK <= end)
            if whole.any():
                found[number] = max(found[number], float(tops[whole].max()))
            for row in np.flatnonzero(~whole & (starts < end) & (starts + BLOCK > first)):
                start = int(starts[row])
                cut = peaks[row, max(first, start) - start:min(end, start + BLOCK) - start]
                found[number] = max(found[number], float(cut.max()))
    return found


def peaks_above(samples: Samples, level: float) -> tuple[npt.NDArray[np.intp], Samples]:
    """Return where the samples' peaks exceed ``level``, and those peaks (memory: only them).

    Only the blocks whose reach exceeds ``level`` are filtered.
    """
    where, values = [np.zeros(0, dtype=np.intp)], [np.zeros(0, dtype=np.float32)]
    wanted = np.flatnonzero(_reaches(_block_largest(samples)) > level)
    for blocks, peaks in _block_peaks(samples, wanted):
        over = np.flatnonzero(peaks > level)
        at = blocks[over // BLOCK] * BLOCK + over % BLOCK
        inside = at < samples.size  # the last block's outputs past the end are not the signal's
        where.append(at[inside])
        values.append(peaks.reshape(-1)[over[inside]])
    return np.concatenate(where), np.concatenate(values)


def _largest(samples: Samples) -> float:
    """Return the largest magnitude of the samples (no copy of them made); 0 if none."""
    return max(float(samples.max()), -float(samples.min())) if samples.size else 0.0


def _block_largest(samples: Samples) -> Samples:
    """Return the largest magnitude of the samples in each block (the last may be short)."""
    full, per = samples.size // BLOCK, CHUNK // BLOCK
    largest = np.zeros(-(-samples.size // BLOCK), dtype=np.float32)
    buffer = np.empty(CHUNK, dtype=np.float32)
    for start in range(0, full, per):
        count = min(full, start + per) - start
        rows = np.abs(samples[start * BLOCK:(start + count) * BLOCK], out=buffer[:count * BLOCK])
        rows.reshape(count, BLOCK).max(axis=1, out=largest[start:start + count])
    if full < largest.size:
        largest[full] = _largest(samples[full * BLOCK:])
    return largest


def _part_largest(samples: Samples, largest: Samples, first: int, end: int) -> float:
    """Return the largest magnitude of samples[first:end], from the blocks wholly inside."""
    lo, hi = -(-first // BLOCK), end // BLOCK
    if lo >= hi:
        return _largest(samples[first:end])
    return max(float(largest[lo:hi].max()), _largest(samples[first:lo * BLOCK]),
               _largest(samples[hi * BLOCK:end]))


def _reaches(largest: Samples) -> npt.NDArray[np.float64]:
    """Return, per block, the most any output in it can be: ``BOUND`` x the largest |sample|
    of the block and the blocks either side (a window reaches 6 samples back, 5 ahead)."""
    padded = np.zeros(largest.size + 2)  # a silent block before the first and after the last
    padded[1:-1] = largest
    around = np.maximum(np.maximum(padded[:-2], padded[1:-1]), padded[2:])
    reach: npt.NDArray[np.float64] = around * BOUND
    return reach


def _block_peaks(samples: Samples, blocks: npt.NDArray[np.intp]
                 ) -> Iterator[tuple[npt.NDArray[np.intp], Samples]]:
    """Yield (blocks, their peaks: one row of ``BLOCK`` each) for the given blocks, in turn.

    A chunk's worth of blocks at a time, each with the samples its windows reach (zeros
    beyond the ends, as for a filter at rest); the peaks are only valid until the next.
    """
    per, width = CHUNK // BLOCK, BLOCK + TAPS - 1
    s = np.empty((TAPS // 2, CHUNK), dtype=np.float32)
    d = np.empty_like(s)
    buffer = np.empty(CHUNK, dtype=np.float32)
    frames = np.empty((per, width), dtype=np.float32)
    # Block b's windows reach samples b * BLOCK - 6 to b * BLOCK + BLOCK + 4: row r of this
    # view (no copy) is block r + 1's, for every block whose windows lie within the signal.
    later = samples[BLOCK - BEFORE:]
    rows = (sliding_window_view(later, width)[::BLOCK] if later.size >= width
            else np.zeros((0, width), dtype=np.float32))
    for first in range(0, blocks.size, per):
        batch = blocks[first:first + per]
        into = frames[:batch.size]
        within = (batch >= 1) & (batch <= rows.shape[0])
        into[within] = rows[batch[within] - 1]
        for row in np.flatnonzero(~within):  # the first block, and the last one or two
            start = int(batch[row]) * BLOCK
            into[row] = _window(samples, start, start + BLOCK)
        peaks = _chunk_peaks(into, s, d, buffer[:batch.size * BLOCK])
        yield batch, peaks.reshape(batch.size, BLOCK)


def _window(samples: Samples, start: int, stop: int) -> Samples:
    """Return samples start - 6 … stop + 5 (zeros beyond the ends)."""
    frame = np.zeros(stop - start + TAPS - 1, dtype=np.float32)
    lo, hi = max(0, start - BEFORE), min(samples.size, stop + TAPS - 1 - BEFORE)
    frame[lo - (start - BEFORE):hi - (start - BEFORE)] = samples[lo:hi]
    return frame


def _chunk_peaks(frames: Samples, s: Samples, d: Samples, into: Samples) -> Samples:
    """Return each sample's peak from its padded frames into ``into``; s and d are scratch.

    ``frames`` is one padded stretch, or rows of them (each 11 samples longer than its
    outputs); the outputs come out row after row.
    """
    rows = frames.reshape(-1, frames.shape[-1])
    m = rows.shape[1] - (TAPS - 1)
    n = rows.shape[0] * m
    for k in range(TAPS // 2):
        ahead, behind = rows[:, k:k + m], rows[:, TAPS - 1 - k:TAPS - 1 - k + m]
        np.add(ahead, behind, out=s[k, :n].reshape(-1, m))
        np.subtract(ahead, behind, out=d[k, :n].reshape(-1, m))
    plus, minus = SUMS @ s[:, :n], DIFFS @ d[:, :n]
    np.abs(plus, out=plus)
    np.abs(minus, out=minus)
    plus += minus
    np.maximum(plus[0], plus[1], out=into)
    into *= np.float32(0.5)
    return np.maximum(into, np.abs(rows[:, BEFORE:BEFORE + m]).reshape(-1), out=into)
