"""The narration's loudness meter (numpy only) against pyloudnorm, the reference it replaces."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest

from lmets_docs.sound.loudness import (
    FFT_HISTORIES,
    history,
    k_response,
    k_weighted,
    loudness_of_parts,
)

Audio = npt.NDArray[np.float32]


def speechlike(rate: int, seconds: float, seed: int = 1) -> Audio:
    """Return noise in bursts, with quiet gaps and a low hum: something to gate and to weight."""
    rng = np.random.default_rng(seed)
    n = round(rate * seconds)
    t = np.arange(n) / rate
    bursts = (np.sin(2 * np.pi * 0.7 * t) > -0.2) * rng.standard_normal(n) * 0.1
    samples = bursts + 0.05 * np.sin(2 * np.pi * 50 * t) + 0.0005 * rng.standard_normal(n)
    return samples.astype(np.float32)


def reference(samples: Audio, rate: int) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


@pytest.mark.parametrize("rate", [22050, 24000, 48000])
@pytest.mark.parametrize("seconds", [0.45, 3.3, 41.0])
def test_loudness_is_pyloudnorms(rate: int, seconds: float) -> None:
    samples = speechlike(rate, seconds)
    (ours,) = loudness_of_parts(samples, rate, [(0, samples.size)])
    assert ours == pytest.approx(reference(samples, rate), abs=1e-9)


def test_parts_of_one_pass_are_measured_as_alone_after_silence() -> None:
    rate = 22050
    pieces = [speechlike(rate, s, seed) for s, seed in ((7.5, 1), (12.2, 2), (4.1, 3))]
    gap = np.zeros(rate, dtype=np.float32)  # a chapter's tail and the next one's lead-in
    whole = np.concatenate([pieces[0], gap, pieces[1], gap, pieces[2]])
    starts = np.cumsum([0, pieces[0].size + gap.size, pieces[1].size + gap.size])
    parts = [(int(s), int(s) + p.size) for s, p in zip(starts, pieces, strict=True)]
    levels = loudness_of_parts(whole, rate, [*parts, (0, whole.size)])
    expected = [reference(p, rate) for p in pieces] + [reference(whole, rate)]
    assert levels == pytest.approx(expected, abs=1e-6)


def test_silence_and_a_part_shorter_than_a_block_have_no_loudness() -> None:
    rate = 22050
    silence = np.zeros(rate * 2, dtype=np.float32)
    assert loudness_of_parts(silence, rate, [(0, silence.size), (0, rate // 4)]) == [
        float("-inf"),
        float("-inf"),
    ]


def fresh_k_weighted(samples: Audio, rate: int) -> list[npt.NDArray[np.float64]]:
    """Return k_weighted's pieces as the overlap-save makes them with new arrays each time."""
    past = history(rate)
    size = FFT_HISTORIES * past
    response, hop = k_response(rate, size), size - past
    pieces = []
    for start in range(0, samples.size, hop):
        stop = min(samples.size, start + hop)
        frame = np.zeros(size)
        lo = max(0, start - past)
        frame[past - (start - lo):past + stop - start] = samples[lo:stop]
        pieces.append(np.fft.irfft(np.fft.rfft(frame) * response, size)[past:past + stop - start])
    return pieces


@pytest.mark.parametrize("seconds", [0.9, 5.3])
def test_the_k_weighting_reuses_its_buffers_yet_gives_every_piece_to_the_bit(
    seconds: float,
) -> None:
    # 5.3 s is four pieces at 22050 Hz, the last one short: what the longer pieces left in
    # the frame must not reach it (an FFT spreads any change over every output's rounding).
    rate = 22050
    samples = speechlike(rate, seconds)
    pieces = [(start, piece.copy()) for start, piece in k_weighted(samples, rate)]
    expected = fresh_k_weighted(samples, rate)
    assert [start for start, _ in pieces] == list(range(0, samples.size, 32768))
    assert all(np.array_equal(got, want) for (_, got), want in zip(pieces, expected, strict=True))
