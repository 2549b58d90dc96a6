"""A Piper voice installed, changed or removed is an input of the narration: the next build
reads with the voice it would choose now, never says "up to date" with the old one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lmets_docs.build.stamp import inputs_digest
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from lmets_docs.speech import voice_files, voices
from tests.speech.test_piper import JOE, SHORT, british_voice


def build(cwd: Path, *extra: str) -> str:
    """Build the short leaflet's narration with Piper in ``cwd``; return what it said."""
    done = subprocess.run(
        [sys.executable, "-m", "lmets_docs", "build", str(SHORT), "--tts", "piper",
         "--format", "audio", "--jobs", "1", "--out", "out", "--today", "2022-06-01", *extra],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def reader(cwd: Path) -> str:
    """Return the speech engine the narration built in ``cwd`` was read with."""
    return read_manifest(cwd / "out" / SHORT.name / "en-GB").artifacts["audio"].engines["tts"]


def test_a_voice_installed_in_the_project_folder_reads_the_next_build(tmp_path: Path) -> None:
    """No --voice: the command goes the quick way (launch, the build stamp) and still sees it."""
    assert "1 written" in build(tmp_path)
    assert reader(tmp_path).endswith(f"({JOE})")
    assert "1 up to date" in build(tmp_path)
    british_voice(tmp_path / "voices")
    assert "1 written" in build(tmp_path)
    assert reader(tmp_path).endswith("(en_GB-test-medium)")
    assert "1 up to date" in build(tmp_path)
    for file in (tmp_path / "voices").iterdir():
        file.unlink()
    assert "1 written" in build(tmp_path)
    assert reader(tmp_path).endswith(f"({JOE})")


def test_a_voice_added_to_the_folder_named_by_voice_reads_the_next_build(tmp_path: Path) -> None:
    folder = tmp_path / "house-voices"
    folder.mkdir()
    (joe,) = [v for v in voices.packaged() if v.name == JOE]
    for file in (joe.model, joe.config):
        (folder / file.name).symlink_to(file)
    build(tmp_path, "--voice", str(folder))
    assert reader(tmp_path).endswith(f"({JOE})")
    british_voice(tmp_path / "staging")
    for file in (tmp_path / "staging").iterdir():
        file.rename(folder / file.name)
    assert "1 written" in build(tmp_path, "--voice", str(folder))
    assert reader(tmp_path).endswith("(en_GB-test-medium)")


def test_only_a_narration_read_by_piper_looks_at_voices(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    model = tmp_path / "v.onnx"
    assert voice_files.places(BuildOptions(tts="auto")) == [Path("voices")]
    assert voice_files.places(BuildOptions(tts="piper", voice=model)) == [model]
    assert voice_files.places(BuildOptions(tts="espeak", voice=model)) == []
    assert voice_files.places(BuildOptions(tts="piper", formats=("pdf", "docx"))) == []
    assert voice_files.places(BuildOptions(tts="piper", formats=("html",))) == [Path("voices")]
    espeak, auto = BuildOptions(tts="espeak"), BuildOptions(tts="auto")
    before = inputs_digest([SHORT], espeak), inputs_digest([SHORT], auto)
    assert voice_files.fingerprint(auto) == ""
    british_voice(tmp_path / "voices")
    assert voice_files.fingerprint(auto) != ""
    assert inputs_digest([SHORT], espeak) == before[0]
    assert inputs_digest([SHORT], auto) != before[1]


def test_a_voice_file_that_is_odd_or_goes_missing_breaks_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dangling link, a folder named like a model, a name that is not UTF-8: still a digest."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "gone.onnx").symlink_to(tmp_path / "nowhere.onnx")
    (folder / "odd.onnx.json").mkdir()
    (folder / "MODEL_CARD").write_text("card", encoding="utf-8")
    open(bytes(folder) + b"/x-\xff.onnx", "wb").close()
    options = BuildOptions(tts="auto")
    first = voice_files.fingerprint(options)
    assert first and first == voice_files.fingerprint(options)
    model = tmp_path / "lonely.onnx"
    model.write_bytes(b"")
    assert voice_files.fingerprint(BuildOptions(tts="piper", voice=model))
