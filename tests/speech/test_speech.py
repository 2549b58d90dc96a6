"""Speech engines: espeak-ng for real, gTTS at its network edge (Google's HTTP faked).

The fake Google answers the way translate.google.<tld>'s batchexecute endpoint does, with a
small real MP3 made here by espeak-ng and lameenc, so everything behind the HTTP call runs.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import miniaudio
import pytest
import requests
import requests_mock
from click.testing import CliRunner

from lmets_docs.cli import cli
from lmets_docs.errors import NarrationError
from lmets_docs.options import BuildOptions
from lmets_docs.sound.samples import decode, to_pcm16, trim
from lmets_docs.source import load_leaflet
from lmets_docs.speech import espeak
from lmets_docs.speech.base import AUTO_ORDER, ENGINES, create
from lmets_docs.speech.cache import Piece, SpeechCache, speech_key
from lmets_docs.speech.choose import choose
from lmets_docs.speech.gtts import BACKOFF_S, Gtts, gtts_language
from lmets_docs.speech.gtts import create as create_gtts
from lmets_docs.writers.audio import WRITER
from lmets_docs.writers.audio.mp3 import encode
from tests.conftest import BEFORE_DUE, DATA

SHORT = DATA / "short-leaflet"
GOOGLE_UK = "https://translate.google.co.uk/_/TranslateWebserverUi/data/batchexecute"


# --- espeak-ng, the real offline engine -------------------------------------------------------


def test_espeak_speaks_wav_in_the_leaflets_voice() -> None:
    engine = create("espeak", "en-GB", "normal")
    audio = engine.synthesize("The CSF is a clear fluid.")
    samples = trim(decode(audio, engine.sample_rate, "test"), engine.sample_rate)
    assert audio.startswith(b"RIFF")
    assert engine.label.startswith("espeak-ng 1.") and engine.label.endswith("(en-gb)")
    assert 1.0 < samples.size / engine.sample_rate < 4.0


def test_espeak_rates_and_slow_numbers_take_longer() -> None:
    normal, slow = create("espeak", "en-GB", "normal"), create("espeak", "en-GB", "slow")
    phone = "0 8 0 8, 8 0 0, 4 0 4 0."

    def seconds(engine: Any, slow_text: bool = False) -> float:
        audio = engine.synthesize(phone, slow=slow_text)
        return float(trim(decode(audio, 22050, "t"), 22050).size / 22050)

    assert seconds(slow) > seconds(normal) * 1.1
    assert seconds(normal, slow_text=True) > seconds(normal) * 1.15
    assert len({normal.fingerprint(False), normal.fingerprint(True), slow.fingerprint(False)}) == 3


def test_espeak_takes_text_on_stdin_so_a_dash_is_not_an_option() -> None:
    audio = create("espeak", "en-GB", "normal").synthesize("-v is not an option here")
    assert audio.startswith(b"RIFF")


def test_espeak_voice_falls_back_to_the_base_language_or_fails_clearly() -> None:
    assert espeak.voice_for("fr-CA") == "fr"
    with pytest.raises(NarrationError, match="no voice for tlh"):
        espeak.voice_for("tlh")


def test_espeak_missing_is_a_narration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    espeak.version()  # known while installed: a program gone is not answered for
    monkeypatch.setattr(espeak, "EXECUTABLE", "espeak-ng-not-installed")
    with pytest.raises(NarrationError, match="not installed"):
        espeak.version()
    with pytest.raises(NarrationError, match="not installed"):
        espeak.voice_for("en-GB")


def test_espeak_is_asked_its_version_and_voices_once_while_the_same_program_is_installed(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    espeak._version.cache_clear()
    espeak._voices.cache_clear()
    asked: list[str] = []
    real = espeak._run

    def spy(command: list[str], text: str, doing: str) -> subprocess.CompletedProcess[bytes]:
        asked.append(command[0])
        return real(command, text, doing)

    monkeypatch.setattr(espeak, "_run", spy)
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / espeak.EXECUTABLE
    shutil.copy2(str(shutil.which(espeak.EXECUTABLE)), program)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    first = (espeak.version(), espeak.voice_for("en-GB"), espeak.voice_for("cy"))
    assert first[1:] == ("en-gb", "cy")
    assert (espeak.version(), espeak.voice_for("en-GB"), espeak.voice_for("cy")) == first
    assert asked == [str(program)] * 2  # --version, --voices: once each
    # An upgrade: a new file renamed over the program, as a package manager installs one.
    shutil.copy2(program, folder / "new")
    os.replace(folder / "new", program)
    assert (espeak.version(), espeak.voice_for("en-GB"), espeak.voice_for("cy")) == first
    assert asked == [str(program)] * 4


def test_engines_registry_names_every_engine_and_auto_tries_the_best_voice_first() -> None:
    assert set(ENGINES) == {"gtts", "piper", "espeak"}
    assert AUTO_ORDER == ("gtts", "piper", "espeak")


def test_cache_key_depends_on_engine_voice_rate_and_text(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    key = speech_key("espeak-ng 1.51 (en-gb) -s 165", "Hello.")
    assert key != speech_key("espeak-ng 1.51 (en-gb) -s 132", "Hello.")
    assert key != speech_key("espeak-ng 1.51 (en-gb) -s 165", "Hello!")
    assert cache.get(key, "wav") is None
    cache.put(key, "wav", b"RIFF....", 4)
    assert cache.get(key, "wav") == Piece(b"RIFF....", 4, hashlib.sha256(b"RIFF....").hexdigest())


# --- gTTS at its network edge ------------------------------------------------------------------


@pytest.fixture(scope="session")
def google_mp3() -> bytes:
    """Return a small real MP3 (espeak-ng's voice, lameenc) to serve as Google's answer."""
    engine = create("espeak", "en-GB", "normal")
    samples = trim(decode(engine.synthesize("Hello."), 22050, "fake"), 22050)
    return encode(to_pcm16(samples * 0.5), 22050)


def google_answer(mp3: bytes) -> str:
    """Return a batchexecute response carrying ``mp3`` the way Google's does."""
    b64 = base64.b64encode(mp3).decode()
    return f')]}}\'\n\n[["wrb.fr","jQ1olc","[\\"{b64}\\"]",null,null,null,"generic"]]\n'


@pytest.fixture
def google() -> Iterator[requests_mock.Mocker]:
    """Fake every HTTP request; a test registers how Google answers."""
    with requests_mock.Mocker() as mocker:
        yield mocker


@pytest.fixture
def sleeps() -> list[float]:
    """Collect the back-off sleeps instead of sleeping."""
    return []


def uk_engine(sleeps: list[float]) -> Gtts:
    engine = create_gtts("en-GB", "normal")
    engine.sleep = sleeps.append
    return engine


def sent_texts(google: requests_mock.Mocker) -> list[str]:
    return [unquote_plus(str(request.body)) for request in google.request_history]


def test_gtts_speaks_with_the_regions_accent(google: requests_mock.Mocker, google_mp3: bytes,
                                             sleeps: list[float]) -> None:
    google.post(GOOGLE_UK, text=google_answer(google_mp3))
    engine = uk_engine(sleeps)
    audio = engine.synthesize("The CSF is a clear fluid.")
    assert audio == google_mp3
    assert gtts_language("en-GB") == ("en", "co.uk")
    assert '"The CSF is a clear fluid.\\",\\"en\\",null' in sent_texts(google)[0]
    assert engine.label.endswith("(en, translate.google.co.uk)")
    decoded = miniaudio.decode(audio, nchannels=1, sample_rate=engine.sample_rate)
    assert decoded.num_frames > 0


def test_gtts_chunks_long_text_itself(google: requests_mock.Mocker, google_mp3: bytes,
                                      sleeps: list[float]) -> None:
    google.post(GOOGLE_UK, text=google_answer(google_mp3))
    text = "Radiotherapy to the brain can help to reduce symptoms. " * 4
    audio = uk_engine(sleeps).synthesize(text)
    assert google.call_count > 1
    assert audio == google_mp3 * google.call_count


def test_gtts_retries_429_with_bounded_backoff(google: requests_mock.Mocker, google_mp3: bytes,
                                               sleeps: list[float]) -> None:
    google.post(GOOGLE_UK, [{"status_code": 429, "reason": "Too Many Requests"},
                            {"status_code": 429, "reason": "Too Many Requests"},
                            {"text": google_answer(google_mp3)}])
    assert uk_engine(sleeps).synthesize("Hello.") == google_mp3
    assert sleeps == list(BACKOFF_S)
    assert google.call_count == 3


def test_gtts_gives_up_after_a_few_429s(google: requests_mock.Mocker, sleeps: list[float]) -> None:
    google.post(GOOGLE_UK, status_code=429, reason="Too Many Requests")
    refused = r"refused to narrate after 3 tries: 429 .*--tts espeak"
    with pytest.raises(NarrationError, match=refused):
        uk_engine(sleeps).synthesize("Hello.")
    assert google.call_count == 1 + len(BACKOFF_S)
    assert sleeps == list(BACKOFF_S)


def test_gtts_retries_time_outs(google: requests_mock.Mocker, google_mp3: bytes,
                                sleeps: list[float]) -> None:
    google.post(GOOGLE_UK, [{"exc": requests.exceptions.ReadTimeout},
                            {"exc": requests.exceptions.ConnectTimeout},
                            {"text": google_answer(google_mp3)}])
    assert uk_engine(sleeps).synthesize("Hello.") == google_mp3
    assert len(sleeps) == 2


def test_gtts_does_not_retry_what_will_not_change(google: requests_mock.Mocker,
                                                  sleeps: list[float]) -> None:
    google.post(GOOGLE_UK, exc=requests.exceptions.ConnectionError)
    with pytest.raises(NarrationError, match="Failed to connect"):
        uk_engine(sleeps).synthesize("Hello.")
    google.post(GOOGLE_UK, status_code=403, reason="Forbidden")
    with pytest.raises(NarrationError, match="403"):
        uk_engine(sleeps).synthesize("Hello.")
    assert sleeps == []


def test_auto_uses_gtts_when_google_answers(google: requests_mock.Mocker, google_mp3: bytes,
                                            caplog: pytest.LogCaptureFixture,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging.getLogger("lmets_docs"), "propagate", True)
    google.post(GOOGLE_UK, text=google_answer(google_mp3))
    engine, warnings = choose("auto", "en-GB", "normal")
    assert engine.name == "gtts"
    assert google.call_count == 1  # one cheap probe
    assert "gTTS" in warnings[0]
    assert "gTTS" not in caplog.text  # said by the build, once for all its narrations


def test_auto_falls_back_to_espeak_with_a_warning(google: requests_mock.Mocker,
                                                  caplog: pytest.LogCaptureFixture,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging.getLogger("lmets_docs"), "propagate", True)
    google.post(GOOGLE_UK, exc=requests.exceptions.ConnectionError)
    with caplog.at_level(logging.WARNING):
        engine, warnings = choose("auto", "en-GB", "normal")
    assert engine.name == "espeak"
    assert google.call_count == 1  # probed once, not retried
    assert warnings[0].startswith("--tts auto: gTTS cannot reach Google Translate")
    assert "espeak-ng" in warnings[1] and "Google" not in warnings[1]  # said once per build
    assert not [r for r in caplog.records if "espeak-ng" in r.getMessage()]  # the build says it


def test_espeak_choice_never_touches_the_network(google: requests_mock.Mocker) -> None:
    engine, warnings = choose("espeak", "en-GB", "normal")
    assert engine.name == "espeak" and warnings == []
    assert google.call_count == 0


def test_gtts_unreachable_is_a_narration_error(google: requests_mock.Mocker) -> None:
    google.post(GOOGLE_UK, exc=requests.exceptions.ConnectTimeout)
    with pytest.raises(NarrationError, match=r"--tts gtts: gTTS cannot reach Google Translate "
                                             r"\(translate.google.co.uk\)"):
        choose("gtts", "en-GB", "normal")


def test_cli_tts_gtts_unreachable_exits_1(google: requests_mock.Mocker, tmp_path: Path) -> None:
    google.post(GOOGLE_UK, exc=requests.exceptions.ConnectionError)
    logger = logging.getLogger("lmets_docs")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        result = CliRunner(mix_stderr=False).invoke(cli, [
            "build", str(SHORT), "--format", "audio", "--tts", "gtts", "--jobs", "1",
            "--out", str(tmp_path / "out"), "--templates", str(tmp_path / "none")])
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "--tts gtts" in result.stderr
    assert "Traceback" not in result.stderr


def test_writer_narrates_with_gtts_end_to_end(google: requests_mock.Mocker, google_mp3: bytes,
                                              tmp_path: Path) -> None:
    google.post(GOOGLE_UK, text=google_answer(google_mp3))
    leaflet = load_leaflet(SHORT, "en-GB")
    options = BuildOptions(out=tmp_path / "out", tts="gtts", today=BEFORE_DUE, templates=None,
                           cache_dir=tmp_path / "cache")
    result = WRITER.write(leaflet, tmp_path / "w", options)
    assert result.engines["tts"].startswith("gTTS ")
    assert result.details["sample_rate"] == 24000
    assert abs(result.details["loudness_lufs"] + 19) <= 2
    texts = "\n".join(sent_texts(google))
    assert "lepto-meh-NIN-jee-al" in texts and "leptomeningeal" not in texts


# --- the real network, when there is one ------------------------------------------------------


def google_reachable() -> bool:
    """Say whether Google Translate answers a quick probe (skip the live test when not)."""
    return create_gtts("en-GB", "normal").probe() is None


def test_live_gtts_when_google_is_reachable() -> None:
    if not google_reachable():
        pytest.skip("Google Translate is unreachable from here")
    engine = create_gtts("en-GB", "normal")
    samples = decode(engine.synthesize("Hello."), engine.sample_rate, "live")
    assert samples.size > engine.sample_rate // 4


def test_a_language_gtts_cannot_speak(google: requests_mock.Mocker) -> None:
    google.post(GOOGLE_UK, exc=requests.exceptions.ConnectionError)
    with pytest.raises(NarrationError, match="gTTS cannot speak tlh"):
        choose("gtts", "tlh", "normal")
    with pytest.raises(NarrationError, match="espeak-ng has no voice for tlh"):
        choose("auto", "tlh", "normal")
    engine, warnings = choose("auto", "cy-GB", "normal")  # gTTS speaks Welsh: it is probed
    assert google.call_count == 1 and engine.name == "espeak" and "(cy)" in warnings[-1]
