"""``LMETS_DOCS_TTS``: a site makes an offline voice the default (finding 7 of the
hostile-input user test, session 28: ``--tts auto``, the default, asks Google first).

Google is faked as reachable, so that ``auto`` would take gTTS: with the variable set to
``espeak`` and no ``--tts``, the narration is espeak-ng's and Google is never asked; the
command line still wins; a wrong value is a usage error naming the variable's values; the
launcher's "up to date" reading takes the variable as click does.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import requests_mock
from click.testing import CliRunner, Result

from lmets_docs.cli import cli
from lmets_docs.launch import read_build
from tests.speech.test_speech import GOOGLE_UK, SHORT, google, google_answer, google_mp3

__all__ = ["google", "google_mp3"]  # the fixtures, used by name


def _build(tmp_path: Path, *more: str, env: str | None = "espeak") -> Result:
    logger = logging.getLogger("lmets_docs")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        return CliRunner(mix_stderr=False).invoke(cli, [
            "build", str(SHORT), "--format", "audio", "--jobs", "1", "--out",
            str(tmp_path / "out"), "--templates", str(tmp_path / "none"), *more],
            env={"LMETS_DOCS_TTS": env})
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved


def _engine(tmp_path: Path) -> str:
    [manifest] = (tmp_path / "out").rglob("manifest.json")
    return str(json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]["audio"]
               ["engines"]["tts"])


def test_the_variable_makes_the_narration_offline_and_google_is_never_asked(
        google: requests_mock.Mocker, google_mp3: bytes, tmp_path: Path) -> None:
    google.post(GOOGLE_UK, text=google_answer(google_mp3))  # auto would take gTTS
    result = _build(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert google.call_count == 0
    assert _engine(tmp_path).startswith("espeak-ng")


def test_the_command_line_wins_over_the_variable(
        google: requests_mock.Mocker, google_mp3: bytes, tmp_path: Path) -> None:
    google.post(GOOGLE_UK, text=google_answer(google_mp3))
    result = _build(tmp_path, "--tts", "auto")
    assert result.exit_code == 0, result.stderr
    assert google.call_count >= 1
    assert _engine(tmp_path).startswith("gTTS")


def test_a_wrong_value_is_a_usage_error(google: requests_mock.Mocker, tmp_path: Path) -> None:
    result = _build(tmp_path, env="offline")
    assert result.exit_code == 2
    assert "'offline' is not one of 'auto', 'gtts', 'piper', 'espeak'" in result.stderr
    assert google.call_count == 0


@pytest.mark.parametrize(("env", "args", "tts"), [
    ("espeak", [], "espeak"), ("espeak", ["--tts", "auto"], "auto"), (None, [], "auto")])
def test_the_launcher_reads_the_variable_as_click_does(
        monkeypatch: pytest.MonkeyPatch, env: str | None, args: list[str], tts: str) -> None:
    if env is None:
        monkeypatch.delenv("LMETS_DOCS_TTS", raising=False)
    else:
        monkeypatch.setenv("LMETS_DOCS_TTS", env)
    call = read_build(["build", "content", *args])
    assert call is not None and call.options().tts == tts
