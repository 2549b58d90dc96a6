"""True peak (BS.1770-4 Annex 2) against independent references, and the limiter built on it."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from lmets_docs.sound import truepeak
from lmets_docs.sound.samples import limit, moving_average, running_min, to_db, true_peak
from lmets_docs.sound.truepeak import BLOCK, CHUNK, oversampled_peaks, peaks_above, peaks_of_parts

Audio = npt.NDArray[np.float32]

# The Recommendation's table as printed: one row per phase, all four (the module keeps two).
ANNEX_2 = np.array([
    [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
     0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250,
     0.0148925781250, -0.0083007812500],
    [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
     0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625,
     0.0330810546875, -0.0189208984375],
    [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125,
     0.7797851562500, 0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000,
     0.0292968750000, -0.0291748046875],
    [-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750,
     0.9721679687500, 0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125,
     0.0109863281250, 0.0017089843750],
])


def band_limited(size: int, seed: int = 3, cutoff: float = 0.35) -> Audio:
    """Return noise with nothing above ``cutoff`` x the sample rate, in bursts, peaking near 1."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(size))
    spectrum[int(cutoff * size):] = 0
    noise = np.fft.irfft(spectrum, size) * (np.arange(size) % 5000 < 3000)
    peaking: Audio = (noise / np.abs(noise).max()).astype(np.float32)
    return peaking


def annex_2_directly(samples: Audio) -> npt.NDArray[np.float64]:
    """Return the 4x signal the Annex describes: zeros stuffed in, through the 48-tap filter."""
    stuffed = np.zeros(samples.size * 4)
    stuffed[::4] = samples
    prototype = ANNEX_2.T.reshape(-1)  # h[4j + p] is tap j of phase p
    return np.convolve(stuffed, prototype)


def test_peaks_are_the_annex_filters_output_and_the_samples() -> None:
    samples = band_limited(2 * CHUNK + 777)
    out = np.abs(annex_2_directly(samples))
    # Sample i's window ends 5 samples later; its four outputs lie between samples i-1 and i.
    between = np.pad(out, (0, 48))[20:20 + 4 * samples.size].reshape(-1, 4).max(axis=1)
    expected = np.maximum(between, np.abs(samples))
    assert oversampled_peaks(samples) == pytest.approx(expected, abs=2e-6)


def test_a_sine_at_a_quarter_of_the_rate_peaks_between_its_samples() -> None:
    # sin(pi n / 2 + pi / 4): every sample is +-0.707 (-3.01 dBFS), the wave itself reaches 1.
    wave = np.sin(np.pi * np.arange(4000) / 2 + np.pi / 4).astype(np.float32)
    assert to_db(float(np.abs(wave).max())) == pytest.approx(-3.01, abs=0.01)
    assert true_peak(wave[100:-100]) == pytest.approx(0.0, abs=0.25)


def test_band_limited_peaks_agree_with_ideal_resampling() -> None:
    samples = band_limited(50_000)
    ideal = np.fft.irfft(np.fft.rfft(samples.astype(np.float64)), samples.size * 4) * 4
    assert true_peak(samples) == pytest.approx(to_db(float(np.abs(ideal).max())), abs=0.1)


def test_peaks_of_parts_are_the_oversampled_peaks() -> None:
    samples = band_limited(3 * CHUNK + 5)
    parts = [(0, 1000), (1000, CHUNK + 9), (CHUNK + 9, samples.size), (0, samples.size)]
    peaks = oversampled_peaks(samples)
    assert peaks_of_parts(samples, parts) == [float(peaks[a:b].max()) for a, b in parts]


