"""Where a piece of speech is cut, and a track's silent ends: looked for from each end only,
found exactly where a look at every sample finds them."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from lmets_docs.sound.files import edge_silence
from lmets_docs.sound.samples import KEEP_S, QUIET_PIECE, SILENCE, quiet_for, trimmed

Audio = npt.NDArray[np.float32]
RATE = 22050


def _every_sample(samples: Audio) -> tuple[int, int]:
    """Return the cut by the definition: every sample above the level, a few ms kept."""
    loud = np.flatnonzero(np.abs(samples) > SILENCE)
    if loud.size == 0:
        return 0, 0
    keep = int(KEEP_S * RATE)
    return max(0, int(loud[0]) - keep), min(samples.size, int(loud[-1]) + keep)


def _with(size: int, loud: dict[int, float]) -> Audio:
    samples = np.zeros(size, dtype=np.float32)
    for at, value in loud.items():
        samples[at] = value
    return samples


LEVEL = float(np.float32(SILENCE))
CASES = {
    "empty": _with(0, {}),
    "silent": _with(3 * QUIET_PIECE + 5, {}),
    "at the level, not above": _with(5000, {10: LEVEL, 4000: -LEVEL}),
    "just above": _with(5000, {10: float(np.nextafter(np.float32(LEVEL), np.float32(1)))}),
    "first and last sample": _with(5000, {0: 0.5, 4999: -0.5}),
    "one sample past several pieces": _with(5 * QUIET_PIECE + 3, {3 * QUIET_PIECE + 1: -0.2}),
    "on a piece's edges": _with(4 * QUIET_PIECE, {QUIET_PIECE - 1: 0.1, 3 * QUIET_PIECE: 0.1}),
    "speech": np.random.default_rng(17).normal(0, 0.1, 3 * QUIET_PIECE).astype(np.float32)
    * np.concatenate([np.zeros(900), np.ones(3 * QUIET_PIECE - 1900), np.zeros(1000)]
                     ).astype(np.float32),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_cut_is_where_every_sample_says(case: str) -> None:
    samples = CASES[case]
    assert trimmed(samples, RATE) == _every_sample(samples)
    loud = np.flatnonzero(np.abs(samples) > SILENCE)
    first, last = (int(loud[0]), int(loud[-1])) if loud.size else (samples.size, -1)
    assert quiet_for(samples) == first
    assert edge_silence(samples, RATE) == (first / RATE, (samples.size - 1 - last) / RATE)
