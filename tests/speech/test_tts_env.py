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
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests_mock
from click.testing import CliRunner, Result

from lmets_docs.cli import cli
from lmets_docs.launch import read_build
from tests.conftest import BEFORE_DUE
from tests.speech.test_speech import GOOGLE_UK, SHORT, google, google_answer, google_mp3

__all__ = ["google", "google_mp3"]  # the fixtures, used by name


NOT_DUE = BEFORE_DUE.isoformat()
"""The short leaflet is overdue today, which a build reports as an error (exit 1)."""


def _build(tmp_path: Path, *more: str, env: str | None = "espeak") -> Result:
    logger = logging.getLogger("lmets_docs")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        return CliRunner(mix_stderr=False).invoke(cli, [
            "build", str(SHORT), "--format", "audio", "--jobs", "1", "--today", NOT_DUE, "--out",
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


WRONG = ("Error: LMETS_DOCS_TTS={}: not one of auto, gtts, piper, espeak (the environment "
         "variable sets --tts)")


def _command(tmp_path: Path, command: str, env: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line (the launcher first) with the variable set to ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "lmets_docs", command, str(SHORT), "--format", "docx",
         "--today", NOT_DUE, "--out", str(tmp_path / "out"), "--templates", str(tmp_path / "none")],
        capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "LMETS_DOCS_TTS": env, "PYTHONPATH": os.pathsep.join(sys.path)})


@pytest.mark.parametrize("command", ["build", "watch"])
@pytest.mark.parametrize(("env", "shown"), [
    ("offline", "offline"), ("ESPEAK", "ESPEAK"), ("espeak ", "espeak "),
    ("a\x1b[2Jb\nc", "'a\\x1b[2Jb\\nc'")], ids=["word", "capitals", "space", "control"])
def test_a_wrong_value_is_a_usage_error_in_the_variables_name(
        tmp_path: Path, command: str, env: str, shown: str) -> None:
    """After a good build, so that the launcher (which reads an unchanged build before click
    does, and ended in a traceback) meets the variable first."""
    good = _command(tmp_path, "build", "espeak")
    assert good.returncode == 0, good.stderr
    before = {p: p.read_bytes() for p in sorted((tmp_path / "out").rglob("*")) if p.is_file()}
    result = _command(tmp_path, command, env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == WRONG.format(shown)
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr
    assert "Invalid value for '--tts'" not in result.stderr
    assert {p: p.read_bytes() for p in sorted((tmp_path / "out").rglob("*"))
            if p.is_file()} == before


def test_an_empty_variable_is_not_set_as_for_click(tmp_path: Path) -> None:
    result = _command(tmp_path, "build", "")
    assert result.returncode == 0, result.stderr
    again = _command(tmp_path, "build", "")  # the launcher's reading: up to date
    assert again.returncode == 0, again.stderr
    assert "0 written, 1 up to date" in again.stdout


def test_a_wrong_value_is_left_by_the_launcher_to_the_command_line(
        monkeypatch: pytest.MonkeyPatch, google: requests_mock.Mocker, tmp_path: Path) -> None:
    monkeypatch.setenv("LMETS_DOCS_TTS", "offline")
    assert read_build(["build", "content"]) is None
    result = _build(tmp_path, "--tts", "espeak", env="offline")  # the command line wins
    assert result.exit_code == 0, result.stderr
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