def whole_track_limit(samples: Audio, rate: int, ceiling_db: float) -> Audio:
    """Return the limiter's output computed over every sample (the gain is 1 far from peaks)."""
    ceiling = 10 ** (ceiling_db / 20)
    peaks = oversampled_peaks(samples)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    radius = int(0.01 * rate)
    gain = moving_average(running_min(need, radius), radius // 2)
    after = float((peaks * gain).max())
    if after > ceiling:
        gain = gain * np.float32(ceiling / after)
    return (samples * gain).astype(np.float32)


@pytest.mark.parametrize("scale", [0.3, 0.8, 1.6])
def test_the_limiter_works_only_near_peaks_yet_as_over_the_whole_track(scale: float) -> None:
    samples = band_limited(5 * CHUNK) * np.float32(scale)
    limited = limit(samples, 22050, -2.0)
    assert limited == pytest.approx(whole_track_limit(samples, 22050, -2.0), rel=1e-6, abs=1e-7)
    assert true_peak(limited) <= -2.0 + 1e-4
    assert np.array_equal(limited, samples) == (true_peak(samples) <= -2.0)


def quarter_rate_bursts(size: int, spans: list[tuple[int, int]]) -> Audio:
    """Return silence with bursts of a sine at a quarter of the rate: samples at +-0.707 of a
    wave reaching 1 between them, so every peak is between samples, ringing into the quiet."""
    wave = np.sin(np.pi * np.arange(size) / 2 + np.pi / 4)
    on = np.zeros(size, dtype=bool)
    for start, stop in spans:
        on[start:stop] = True
    return (wave * on).astype(np.float32)


# Bursts ending and starting on block boundaries and just off them, one across two blocks,
# two in the signal's last (short) block, one up to its end (ringing past it, not the
# signal's): each block's peaks lie partly in silent blocks.
SIZE = 20 * BLOCK + 40
SPANS = [(BLOCK, 2 * BLOCK), (3 * BLOCK + 5, 4 * BLOCK - 3), (6 * BLOCK - 7, 7 * BLOCK + 9),
         (20 * BLOCK - 4, 20 * BLOCK + 2), (SIZE - 10, SIZE)]


@pytest.mark.parametrize("level", [0.05, 0.3, 0.72, 0.9, 0.99, 1.2])
def test_peaks_above_skip_only_blocks_that_cannot_pass_and_find_the_same_to_the_bit(
    level: float,
) -> None:
    samples = quarter_rate_bursts(SIZE, SPANS)
    peaks = oversampled_peaks(samples)
    over, values = peaks_above(samples, level)
    assert np.array_equal(over, np.flatnonzero(peaks > level))
    assert np.array_equal(values, peaks[peaks > level])
    # The silent block after a burst rings (a skip judged on its own samples would miss
    # that), and the bursts peak at 1 between samples of 0.707 (as would one judged on the
    # largest sample near it alone).
    assert peaks[2 * BLOCK:2 * BLOCK + 6].max() > 0.6
    assert peaks.max() > 1.0 and np.abs(samples).max() < 0.71


def test_peaks_of_parts_skip_only_blocks_below_the_parts_sample_peak_to_the_bit() -> None:
    samples = quarter_rate_bursts(SIZE, SPANS)
    samples[9 * BLOCK + 100] = np.float32(0.5)  # a lone sample: its own block's peak
    peaks = oversampled_peaks(samples)
    parts = [(0, SIZE), (2 * BLOCK, 3 * BLOCK), (2 * BLOCK + 3, 2 * BLOCK + 4),
             (9 * BLOCK, 10 * BLOCK), (10 * BLOCK, 19 * BLOCK), (7, 7), (SIZE - 50, SIZE),
             (3 * BLOCK + 1, 9 * BLOCK + 101)]
    assert peaks_of_parts(samples, parts) == [float(peaks[a:b].max(initial=0)) for a, b in parts]
    # The part after the first burst is silent: its peak is the burst's ringing.
    assert peaks_of_parts(samples, [(2 * BLOCK, 3 * BLOCK)])[0] > 0.6


def test_a_part_is_judged_by_its_own_samples_not_its_edge_blocks() -> None:
    # The part begins in a block whose burst lies before it; its own peak is a lone quieter
    # sample three blocks on, in blocks that only the part's own largest sample keeps.
    samples = quarter_rate_bursts(8 * BLOCK, [(BLOCK, BLOCK + 100)])
    samples[4 * BLOCK + 100] = np.float32(0.3)
    part = (BLOCK + 150, 7 * BLOCK)
    peaks = oversampled_peaks(samples)
    assert peaks_of_parts(samples, [part]) == [float(peaks[part[0]:part[1]].max())]
    assert peaks_of_parts(samples, [part]) == [pytest.approx(0.3)]


def test_speech_far_below_its_peaks_is_mostly_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = band_limited(40 * BLOCK)
    samples *= np.float32(0.02)
    samples[7 * BLOCK + 3:7 * BLOCK + 40] *= np.float32(40.0)  # one loud syllable
    filtered: list[int] = []
    through = truepeak._block_peaks

    def counting(signal: Audio, blocks: npt.NDArray[np.intp]) -> object:
        filtered.append(blocks.size)
        return through(signal, blocks)

    monkeypatch.setattr(truepeak, "_block_peaks", counting)
    peaks = oversampled_peaks(samples)
    assert peaks_of_parts(samples, [(0, samples.size)]) == [float(peaks.max())]
    assert np.array_equal(peaks_above(samples, 0.1)[0], np.flatnonzero(peaks > 0.1))
    assert filtered == [3, 3]  # the loud block and its neighbours; 37 of 40 skipped
